"""Referrals: staff and residents referring with consent, the champion inbox, the status rules on the web,
follow-ups with distance travelled, and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from helpers import (
    AFTER_SUPPORT,
    CHAMPIONS,
    CONTACT,
    OFFLINE,
    csrf_token,
    errors,
    page_text,
    refer,
    set_status,
    start_support,
)

from triage.web.extensions import db
from triage.web.models import AuditEvent, FollowUp, OutboxMessage, Referral, ReferralEvent, Resource

# Making a referral


def test_staff_refer_with_consent_and_the_champion_sees_it(people, plan, app):
    reference, resource_id = plan
    staff = people("staff@example.org")
    page = page_text(staff.get(f"/staff/plans/{reference}"))
    assert "Refer them" in page and "Digital Champion drop-in at Loughborough Library" in page
    response = refer(staff, reference, resource_id)
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.query(Referral).one()
        assert (stored.status, stored.contact_name, stored.contact_phone) == ("sent", "Jo Bloggs", "07700 900982")
        assert stored.organisation.name == CHAMPIONS and stored.ward_code == "E05014676"
        assert stored.consent_recorded_at is not None and stored.created_by.email == "staff@example.org"
        assert [(e.from_status, e.to_status) for e in stored.events] == [(None, "sent")]
    inbox = page_text(people("champion@example.org").get("/staff/referrals"))
    assert "Digital Champion drop-in at Loughborough Library" in inbox and "Sent" in inbox


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent": None}, "Ask for their agreement before you refer them"),
        ({"phone": "", "email": ""}, "Enter a phone number or an email address"),
        ({"phone": "12345"}, "Enter a UK phone number, like 01509 634 000 or 07700 900 982"),
        ({"email": "jo@"}, "Enter an email address in the correct format, like name@example.com"),
        ({"name": ""}, "Enter a name"),
        ({"name": "x" * 101}, "Name must be 100 characters or fewer"),
        ({"note": "x" * 501}, "This must be 500 characters or fewer"),
        ({"resource": "999999"}, "Select who to refer them to"),
    ],
)
def test_referral_problems_are_explained_and_nothing_is_stored(people, plan, app, changes, message):
    reference, resource_id = plan
    response = refer(people("staff@example.org"), reference, resource_id, **changes)
    assert response.status_code == 400
    assert message in errors(response)
    with app.app_context():
        assert db.session.query(Referral).count() == 0


def test_only_help_with_champions_in_signpost_can_take_referrals(people, plan, app):
    reference, _ = plan
    with app.app_context():
        library = db.session.query(Resource).filter_by(name="Loughborough Library").one().id
    response = refer(people("staff@example.org"), reference, library)
    assert "Select who to refer them to" in errors(response)
    with app.app_context():
        assert db.session.query(Referral).count() == 0


def test_a_resident_asks_to_be_contacted_with_consent(people, plan, app):
    reference, resource_id = plan
    resident = people(None)
    page = BeautifulSoup(resident.get(f"/plan/{reference}").get_data(as_text=True), "html.parser")
    link = page.find("a", href=f"/plan/{reference}/contact-me/{resource_id}")
    assert link and "Ask Digital Champion drop-in at Loughborough Library to contact you" in link.get_text()
    path = f"/plan/{reference}/contact-me/{resource_id}"
    form = dict(CONTACT)
    refused = resident.post(path, data={"csrf_token": csrf_token(resident, path), **form})
    assert refused.status_code == 200 and errors(refused) == ["You need to agree before we can share your details"]
    with app.app_context():
        assert db.session.query(Referral).count() == 0
    done = resident.post(path, data={"csrf_token": csrf_token(resident, path), **form, "consent": "y"})
    assert done.headers["Location"] == f"/plan/{reference}"
    assert "Your details have been sent to" in page_text(resident.get(done.headers["Location"]))
    with app.app_context():
        stored = db.session.query(Referral).one()
        assert stored.created_by is None and stored.contact_name == "Jo Bloggs"
        assert db.session.query(AuditEvent).filter_by(action="referral created", user_id=None).count() == 1


@pytest.mark.parametrize(("left_out", "kept"), [("phone", "email"), ("email", "phone")])
def test_a_contact_field_left_out_of_the_form_counts_as_empty(people, plan, app, left_out, kept):
    """A program (or an old page) may send only one of phone and email: the other is empty, not a crash."""
    reference, resource_id = plan
    resident, path = people(None), f"/plan/{reference}/contact-me/{resource_id}"
    sent = {**CONTACT, "email": "jo@example.org", "consent": "y", "updates_by": "email" if kept == "email" else "sms"}
    del sent[left_out]
    done = resident.post(path, data={"csrf_token": csrf_token(resident, path), **sent})
    assert done.status_code == 302
    staff_done = refer(people("staff@example.org"), reference, resource_id, **{**sent, left_out: None})
    assert staff_done.status_code == 302
    neither = refer(people("staff@example.org"), reference, resource_id, phone=None, email=None)
    assert neither.status_code == 400 and "Enter a phone number or an email address" in errors(neither)
    with app.app_context():
        stored = db.session.query(Referral).all()
        assert len(stored) == 2 and all(getattr(r, f"contact_{kept}") for r in stored)


def test_residents_cannot_refer_to_help_outside_their_plan_or_without_champions(people, plan, app):
    reference, _ = plan
    with app.app_context():
        library = db.session.query(Resource).filter_by(name="Loughborough Library").one().id
        outside = db.session.query(Resource).filter(Resource.name.like("%Shepshed%")).first().id
    resident = people(None)
    assert resident.get(f"/plan/{reference}/contact-me/{library}").status_code == 404
    assert resident.get(f"/plan/{reference}/contact-me/{outside}").status_code == 404
    assert resident.get(f"/plan/AAAA-BBBB-CCCC/contact-me/{library}").status_code == 404


def test_without_a_champion_account_no_referral_is_offered(app, client):
    body = client.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()
    assert "to contact you" not in page_text(client.get(f"/plan/{body['reference']}"))


# The champion inbox and the status rules


def test_champions_see_only_their_organisations_referrals(people, referral):
    other = people("other@example.org")
    assert "No referrals match" in page_text(other.get("/staff/referrals"))
    assert other.get(f"/staff/referrals/{referral}").status_code == 404
    token = csrf_token(other, "/staff/referrals")
    response = other.post(f"/staff/referrals/{referral}/status", data={"csrf_token": token, "status": "accepted"})
    assert response.status_code == 404
    assert people("champion@example.org").get(f"/staff/referrals/{referral}").status_code == 200


def test_the_whole_path_to_completion_is_recorded_with_who_and_when(people, referral, app):
    champion = people("champion@example.org")
    for status in ("accepted", "contacted", "support_started", "completed"):
        response = set_status(champion, referral, status)
        assert response.status_code == 302, errors(response)
    with app.app_context():
        stored = db.session.get(Referral, referral)
        assert stored.status == "completed" and stored.closed_at is not None
        steps = [(e.from_status, e.to_status, e.by.email if e.by else None) for e in stored.events]
        assert steps[-1] == ("support_started", "completed", "champion@example.org")
        assert len(steps) == 5 and all(e.at for e in stored.events)
    page = page_text(champion.get(f"/staff/referrals/{referral}"))
    assert "Update the status" not in page and "Record a follow-up" in page


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        ("completed", "", "A referral that is sent can only become: accepted, declined"),
        ("declined", "", "Give a reason why the referral is declined"),
        ("", "", "Select the new status"),
        ("lost", "", "'lost' is not a referral status"),
        ("declined", "x" * 501, "The reason must be 500 characters or fewer"),
    ],
)
def test_illegal_changes_get_a_clear_error_and_change_nothing(people, referral, app, status, reason, message):
    response = set_status(people("champion@example.org"), referral, status, reason)
    assert response.status_code == 400
    assert message in errors(response)
    with app.app_context():
        assert db.session.get(Referral, referral).status == "sent"
        assert db.session.query(ReferralEvent).filter_by(referral_id=referral).count() == 1


def test_declining_keeps_the_reason_and_closes_the_referral(people, referral, app):
    champion = people("champion@example.org")
    assert set_status(champion, referral, "declined", "Outside the areas we cover").status_code == 302
    assert set_status(champion, referral, "accepted").status_code == 400
    with app.app_context():
        stored = db.session.get(Referral, referral)
        assert stored.status == "declined" and stored.events[-1].reason == "Outside the areas we cover"


def test_counter_staff_can_read_but_not_change_referrals(people, referral, app):
    staff = people("staff@example.org")
    assert staff.get(f"/staff/referrals/{referral}").status_code == 200
    assert set_status(staff, referral, "accepted").status_code == 403
    with app.app_context():
        assert db.session.get(Referral, referral).status == "sent"


def test_inbox_puts_new_first_filters_and_flags_overdue(people, plan, app):
    reference, resource_id = plan
    staff = people("staff@example.org")
    first, second = (int(refer(staff, reference, resource_id).headers["Location"].rsplit("/", 1)[1]) for _ in "ab")
    champion = people("champion@example.org")
    set_status(champion, first, "accepted")
    with app.app_context():
        late = db.session.get(Referral, second)
        late.created_at = datetime.now(UTC) - timedelta(days=10)
        db.session.commit()
    page = BeautifulSoup(champion.get("/staff/referrals").get_data(as_text=True), "html.parser")
    rows = page.find("tbody").find_all("tr")
    assert [r.find("a")["href"] for r in rows] == [f"/staff/referrals/{second}", f"/staff/referrals/{first}"]
    assert "Overdue" in rows[0].get_text() and "Overdue" not in rows[1].get_text()
    accepted = page_text(champion.get("/staff/referrals?status=accepted"))
    assert "1 referral" in accepted and "Overdue" not in accepted
    assert "No referrals match" in page_text(champion.get("/staff/referrals?ward=E05014666"))
    assert "2 referrals" in page_text(champion.get("/staff/referrals?ward=E05014676"))
    assert "Overdue: not accepted in time" in page_text(champion.get(f"/staff/referrals/{second}"))


def test_staff_home_counts_new_referrals(people, referral):
    assert "1 new" in page_text(people("champion@example.org").get("/staff/"))
    assert "1 new" not in page_text(people("other@example.org").get("/staff/"))


# Follow-up and distance travelled


def said(difference: int) -> str:
    """How the progress table words a domain's change (fewer barriers is better)."""
    if difference > 0:
        return f"Better by {difference}"
    return f"Harder by {-difference}" if difference < 0 else "No change"


