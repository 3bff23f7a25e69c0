"""No trace of a person after their plan is erased, or after every retention period has passed.

The test types one person's distinctive details into every place the product lets a resident or a member of
staff type them, then reads every column of every table in the database (reflected, so a column added later is
read too) and looks for them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from helpers import DROP_IN, OFFLINE, complete_journey, csrf_token, record_follow_up, refer, set_status, start_support
from sqlalchemy import MetaData, inspect, select, update

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
    Resource,
    WardMonthStat,
)

NAME = "Philippa Quenby-Marchbank"
PHONE = "07700 900461"
EMAIL = "philippa.quenby@example.net"
STREET = "14 Wyvern Crescent"
ABOUT_HER = f"{NAME}, {STREET}, {PHONE}, {EMAIL}"


def traces_in(value, reference: str) -> list[str]:
    """Which of the person's details a stored value holds."""
    text = str(value).lower()
    digits = re.sub(r"\D", "", text)
    return [
        label
        for label, there in (
            ("name", "quenby" in text or "philippa" in text),
            ("street", "wyvern" in text),
            ("email", EMAIL in text),
            ("phone", "7700900461" in digits),
            ("reference", reference.lower() in text or reference.replace("-", "").lower() in text),
        )
        if there
    ]


def every_trace(app, reference: str) -> dict[tuple[str, str], set[str]]:
    """{(table, column): the details found there}, over every column of every table the database has, but for
    the reference in the audit line of the erasure itself: it leads nowhere by then, and is kept so that the
    plan can be erased again if an older backup is restored (docs/deploy.md)."""
    found: dict[tuple[str, str], set[str]] = {}
    with app.app_context():
        metadata = MetaData()
        metadata.reflect(bind=db.engine)
        assert set(inspect(db.engine).get_table_names()) == set(metadata.tables)
        with db.engine.connect() as connection:
            for table in metadata.tables.values():
                for row in connection.execute(select(table)).mappings():
                    for column, value in row.items():
                        if (table.name, column, row.get("action")) == ("audit_event", "subject", "erased on request"):
                            assert value == f"plan {reference}"
                            continue
                        if value is not None and (details := traces_in(value, reference)):
                            found.setdefault((table.name, column), set()).update(details)
    return found


@pytest.fixture
def her_plan(people, app):
    """Her plan, with her details typed everywhere they can be; returns its reference."""
    resident = people(None)
    answers = {**OFFLINE, "deadline": "yes", "deadline_task": f"Renew the blue badge for {NAME} at {STREET}"}
    page = BeautifulSoup(complete_journey(resident, answers).get_data(as_text=True), "html.parser")
    reference = page.find(class_="signpost-reference").get_text(strip=True)
    with app.app_context():
        drop_in = db.session.query(Resource).filter_by(name=DROP_IN).one().id

    contact_me = f"/plan/{reference}/contact-me/{drop_in}"
    sent = resident.post(
        contact_me,
        data={
            "csrf_token": csrf_token(resident, contact_me),
            "name": NAME,
            "phone": PHONE,
            "email": EMAIL,
            "contact_times": f"Evenings, at {STREET}",
            "note": f"Ring the bell at {STREET}",
            "updates_by": "email",
            "consent": "y",
        },
    )
    assert sent.status_code == 302
    token = csrf_token(resident, f"/plan/{reference}")
    comment = {"csrf_token": token, "rating": "satisfied", "comment": f"Thank you from {ABOUT_HER}"}
    assert resident.post(f"/plan/{reference}/feedback", data=comment).status_code == 302

    staff = people("staff@example.org")
    referred = refer(staff, reference, drop_in, name=NAME, phone=PHONE, email=EMAIL, note=f"Lives at {STREET}")
    assert referred.status_code == 302
    for how, field, to in (("email", "email", EMAIL), ("sms", "mobile", PHONE)):
        token = csrf_token(staff, f"/staff/plans/{reference}")
        data = {"csrf_token": token, "method": how, field: to, "consent": "y"}
        assert staff.post(f"/staff/plans/{reference}/send", data=data).status_code == 302

    champion = people("champion@example.org")
    with app.app_context():
        first, second = (r.id for r in db.session.query(Referral).order_by(Referral.id))
    start_support(champion, first)
    set_status(champion, first, "completed", f"Called {ABOUT_HER}")
    assert record_follow_up(champion, first).status_code == 302
    set_status(champion, second, "accepted", f"Left a message for {NAME} on {PHONE}")

    before = every_trace(app, reference)
    typed_in = {
        ("assessment", "reference"),
        ("assessment", "answers"),
        ("follow_up", "answers"),
        ("referral", "contact_name"),
        ("referral", "contact_phone"),
        ("referral", "contact_email"),
        ("referral", "contact_times"),
        ("referral", "note"),
        ("referral_event", "reason"),
        ("outbox_message", "recipient"),
        ("outbox_message", "body"),
        ("outbox_message", "fields"),  # the plan's reference and link, for Notify
        ("feedback", "comment"),
        ("audit_event", "subject"),
        ("audit_event", "detail"),
    }
    assert set(before) == typed_in, "the test no longer puts her details everywhere it means to"
    return reference


