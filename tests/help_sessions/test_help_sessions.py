"""Logging a session of help: the one-page form from a plan, a referral or no plan, who sees and changes
which logs, bad input refused field by field with nothing saved, and every change audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import CHAMPIONS, csrf_token, errors, log_session, page_text, refer
from sqlalchemy import select, update

from triage.web.extensions import db
from triage.web.help_sessions.service import today
from triage.web.models import Assessment, AuditEvent, HelpSession, Organisation, Resource

NEW = "/staff/help-sessions/new"
log = log_session


def venue_id(app, ours: bool = True) -> int:
    with app.app_context():
        org = db.session.execute(select(Organisation.id).where(Organisation.name == CHAMPIONS)).scalar_one()
        owned = Resource.organisation_id == org if ours else Resource.organisation_id.is_distinct_from(org)
        query = select(Resource.id).where(owned, Resource.address != "", Resource.status == "active")
        return db.session.execute(query.order_by(Resource.name, Resource.id)).scalars().first()


def logs(app) -> list[HelpSession]:
    with app.app_context():
        found = db.session.execute(select(HelpSession).order_by(HelpSession.id)).scalars().all()
        for one in found:
            db.session.expunge(one)
        return list(found)


def test_a_champion_logs_a_walk_in_without_a_plan(app, people):
    champion = people("champion@example.org")
    response = log(champion)
    assert response.headers["Location"].endswith("/staff/help-sessions")
    (saved,) = logs(app)
    assert (saved.minutes, saved.kind, saved.headcount, saved.place, saved.device) == (
        30,
        "one_to_one",
        1,
        "phone",
        "own",
    )
    assert saved.tasks == ["join_wifi", "health_nhs_app"] and saved.given == ["data_sim"] and saved.first_visit
    assert saved.assessment_id is None and saved.ward_code is not None  # from the postcode, which is not kept
    assert "LE11" not in repr([getattr(saved, c.key) for c in HelpSession.__table__.columns])
    listed = page_text(champion.get("/staff/help-sessions"))
    assert "Sessions you have logged" in listed and "30 minutes, one-to-one, on the phone" in listed
    with app.app_context():
        assert (
            db.session.execute(
                select(AuditEvent.action).where(AuditEvent.subject == f"help session {saved.id}")
            ).scalar_one()
            == "help session logged"
        )


def test_the_form_fits_the_choices_of_the_issue(people):
    page = page_text(people("champion@example.org").get(NEW))
    for label in (
        "15 minutes",
        "120 minutes",
        "Another length",
        "A home visit",
        "Online",
        "A council task",
        "A benefits claim",
        "Health or the NHS App",
        "Join a wifi network",
        "Spot scam messages",
        "Did it on their own",
        "A data SIM",
        "A switch to a social tariff",
        "The library's or centre's",
    ):
        assert label in page, label


def test_a_session_at_a_venue_takes_the_venues_ward(app, people):
    venue = venue_id(app)
    log(people("champion@example.org"), place=f"venue-{venue}", postcode="")
    (saved,) = logs(app)
    with app.app_context():
        assert (saved.place, saved.venue_id, saved.ward_code) == (
            "venue",
            venue,
            db.session.get(Resource, venue).ward_code,
        )


def test_a_group_records_a_headcount_and_another_length(app, people):
    log(people("champion@example.org"), kind="group", headcount="12", length="other", other_minutes="75")
    (saved,) = logs(app)
    assert (saved.kind, saved.headcount, saved.minutes) == ("group", 12, 75)


def test_a_session_from_a_plan_takes_the_plans_ward(app, people, plan):
    reference, drop_in = plan
    refer(people("staff@example.org"), reference, drop_in)
    champion = people("champion@example.org")
    assert "Log a session" in page_text(champion.get(f"/staff/plans/{reference}"))
    response = log(champion, f"/staff/plans/{reference}/log-session", postcode=None)
    assert response.status_code == 302, errors(response)
    (saved,) = logs(app)
    with app.app_context():
        assessment = db.session.execute(select(Assessment).where(Assessment.reference == reference)).scalar_one()
        assert (saved.assessment_id, saved.ward_code) == (assessment.id, assessment.ward_code)


def test_a_session_from_a_referral(app, people, referral):
    champion = people("champion@example.org")
    assert "Log a session" in page_text(champion.get(f"/staff/referrals/{referral}"))
    assert log(champion, f"/staff/referrals/{referral}/log-session").status_code == 302
    assert logs(app)[0].referral_id == referral
    assert people("other@example.org").get(f"/staff/referrals/{referral}/log-session").status_code == 404
    assert "Log a session" not in page_text(people("staff@example.org").get(f"/staff/referrals/{referral}"))


def test_another_organisation_cannot_log_from_a_plan_it_cannot_open(people, plan):
    reference, _ = plan
    assert people("other@example.org").get(f"/staff/plans/{reference}/log-session").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"length": "other", "other_minutes": "0"}, "A session must be between 1 and 480 minutes long (8 hours)"),
        ({"length": "other", "other_minutes": "10,000"}, "A session must be between 1 and 480 minutes long (8 hours)"),
        ({"length": None}, "Enter how long the session was, in minutes"),
        ({"kind": "group", "headcount": "0"}, "A group is between 2 and 200 people"),
        ({"kind": "group", "headcount": "500"}, "A group is between 2 and 200 people"),
        ({"kind": "group", "headcount": ""}, "Enter how many people were in the group"),
        ({"session_date": ["1", "1", "2999"]}, "The date of the session must be today or in the past"),
        ({"session_date": ["31", "2", "2026"]}, "Enter the date of the session, for example 27 3 2026"),
        ({"session_date": ["1"]}, "Enter the date of the session, for example 27 3 2026"),
        ({"place": "venue-OTHER"}, "Select one of your organisation's venues"),
        ({"tasks": ["join_wifi", "launch_rockets"]}, "Select what they worked on"),
        ({"tasks": None}, "Select what they worked on"),
        ({"given": ["a_pony"]}, "Select only things from the list"),
        ({"onward": "999999"}, "Choose help from the directory, or none"),
        ({"first_visit": None}, "Select whether it was their first visit"),
        ({"device": "a_toaster"}, "Select the device they used"),
        (
            {"postcode": "ZZ99 9ZZ"},
            "We could not find that postcode in this council's area. Check it, or leave it empty",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_by_field_and_nothing_is_saved(app, people, changes, field_error):
    if changes.get("place") == "venue-OTHER":
        changes = {**changes, "place": f"venue-{venue_id(app, ours=False)}"}
    response = log(people("champion@example.org"), **changes)
    assert response.status_code == 400 and errors(response) == [field_error]
    assert logs(app) == []


def _old(app, days: int) -> None:
    with app.app_context():
        db.session.execute(update(HelpSession).values(session_date=today() - timedelta(days=days)))
        db.session.commit()


@pytest.mark.parametrize(
    ("who", "recent", "old"),
    [
        ("champion@example.org", 200, 403),  # their own: for 7 days
        ("other@example.org", 404, 404),
        ("staff@example.org", 403, 403),
        ("admin@example.org", 200, 200),
    ],
)
def test_who_corrects_a_log_and_for_how_long(app, people, who, recent, old):
    log(people("champion@example.org"))
    path = f"/staff/help-sessions/{logs(app)[0].id}"
    assert people(who).get(path).status_code == recent
    _old(app, 7)
    assert people(who).get(path).status_code == recent
    _old(app, 8)
    assert people(who).get(path).status_code == old
    assert people(None).get(path).headers["Location"].startswith("/staff/sign-in")


def test_a_correction_and_a_deletion_are_audited(app, people):
    champion = people("champion@example.org")
    log(champion)
    path = f"/staff/help-sessions/{logs(app)[0].id}"
    assert "30 minutes" in page_text(champion.get(path))
    assert log(champion, path, length="45").status_code == 302
    assert logs(app)[0].minutes == 45
    bad = log(champion, path, length="other", other_minutes="0")
    assert bad.status_code == 400 and logs(app)[0].minutes == 45  # nothing saved is lost
    other = people("other@example.org")
    token = csrf_token(other, "/staff/help-sessions")
    assert other.post(f"{path}/delete", data={"csrf_token": token}).status_code == 404
    response = champion.post(f"{path}/delete", data={"csrf_token": csrf_token(champion, path)})
    assert response.status_code == 302 and logs(app) == []
    with app.app_context():
        audited = select(AuditEvent.action).where(AuditEvent.action.like("help session%")).order_by(AuditEvent.id)
        actions = db.session.execute(audited).scalars()
        assert list(actions) == ["help session logged", "help session changed", "help session deleted"]


def test_the_list_shows_each_person_what_they_may_see(app, people):
    log(people("champion@example.org"))
    log(people("other@example.org"), place="online", tasks=["search"])
    mine = page_text(people("champion@example.org").get("/staff/help-sessions"))
    assert "on the phone" in mine and "online" not in mine
    everyone = page_text(people("admin@example.org").get("/staff/help-sessions"))
    assert "Sessions logged" in everyone and "on the phone" in everyone and "online" in everyone


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff@example.org", 403), ("admin@example.org", 403), ("champion@example.org", 200), (None, 302)],
)
def test_only_champions_log_sessions(people, who, status):
    assert people(who).get(NEW).status_code == status


def test_partners_neither_log_nor_list_sessions(signed_in):
    client = signed_in("partner")
    assert client.get(NEW).status_code == 403 and client.get("/staff/help-sessions").status_code == 403