def test_follow_up_shows_distance_travelled_on_the_plans(people, referral, plan, app):
    champion = people("champion@example.org")
    path = f"/staff/referrals/{referral}/follow-up"
    assert champion.get(path).status_code == 302  # not before support has started
    start_support(people("champion@example.org"), referral)
    form = BeautifulSoup(champion.get(path).get_data(as_text=True), "html.parser")
    assert form.find("input", attrs={"name": "connection", "value": "not_online", "checked": True})
    answers = {**AFTER_SUPPORT, "feelings": "does_not_want"}  # less confident than at first: one thing is harder
    response = champion.post(path, data={"csrf_token": csrf_token(champion, path), **answers})
    assert response.headers["Location"] == f"/staff/referrals/{referral}#progress"
    with app.app_context():
        follow_up = db.session.query(FollowUp).one()
        assert follow_up.score_skills < follow_up.assessment.score_skills
        assert follow_up.answers["barriers"] == OFFLINE["barriers"]
    reference, _ = plan
    resident_view = people(None).get(f"/plan/{reference}")
    assert "Your progress" in page_text(resident_view)
    table = BeautifulSoup(resident_view.get_data(as_text=True), "html.parser").select("#progress ~ div tbody tr")
    rows = [[cell.get_text(strip=True) for cell in row.find_all("td")] for row in table]
    assert [change for _, _, change in rows] == [said(int(before) - int(after)) for before, after, _ in rows]
    assert {change.split(" by ")[0] for _, _, change in rows} == {"Better", "Harder", "No change"}
    assert "Their progress" in page_text(people("staff@example.org").get(f"/staff/plans/{reference}"))
    assert "Their progress" in page_text(champion.get(f"/staff/referrals/{referral}"))


