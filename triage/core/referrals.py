"""Referrals: the warm handover from a plan to a Digital Champion or partner, and what happened next.

The status rules (which change may follow which) and the working-day clock for overdue referrals.
"""

from __future__ import annotations

from datetime import date, timedelta

REFERRAL_STATUSES: dict[str, str] = {
    "sent": "Sent",
    "accepted": "Accepted",
    "declined": "Declined",
    "contacted": "Contacted",
    "support_started": "Support started",
    "completed": "Completed",
    "no_longer_needed": "No longer needed",
    "could_not_contact": "Could not contact",
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
}
CLOSED = frozenset(s for s, nxt in NEXT.items() if not nxt)
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