def assert_anonymous_statistics_kept(app) -> None:
    with app.app_context():
        referrals = db.session.query(Referral).order_by(Referral.id).all()
        assert [(r.status, r.ward_code) for r in referrals] == [("completed", "E05014676"), ("accepted", "E05014676")]
        assert all(r.organisation_id for r in referrals) and referrals[0].closed_at is not None
        assert all(r.personal_details_erased_at for r in referrals)
        assert [e.to_status for e in referrals[0].events] == [
            "sent",
            "accepted",
            "contacted",
            "support_started",
            "completed",
        ]
        (feedback,) = db.session.query(Feedback).all()
        assert (feedback.rating, feedback.ward_code, feedback.comment) == ("satisfied", "E05014676", "")
        assert db.session.query(WardMonthStat).filter_by(ward_code="E05014676", metric="assessments").one().count == 1
        assert db.session.query(AuditEvent).count() > 10  # the audit lines stay, without her details


def first_referral_id(app) -> int:
    with app.app_context():
        return db.session.query(Referral.id).order_by(Referral.id).first()[0]


def test_erasing_her_plan_leaves_no_trace_of_her(her_plan, people, app):
    admin = people("admin@example.org")
    path = f"/staff/erase/{her_plan}"
    assert admin.post(path, data={"csrf_token": csrf_token(admin, path), "confirm": "y"}).status_code == 302
    assert every_trace(app, her_plan) == {}
    assert_anonymous_statistics_kept(app)
    with app.app_context():
        assert db.session.query(Assessment).count() == 0 and db.session.query(OutboxMessage).count() == 0
        erasure = db.session.query(AuditEvent).filter_by(action="erased on request").one()
        # the plan by email and text; each referral's email to the drop-in; accepted and closed by text for
        # the first, accepted by email for the second
        assert erasure.detail == (
            "contact details and notes on 2 referrals, 7 messages, 1 follow-ups, 1 feedback comments"
        )
        plan_lines = db.session.query(AuditEvent).filter(AuditEvent.action.in_(["plan sent", "follow-up recorded"]))
        assert {(e.subject, e.detail) for e in plan_lines} == {
            ("plan (erased)", "by email"),
            ("plan (erased)", "by sms"),
            (f"referral {first_referral_id(app)}", "plan (erased)"),
        }


def test_no_trace_of_her_is_left_once_every_retention_period_has_passed(her_plan, runner, app):
    long_ago = datetime.now(UTC) - timedelta(days=365 * 4)
    with app.app_context():
        for column in (
            Assessment.created_at,
            FollowUp.created_at,
            Referral.created_at,
            Referral.closed_at,
            ReferralEvent.at,
            OutboxMessage.created_at,
            Feedback.created_at,
            AuditEvent.at,
        ):
            model = column.class_
            db.session.execute(update(model).where(column.is_not(None)).values({column.key: long_ago}))
        db.session.commit()
    result = runner.invoke(args=["apply-retention"])
    assert result.exit_code == 0, result.output
    assert every_trace(app, her_plan) == {}
    assert_anonymous_statistics_kept(app)
    with app.app_context():
        assert db.session.query(Assessment).count() == 0 and db.session.query(Recommendation).count() == 0