def test_bad_follow_up_answers_are_explained_and_nothing_is_saved(people, referral, app):
    champion = start_support(people("champion@example.org"), referral)
    path = f"/staff/referrals/{referral}/follow-up"
    data = {**AFTER_SUPPORT, "devices": ["none", "smartphone"]}
    data.pop("feelings")
    response = champion.post(path, data={"csrf_token": csrf_token(champion, path), **data})
    assert response.status_code == 400
    assert errors(response) == [
        "Select 'None of these' on its own, or untick it",
        "Select how you feel about using the internet",
    ]
    with app.app_context():
        assert db.session.query(FollowUp).count() == 0


def test_only_the_receiving_organisation_records_a_follow_up(people, referral):
    start_support(people("champion@example.org"), referral)
    path = f"/staff/referrals/{referral}/follow-up"
    assert people("other@example.org").get(path).status_code == 404
    assert people("staff@example.org").get(path).status_code == 403


# The audit trail


def test_views_of_personal_details_and_changes_are_audited(people, referral, plan, app):
    champion = people("champion@example.org")
    champion.get(f"/staff/referrals/{referral}")
    set_status(champion, referral, "accepted")
    with app.app_context():
        entries = [
            (e.user.email if e.user else None, e.action, e.subject)
            for e in db.session.query(AuditEvent).order_by(AuditEvent.id)
        ]
    assert ("staff@example.org", "referral created", f"referral {referral}") in entries
    assert ("champion@example.org", "personal details viewed", f"referral {referral}") in entries
    assert ("champion@example.org", "referral status changed", f"referral {referral}") in entries
    log = page_text(people("admin@example.org").get("/staff/audit"))
    assert "personal details viewed" in log and "Test champion" in log
    assert people("champion@example.org").get("/staff/audit").status_code == 403


