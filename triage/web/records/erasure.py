"""Erasing what the privacy notice says we do not keep, and a person's data when they ask.

- Referral contact details go a set time after the referral closes, or after the same time with no
  change at all (`flask apply-retention`, daily), and with them every note typed about the person: the
  referral's note and the notes on its status changes. The referral stays, anonymous (its status, dates,
  organisation and ward), for the statistics.
- Plans go after the plan retention period; referrals that pointed at them are kept, detached. The audit
  lines about a plan stay, but its reference in them is replaced by "(erased)". Session logs stay too, as help
  given without a plan, but without the wellbeing answers given at them.
- Feedback comments go after their own retention period; the rating and ward stay.
- On request, an admin erases a plan by its reference: the plan (with its free-text answers), its
  follow-ups and the messages that sent it are deleted, its referrals lose their contact details, notes
  and link to the plan, and any feedback comment given from that ward since the plan was made that
  mentions the person's name, phone number, email address or reference is blanked (feedback is not
  linked to a plan, so that is the only way to find it).
- A booking's first name, phone number, email address and access needs go BOOKING_RETENTION_DAYS after its
  date (`flask apply-retention`); the booking stays, anonymous (its time, place, status and organisation), for
  the figures. Erasing a plan on request erases its bookings' details too, and cancels those still to come
  (their place is freed; no one is told, as there is no longer anyone to tell).
- A waiting list entry's first name, phone number, email address and access needs go BOOKING_RETENTION_DAYS
  after its session's date, like a booking's; erasing a plan erases its entries' details and takes them off
  the lists (a place held for them is given back).
- The keyed code of the address and day a plan came from (for the ward insight cap) goes once its day is
  over (`flask apply-retention`).

Deletions are written out table by table, rather than left to ON DELETE rules, because SQLite does
not enforce foreign keys by default and both engines must behave the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, Select, UpdateBase, delete, func, or_, select, update

from triage.core.booking_slots import ACTIVE, CANCELLED, HELD
from triage.core.contact_details import mentions
from triage.core.waiting_list import CLOSED, OPEN
from triage.core.wellbeing import field, no_answers
from triage.web.extensions import db
from triage.web.models import (
    Assessment,
    AuditEvent,
    Booking,
    Feedback,
    FollowUp,
    HelpSession,
    OutboxMessage,
    Recommendation,
    Referral,
    ReferralEvent,
    WaitingListEntry,
)

ERASED_DETAILS = {"contact_name": "", "contact_phone": "", "contact_email": "", "contact_times": "", "note": ""}
ERASED_REFERENCE = "(erased)"  # what an audit line says instead of the reference of a plan that has gone
ERASED_WELLBEING = {field(code): value for code, value in no_answers().items()}
ERASED_BOOKING = {"first_name": "", "phone": "", "email": "", "access_needs": ""}


def months_ago(months: int, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=round(months * 365.25 / 12))


def erase_referral_details(where) -> int:
    """Blank the contact details and notes of the referrals matched by `where`; returns how many were erased."""
    erased = _rows_changed(
        update(Referral)
        .where(where, Referral.personal_details_erased_at.is_(None))
        .values(**ERASED_DETAILS, personal_details_erased_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    _blank_status_notes()
    return erased


def _blank_status_notes() -> None:
    """The notes on the status changes of every erased referral ("called Jo on 07700 900982"), including
    referrals erased before notes were erased with them."""
    erased = select(Referral.id).where(Referral.personal_details_erased_at.is_not(None))
    db.session.execute(
        update(ReferralEvent)
        .where(ReferralEvent.referral_id.in_(erased), ReferralEvent.reason != "")
        .values(reason="")
        .execution_options(synchronize_session=False)
    )


def erase_old_referral_details(months: int) -> int:
    """Contact details of referrals closed `months` ago, or untouched for that long while still open."""
    cutoff = months_ago(months)
    last_change = select(func.max(ReferralEvent.at)).where(ReferralEvent.referral_id == Referral.id).scalar_subquery()
    erased = erase_referral_details(
        or_(Referral.closed_at < cutoff, (Referral.closed_at.is_(None)) & (last_change < cutoff))
    )
    return erased


def delete_assessments(ids: Select) -> int:
    """Delete the assessments whose ids `ids` selects, with everything that hangs off them; the audit lines
    about them stay, without their references."""
    forget_references(db.session.execute(select(Assessment.reference).where(Assessment.id.in_(ids))).scalars().all())
    db.session.execute(
        update(Referral)
        .where(Referral.assessment_id.in_(ids))
        .values(assessment_id=None)
        .execution_options(synchronize_session=False)
    )
    # A session log stays, as help given without a plan, but not how the person said they felt.
    for table, erased in (
        (OutboxMessage, {}),
        (HelpSession, ERASED_WELLBEING),
        (Booking, {}),
        (WaitingListEntry, {}),
    ):
        db.session.execute(
            update(table)
            .where(table.assessment_id.in_(ids))
            .values(assessment_id=None, **erased)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(delete(FollowUp).where(FollowUp.assessment_id.in_(ids)))
    db.session.execute(delete(Recommendation).where(Recommendation.assessment_id.in_(ids)))
    return _rows_changed(delete(Assessment).where(Assessment.id.in_(ids)).execution_options(synchronize_session=False))


def delete_plans_older_than(years: int) -> int:
    """Delete assessments created more than `years` years ago (their referrals stay, detached)."""
    cutoff = datetime.now(UTC) - timedelta(days=365 * years + years // 4)
    return delete_assessments(select(Assessment.id).where(Assessment.created_at < cutoff))


def forget_references(references: Iterable[str]) -> None:
    """Audit lines keep what was done, when and by whom, but no longer name these plans."""
    for reference in references:
        db.session.execute(
            update(AuditEvent)
            .where(
                or_(
                    AuditEvent.subject.contains(reference, autoescape=True),
                    AuditEvent.detail.contains(reference, autoescape=True),
                )
            )
            .values(
                subject=func.replace(AuditEvent.subject, reference, ERASED_REFERENCE),
                detail=func.replace(AuditEvent.detail, reference, ERASED_REFERENCE),
            )
            .execution_options(synchronize_session=False)
        )


def blank_old_feedback_comments(months: int) -> int:
    """Feedback comments older than `months`; the rating and ward stay for the statistics."""
    return _rows_changed(
        update(Feedback)
        .where(Feedback.created_at < months_ago(months), Feedback.comment != "")
        .values(comment="")
        .execution_options(synchronize_session=False)
    )


def erase_address_days(now: datetime | None = None) -> int:
    """Clear the address-and-day codes of plans saved before today (UTC): a code is only ever compared with
    plans from its own day (insight/counts.py). How many were cleared."""
    now = now or datetime.now(UTC)
    today = datetime(now.year, now.month, now.day, tzinfo=UTC)
    return _rows_changed(
        update(Assessment)
        .where(Assessment.address_day.is_not(None), Assessment.created_at < today)
        .values(address_day=None)
    )


@dataclass(frozen=True)
class Erased:
    reference: str
    referrals: int
    messages: int
    follow_ups: int
    feedback_comments: int
    bookings: int = 0


def erase_plan(assessment: Assessment) -> Erased:
    """Erase one person's plan on request (the caller records who asked, in the audit log)."""
    comments = _comments_mentioning(assessment)  # before the details it looks for are erased
    referrals = _count(Referral, Referral.assessment_id == assessment.id)
    follow_ups = _count(FollowUp, FollowUp.assessment_id == assessment.id)
    erase_referral_details(Referral.assessment_id == assessment.id)
    bookings = _erase_bookings(assessment)
    messages = _rows_changed(delete(OutboxMessage).where(OutboxMessage.assessment_id == assessment.id))
    if comments:
        db.session.execute(
            update(Feedback)
            .where(Feedback.id.in_(comments))
            .values(comment="")
            .execution_options(synchronize_session=False)
        )
    reference = assessment.reference
    delete_assessments(select(Assessment.id).where(Assessment.id == assessment.id))
    db.session.expunge(assessment)
    return Erased(reference, referrals, messages, follow_ups, len(comments), bookings)


