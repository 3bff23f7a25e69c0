"""What booked people are told without asking (triage.core.booking_notices): which reminder is due, and which
bookings a closure, a removal or an entry closing takes away, checked against the slot rules themselves."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.core.booking_notices import (
    Booked,
    due_reminder,
    reminder_hours,
    taken_by_closure,
    taken_by_entry_closing,
    taken_by_removal,
)
from triage.core.booking_slots import ACTIVE, CANCELLED, NO_SHOW, Closure, Offer, slots

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
hours_lists = st.lists(st.integers(1, 24 * 28), min_size=1, max_size=4, unique=True)


def test_the_setting_is_whole_hours_largest_first_and_anything_else_is_refused():
    assert reminder_hours("48,2") == (48, 2)
    assert reminder_hours(" 2, 48 ,2") == (48, 2)
    assert reminder_hours("") == () and reminder_hours("none") == ()
    for bad in ("48;2", "two", "0", "-2", "2.5", "48,", "10000"):
        with pytest.raises(ValueError, match="BOOKING_REMINDERS"):
            reminder_hours(bad)


def test_the_latest_reminder_due_is_the_one_sent():
    starts = START + timedelta(days=5)
    placed = START
    assert due_reminder(starts, placed, starts - timedelta(hours=49), (48, 2)) is None
    assert due_reminder(starts, placed, starts - timedelta(hours=48), (48, 2)) == 48
    assert due_reminder(starts, placed, starts - timedelta(hours=1), (48, 2)) == 2  # the worker was stopped
    assert due_reminder(starts, placed, starts, (48, 2)) is None  # it has started


def test_a_booking_placed_after_a_reminders_time_does_not_get_it():
    starts = START + timedelta(days=5)
    late = starts - timedelta(hours=30)  # made (or moved to this time) 30 hours before
    assert due_reminder(starts, late, starts - timedelta(hours=29), (48, 2)) is None
    assert due_reminder(starts, late, starts - timedelta(hours=2), (48, 2)) == 2
    last_minute = starts - timedelta(minutes=90)
    assert due_reminder(starts, last_minute, starts - timedelta(minutes=10), (48, 2)) is None


@settings(max_examples=300, deadline=None)
@given(
    hours=hours_lists,
    lead=st.integers(0, 24 * 40 * 60),  # minutes from placing to the booked time
    runs=st.lists(st.integers(0, 24 * 41 * 60), min_size=1, max_size=30),  # minutes after placing the worker ran
)
def test_a_worker_running_at_any_times_sends_each_reminder_at_most_once_and_never_a_useless_one(hours, lead, runs):
    placed = START
    starts = placed + timedelta(minutes=lead)
    sent: list[int] = []
    for minutes in sorted(runs):
        now = placed + timedelta(minutes=minutes)
        due = due_reminder(starts, placed, now, hours)
        if due is not None and due not in sent:  # what the worker records stops a second one
            sent.append(due)
            assert placed <= starts - timedelta(hours=due) <= now < starts
    assert sent == sorted(sent, reverse=True)  # never an earlier reminder after a later one
    # each reminder whose time the worker saw before the next one's (and before the start) was sent
    for h in hours:
        at = starts - timedelta(hours=h)
        next_at = min([starts] + [starts - timedelta(hours=k) for k in hours if k < h])
        seen = any(at <= placed + timedelta(minutes=m) < next_at for m in runs)
        if at >= placed and seen:
            assert h in sent


weekly = st.builds(
    lambda n, weekday, start_hour, minutes, places: Offer(
        n, "weekly", "in_person", time(start_hour), time(start_hour + 3), minutes, places, weekday=weekday
    ),
    st.integers(1, 3),
    st.integers(0, 6),
    st.integers(8, 16),
    st.sampled_from([30, 45, 60]),
    st.integers(1, 3),
)


@settings(max_examples=150, deadline=None)
@given(
    offers=st.lists(weekly, min_size=1, max_size=3, unique_by=lambda o: o.id),
    first=st.integers(0, 20),
    length=st.integers(0, 10),
    picks=st.lists(st.integers(0, 10_000), max_size=25),
    statuses=st.lists(st.sampled_from([ACTIVE, ACTIVE, CANCELLED, NO_SHOW]), min_size=25, max_size=25),
    now_after=st.integers(0, 30 * 24),
)
def test_a_closure_takes_exactly_the_booked_times_it_stops_offering(offers, first, length, picks, statuses, now_after):
    """Bookings in real slots: those a closure takes are the active ones still to come whose slot the closure
    removes from what is offered, no more and no fewer."""
    day = date(2027, 3, 1)
    offered = slots(offers, day, day + timedelta(days=35), now=START - timedelta(days=1))
    bookings = [
        Booked(n, offered[p % len(offered)].offer_id, offered[p % len(offered)].starts_at, statuses[n])
        for n, p in enumerate(picks)
    ]
    closure = Closure(day + timedelta(days=first), day + timedelta(days=first + length), "Refurbishment")
    now = START + timedelta(hours=now_after)
    still = {
        (s.offer_id, s.starts_at)
        for s in slots(offers, day, day + timedelta(days=35), now=START - timedelta(days=1), closures=[closure])
    }
    expected = [
        b.id for b in bookings if b.status == ACTIVE and b.starts_at > now and (b.offer_id, b.starts_at) not in still
    ]
    taken = taken_by_closure(bookings, closure, now)
    assert sorted(taken) == sorted(expected)
    assert [bookings[i].starts_at for i in taken] == sorted(bookings[i].starts_at for i in taken)


@settings(max_examples=100, deadline=None)
@given(
    offer_ids=st.lists(st.integers(1, 4), max_size=20),
    hours=st.lists(st.integers(-48, 48), min_size=20, max_size=20),
    statuses=st.lists(st.sampled_from([ACTIVE, CANCELLED, NO_SHOW]), min_size=20, max_size=20),
    removed=st.integers(1, 4),
)
def test_removing_times_or_closing_the_entry_takes_only_active_bookings_still_to_come(
    offer_ids, hours, statuses, removed
):
    bookings = [Booked(n, o, START + timedelta(hours=hours[n]), statuses[n]) for n, o in enumerate(offer_ids)]
    to_come = {b.id for b in bookings if b.status == ACTIVE and b.starts_at > START}
    assert set(taken_by_entry_closing(bookings, START)) == to_come
    assert set(taken_by_removal(bookings, removed, START)) == {i for i in to_come if bookings[i].offer_id == removed}