# The access matrix for one referral and its plan: who may open what. "own" is the receiving champion.
OBJECT_MATRIX = {
    "/staff/referrals/{id}": {None: "sign-in", "own": 200, "other": 404, "staff": 200, "admin": 200},
    "/staff/referrals/{id}/follow-up": {None: "sign-in", "own": 200, "other": 404, "staff": 403, "admin": 200},
    "/staff/plans/{ref}": {None: "sign-in", "own": 200, "other": 404, "staff": 200, "admin": 200},  # referred to own
    "/staff/erase/{ref}": {None: "sign-in", "own": 403, "other": 403, "staff": 403, "admin": 200},
}
WHO = {
    None: None,
    "own": "champion@example.org",
    "other": "other@example.org",
    "staff": "staff@example.org",
    "admin": "admin@example.org",
}


@pytest.mark.parametrize("who", list(WHO))
@pytest.mark.parametrize("path", list(OBJECT_MATRIX))
def test_referral_access_matrix(people, referral, plan, who, path):
    start_support(people("champion@example.org"), referral)
    response = people(WHO[who]).get(path.format(id=referral, ref=plan[0]))
    expected = OBJECT_MATRIX[path][who]
    if expected == "sign-in":
        assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in")
    else:
        assert response.status_code == expected


def test_contact_details_are_shown_only_to_those_who_need_them(people, referral, make_user, app):
    make_user("staff", email="colleague@example.org")
    colleague = page_text(people("colleague@example.org").get(f"/staff/referrals/{referral}"))
    assert "Jo Bloggs" not in colleague and "Only the organisation it was sent to" in colleague
    for who in ("staff@example.org", "champion@example.org", "admin@example.org"):
        assert "Jo Bloggs" in page_text(people(who).get(f"/staff/referrals/{referral}"))
    with app.app_context():
        viewers = {
            e.user.email for e in db.session.query(AuditEvent).filter_by(action="personal details viewed") if e.user
        }
    assert viewers == {"staff@example.org", "champion@example.org", "admin@example.org"}


def test_sign_ins_account_changes_and_outbox_views_are_audited(people, app):
    admin = people("admin@example.org")
    token = csrf_token(admin, "/staff/accounts/new")
    admin.post(
        "/staff/accounts/new",
        data={
            "csrf_token": token,
            "name": "Sam",
            "email": "sam@example.org",
            "role": "staff",
            "organisation": "",
            "password": "correct horse battery staple",
        },
    )
    people("staff@example.org").get("/staff/outbox")
    with app.app_context():
        actions = {(e.action, e.user.email if e.user else None) for e in db.session.query(AuditEvent)}
    assert ("signed in", "admin@example.org") in actions
    assert ("account created", "admin@example.org") in actions
    assert ("personal details viewed", "staff@example.org") in actions


@pytest.mark.parametrize("who", [None, "champion@example.org"])
def test_only_staff_and_officers_refer_or_send_plans(people, plan, app, who):
    reference, resource_id = plan
    client = people(who)
    token = csrf_token(client, "/staff/sign-in" if who is None else "/staff/")
    data = {
        "csrf_token": token,
        "refer-resource": str(resource_id),
        "refer-name": "Jo",
        "refer-phone": "07700900982",
        "refer-consent": "y",
        "method": "sms",
        "mobile": "07700900982",
        "consent": "y",
    }
    for action in ("refer", "send"):
        response = client.post(f"/staff/plans/{reference}/{action}", data=data)
        if who is None:
            assert response.headers["Location"].startswith("/staff/sign-in")
        else:
            assert response.status_code == 403
    with app.app_context():
        assert db.session.query(Referral).count() == 0
        assert db.session.query(OutboxMessage).count() == 0