def what_erasing_removes(assessment: Assessment) -> dict[str, int]:
    """What erase_plan would remove, to show before an admin confirms."""
    return {
        "referrals": _count(Referral, Referral.assessment_id == assessment.id),
        "messages": _count(OutboxMessage, OutboxMessage.assessment_id == assessment.id),
        "follow_ups": _count(FollowUp, FollowUp.assessment_id == assessment.id),
        "feedback_comments": len(_comments_mentioning(assessment)),
        "bookings": _count(Booking, Booking.assessment_id == assessment.id),
    }


def _person_details(assessment: Assessment) -> set[str]:
    """Everything that would identify the person behind a plan: its reference, and the names, phone numbers
    and email addresses given on its referrals and the messages that sent it."""
    details = {assessment.reference}
    contacts = select(Referral.contact_name, Referral.contact_phone, Referral.contact_email).where(
        Referral.assessment_id == assessment.id
    )
    for row in db.session.execute(contacts):
        details.update(row)
    for table in (Booking, WaitingListEntry):
        booked = select(table.first_name, table.phone, table.email).where(table.assessment_id == assessment.id)
        for row in db.session.execute(booked):
            details.update(row)
    recipients = select(OutboxMessage.recipient).where(OutboxMessage.assessment_id == assessment.id)
    details.update(db.session.execute(recipients).scalars())
    return {d for d in details if d and d.strip()}


