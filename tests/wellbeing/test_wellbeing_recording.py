"""Recording the optional ONS4 wellbeing answers: on the session log (a one-to-one first visit, never a group)
and the follow-up only when the council turns WELLBEING_QUESTIONS on; wrong values refused by field with nothing
saved; corrections; the answers cleared when the plan is erased though the log stays; and the referrals export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from helpers import AFTER_SUPPORT, csrf_token, errors, log_session, page_text, record_follow_up, start_support
from sqlalchemy import select, update

from triage.web.extensions import db
from triage.web.models import Assessment, FollowUp, HelpSession

NEW = "/staff/help-sessions/new"
FIELDS = ("wellbeing_life", "wellbeing_worthwhile", "wellbeing_happy", "wellbeing_anxious")
BEFORE = dict(zip(FIELDS, ("4", "5", "3", "8"), strict=True))
AFTER = dict(zip(FIELDS, ("7", "7", "6", "3"), strict=True))
SECTION = "Wellbeing (optional, ask only if they are happy to answer)"


@pytest.fixture
def wellbeing_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WELLBEING_QUESTIONS", True)


def stored(app, model) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(select(model).order_by(model.id)).scalars()
        return [tuple(getattr(row, name) for name in FIELDS) for row in rows]


def selects(response) -> dict[str, str]:
    """Each wellbeing select on the page, and the option chosen in it."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    found = {}
    for name in FIELDS:
        select_ = soup.find("select", attrs={"name": name})
        if select_ is not None:
            chosen = select_.find("option", selected=True)
            found[name] = chosen["value"] if chosen else ""
    return found


def test_when_off_neither_form_asks_and_nothing_is_stored(app, people, referral):
    champion = people("champion@example.org")
    assert SECTION not in page_text(champion.get(NEW)) and selects(champion.get(NEW)) == {}
    assert log_session(champion, **BEFORE).status_code == 302
    assert stored(app, HelpSession) == [(None, None, None, None)]
    start_support(champion, referral)
    path = f"/staff/referrals/{referral}/follow-up"
    assert SECTION not in page_text(champion.get(path))
    assert record_follow_up(champion, referral, {**AFTER_SUPPORT, **AFTER}).status_code == 302
    assert stored(app, FollowUp) == [(None, None, None, None)]


def test_when_on_the_log_asks_the_four_ons_questions(people, wellbeing_on):
    page = people("champion@example.org").get(NEW)
    text = page_text(page)
    assert SECTION in text and "They preferred not to answer" in text
    assert "Overall, how satisfied are you with your life nowadays?" in text
    assert "Overall, how happy did you feel yesterday?" in text
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    options = [
        o.get_text(strip=True) for o in soup.find("select", attrs={"name": "wellbeing_anxious"}).find_all("option")
    ]
    assert options == ["Not answered", "0 = not at all", *map(str, range(1, 10)), "10 = completely"]
    assert selects(page) == dict.fromkeys(FIELDS, "")


def test_a_first_visit_saves_its_answers_and_a_skipped_one_stays_empty(app, people, wellbeing_on):
    response = log_session(people("champion@example.org"), **{**BEFORE, "wellbeing_happy": ""})
    assert response.status_code == 302, errors(response)
    assert stored(app, HelpSession) == [(4, 5, None, 8)]


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [
        ("11", "wellbeing_life", "Choose how satisfied they are with their life from 0 to 10, or 'Not answered'"),
        ("-1", "wellbeing_happy", "Choose how happy they felt yesterday from 0 to 10, or 'Not answered'"),
        ("ten", "wellbeing_anxious", "Choose how anxious they felt yesterday from 0 to 10, or 'Not answered'"),
    ],
)
def test_a_wrong_value_gets_a_message_by_its_field_and_nothing_is_saved(
    app, people, wellbeing_on, value, field, message
):
    response = log_session(people("champion@example.org"), **{**BEFORE, field: value})
    assert response.status_code == 400 and errors(response) == [message]
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert message in soup.find("select", attrs={"name": field}).find_parent(class_="govuk-form-group").get_text()
    assert soup.find(class_="govuk-error-summary").find("a")["href"] == f"#{field}"
    assert stored(app, HelpSession) == []


def test_a_group_or_a_later_visit_is_not_asked(app, people, wellbeing_on):
    champion = people("champion@example.org")
    message = "Ask the wellbeing questions only at a one-to-one first visit: set them to 'Not answered'"
    group = log_session(champion, kind="group", headcount="8", **BEFORE)
    assert group.status_code == 400 and errors(group) == [message]
    later = log_session(champion, first_visit="no", wellbeing_worthwhile="6")
    assert later.status_code == 400 and errors(later) == [message]
    assert stored(app, HelpSession) == []
    assert log_session(champion, kind="group", headcount="8").status_code == 302
    (group_log,) = logs(app)
    path = f"/staff/help-sessions/{group_log}"
    correcting = champion.get(path)
    assert correcting.status_code == 200 and SECTION not in page_text(correcting) and selects(correcting) == {}
    assert log_session(champion, path, kind="group", headcount="9", **BEFORE).status_code == 302
    assert stored(app, HelpSession) == [(None, None, None, None)]  # a group's log never has answers


