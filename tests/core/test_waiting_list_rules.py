"""The waiting list's rules: its order, who is offered next, each entry's states, how long a place is held, and
the setting; and, whatever happens (places freed, offers accepted, declined or let run out, people joining and
leaving), a place is never held for two people, offers go in order, and nobody waiting is passed over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.core import waiting_list
from triage.core.booking_slots import free_seat
from triage.core.waiting_list import (
    BOOKED,
    CLOSED,
    DECLINED,
    EXPIRED,
    LEFT,
    OFFERED,
    WAITING,
    Entry,
    NotAllowed,
    after,
    hold_minutes,
    hold_until,
    line,
    place_in_line,
    to_offer,
)

T0 = datetime(2027, 3, 1, 9, tzinfo=UTC)


def test_the_line_is_first_come_first_served_with_ties_by_id():
    entries = [
        Entry(3, T0 + timedelta(minutes=5)),
        Entry(2, T0),
        Entry(1, T0),
        Entry(4, T0 - timedelta(minutes=1), OFFERED),
        Entry(5, T0 - timedelta(minutes=2), LEFT),
    ]
    assert [e.id for e in line(entries)] == [1, 2, 3]
    assert [e.id for e in to_offer(entries, 2)] == [1, 2]
    assert to_offer(entries, 0) == [] and to_offer(entries, -1) == []
    assert place_in_line(entries, 3) == 3 and place_in_line(entries, 4) is None


@pytest.mark.parametrize(
    ("status", "event", "becomes"),
    [
        (WAITING, "offer", OFFERED),
        (OFFERED, "accept", BOOKED),
        (OFFERED, "decline", DECLINED),
        (OFFERED, "expire", EXPIRED),
        (WAITING, "leave", LEFT),
        (OFFERED, "leave", LEFT),
        (WAITING, "close", CLOSED),
        (OFFERED, "close", CLOSED),
    ],
)
def test_each_state_moves_as_drawn(status, event, becomes):
    assert after(status, event) == becomes


@pytest.mark.parametrize(
    ("status", "event"),
    [
        (WAITING, "accept"),
        (WAITING, "decline"),
        (OFFERED, "offer"),
        (BOOKED, "leave"),
        (LEFT, "offer"),
        (CLOSED, "close"),
    ],
)
def test_what_cannot_happen_to_an_entry_is_refused(status, event):
    with pytest.raises(NotAllowed):
        after(status, event)


def test_a_place_is_held_for_the_hold_or_until_the_notice_before_the_session():
    hold, notice = timedelta(hours=12), timedelta(hours=2)
    assert hold_until(T0, T0 + timedelta(days=3), hold, notice) == T0 + hold
    assert hold_until(T0, T0 + timedelta(hours=6), hold, notice) == T0 + timedelta(hours=4)
    assert hold_until(T0, T0 + timedelta(hours=2, minutes=10), hold, notice) is None  # 10 minutes: too little
    assert hold_until(T0, T0 + timedelta(hours=1), hold, notice) is None
    short = timedelta(minutes=5)  # a council that holds places for five minutes gets them
    assert hold_until(T0, T0 + timedelta(days=1), short, notice) == T0 + short


def test_the_hold_setting_is_whole_minutes_within_a_week():
    assert hold_minutes("720") == 720 and hold_minutes(" 5 ") == 5 and hold_minutes("10080") == 10080
    for bad in ("", "0", "4", "10081", "12h", "-5", "7.5"):
        with pytest.raises(ValueError, match="BOOKING_HOLD_MINUTES"):
            hold_minutes(bad)


# Whatever happens: a simulation of one session, driven by the rules as the database code uses them.
EVENTS = st.lists(
    st.tuples(st.sampled_from(["join", "free", "accept", "decline", "expire", "leave"]), st.integers(0, 20)),
    max_size=60,
)


@given(places=st.integers(1, 4), events=EVENTS)
def test_a_place_is_never_held_twice_and_offers_go_in_order_to_nobody_passed_over(places, events):
    entries: dict[int, Entry] = {}
    seats: dict[int, int] = {}  # seat -> entry id holding it (0: someone who booked directly)
    seats.update(dict.fromkeys(range(1, places + 1), 0))  # the session starts full
    clock = T0

    def set_status(entry_id: int, event: str) -> None:
        entry = entries[entry_id]
        entries[entry_id] = Entry(entry.id, entry.joined_at, after(entry.status, event))

    def give_back(entry_id: int) -> None:
        seat = next(s for s, holder in seats.items() if holder == entry_id)
        del seats[seat]

    for event, n in events:
        clock += timedelta(minutes=1)
        open_ids = [e.id for e in entries.values() if e.status == OFFERED]
        if event == "join":
            new_id = len(entries) + 1
            entries[new_id] = Entry(new_id, clock if n % 3 else T0)  # some join "at the same time" as others
        elif event == "free" and 0 in seats.values():
            del seats[next(s for s, holder in seats.items() if holder == 0)]
        elif event in {"accept", "decline", "expire"} and open_ids:
            chosen = open_ids[n % len(open_ids)]
            set_status(chosen, event)
            if event != "accept":
                give_back(chosen)
        elif event == "leave" and entries:
            chosen = list(entries)[n % len(entries)]
            if entries[chosen].status in waiting_list.OPEN:
                was = entries[chosen].status
                set_status(chosen, "leave")
                if was == OFFERED:
                    give_back(chosen)
        # the offer step, as offer_places does it: each free seat to the first in line
        while (seat := free_seat(places, seats)) is not None and (first := to_offer(entries.values(), 1)):
            earlier_waiting = line(entries.values())[0]
            assert first[0] == earlier_waiting  # in order
            set_status(first[0].id, "offer")
            seats[seat] = first[0].id
        holders = [holder for holder in seats.values() if holder]
        assert len(holders) == len(set(holders))  # one seat each, never one person twice
        assert len(seats) <= places
        assert {e.id for e in entries.values() if e.status in {OFFERED, BOOKED}} >= set(holders)
        assert all(entries[h].status in {OFFERED, BOOKED} for h in holders)
        assert len(seats) == places or not line(entries.values())  # nobody waits while a seat is free
