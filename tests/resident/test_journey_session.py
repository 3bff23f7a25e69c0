"""What the session keeps of a journey, and for how long: never the full postcode (nor its point), only as
long as the browser is open, and never more than 2 hours after the last change, whatever the browser does."""

from __future__ import annotations

import time

import pytest
from bs4 import BeautifulSoup
from helpers import CONFIDENT, OFFLINE, answer, answer_every_question, csrf_token, page_text

from triage.web.extensions import db
from triage.web.models import Assessment, Postcode

TWO_HOURS = 2 * 60 * 60


def session_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def everything_in(value) -> list[str]:
    """Every key and value in the session, however deep, as text."""
    if isinstance(value, dict):
        return [text for k, v in value.items() for text in (str(k), *everything_in(v))]
    if isinstance(value, list | tuple):
        return [text for v in value for text in everything_in(v)]
    return [str(value)]


def submit(client):
    token = csrf_token(client, "/check-your-answers")
    response = client.post("/check-your-answers", data={"csrf_token": token})
    assert response.status_code == 302, page_text(response)
    return response.headers["Location"].rsplit("/", 1)[1]


@pytest.mark.parametrize("postcode", ["LE11 3DU", "LE12 9AN", "LE7 7AU", "LE11 1ZZ", "SW1A 1AA"])
def test_the_session_holds_the_sector_but_neither_the_postcode_nor_its_point(client, app, postcode):
    answer(client, "who_for", "me")
    answer(client, "postcode", postcode)
    kept = everything_in(session_of(client))
    outward, inward = postcode.split(" ")
    assert not [text for text in kept if inward in text or postcode.replace(" ", "") in text.replace(" ", "")]
    assert f"{outward} {inward[0]}" in kept
    with app.app_context():
        row = db.session.get(Postcode, postcode)
        if row:  # its point would name the postcode to anyone with the postcode directory
            assert not [text for text in kept if str(row.lat) in text or str(row.lon) in text]


@pytest.mark.parametrize(
    ("postcode", "answers"), [("LE11 3DU", OFFLINE), ("LE12 9AN", CONFIDENT), ("LE7 7AU", OFFLINE)]
)
def test_the_plan_is_the_one_the_full_postcode_gives(client, people, app, postcode, answers):
    """The API is given the full postcode and never uses a session: the journey's plan must be the same."""
    answer_every_question(client, answers, postcode)
    reference = submit(client)
    expected = people(None).post("/api/v1/assessments", json={"postcode": postcode, "answers": answers}).get_json()
    with app.app_context():
        made, wanted = (
            db.session.query(Assessment).filter_by(reference=r).one() for r in (reference, expected["reference"])
        )

        def plan(a: Assessment) -> tuple:
            help_ = [(r.resource_id, r.routes, r.reasons, r.distance_km) for r in a.recommendations]
            return a.ward_code, a.postcode_sector, a.location_source, a.band, a.routes, a.first_step, help_

        assert plan(made) == plan(wanted)
        if answers is OFFLINE:  # help in person, measured from the postcode's own point
            assert any(r.distance_km is not None for r in made.recommendations)


def test_going_back_to_the_postcode_shows_its_sector_and_continue_keeps_it(client):
    answer(client, "who_for", "me")
    answer(client, "postcode", "LE11 3DU")
    page = client.get("/questions/postcode")
    box = BeautifulSoup(page.get_data(as_text=True), "html.parser").find("input", attrs={"name": "postcode"})
    assert not box.get("value")
    assert "You gave a postcode starting LE11 3. Select Continue to keep it" in page_text(page)
    kept = answer(client, "postcode", "")
    assert kept.headers["Location"].endswith("/questions/devices")
    assert session_of(client)["place"]["ward_code"] == "E05014676"  # Loughborough Southfields, as before
    changed = answer(client, "postcode", "LE12 9AN")
    assert changed.headers["Location"].endswith("/questions/devices")
    assert session_of(client)["place"]["postcode_sector"] == "LE12 9"


def test_with_no_postcode_given_before_an_empty_box_still_needs_one(client):
    answer(client, "who_for", "me")
    token = csrf_token(client, "/questions/postcode")
    client.post("/questions/postcode", data={"csrf_token": token, "no_fixed_address": "1"})
    response = answer(client, "postcode", "")
    assert "Enter your postcode, or choose 'I do not have a postcode'" in page_text(response)


def test_check_your_answers_shows_the_sector_and_the_ward_it_gave(client):
    answer_every_question(client, CONFIDENT)
    text = page_text(client.get("/check-your-answers"))
    assert "Postcode Starting LE11 3, in Loughborough Southfields" in text and "3DU" not in text


def test_check_your_answers_for_a_postcode_we_do_not_have_shows_its_sector_and_the_area_chosen(client):
    answer_every_question(client, CONFIDENT, postcode="LE11 1ZZ", area="E05014676")
    text = page_text(client.get("/check-your-answers"))
    assert "Postcode Starting LE11 1 Change" in text and "Area Loughborough Southfields" in text


def set_last_change(client, seconds_ago: int) -> None:
    with client.session_transaction() as session:
        session["changed_at"] = int(time.time()) - seconds_ago


def test_answers_are_forgotten_by_the_server_two_hours_after_the_last_change(client):
    answer_every_question(client, CONFIDENT)
    set_last_change(client, TWO_HOURS + 60)
    response = client.get("/check-your-answers", follow_redirects=True)
    assert response.request.path == "/questions/who_for"
    assert "It is more than 2 hours since your last answer, so we deleted your answers" in page_text(response)
    kept = session_of(client)
    assert not {"answers", "place", "postcode_sector", "changed_at"} & set(kept)
    assert "deleted your answers" not in page_text(client.get("/questions/who_for"))  # said once


def test_answers_changed_within_two_hours_are_kept_and_each_change_starts_the_two_hours_again(client):
    answer_every_question(client, CONFIDENT)
    set_last_change(client, TWO_HOURS - 60)
    assert client.get("/check-your-answers").status_code == 200
    answer(client, "feelings", "nervous")
    assert time.time() - session_of(client)["changed_at"] < 60
    set_last_change(client, TWO_HOURS - 60)
    assert submit(client)


def test_a_journey_begun_before_the_postcode_left_the_session_carries_on_without_it(client, app):
    """As an upgrade finds it: the full postcode, the place's point and no time of the last change."""
    answer_every_question(client, CONFIDENT, postcode="LE11 1ZZ", area="E05014676")
    with client.session_transaction() as session:
        session["postcode_entered"] = "LE11 1ZZ"
        del session["postcode_sector"], session["changed_at"]
    text = page_text(client.get("/check-your-answers"))
    assert "Postcode Starting LE11 1" in text
    kept = session_of(client)
    assert "postcode_entered" not in kept and kept["postcode_sector"] == "LE11 1"
    assert time.time() - kept["changed_at"] < 60  # the two hours count from the upgrade
    assert submit(client)
