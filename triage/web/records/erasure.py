"""Erasing what the privacy notice says we do not keep, and a person's data when they ask.

- Referral contact details go a set time after the referral closes, or after the same time with no
  change at all (`flask apply-retention`, daily). The referral stays, anonymous, for the statistics.
- Plans go after the plan retention period; referrals that pointed at them are kept, detached.
- The keyed code of the address and day a plan came from (for the ward insight cap) goes once its day is
  over (`flask apply-retention`).
- On request, an admin erases a plan by its reference: the plan, its follow-ups and the messages that
  sent it are deleted, and its referrals lose their contact details and their link to the plan.

Deletions are written out table by table, rather than left to ON DELETE rules, because SQLite does
not enforce foreign keys by default and both engines must behave the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, Select, UpdateBase, delete, func, or_, select, update

from triage.web.extensions import db
from triage.web.models import Assessment, FollowUp, OutboxMessage, Recommendation, Referral, ReferralEvent

ERASED_DETAILS = {"contact_name": "", "contact_phone": "", "contact_email": "", "contact_times": "", "note": ""}


def months_ago(months: int, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=round(months * 365.25 / 12))


def erase_referral_details(where) -> int:
    """Blank the contact details of the referrals matched by `where`; returns how many were erased."""
    return _rows_changed(
        update(Referral)
        .where(where, Referral.personal_details_erased_at.is_(None))
        .values(**ERASED_DETAILS, personal_details_erased_at=datetime.now(UTC))
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
    """Delete the assessments whose ids `ids` selects, with everything that hangs off them."""
    db.session.execute(
        update(Referral)
        .where(Referral.assessment_id.in_(ids))
        .values(assessment_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.assessment_id.in_(ids))
        .values(assessment_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(FollowUp).where(FollowUp.assessment_id.in_(ids)))
    db.session.execute(delete(Recommendation).where(Recommendation.assessment_id.in_(ids)))
    return _rows_changed(delete(Assessment).where(Assessment.id.in_(ids)).execution_options(synchronize_session=False))


def delete_plans_older_than(years: int) -> int:
    """Delete assessments created more than `years` years ago (their referrals stay, detached)."""
    cutoff = datetime.now(UTC) - timedelta(days=365 * years + years // 4)
    return delete_assessments(select(Assessment.id).where(Assessment.created_at < cutoff))


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


def erase_plan(assessment: Assessment) -> Erased:
    """Erase one person's plan on request (the caller records who asked, in the audit log)."""
    this = select(Assessment.id).where(Assessment.id == assessment.id)
    referrals = erase_referral_details(Referral.assessment_id == assessment.id)
    messages = _rows_changed(delete(OutboxMessage).where(OutboxMessage.assessment_id == assessment.id))
    follow_ups = _count(FollowUp, FollowUp.assessment_id == assessment.id)
    reference = assessment.reference
    delete_assessments(this)
    db.session.expunge(assessment)
    return Erased(reference, referrals, messages, follow_ups)


def what_erasing_removes(assessment: Assessment) -> dict[str, int]:
    """What erase_plan would remove, to show before an admin confirms."""
    return {
        "referrals": _count(
            Referral, Referral.assessment_id == assessment.id, Referral.personal_details_erased_at.is_(None)
        ),
        "messages": _count(OutboxMessage, OutboxMessage.assessment_id == assessment.id),
        "follow_ups": _count(FollowUp, FollowUp.assessment_id == assessment.id),
    }


def _count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _rows_changed(statement: UpdateBase) -> int:
    """Run an UPDATE or DELETE; how many rows it changed. Session.execute is typed to return a Result, but
    for these statements it is a CursorResult, which has the rowcount (SQLAlchemy's advice is to cast)."""
    return cast(CursorResult, db.session.execute(statement)).rowcount
