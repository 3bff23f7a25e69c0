"""Records: referral contact details erased on schedule, a person's data erased by reference on request,
and CSV exports for officers with no personal details in them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from helpers import (
    csrf_token,
    errors,
    page_text,
    record_follow_up,
    refer,
    set_status,
    start_support,
)

from triage.web.extensions import db
from triage.web.models import (
    Assessment,
    AuditEvent,
    Feedback,
    FollowUp,
    OutboxMessage,
    Recommendation,
    Referral,
    ReferralEvent,
)


def age_referral(app, referral_id, *, closed_days_ago=None, last_change_days_ago=None):
    with app.app_context():
        stored = db.session.get(Referral, referral_id)
        if closed_days_ago is not None:
            stored.closed_at = datetime.now(UTC) - timedelta(days=closed_days_ago)
        if last_change_days_ago is not None:
            for event in stored.events:
                event.at = datetime.now(UTC) - timedelta(days=last_change_days_ago)
        db.session.commit()


# Retention


def test_contact_details_are_erased_a_year_after_closing(people, referral, runner, app):
    set_status(people("champion@example.org"), referral, "declined", "Outside our area")
    age_referral(app, referral, closed_days_ago=370)
    result = runner.invoke(args=["apply-retention"])
    assert "Erased the contact details and notes on 1 referral closed (or untouched) for 12 months." in result.output
    with app.app_context():
        stored = db.session.get(Referral, referral)
        assert (stored.contact_name, stored.contact_phone, stored.note) == ("", "", "")
        assert stored.personal_details_erased_at is not None
        assert stored.status == "declined" and stored.assessment_id is not None  # kept for the statistics
    with app.app_context():
        views = db.session.query(AuditEvent).filter_by(action="personal details viewed").count()
    page = page_text(people("champion@example.org").get(f"/staff/referrals/{referral}"))
    assert "contact details were erased" in page and "Jo Bloggs" not in page
    with app.app_context():  # viewing an erased referral shows no personal data, so it is not logged as such
        assert db.session.query(AuditEvent).filter_by(action="personal details viewed").count() == views


def test_status_notes_go_with_the_contact_details(people, referral, runner, app):
    champion = people("champion@example.org")
    set_status(champion, referral, "accepted", "Rang Jo Bloggs on 07700 900982")
    set_status(champion, referral, "no_longer_needed", "Jo Bloggs has moved away")
    age_referral(app, referral, closed_days_ago=370)
    runner.invoke(args=["apply-retention"])
    with app.app_context():
        events = db.session.get(Referral, referral).events
        assert [(e.to_status, e.reason) for e in events] == [("sent", ""), ("accepted", ""), ("no_longer_needed", "")]
    page = page_text(champion.get(f"/staff/referrals/{referral}"))
    assert "No longer needed" in page and "Jo Bloggs" not in page and "07700" not in page
    admin = people("admin@example.org")
    assert all(row["reason"] == "" for row in download(admin, kind="referral-history"))
    assert download(admin, kind="referrals")[0]["outcome_reason"] == ""


def test_referrals_erased_before_notes_went_with_them_lose_their_notes_too(people, referral, runner, app):
    set_status(people("champion@example.org"), referral, "declined", "Jo Bloggs has moved away")
    with app.app_context():  # as the retention of earlier releases left them: details blank, notes kept
        stored = db.session.get(Referral, referral)
        stored.contact_name, stored.personal_details_erased_at = "", datetime.now(UTC)
        db.session.commit()
    assert "on 0 referrals" in runner.invoke(args=["apply-retention"]).output
    with app.app_context():
        assert db.session.query(ReferralEvent).filter(ReferralEvent.reason != "").count() == 0


def test_recently_closed_and_active_referrals_keep_their_details(people, plan, runner, app):
    reference, resource_id = plan
    staff = people("staff@example.org")
    closed, active = (int(refer(staff, reference, resource_id).headers["Location"].rsplit("/", 1)[1]) for _ in "ab")
    set_status(people("champion@example.org"), closed, "declined", "Full")
    age_referral(app, closed, closed_days_ago=300)
    age_referral(app, active, last_change_days_ago=300)
    assert "on 0 referrals" in runner.invoke(args=["apply-retention"]).output
    with app.app_context():
        assert {r.contact_name for r in db.session.query(Referral)} == {"Jo Bloggs"}


def test_referrals_left_untouched_for_a_year_lose_their_details(people, referral, runner, app):
    age_referral(app, referral, last_change_days_ago=370)
    assert "on 1 referral closed" in runner.invoke(args=["apply-retention"]).output
    with app.app_context():
        assert db.session.get(Referral, referral).contact_name == ""


def test_retention_period_is_configurable(people, referral, runner, app):
    set_status(people("champion@example.org"), referral, "declined", "Full")
    age_referral(app, referral, closed_days_ago=40)
    app.config["REFERRAL_DETAILS_RETENTION_MONTHS"] = 1
    try:
        assert "on 1 referral closed (or untouched) for 1 month." in runner.invoke(args=["apply-retention"]).output
    finally:
        app.config["REFERRAL_DETAILS_RETENTION_MONTHS"] = 12


def add_feedback(app, *, days_ago, comment, ward_code="E05014676"):
    with app.app_context():
        at = datetime.now(UTC) - timedelta(days=days_ago)
        db.session.add(Feedback(rating="neutral", comment=comment, ward_code=ward_code, created_at=at))
        db.session.commit()


def test_feedback_comments_go_after_a_year_but_the_rating_and_ward_stay(runner, app):
    add_feedback(app, days_ago=370, comment="Jo Bloggs here, ring me")
    add_feedback(app, days_ago=300, comment="More classes, please")
    result = runner.invoke(args=["apply-retention"])
    assert "Deleted 1 feedback comment older than 12 months." in result.output
    with app.app_context():
        kept = db.session.query(Feedback).order_by(Feedback.created_at).all()
        assert [(f.rating, f.ward_code, f.comment) for f in kept] == [
            ("neutral", "E05014676", ""),
            ("neutral", "E05014676", "More classes, please"),
        ]


def test_feedback_comment_retention_is_configurable(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "FEEDBACK_COMMENT_RETENTION_MONTHS", 6)
    for days_ago in (200, 190, 100):
        add_feedback(app, days_ago=days_ago, comment="Clear")
    assert "Deleted 2 feedback comments older than 6 months." in runner.invoke(args=["apply-retention"]).output


def test_the_privacy_notice_gives_the_periods_the_retention_uses(client, app):
    text = page_text(client.get("/privacy"))
    months = app.config["FEEDBACK_COMMENT_RETENTION_MONTHS"]
    assert f"Comments you write when you say how you felt about the service are deleted after {months} months" in text
    assert "every note the helper or staff wrote about it, are deleted 12 months after the support ends" in text
    assert "the log no longer says which plan it was" in text


def test_old_plans_go_but_their_referrals_stay_detached(people, referral, plan, runner, app):
    with app.app_context():
        db.session.query(Assessment).one().created_at = datetime.now(UTC) - timedelta(days=365 * 3 + 30)
        db.session.commit()
    assert "Deleted 1 saved plan older" in runner.invoke(args=["apply-retention"]).output
    with app.app_context():
        stored = db.session.get(Referral, referral)
        assert stored.assessment_id is None and stored.status == "sent"
    assert "Deleted" in page_text(people("admin@example.org").get(f"/staff/referrals/{referral}"))


# Erasure on request


def erase(client, reference, confirm=True):
    token = csrf_token(client, "/staff/erase")
    found = client.post("/staff/erase", data={"csrf_token": token, "reference": reference.lower().replace("-", " ")})
    assert found.headers["Location"] == f"/staff/erase/{reference}"
    page = page_text(client.get(found.headers["Location"]))
    data = {"csrf_token": csrf_token(client, found.headers["Location"])}
    if confirm:
        data["confirm"] = "y"
    return page, client.post(found.headers["Location"], data=data)


def test_an_admin_erases_a_plan_and_its_personal_details(people, referral, plan, app):
    reference, _ = plan
    champion = start_support(people("champion@example.org"), referral)
    record_follow_up(champion, referral)
    staff = people("staff@example.org")
    token = csrf_token(staff, f"/staff/plans/{reference}")
    staff.post(
        f"/staff/plans/{reference}/send",
        data={"csrf_token": token, "method": "sms", "mobile": "07700 900982", "consent": "y"},
    )
    admin = people("admin@example.org")
    preview, done = erase(admin, reference)
    assert "erase the contact details, notes and status notes on 1 referral " in preview
    # the plan sent, the email to the drop-in of the new referral and the text telling the person it was accepted
    assert "delete 3 sent messages " in preview and "delete 1 follow-up " in preview
    assert "delete 0 feedback comments that mention their name" in preview
    assert done.headers["Location"] == "/staff/erase"
    with app.app_context():
        assert db.session.query(Assessment).count() == 0
        assert db.session.query(Recommendation).count() == 0
        assert db.session.query(FollowUp).count() == 0
        assert db.session.query(OutboxMessage).count() == 0
        stored = db.session.get(Referral, referral)
        assert stored.assessment_id is None and stored.contact_name == "" and stored.status == "support_started"
        entry = db.session.query(AuditEvent).filter_by(action="erased on request").one()
        assert entry.subject == f"plan {reference}" and entry.user.email == "admin@example.org"
    assert people(None).get(f"/plan/{reference}").status_code == 404
    token = csrf_token(admin, "/staff/erase")
    again = admin.post("/staff/erase", data={"csrf_token": token, "reference": reference})
    assert errors(again) == ["No plan has that reference. It may have been erased already"]


def test_erasing_blanks_only_the_feedback_comments_that_name_the_person(people, referral, plan, app):
    reference, _ = plan
    for comment in ("Jo Bloggs says thank you", f"About plan {reference.lower()}: good", "More classes, please"):
        resident = people(None)
        token = csrf_token(resident, f"/plan/{reference}")
        resident.post(
            f"/plan/{reference}/feedback", data={"csrf_token": token, "rating": "satisfied", "comment": comment}
        )
    add_feedback(app, days_ago=0, comment="Jo Bloggs from another ward", ward_code="E05014677")
    add_feedback(app, days_ago=30, comment="Jo Bloggs, before the plan was made")
    preview, _ = erase(people("admin@example.org"), reference)  # the 1 message: the drop-in told of the referral
    assert (
        "delete 2 feedback comments that mention their name, phone number, email address or plan reference" in preview
    )
    with app.app_context():
        assert sorted(f.comment for f in db.session.query(Feedback)) == [
            "",
            "",
            "Jo Bloggs from another ward",
            "Jo Bloggs, before the plan was made",
            "More classes, please",
        ]
        assert db.session.query(AuditEvent).filter_by(action="erased on request").one().detail == (
            "contact details and notes on 1 referrals, 1 messages, 0 follow-ups, 2 feedback comments"
        )


def test_erasing_needs_confirmation(people, plan, app):
    reference, _ = plan
    _, refused = erase(people("admin@example.org"), reference, confirm=False)
    assert refused.status_code == 400
    assert errors(refused) == ["Confirm the person asked for their data to be erased"]
    with app.app_context():
        assert db.session.query(Assessment).count() == 1


@pytest.mark.parametrize("role", ["staff@example.org", "champion@example.org"])
def test_only_admins_erase(people, plan, app, role):
    reference, _ = plan
    client = people(role)
    assert client.get("/staff/erase").status_code == 403
    token = csrf_token(client, "/staff/")
    assert client.post(f"/staff/erase/{reference}", data={"csrf_token": token, "confirm": "y"}).status_code == 403
    with app.app_context():
        assert db.session.query(Assessment).count() == 1


# Exports


def download(client, **params):
    response = client.get("/staff/exports", query_string=params)
    assert response.status_code == 200 and response.mimetype == "text/csv", response.get_data(as_text=True)[:300]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_referrals_export_has_outcomes_and_scores_but_no_contact_details(people, referral, app):
    champion = start_support(people("champion@example.org"), referral)
    record_follow_up(champion, referral)
    set_status(champion, referral, "completed")
    admin = people("admin@example.org")
    response = admin.get("/staff/exports", query_string={"kind": "referrals"})
    assert 'filename="signpost-referrals-' in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert "Jo Bloggs" not in body and "07700" not in body and "Mornings" not in body
    (row,) = download(admin, kind="referrals")
    assert (row["referral_id"], row["status"], row["referred_by"]) == (str(referral), "Completed", "staff")
    assert row["organisation"] == "Charnwood Digital Champions" and row["ward_name"] == "Loughborough Southfields"
    assert row["working_days_to_answer"] == "0" and row["accepted_at"] and row["closed_at"]
    assert int(row["after_skills"]) < int(row["before_skills"]) and row["follow_up_at"]
    history = download(admin, kind="referral-history")
    assert [h["to_status"] for h in history] == ["Sent", "Accepted", "Contacted", "Support started", "Completed"]
    assert [h["by_role"] for h in history] == ["staff", "champion", "champion", "champion", "champion"]
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="exported").count() == 3


def test_exports_filter_by_date_and_explain_bad_dates(people, referral):
    admin = people("admin@example.org")
    today = datetime.now(UTC).date()
    assert len(download(admin, kind="referrals", since=str(today), until=str(today))) == 1
    assert download(admin, kind="referrals", until=str(today - timedelta(days=1))) == []
    bad = admin.get("/staff/exports", query_string={"kind": "referrals", "since": "31/12/2026"})
    assert bad.status_code == 400 and errors(bad) == ["From must be a real date, like 2026-04-01"]
    backwards = admin.get("/staff/exports", query_string={"since": "2026-05-01", "until": "2026-04-01"})
    assert errors(backwards) == ["To must be the same as or after From"]
    assert admin.get("/staff/exports", query_string={"kind": "everything"}).status_code == 400


def test_export_cells_cannot_start_a_formula(people, referral):
    champion = people("champion@example.org")
    set_status(champion, referral, "declined", '=HYPERLINK("http://example.com")')
    (row,) = download(people("admin@example.org"), kind="referrals")
    assert row["outcome_reason"] == '\'=HYPERLINK("http://example.com")'


@pytest.mark.parametrize("role", ["staff@example.org", "champion@example.org"])
def test_only_admins_export(people, role):
    assert people(role).get("/staff/exports", query_string={"kind": "referrals"}).status_code == 403
