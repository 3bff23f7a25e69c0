"""`flask chase-referrals`: referrals still waiting for an answer are reminded about once, then closed as not
answered, by the working-day rules in triage.core.referrals (Clock.chase). Run it hourly or daily: a reminder
is recorded (reminded_at) and an expiry changes the status, so running it again does nothing more. A referral
whose contact details were erased closes in the same way, but no one is reminded or told of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from triage.web.extensions import db
from triage.web.models import Referral, ReferralEvent
from triage.web.referrals import updates
from triage.web.shell import audit


@dataclass(frozen=True)
class Chased:
    reminded: int
    expired: int


def chase_referrals(today: date | None = None) -> Chased:
    """Remind about, or close, each referral that is due today; the caller commits. Rows another run is
    working on are skipped (on PostgreSQL), so two runs at once never send a message twice."""
    now = datetime.now(UTC)
    today = today or now.date()
    limits = updates.clock()
    waiting = select(Referral).where(Referral.status == "sent").order_by(Referral.id).with_for_update(skip_locked=True)
    reminded = expired = 0
    for referral in db.session.execute(waiting).scalars():
        erased = referral.personal_details_erased_at is not None  # no one can answer it now: no reminder
        action = limits.chase(
            referral.status, updates.sent_on(referral), today, erased or referral.reminded_at is not None
        )
        if action == "remind":
            referral.reminded_at = now
            updates.reminder(referral)
            audit.record("referral reminder sent", f"referral {referral.id}", f"to {referral.resource.name}")
            reminded += 1
        elif action == "expire":
            _expire(referral, limits.expire_after, now, tell=not erased)
            expired += 1
    return Chased(reminded, expired)


def _expire(referral: Referral, days: int, now: datetime, tell: bool) -> None:
    reason = f"Not answered in {days} working days"
    referral.events.append(ReferralEvent(from_status=referral.status, to_status="not_answered", by=None, reason=reason))
    audit.record("referral status changed", f"referral {referral.id}", f"{referral.status} to not_answered: {reason}")
    referral.status = "not_answered"
    referral.closed_at = now
    if tell:
        updates.tell_the_person(referral)
        updates.tell_the_maker(referral)
