"""What can be booked, and when: weekly rules and dated sessions made into concrete slots, and how many places
each has left.

An entry in the directory publishes availability: a weekly rule ("Tuesdays 10:00 to 12:00, 30-minute slots, one
place each, in person") valid from and until given dates, or a dated session (a course or group on one date, with
N places). Times are the council's wall-clock time (Europe/London); a slot is stored and compared as an aware UTC
time. Where the clocks change:
- in March, a wall-clock time in the missing hour does not exist, so no slot starts then;
- in October, a wall-clock time in the repeated hour happens twice: the slot is the first of them (still summer
  time, fold 0), once, never twice;
- a slot the clocks change during (its start and end in different offsets) is not offered, so every slot lasts
  exactly its length and slots from one rule never overlap.
Bank holidays (NON_WORKING_DAYS), closures, the past and a minimum notice remove slots, dated sessions included.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from triage.core.text import N_

COUNCIL_TIME = ZoneInfo("Europe/London")
MODES: dict[str, str] = {
    "in_person": N_("In person"),
    "phone": N_("A phone call"),
    "home_visit": N_("A home visit"),
}
KINDS = {"weekly": "Every week", "dated": "On one date"}
ACTIVE, CANCELLED, ATTENDED, NO_SHOW = "booked", "cancelled", "attended", "no_show"
HELD = "held"  # a place offered from the waiting list (triage.core.waiting_list), kept until its hold ends
STATUSES: dict[str, str] = {
    ACTIVE: "Booked",
    CANCELLED: "Cancelled",
    ATTENDED: "Attended",
    NO_SHOW: "Did not come",
    HELD: "Held for someone on the waiting list",
}
HOLDS_A_PLACE = frozenset({ACTIVE, ATTENDED, NO_SHOW, HELD})  # a cancelled booking frees its place
MIN_MINUTES, MAX_MINUTES = 5, 480
MAX_PLACES = 200
MAX_SLOTS_PER_DAY = 96  # a rule of 5-minute slots over eight hours makes this many
SLOT_KEY_FORMAT = "%Y%m%dT%H%MZ"


@dataclass(frozen=True)
class Offer:
    """One published availability: weekly (on `weekday`, 0 Monday, between valid_from and valid_until, both
    included) or dated (once, on `on_date`). Slots of `minutes` start at `starts` while they end by `ends`."""

    id: int
    kind: str  # weekly or dated
    mode: str  # a MODES code
    starts: time
    ends: time
    minutes: int
    places: int
    weekday: int | None = None
    on_date: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class Closure:
    first_day: date
    last_day: date
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class Slot:
    """A time someone can book: when (aware UTC), how long, from which offer, with how many places."""

    offer_id: int
    starts_at: datetime
    ends_at: datetime
    mode: str
    places: int

    @property
    def key(self) -> str:
        """How a page names the slot: the offer and its UTC start, e.g. '12-20261208T1000Z'."""
        return slot_key(self.offer_id, self.starts_at)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(COUNCIL_TIME)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(COUNCIL_TIME)


def slot_key(offer_id: int, starts_at: datetime) -> str:
    """The key of the offer's slot starting at `starts_at` (aware UTC)."""
    return f"{offer_id}-{starts_at.strftime(SLOT_KEY_FORMAT)}"


