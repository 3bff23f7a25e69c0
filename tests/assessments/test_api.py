"""The JSON API v1 (docs/api.md): the questionnaire, creating and reading assessments, and every bad input."""

from __future__ import annotations

import json

import pytest
from helpers import CONFIDENT, OFFLINE

from triage.core.questionnaire import QUESTIONS
from triage.web.extensions import db
from triage.web.models import Assessment


def post(client, body, **kwargs):
    return client.post("/api/v1/assessments", json=body, **kwargs)


def test_questionnaire_lists_every_question_with_codes_and_the_scoring_version(client):
    response = client.get("/api/v1/questionnaire")
    assert response.status_code == 200
    body = response.get_json()
    assert body["scoring_version"]
    assert [q["id"] for q in body["questions"]] == [q.id for q in QUESTIONS]
    devices = next(q for q in body["questions"] if q["id"] == "devices")
    assert devices["type"] == "multiple"
    assert {"code": "none", "label": "None of these", "exclusive": True} in devices["options"]
    language = next(q for q in body["questions"] if q["id"] == "language")
    assert language["asked_if"] == {"question": "barriers", "answer": "english"}


def test_create_assessment_returns_201_with_scores_reasons_routes_and_help(client, app):
    response = post(client, {"postcode": "le113du", "answers": OFFLINE})
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/assessments/{body['reference']}"
    assert body["ward"] == {"code": "E05014676", "name": "Loughborough Southfields"}
    assert body["band"] == "very_high"
    domains = {d["domain"]: d for d in body["domains"]}
    assert set(domains) == {"access", "affordability", "skills", "confidence", "accessibility"}
    for d in domains.values():
        assert sum(r["points"] for r in d["reasons"]) == d["score"]
    assert domains["access"]["score"] == 10
    codes = [r["code"] for r in body["routes"]]
    assert {"device", "free_computers", "champion", "accessibility"} <= set(codes)
    assert body["first_step"] == "device"  # no working device comes before everything but a deadline
    assert all(isinstance(r["more_help"], bool) for r in body["routes"])
    recs = body["recommendations"]
    assert recs and all(r["reasons"] for r in recs)
    served = {code for r in recs for code in r["routes"]}
    assert served == set(codes), "every route gets help: the seed directory has some for each"
    assert any(r["distance_km"] is not None for r in recs)
    with app.app_context():
        stored = db.session.query(Assessment).filter_by(reference=body["reference"]).one()
        assert stored.channel == "api"


def test_stored_assessment_can_be_read_back_identically(client):
    created = post(client, {"postcode": "LE11 3DU", "answers": CONFIDENT}).get_json()
    read = client.get(f"/api/v1/assessments/{created['reference']}")
    assert read.status_code == 200
    assert read.get_json() == created


def test_ward_can_be_given_instead_of_a_postcode(client):
    response = post(client, {"ward": "E05014686", "answers": CONFIDENT})
    assert response.status_code == 201
    assert response.get_json()["ward"]["name"] == "Syston"


def test_unknown_reference_is_404_json(client):
    response = client.get("/api/v1/assessments/AAAA-BBBB-CCCC")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "No assessment has that reference"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"answers": CONFIDENT}, 400, "postcode"),
        ({"postcode": "LE11 3DU"}, 400, "answers"),
        ({"postcode": 12345, "answers": CONFIDENT}, 400, "postcode"),
        ({"postcode": "LE11 1ZZ", "answers": CONFIDENT}, 422, "postcode"),
        ({"postcode": "SW1A 1AA", "answers": CONFIDENT}, 422, "postcode"),
        ({"postcode": "NOT A POSTCODE", "answers": CONFIDENT}, 422, "postcode"),
        ({"ward": "E09999999", "answers": CONFIDENT}, 422, "ward"),
        ({"postcode": "LE11 3DU", "answers": CONFIDENT, "name": "Jo"}, 400, "name"),
        ({"postcode": "LE11 3DU", "answers": {**CONFIDENT, "colour": "blue"}}, 400, "answers.colour"),
        ({"postcode": "LE11 3DU", "answers": {**CONFIDENT, "who_for": "king"}}, 400, "answers.who_for"),
        ({"postcode": "LE11 3DU", "answers": {**CONFIDENT, "who_for": 3}}, 400, "answers.who_for"),
        ({"postcode": "LE11 3DU", "answers": {**CONFIDENT, "devices": [1, 2]}}, 400, "answers.devices"),
        ({"postcode": "LE11 3DU", "answers": {**CONFIDENT, "devices": []}}, 400, "answers.devices"),
        ({"postcode": "LE11 3DU", "answers": {**CONFIDENT, "devices": ["none", "tablet"]}}, 400, "answers.devices"),
        (
            {"postcode": "LE11 3DU", "answers": {**CONFIDENT, "goals": ["health", "council", "school", "shopping"]}},
            400,
            "answers.goals",
        ),
        (
            {"postcode": "LE11 3DU", "answers": {k: v for k, v in CONFIDENT.items() if k != "feelings"}},
            400,
            "answers.feelings",
        ),
        ({"postcode": "LE11 3DU", "answers": {**CONFIDENT, "deadline": "yes"}}, 400, "answers.deadline_task"),
        ({"postcode": "LE11 3DU", "answers": {**CONFIDENT, "barriers": ["english"]}}, 400, "answers.language"),
        ({"postcode": "LE11 3DU", "answers": "yes please"}, 400, "answers"),
    ],
)
def test_bad_input_gets_a_4xx_naming_the_field_and_stores_nothing(client, app, body, status, field):
    response = post(client, body)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["status"] == status and error["message"]
    assert field in error["fields"]
    with app.app_context():
        assert db.session.query(Assessment).count() == 0


def test_malformed_json_wrong_type_and_non_object_bodies_are_400s(client):
    bad = client.post("/api/v1/assessments", data="{not json", content_type="application/json")
    assert bad.status_code == 400 and "not valid JSON" in bad.get_json()["error"]["message"]
    assert post(client, ["a", "list"]).status_code == 400
    form = client.post("/api/v1/assessments", data={"postcode": "LE11 3DU"})
    assert form.status_code == 415 and form.get_json()["error"]["status"] == 415


def test_oversized_body_is_413_json(client):
    huge = json.dumps({"postcode": "LE11 3DU", "answers": CONFIDENT, "pad": "x" * 200_000})
    response = client.post("/api/v1/assessments", data=huge, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["status"] == 413


def test_wrong_method_is_405_json(client):
    response = client.delete("/api/v1/assessments")
    assert response.status_code == 405
    assert response.get_json()["error"]["status"] == 405


def test_the_api_contract_documents_every_question_code_and_route():
    from pathlib import Path

    from triage.core.routing import ROUTES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    for q in QUESTIONS:
        assert f"`{q.id}`" in doc
        for code in q.codes:
            assert f"`{code}`" in doc, (q.id, code)
    for route in ROUTES:
        assert f"`{route.code}`" in doc


def test_created_at_is_utc_on_every_engine(client):
    body = post(client, {"postcode": "LE11 3DU", "answers": CONFIDENT}).get_json()
    assert body["created_at"].endswith("+00:00")
