"""Input no database engine can store is refused at the edge with a 400 (the 400 page, or the JSON error
under /api/ and /oruk/), on every engine; odd ids and deep JSON are answered too, never with a 500."""

from __future__ import annotations

import json

import pytest
from helpers import OFFLINE, answer, csrf_token, page_text

from triage.web.extensions import db
from triage.web.models import Assessment, Resource

BAD_REQUEST = "Sorry, there is a problem with your request"  # the heading of the 400 page
WHAT_IS_WRONG = "contains a character that cannot be stored (a NUL byte or a lone surrogate)"


def _refused_page(response) -> bool:
    return response.status_code == 400 and BAD_REQUEST in page_text(response)


def _json_error(response) -> dict:
    assert response.status_code == 400 and response.is_json, response.get_data(as_text=True)[:300]
    return response.get_json()["error"]


@pytest.mark.parametrize("path", ["/help/a%00b", "/staff/sign-in%00", "/plan/A%00B"])
def test_a_nul_in_a_page_address_gets_the_400_page(client, path):
    assert _refused_page(client.get(path))


@pytest.mark.parametrize("path", ["/find-help?postcode=LE11%003DU", "/find-your-plan?lang=%00", "/?a%00=1"])
def test_a_nul_in_the_query_gets_the_400_page(client, path):
    assert _refused_page(client.get(path))


@pytest.mark.parametrize(
    "path", ["/api/v1/assessments/A%00B", "/api/v1/questionnaire?x=%00", "/oruk/services?search=%00"]
)
def test_a_nul_in_an_address_programs_read_gets_a_json_error(client, path):
    assert WHAT_IS_WRONG in _json_error(client.get(path))["message"]


def test_a_query_or_form_field_is_named_by_its_name(client):
    error = _json_error(client.get("/oruk/services?search=a%00b&search=ok&page=1"))
    assert error["fields"] == {"search": WHAT_IS_WRONG} and error["message"].endswith(" in search")


@pytest.mark.parametrize("encoded", ["%ED%A0%80", "%C0%80", "%FF"])
def test_bad_percent_encoding_is_read_as_text_not_as_a_nul_or_a_surrogate(client, encoded):
    """werkzeug makes bytes that are not UTF-8 U+FFFD in the path, and keeps them percent-encoded in a query."""
    assert client.get(f"/help/{encoded}").status_code == 404
    page = client.get(f"/find-help?postcode={encoded}")
    assert "Enter a real postcode" in page_text(page) and f'value="{encoded}"' in page.get_data(as_text=True)


def test_a_query_that_is_not_utf8_gets_the_400_page(client):
    """gunicorn refuses raw bytes in the request line; other servers pass them on, and Flask cannot read them."""
    assert _refused_page(client.get("/find-help", environ_overrides={"QUERY_STRING": "postcode=\xff"}))


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"ward": "E05014686\u0000", "answers": OFFLINE}, {"ward": WHAT_IS_WRONG}),
        ({"ward": "\ud800", "answers": OFFLINE}, {"ward": WHAT_IS_WRONG}),
        (
            {"postcode": "LE11 3DU", "answers": {**OFFLINE, "goals": ["health", "a\x00"]}},
            {"answers.goals.1": WHAT_IS_WRONG},
        ),
        ({"postcode": "LE11 3DU", "answers": OFFLINE, "\x00": 1}, None),
    ],
)
def test_the_api_names_each_field_no_engine_can_store_and_saves_nothing(client, app, body, fields):
    error = _json_error(client.post("/api/v1/assessments", json=body))
    named = f" in {', '.join(fields)}" if fields else ""
    assert error["message"] == f"The request {WHAT_IS_WRONG}{named}" and error.get("fields") == fields
    with app.app_context():
        assert db.session.query(Assessment).count() == 0


def test_raw_surrogate_bytes_in_json_are_refused_too(client):
    body = b'{"ward": "\xed\xa0\x80", "answers": ' + json.dumps(OFFLINE).encode() + b"}"
    error = _json_error(client.post("/api/v1/assessments", data=body, content_type="application/json"))
    assert error["fields"] == {"ward": WHAT_IS_WRONG}


def test_json_nested_too_deeply_to_read_is_a_400(client):
    deep = "[" * 30_000 + "]" * 30_000  # within the 64 KiB a body may have
    error = _json_error(client.post("/api/v1/assessments", data=deep, content_type="application/json"))
    assert error["message"] == "The request body is not valid JSON"


def test_a_refused_answer_keeps_the_answers_already_given(client):
    answer(client, "who_for", "me")
    refused = client.post(
        "/questions/postcode", data={"csrf_token": csrf_token(client, "/questions/postcode"), "postcode": "LE11\x00"}
    )
    assert _refused_page(refused)
    assert answer(client, "postcode", "LE11 3DU").headers["Location"] == "/questions/devices"
    assert 'value="me" checked' in client.get("/questions/who_for").get_data(as_text=True)


def test_a_refused_directory_edit_changes_nothing(people, app):
    admin = people("admin@example.org")
    with app.app_context():
        entry = db.session.query(Resource).order_by(Resource.id).first()
        entry_id, name = entry.id, entry.name
    path = f"/staff/directory/{entry_id}/edit"
    refused = admin.post(path, data={"csrf_token": csrf_token(admin, path), "name": "New\x00name"})
    assert _refused_page(refused)
    with app.app_context():
        assert db.session.get(Resource, entry_id).name == name


@pytest.mark.parametrize(
    "path",
    ["/staff/directory/{n}", "/staff/referrals/{n}", "/staff/directory/proposals/{n}", "/staff/entries/{n}/edit"],
)
def test_an_id_too_big_for_any_id_column_is_not_found(people, path):
    admin = people("admin@example.org")
    for n in ("9" * 30, str(2**31)):
        assert admin.get(path.format(n=n)).status_code == 404
    assert (
        admin.post(
            f"/staff/accounts/{'9' * 30}/deactivate", data={"csrf_token": csrf_token(admin, "/staff/")}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("body", ['"x"', "[1, 2]", '{"reference": 5}', "3", '{"reference": "AAAA-BBBB-CCCC"}'])
def test_a_page_does_not_take_json(client, body):
    """Flask-WTF would fill the form from JSON, and a number or a list where text belongs was a 500."""
    token = csrf_token(client, "/find-your-plan")
    response = client.post(
        "/find-your-plan", data=body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 415 and "Sorry, there is a problem" in page_text(response)