def parse_slot_key(key: str) -> tuple[int, datetime] | None:
    """The offer id and UTC start a slot key names; None if it cannot be one (a tampered or made-up key)."""
    if not isinstance(key, str) or len(key) > 40 or "-" not in key:
        return None
    offer, _, when = key.partition("-")
    if not offer.isdigit() or len(offer) > 9:
        return None
    try:
        starts_at = datetime.strptime(when, SLOT_KEY_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
    return int(offer), starts_at


def wall_clock(day: date, at: time) -> datetime | None:
    """The aware time at `at` on `day` in the council's time: the first of two in October's repeated hour, and
    None in March's missing hour, which does not exist."""
    local = datetime.combine(day, at, tzinfo=COUNCIL_TIME)  # fold 0: the earlier of a repeated time
    back = local.astimezone(UTC).astimezone(COUNCIL_TIME)
    return local if back.replace(tzinfo=None) == local.replace(tzinfo=None) else None


def runs_on(offer: Offer, day: date) -> bool:
    """True if the offer has times on this day (before holidays and closures)."""
    if offer.kind == "dated":
        return offer.on_date == day
    if offer.weekday != day.weekday():
        return False
    return (offer.valid_from is None or day >= offer.valid_from) and (
        offer.valid_until is None or day <= offer.valid_until
    )


def _one_offset(day: date) -> timedelta | None:
    """The council's UTC offset all day, or None on a day the clocks change."""
    first = datetime.combine(day, time.min, tzinfo=COUNCIL_TIME).utcoffset()
    last = datetime.combine(day, time.max, tzinfo=COUNCIL_TIME).utcoffset()
    return first if first == last else None


def day_slots(offer: Offer, day: date) -> Iterator[Slot]:
    """The offer's slots on one day, in order, if it runs that day: see the module's clock-change rules."""
    if not runs_on(offer, day) or offer.minutes < 1:
        return
    length = timedelta(minutes=offer.minutes)
    start = datetime.combine(day, offer.starts)
    close = datetime.combine(day, offer.ends)
    offset = _one_offset(day)
    if offset is not None:  # no clock change: every wall-clock time exists once (a year of slots in a few ms)
        while start + length <= close:
            starts_at = (start - offset).replace(tzinfo=UTC)
            yield Slot(offer.id, starts_at, starts_at + length, offer.mode, offer.places)
            start += length
        return
    while start + length <= close:
        local = wall_clock(day, start.time())
        if local is not None:
            starts_at = local.astimezone(UTC)
            ends_at = starts_at + length
            if ends_at.astimezone(COUNCIL_TIME).utcoffset() == local.utcoffset():
                yield Slot(offer.id, starts_at, ends_at, offer.mode, offer.places)
        start += length


def slots(
    offers: Iterable[Offer],
    first_day: date,
    last_day: date,
    *,
    now: datetime,
    notice: timedelta = timedelta(0),
    holidays: frozenset[date] = frozenset(),
    closures: Iterable[Closure] = (),
) -> list[Slot]:
    """Every slot from `first_day` to `last_day` (local dates, both included) that starts at least `notice` after
    `now`, on no holiday or closure, in time order (then by offer)."""
    offers, closures = list(offers), list(closures)
    earliest = now + notice
    found: list[Slot] = []
    day = first_day
    while day <= last_day:
        if day not in holidays and not any(c.covers(day) for c in closures):
            for offer in offers:
                found.extend(s for s in day_slots(offer, day) if s.starts_at >= earliest)
        day += timedelta(days=1)
    return sorted(found, key=lambda s: (s.starts_at, s.offer_id))


def free_places(slot: Slot, taken: Mapping[tuple[int, datetime], int]) -> int:
    """Places left in a slot: its places less the bookings holding one (`taken`, by offer id and start)."""
    return max(0, slot.places - taken.get((slot.offer_id, slot.starts_at), 0))


def free_seat(places: int, taken_seats: Iterable[int]) -> int | None:
    """The lowest place number (1 to `places`) no booking holds, or None when the slot is full."""
    taken = set(taken_seats)
    return next((seat for seat in range(1, places + 1) if seat not in taken), None)


def offer_problems(offer: Offer, *, today: date, holidays: frozenset[date] = frozenset()) -> dict[str, str]:
    """What is wrong with an offer someone is publishing, by field; empty when nothing is."""
    found: dict[str, str] = {}
    if offer.mode not in MODES:
        found["mode"] = "Choose how the help is given"
    if not MIN_MINUTES <= offer.minutes <= MAX_MINUTES:
        found["minutes"] = f"Enter a length from {MIN_MINUTES} to {MAX_MINUTES} minutes"
    if not 1 <= offer.places <= MAX_PLACES:
        found["places"] = f"Enter a number of places from 1 to {MAX_PLACES}"
    if offer.ends <= offer.starts:
        found["ends"] = "The end time must be after the start time"
    elif "minutes" not in found:
        span = (datetime.combine(today, offer.ends) - datetime.combine(today, offer.starts)).seconds // 60
        if offer.kind == "weekly" and span < offer.minutes:
            found["ends"] = "There must be time for at least one slot between the start and end times"
        if offer.kind == "weekly" and span // offer.minutes > MAX_SLOTS_PER_DAY:
            found["minutes"] = f"That makes more than {MAX_SLOTS_PER_DAY} slots a day: make them longer"
    return found | _date_problems(offer, today, holidays)


def _date_problems(offer: Offer, today: date, holidays: frozenset[date]) -> dict[str, str]:
    if offer.kind == "weekly":
        found = {}
        if offer.weekday is None or not 0 <= offer.weekday <= 6:
            found["weekday"] = "Choose a day of the week"
        if offer.valid_until is not None and offer.valid_until < (offer.valid_from or today):
            found["valid_until"] = "The last date must be on or after the first date, and not in the past"
        return found
    if offer.on_date is None:
        return {"on_date": "Enter the date of the session, for example 27 3 2027"}
    if offer.on_date < today:
        return {"on_date": "The date of the session must be today or in the future"}
    if offer.on_date in holidays:
        return {"on_date": "That day is a bank holiday, when no slots are offered: choose another date"}
    return {}
    return found


def closure_problems(first_day: date | None, last_day: date | None, reason: str, today: date) -> dict[str, str]:
    """What is wrong with a closure someone is adding, by field."""
    found: dict[str, str] = {}
    if first_day is None:
        found["first_day"] = "Enter the first day it is closed, for example 24 12 2026"
    if last_day is None:
        found["last_day"] = "Enter the last day it is closed, for example 2 1 2027"
    if first_day and last_day:
        if last_day < first_day:
            found["last_day"] = "The last day must be on or after the first day"
        elif last_day < today:
            found["last_day"] = "The last day must be today or in the future"
    if not reason.strip():
        found["reason"] = "Say why it is closed, for example 'Christmas'"
    elif len(reason) > 200:
        found["reason"] = "The reason must be 200 characters or fewer"
    return found
