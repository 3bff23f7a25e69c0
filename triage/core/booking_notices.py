"""What booked people are told without asking: which reminder is due for a booking now, and which bookings a
change staff make (a closure, times removed, the entry closed or retired) takes away.

Reminders (BOOKING_REMINDERS, hours before the booked time, by default 48 and 2). A reminder is due once its
time has come, until the booking starts, if the booking had its time before the reminder's (a booking made or
moved 30 hours before gets no 48-hour reminder, which would only repeat its confirmation; one made an hour
before gets no 2-hour reminder). When several are due at once (the worker was stopped for a while), only the
latest is sent: a two-day reminder an hour before would say less than the two-hour one. Each reminder is
recorded against the booked time, so one moved to another time has its reminders again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from triage.core.booking_slots import ACTIVE, COUNCIL_TIME, Closure

DEFAULT_REMINDERS = (48, 2)
MOST_HOURS_BEFORE = 24 * 28  # a reminder a month before is the most anyone would want


def reminder_hours(setting: str) -> tuple[int, ...]:
    """BOOKING_REMINDERS read: hours before, comma separated ("48,2"), largest first; "" or "none" for none.
    ValueError for anything else, so a mistyped setting stops the service starting instead of sending nothing."""
    text = setting.strip().lower()
    if text in {"", "none"}:
        return ()
    hours: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or not 1 <= int(part) <= MOST_HOURS_BEFORE:
            raise ValueError(
                f"BOOKING_REMINDERS must be whole hours from 1 to {MOST_HOURS_BEFORE}, comma separated, "
                f"for example 48,2 (not {setting!r})"
            )
        hours.add(int(part))
    return tuple(sorted(hours, reverse=True))


def due_reminder(starts_at: datetime, placed_at: datetime, now: datetime, hours: Iterable[int]) -> int | None:
    """The reminder (hours before) to send for a booking at `starts_at` that got that time at `placed_at`:
    of those whose time has come and that the booking was placed before, the latest; None if there is none or
    the booking has started. Sending it is the caller's, once, recorded by (booking, starts_at, hours)."""
    if now >= starts_at:
        return None
    due = [h for h in hours if placed_at <= starts_at - timedelta(hours=h) <= now]
    return min(due) if due else None


@dataclass(frozen=True)
class Booked:
    """What a change needs to know of a booking: its id, its offer, when it starts (aware UTC) and its status."""

    id: int
    offer_id: int
    starts_at: datetime
    status: str


def _to_come(booking: Booked, now: datetime) -> bool:
    return booking.status == ACTIVE and booking.starts_at > now


def taken_by_closure(bookings: Iterable[Booked], closure: Closure, now: datetime) -> list[int]:
    """The bookings still to come on the closure's days (the council's local dates), by id in time order."""
    return _ids(b for b in bookings if _to_come(b, now) and closure.covers(b.starts_at.astimezone(COUNCIL_TIME).date()))


def taken_by_removal(bookings: Iterable[Booked], offer_id: int, now: datetime) -> list[int]:
    """The bookings still to come in the times (one weekly rule or dated session) being removed."""
    return _ids(b for b in bookings if _to_come(b, now) and b.offer_id == offer_id)


def taken_by_entry_closing(bookings: Iterable[Booked], now: datetime) -> list[int]:
    """The bookings still to come at an entry that is closing or being retired: every one of them."""
    return _ids(b for b in bookings if _to_come(b, now))


def _ids(bookings: Iterable[Booked]) -> list[int]:
    return [b.id for b in sorted(bookings, key=lambda b: (b.starts_at, b.id))]