def _comments_mentioning(assessment: Assessment) -> list[int]:
    """Feedback comments, given from the plan's ward since it was made, that mention the person's details."""
    details = _person_details(assessment)
    same_ward = (
        Feedback.ward_code.is_(None) if assessment.ward_code is None else Feedback.ward_code == assessment.ward_code
    )
    query = select(Feedback.id, Feedback.comment).where(
        same_ward, Feedback.created_at >= assessment.created_at, Feedback.comment != ""
    )
    return [id_ for id_, comment in db.session.execute(query) if mentions(comment, details)]


def erase_old_booking_details(days: int, now: datetime | None = None) -> int:
    """The personal details of bookings whose date was more than `days` days ago; how many were erased."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    return _rows_changed(
        update(Booking)
        .where(Booking.starts_at < cutoff, _has_details())
        .values(**ERASED_BOOKING)
        .execution_options(synchronize_session=False)
    )


def erase_old_waiting_list_details(days: int, now: datetime | None = None) -> int:
    """The personal details of waiting list entries whose session was more than `days` days ago; how many."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    return _rows_changed(
        update(WaitingListEntry)
        .where(WaitingListEntry.starts_at < cutoff, _has_details(WaitingListEntry))
        .values(**ERASED_BOOKING)
        .execution_options(synchronize_session=False)
    )


def _has_details(table=Booking):
    return or_(*(getattr(table, name) != "" for name in ERASED_BOOKING))


def _erase_bookings(assessment: Assessment) -> int:
    """Erase the details of a plan's bookings, cancelling those still to come; how many bookings it had."""
    mine = Booking.assessment_id == assessment.id
    now = datetime.now(UTC)
    db.session.execute(
        update(Booking)
        .where(mine, Booking.status.in_((ACTIVE, HELD)), Booking.starts_at > now)
        .values(status=CANCELLED, cancelled_at=now, cancelled_because="erased on request", held_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Booking).where(mine).values(**ERASED_BOOKING).execution_options(synchronize_session=False)
    )
    waiting = WaitingListEntry.assessment_id == assessment.id
    db.session.execute(
        update(WaitingListEntry)
        .where(waiting, WaitingListEntry.status.in_(OPEN))
        .values(status=CLOSED)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(WaitingListEntry).where(waiting).values(**ERASED_BOOKING).execution_options(synchronize_session=False)
    )
    return _count(Booking, mine)


def _count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _rows_changed(statement: UpdateBase) -> int:
    """Run an UPDATE or DELETE; how many rows it changed. Session.execute is typed to return a Result, but
    for these statements it is a CursorResult, which has the rowcount (SQLAlchemy's advice is to cast)."""
    return cast(CursorResult, db.session.execute(statement)).rowcount
