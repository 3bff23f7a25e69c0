"""A full session's waiting list: who is next, when a held place is let go, and how each entry's state may change.

People join the line of one session (an offer and its start) when it has no places left; first come, first served,
ties by id. When a place frees, the first person waiting is offered it: a booking of that seat is held for them
(HOLD_MINUTES by default, BOOKING_HOLD_MINUTES) and they are sent a message. They accept (the held booking becomes
a normal one), decline, or let the hold end; either of the last two frees the place for the next person. Someone
may leave the line at any time; closing the session (a closure, its times removed, the help closing) closes it.

    waiting --offer--> offered --accept--> booked
       |                  |----decline--> declined
       |                  |----expire---> expired
       |----leave----> left  <--leave--|
       |----close----> closed <--close-|
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

WAITING, OFFERED, BOOKED, DECLINED, EXPIRED, LEFT, CLOSED = (
    "waiting",
    "offered",
    "booked",
    "declined",
    "expired",
    "left",
    "closed",
)
STATUSES: dict[str, str] = {
    WAITING: "Waiting",
    OFFERED: "Offered a place",
    BOOKED: "Booked",
    DECLINED: "Declined the place",
    EXPIRED: "Did not answer in time",
    LEFT: "Left the list",
    CLOSED: "Closed",
}
OPEN = frozenset({WAITING, OFFERED})  # still in line, or holding a place
MOVES: dict[tuple[str, str], str] = {
    (WAITING, "offer"): OFFERED,
    (OFFERED, "accept"): BOOKED,
    (OFFERED, "decline"): DECLINED,
    (OFFERED, "expire"): EXPIRED,
    (WAITING, "leave"): LEFT,
    (OFFERED, "leave"): LEFT,
    (WAITING, "close"): CLOSED,
    (OFFERED, "close"): CLOSED,
}
DEFAULT_HOLD_MINUTES = 720
MIN_HOLD_MINUTES, MAX_HOLD_MINUTES = 5, 7 * 24 * 60
SHORTEST_USEFUL_HOLD = timedelta(minutes=15)  # a place held for less than this reaches nobody in time


class NotAllowed(ValueError):
    """A change an entry in its state cannot have (accepting a place never offered, leaving twice)."""


@dataclass(frozen=True)
class Entry:
    """What the rules need of an entry: its id, when it joined and its status."""

    id: int
    joined_at: datetime
    status: str = WAITING


def after(status: str, event: str) -> str:
    """The status an entry in `status` has after `event` (offer, accept, decline, expire, leave, close);
    NotAllowed when that cannot happen to it."""
    try:
        return MOVES[(status, event)]
    except KeyError:
        raise NotAllowed(f"An entry {status!r} cannot {event}") from None


def line(entries: Iterable[Entry]) -> list[Entry]:
    """The people still waiting, first come first served (ties by id)."""
    return sorted((e for e in entries if e.status == WAITING), key=lambda e: (e.joined_at, e.id))


def to_offer(entries: Iterable[Entry], free_places: int) -> list[Entry]:
    """Who is offered a place now: the first `free_places` people in line (a place is one person's)."""
    return line(entries)[: max(0, free_places)]


def place_in_line(entries: Iterable[Entry], entry_id: int) -> int | None:
    """Where someone waiting is in the line, from 1; None if they are not waiting."""
    return next((n for n, e in enumerate(line(entries), start=1) if e.id == entry_id), None)


def hold_until(now: datetime, starts_at: datetime, hold: timedelta, notice: timedelta) -> datetime | None:
    """When a place offered now stops being held: after `hold`, or earlier so the person has `notice` before the
    session starts; None when that leaves too little time to answer (the place is not offered)."""
    ends = min(now + hold, starts_at - notice)
    return ends if ends - now >= min(hold, SHORTEST_USEFUL_HOLD) else None


def hold_has_ended(held_until: datetime, now: datetime) -> bool:
    return now >= held_until


def hold_minutes(setting: str) -> int:
    """BOOKING_HOLD_MINUTES read: whole minutes from MIN_HOLD_MINUTES to MAX_HOLD_MINUTES. ValueError for
    anything else, so a mistyped setting stops the service starting instead of holding places for no time."""
    text = setting.strip()
    if not text.isdigit() or not MIN_HOLD_MINUTES <= int(text) <= MAX_HOLD_MINUTES:
        raise ValueError(
            f"BOOKING_HOLD_MINUTES must be whole minutes from {MIN_HOLD_MINUTES} to {MAX_HOLD_MINUTES} "
            f"(a week), for example 720 for twelve hours (not {setting!r})"
        )
    return int(text)