def test_they_may_prefer_not_to_answer(app, people, wellbeing_on):
    champion = people("champion@example.org")
    both = log_session(champion, wellbeing_declined="y", wellbeing_life="5")
    assert both.status_code == 400
    assert errors(both) == ["They preferred not to answer: set every question to 'Not answered', or untick this"]
    assert log_session(champion, wellbeing_declined="y").status_code == 302
    assert stored(app, HelpSession) == [(None, None, None, None)]


def logs(app) -> list[int]:
    with app.app_context():
        return list(db.session.execute(select(HelpSession.id).order_by(HelpSession.id)).scalars())


def test_a_correction_shows_the_answers_and_turning_the_setting_off_keeps_them(app, people, monkeypatch):
    monkeypatch.setitem(app.config, "WELLBEING_QUESTIONS", True)
    champion = people("champion@example.org")
    log_session(champion, **BEFORE)
    path = f"/staff/help-sessions/{logs(app)[0]}"
    assert selects(champion.get(path)) == BEFORE
    assert log_session(champion, path, **{**BEFORE, "wellbeing_life": "2"}).status_code == 302
    assert stored(app, HelpSession) == [(2, 5, 3, 8)]
    monkeypatch.setitem(app.config, "WELLBEING_QUESTIONS", False)
    assert selects(champion.get(path)) == {}
    assert log_session(champion, path, length="45").status_code == 302
    assert stored(app, HelpSession) == [(2, 5, 3, 8)]  # not asked now, but what was asked then stays
    assert log_session(champion, path, first_visit="no").status_code == 302
    assert stored(app, HelpSession) == [(None, None, None, None)]  # no longer a first visit: nothing to keep


def test_the_follow_up_asks_them_again(app, people, referral, wellbeing_on):
    champion = start_support(people("champion@example.org"), referral)
    path = f"/staff/referrals/{referral}/follow-up"
    page = champion.get(path)
    assert SECTION in page_text(page) and selects(page) == dict.fromkeys(FIELDS, "")
    bad = record_follow_up(champion, referral, {**AFTER_SUPPORT, **AFTER, "wellbeing_worthwhile": "11"})
    assert bad.status_code == 400
    assert errors(bad) == ["Choose how worthwhile the things they do feel from 0 to 10, or 'Not answered'"]
    assert stored(app, FollowUp) == []
    assert record_follow_up(champion, referral, {**AFTER_SUPPORT, **AFTER}).status_code == 302
    assert stored(app, FollowUp) == [(7, 7, 6, 3)]


def test_erasing_the_plan_clears_the_answers_but_the_log_stays(app, people, plan, referral, wellbeing_on):
    reference, _ = plan
    champion = people("champion@example.org")
    assert log_session(champion, f"/staff/referrals/{referral}/log-session", **BEFORE).status_code == 302
    log_session(champion, **BEFORE)  # a walk-in's, linked to no plan: it stays as it is
    admin = people("admin@example.org")
    found = admin.post("/staff/erase", data={"csrf_token": csrf_token(admin, "/staff/erase"), "reference": reference})
    confirm = found.headers["Location"]
    assert admin.post(confirm, data={"csrf_token": csrf_token(admin, confirm), "confirm": "y"}).status_code == 302
    with app.app_context():
        kept = db.session.execute(select(HelpSession).order_by(HelpSession.id)).scalars().all()
        assert [(log.assessment_id, log.minutes) for log in kept] == [(None, 30), (None, 30)]
    assert stored(app, HelpSession) == [(None, None, None, None), (4, 5, 3, 8)]


def test_deleting_old_plans_clears_their_answers_too(app, people, referral, runner, wellbeing_on):
    log_session(people("champion@example.org"), f"/staff/referrals/{referral}/log-session", **BEFORE)
    with app.app_context():
        db.session.execute(update(Assessment).values(created_at=datetime.now(UTC) - timedelta(days=365 * 3 + 30)))
        db.session.commit()
    assert "Deleted 1 saved plan older" in runner.invoke(args=["apply-retention"]).output
    assert stored(app, HelpSession) == [(None, None, None, None)] and len(logs(app)) == 1


def test_the_referrals_export_has_the_answers_before_and_after(app, people, referral, wellbeing_on):
    champion = people("champion@example.org")
    log_session(champion, f"/staff/referrals/{referral}/log-session", **BEFORE)
    start_support(champion, referral)
    record_follow_up(champion, referral, {**AFTER_SUPPORT, **AFTER})
    response = people("admin@example.org").get("/staff/exports", query_string={"kind": "referrals"})
    (row,) = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    assert [row[f"before_{name}"] for name in FIELDS] == list(BEFORE.values())
    assert [row[f"after_{name}"] for name in FIELDS] == list(AFTER.values())


def test_the_privacy_notice_says_so_only_when_the_questions_are_asked(app, client, monkeypatch):
    said = "A Digital Champion may ask you four short questions about how you feel about your life"
    assert said not in page_text(client.get("/privacy"))
    monkeypatch.setitem(app.config, "WELLBEING_QUESTIONS", True)
    assert said in page_text(client.get("/privacy"))
    assert "cztery krótkie pytania" in page_text(client.get("/privacy?lang=pl"))  # in the reader's language
