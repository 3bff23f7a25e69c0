"""The impact report's "Wellbeing (ONS4)" section: shown when the council asks the questions or anyone answered
them in the dates; before (a plan's first visit) and after (its latest follow-up) paired by plan, walk-ins only
counted; small numbers hidden; CSV rows; a champion sees their organisation's only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from helpers import AFTER_SUPPORT, OFFLINE, log_session, page_text, record_follow_up, refer, start_support
from sqlalchemy import update

from triage.web.extensions import db
from triage.web.help_sessions.service import today
from triage.web.models import HelpSession

FIELDS = ("wellbeing_life", "wellbeing_worthwhile", "wellbeing_happy", "wellbeing_anxious")
BEFORE = dict(zip(FIELDS, ("4", "5", "3", "8"), strict=True))
AFTER = dict(zip(FIELDS, ("7", "7", "6", "3"), strict=True))
CAPTION = "Average wellbeing before and after, by measure"


def table(response, caption: str) -> dict[str, list[str]]:
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    found = next(t for t in soup.find_all("table") if t.caption.get_text(strip=True) == caption)
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in found.tbody.find_all("tr")]
    return {row[0]: row[1:] for row in rows}


def captions(response) -> list[str]:
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [t.caption.get_text(strip=True) for t in soup.find_all("table")]


def figures(response) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    return {r["figure"]: r["value"] for r in rows if r["section"] == "wellbeing"}


@pytest.fixture
def wellbeing_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WELLBEING_QUESTIONS", True)


def followed_up(people, plan, n: int, before=BEFORE, after=AFTER) -> None:
    """n people, each with a plan referred to the drop-in, a first visit logged from the referral with `before`,
    and a follow-up with `after`."""
    _, drop_in = plan
    staff, champion, anonymous = people("staff@example.org"), people("champion@example.org"), people(None)
    for _ in range(n):
        body = anonymous.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()
        referral = int(refer(staff, body["reference"], drop_in).headers["Location"].rsplit("/", 1)[1])
        assert log_session(champion, f"/staff/referrals/{referral}/log-session", **before).status_code == 302
        start_support(champion, referral)
        assert record_follow_up(champion, referral, {**AFTER_SUPPORT, **after}).status_code == 302


def test_officers_see_before_and_after_for_people_followed_up(people, plan, wellbeing_on):
    followed_up(people, plan, 5)
    for _ in range(2):
        log_session(people("champion@example.org"), **BEFORE)  # walk-ins: counted, never paired
    response = people("admin@example.org").get("/staff/impact")
    text = page_text(response)
    assert "Wellbeing (ONS4)" in text
    assert "7 people answered at a first visit in these dates." in text
    assert "5 people answered both before and after." in text
    assert table(response, CAPTION) == {
        "Life satisfaction": ["5", "4.0", "7.0", "5 (100%)"],
        "Worthwhile": ["5", "5.0", "7.0", "5 (100%)"],
        "Happiness": ["5", "3.0", "6.0", "5 (100%)"],
        "Anxiety": ["5", "8.0", "3.0", "5 (100%)"],  # better: it went down
    }
    groups = table(response, "People in the ONS’s low wellbeing and high anxiety groups, before and after")
    assert groups["Low life satisfaction (0 to 4)"] == ["100%", "0%"]
    assert groups["Low worthwhile (0 to 4)"] == ["0%", "0%"]
    assert groups["High anxiety (6 to 10)"] == ["100%", "0%"]
    shown = figures(people("admin@example.org").get("/staff/impact?format=csv"))
    assert shown["answered_at_first_visit"] == "7" and shown["people_before_and_after"] == "5"
    assert (shown["life_mean_before"], shown["life_mean_after"], shown["life_better"]) == ("4.0", "7.0", "5")
    assert (shown["anxious_high_before_pct"], shown["anxious_high_after_pct"]) == ("100.0", "0.0")


def test_a_champion_sees_their_organisations_only(people, plan, wellbeing_on):
    followed_up(people, plan, 5)
    own = people("champion@example.org").get("/staff/impact")
    assert table(own, CAPTION)["Happiness"] == ["5", "3.0", "6.0", "5 (100%)"]
    other = people("other@example.org")
    log_session(other, **BEFORE)
    theirs = other.get("/staff/impact")
    text = page_text(theirs)
    assert "Fewer than 5 people answered at a first visit in these dates, so the number is not shown." in text
    assert "0 people answered both before and after." in text and CAPTION not in captions(theirs)
    shown = figures(other.get("/staff/impact?format=csv"))
    assert shown["answered_at_first_visit"] == "" and shown["life_mean_before"] == ""


def test_too_few_followed_up_shows_no_figures(people, plan, wellbeing_on):
    followed_up(people, plan, 4)
    response = people("admin@example.org").get("/staff/impact")
    assert "Fewer than 5 people answered both before and after, so no figures are shown." in page_text(response)
    assert CAPTION not in captions(response)
    shown = figures(people("admin@example.org").get("/staff/impact?format=csv"))
    assert shown["people_before_and_after"] == "" and shown["anxious_mean_after"] == ""


def test_after_the_council_stops_asking_past_answers_are_still_reported(app, people, plan, monkeypatch):
    monkeypatch.setitem(app.config, "WELLBEING_QUESTIONS", True)
    followed_up(people, plan, 5)
    monkeypatch.setitem(app.config, "WELLBEING_QUESTIONS", False)
    admin = people("admin@example.org")
    assert table(admin.get("/staff/impact"), CAPTION)["Worthwhile"] == ["5", "5.0", "7.0", "5 (100%)"]
    before = admin.get("/staff/impact?from=2020-04-01&to=2021-03-31")  # no answers in these dates
    assert "Wellbeing (ONS4)" not in page_text(before)
    assert figures(admin.get("/staff/impact?from=2020-04-01&to=2021-03-31&format=csv")) == {}


def test_no_section_when_off_and_nobody_answered(people):
    log_session(people("champion@example.org"))
    admin = people("admin@example.org")
    assert "Wellbeing (ONS4)" not in page_text(admin.get("/staff/impact"))
    assert figures(admin.get("/staff/impact?format=csv")) == {}


def test_a_first_visit_after_the_follow_up_is_not_a_before(people, plan, app, wellbeing_on):
    _, drop_in = plan
    staff, champion, anonymous = people("staff@example.org"), people("champion@example.org"), people(None)
    for _ in range(5):
        body = anonymous.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()
        referral = int(refer(staff, body["reference"], drop_in).headers["Location"].rsplit("/", 1)[1])
        start_support(champion, referral)
        record_follow_up(champion, referral, {**AFTER_SUPPORT, **AFTER})
        assert log_session(champion, f"/staff/referrals/{referral}/log-session", **BEFORE).status_code == 302
    tomorrow = today() + timedelta(days=1)
    with app.app_context():
        db.session.execute(update(HelpSession).values(session_date=tomorrow))  # as if logged after the follow-up
        db.session.commit()
    text = page_text(people("admin@example.org").get(f"/staff/impact?to={tomorrow.isoformat()}"))
    assert "5 people answered at a first visit in these dates." in text
    assert "0 people answered both before and after." in text
