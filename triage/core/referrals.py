"""Referrals: the warm handover from a plan to a Digital Champion or partner, and what happened next.

The status rules (which change may follow which), the working-day clock for overdue, reminded and expired
referrals, what the person is told when a referral closes, and how quickly an organisation usually answers.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from triage.core.text import N_

REFERRAL_STATUSES: dict[str, str] = {
    "sent": "Sent",
    "accepted": "Accepted",
    "declined": "Declined",
    "contacted": "Contacted",
    "support_started": "Support started",
    "completed": "Completed",
    "no_longer_needed": "No longer needed",
    "could_not_contact": "Could not contact",
    "not_answered": "Not answered",
}

NEXT: dict[str, tuple[str, ...]] = {
    "sent": ("accepted", "declined"),
    "accepted": ("contacted", "could_not_contact", "no_longer_needed"),
    "contacted": ("support_started", "no_longer_needed", "could_not_contact"),
    "support_started": ("completed", "no_longer_needed"),
    "declined": (),
    "completed": (),
    "no_longer_needed": (),
    "could_not_contact": (),
    "not_answered": (),
}
# Changes only Signpost makes (`flask chase-referrals`), never offered to staff: NEXT is what staff may choose.
BY_THE_SYSTEM: dict[str, tuple[str, ...]] = {"sent": ("not_answered",)}
CLOSED = frozenset(s for s, nxt in NEXT.items() if not nxt)
# What the person reads when a referral the help accepted closes, in their language (the ((outcome)) field).
OUTCOMES: dict[str, str] = {
    "completed": N_("your support is complete"),
    "no_longer_needed": N_("you no longer need this help"),
    "could_not_contact": N_("they could not reach you"),
}
NEEDS_REASON = frozenset({"declined", "no_longer_needed", "could_not_contact"})
MAX_REASON = 500


def transition_problem(current: str, new: str, reason: str = "") -> str | None:
    """Why a status change is not allowed, in plain English; None when it is."""
    if new not in REFERRAL_STATUSES:
        return f"'{new}' is not a referral status"
    if new not in NEXT.get(current, ()):
        allowed = ", ".join(REFERRAL_STATUSES[s].lower() for s in NEXT.get(current, ()))
        if not allowed:
            return f"This referral is closed ({REFERRAL_STATUSES[current].lower()}), so its status cannot change"
        return f"A referral that is {REFERRAL_STATUSES[current].lower()} can only become: {allowed}"
    if new in NEEDS_REASON and not reason.strip():
        return f"Give a reason why the referral is {REFERRAL_STATUSES[new].lower()}"
    if len(reason) > MAX_REASON:
        return f"The reason must be {MAX_REASON} characters or fewer"
    return None


def working_days_between(start: date, end: date, holidays: frozenset[date] = frozenset()) -> int:
    """Whole working days after `start` up to and including `end` (Monday to Friday, not holidays)."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days += 1
    return days


def is_overdue(status: str, sent_on: date, today: date, limit: int, holidays: frozenset[date] = frozenset()) -> bool:
    """A referral not accepted (or declined) within `limit` working days is overdue."""
    return status == "sent" and working_days_between(sent_on, today, holidays) > limit


def working_day_after(start: date, days: int, holidays: frozenset[date] = frozenset()) -> date:
    """The day that is `days` working days after `start`: the last day before a referral sent on `start`
    counts as more than `days` working days old (is_overdue), so the day to answer by."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return day


@dataclass(frozen=True)
class Clock:
    """How long a referral may wait: a reminder after `remind_after` working days unanswered, closing as not
    answered after `expire_after` (REFERRAL_ACCEPT_WORKING_DAYS and REFERRAL_EXPIRE_WORKING_DAYS)."""

    remind_after: int
    expire_after: int
    holidays: frozenset[date] = frozenset()

    def answer_by(self, sent_on: date) -> date:
        return working_day_after(sent_on, self.remind_after, self.holidays)

    def expires_on(self, sent_on: date) -> date:
        """The last day an answer is in time; the day after it (or the next working day) it closes."""
        return working_day_after(sent_on, self.expire_after, self.holidays)

    def chase(self, status: str, sent_on: date, today: date, reminded: bool) -> str | None:
        """What a run of `flask chase-referrals` does to a referral today: "expire", "remind" or None. A
        referral past both limits closes without a reminder first; one reminded is not reminded again."""
        if status != "sent":
            return None
        if is_overdue(status, sent_on, today, self.expire_after, self.holidays):
            return "expire"
        if not reminded and is_overdue(status, sent_on, today, self.remind_after, self.holidays):
            return "remind"
        return None


@dataclass(frozen=True)
class Answer:
    """One referral to an organisation, for how quickly it answers: working days from sending to the first
    accept or decline (None if neither came), whether that first answer was to accept, and whether it closed
    as not answered."""

    working_days: int | None
    accepted: bool = False
    expired: bool = False


@dataclass(frozen=True)
class Responsiveness:
    median_days: int | None  # None when every counted referral closed unanswered
    accepted_percent: int
    counted: int


def _half_up(x: float) -> int:
    return math.floor(x + 0.5)


def responsiveness(answers: Sequence[Answer], suppress_below: int) -> Responsiveness | None:
    """How an organisation usually answers: the median working days to its first answer, and the share of
    referrals answered or closed unanswered that it accepted, both rounded half up. None (not said) when
    fewer than `suppress_below` referrals have been answered or closed unanswered, as small counts mislead."""
    answered = [a.working_days for a in answers if a.working_days is not None]
    decided = len(answered) + sum(1 for a in answers if a.working_days is None and a.expired)
    if decided == 0 or decided < suppress_below:
        return None
    accepted = sum(1 for a in answers if a.working_days is not None and a.accepted)
    median = _half_up(statistics.median(answered)) if answered else None
    return Responsiveness(median, _half_up(100 * accepted / decided), decided)


def responsiveness_hint(figures: Responsiveness | None) -> str:
    """The hint beside an organisation on the staff referral form (staff pages are in English)."""
    if figures is None:
        return "Not enough referrals yet to say how quickly they answer"
    if figures.median_days is None:
        speed = "Has not answered its recent referrals in time"
    elif figures.median_days == 0:
        speed = "Usually answers on the day"
    else:
        speed = f"Usually answers in {figures.median_days} working day{'s' if figures.median_days != 1 else ''}"
    return f"{speed}, {figures.accepted_percent}% accepted"
