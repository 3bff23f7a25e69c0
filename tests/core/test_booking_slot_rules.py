"""Slots from weekly rules and dated sessions, worked by hand: the clock changes, holidays, closures, notice and
capacity; then properties over many rules and dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from triage.core.booking_slots import (
    COUNCIL_TIME,
    Closure,
    Offer,
    Slot,
    closure_problems,
    day_slots,
    free_places,
    free_seat,
    offer_problems,
    parse_slot_key,
    slots,
    wall_clock,
)

TUESDAY = date(2026, 12, 8)
MARCH_CHANGE = date(2026, 3, 29)  # a Sunday: 01:00 GMT becomes 02:00 BST
OCTOBER_CHANGE = date(2026, 10, 25)  # a Sunday: 02:00 BST becomes 01:00 GMT
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def weekly(weekday=1, starts=time(10), ends=time(12), minutes=30, places=1, offer_id=1, **dates) -> Offer:
    return Offer(offer_id, "weekly", "in_person", starts, ends, minutes, places, weekday=weekday, **dates)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def starts(found) -> list[str]:
    return [s.local_start.strftime("%H:%M") for s in found]


def test_a_morning_of_half_hour_slots_in_winter_is_gmt():
    found = list(day_slots(weekly(), TUESDAY))
    assert starts(found) == ["10:00", "10:30", "11:00", "11:30"]
    assert found[0].starts_at == utc(2026, 12, 8, 10, 0) and found[0].ends_at == utc(2026, 12, 8, 10, 30)


def test_in_summer_a_local_time_is_an_hour_ahead_of_utc():
    found = list(day_slots(weekly(), date(2026, 7, 7)))
    assert found[0].starts_at == utc(2026, 7, 7, 9, 0)


def test_a_slot_must_end_by_the_closing_time():
    assert starts(day_slots(weekly(minutes=45), TUESDAY)) == ["10:00", "10:45"]  # 11:30 would end at 12:15


def test_only_on_its_weekday_and_between_its_dates():
    rule = weekly(valid_from=date(2026, 12, 8), valid_until=date(2026, 12, 15))
    assert list(day_slots(rule, date(2026, 12, 9))) == []  # a Wednesday
    assert list(day_slots(rule, date(2026, 12, 1))) == []  # before it starts
    assert len(list(day_slots(rule, date(2026, 12, 15)))) == 4  # its last day is included
    assert list(day_slots(rule, date(2026, 12, 22))) == []


def test_the_missing_hour_in_march_has_no_slots():
    assert wall_clock(MARCH_CHANGE, time(1, 30)) is None
    found = list(day_slots(weekly(weekday=6, starts=time(0), ends=time(3), minutes=30), MARCH_CHANGE))
    # 00:00 GMT; 00:30 would end at 01:00 GMT, which is 02:00 BST, so the clocks change during it; 01:00 and
    # 01:30 do not exist; 02:00 BST onwards are ordinary slots.
    assert starts(found) == ["00:00", "02:00", "02:30"]
    assert [s.starts_at for s in found] == [utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 30)]


def test_the_repeated_hour_in_october_gives_its_first_time_once():
    first = wall_clock(OCTOBER_CHANGE, time(1, 30))
    assert first is not None and first.utcoffset() == timedelta(hours=1)  # still summer time
    found = list(day_slots(weekly(weekday=6, starts=time(0, 30), ends=time(3), minutes=30), OCTOBER_CHANGE))
    # 00:30 and 01:00 BST; 01:30 BST would end at 02:00 BST, which is 01:00 GMT: the clocks change during it.
    assert starts(found) == ["00:30", "01:00", "02:00", "02:30"]
    assert [s.starts_at for s in found] == [
        utc(2026, 10, 24, 23, 30),
        utc(2026, 10, 25, 0, 0),
        utc(2026, 10, 25, 2, 0),
        utc(2026, 10, 25, 2, 30),
    ]


def test_bank_holidays_and_closures_remove_every_slot_that_day():
    rule = weekly()
    week = {"now": LONG_AGO}
    assert len(slots([rule], TUESDAY, TUESDAY, **week)) == 4
    assert slots([rule], TUESDAY, TUESDAY, holidays=frozenset({TUESDAY}), **week) == []
    closed = Closure(date(2026, 12, 7), date(2026, 12, 8), "Heating repairs")
    assert slots([rule], TUESDAY, date(2026, 12, 15), closures=[closed], **week)[0].starts_at.date() == date(
        2026, 12, 15
    )


def test_the_past_and_the_notice_remove_slots():
    now = utc(2026, 12, 8, 9, 15)
    assert starts(slots([weekly()], TUESDAY, TUESDAY, now=now)) == ["10:00", "10:30", "11:00", "11:30"]
    assert starts(slots([weekly()], TUESDAY, TUESDAY, now=now, notice=timedelta(hours=2))) == ["11:30"]


def test_a_dated_session_is_one_slot_with_its_places():
    course = Offer(7, "dated", "in_person", time(14), time(16), 120, 12, on_date=date(2027, 1, 12))
    found = slots([course, weekly()], date(2027, 1, 11), date(2027, 1, 13), now=LONG_AGO)
    assert [(s.offer_id, s.local_start.strftime("%H:%M"), s.places) for s in found] == [
        (1, "10:00", 1),
        (1, "10:30", 1),
        (1, "11:00", 1),
        (1, "11:30", 1),
        (7, "14:00", 12),
    ]
    assert found[-1].ends_at - found[-1].starts_at == timedelta(hours=2)


def test_free_places_count_the_bookings_holding_one():
    slot = Slot(3, utc(2027, 1, 12, 14), utc(2027, 1, 12, 16), "in_person", 12)
    assert free_places(slot, {}) == 12
    assert free_places(slot, {(3, slot.starts_at): 11}) == 1
    assert free_places(slot, {(3, slot.starts_at): 13}) == 0  # never negative
    assert free_places(slot, {(4, slot.starts_at): 5}) == 12  # another offer's bookings


def test_the_lowest_free_seat_or_none_when_full():
    assert free_seat(3, []) == 1
    assert free_seat(3, [1, 3]) == 2
    assert free_seat(3, [1, 2, 3]) is None


def test_a_slot_key_reads_back_and_a_tampered_one_does_not():
    slot = Slot(12, utc(2026, 12, 8, 10), utc(2026, 12, 8, 10, 30), "phone", 1)
    assert slot.key == "12-20261208T1000Z"
    assert parse_slot_key(slot.key) == (12, slot.starts_at)
    for bad in ("", "12", "x-20261208T1000Z", "12-20261308T1000Z", "12-2026-12-08", "1" * 50, "-1-20261208T1000Z"):
        assert parse_slot_key(bad) is None, bad


def test_what_is_wrong_with_an_offer_by_field():
    today = date(2026, 12, 1)
    assert offer_problems(weekly(), today=today) == {}
    bad = Offer(1, "weekly", "video", time(12), time(10), 0, 0, weekday=9, valid_until=date(2026, 11, 1))
    assert set(offer_problems(bad, today=today)) == {"mode", "minutes", "places", "ends", "weekday", "valid_until"}
    assert set(offer_problems(weekly(minutes=180), today=today)) == {"ends"}
    assert set(offer_problems(weekly(minutes=5, starts=time(0), ends=time(23, 59)), today=today)) == {"minutes"}
    session = Offer(2, "dated", "in_person", time(10), time(12), 120, 8, on_date=date(2026, 12, 25))
    assert offer_problems(session, today=today) == {}
    assert set(offer_problems(session, today=today, holidays=frozenset({date(2026, 12, 25)}))) == {"on_date"}
    assert set(offer_problems(session, today=date(2027, 1, 1))) == {"on_date"}


def test_what_is_wrong_with_a_closure_by_field():
    today = date(2026, 12, 1)
    assert closure_problems(date(2026, 12, 24), date(2027, 1, 2), "Christmas", today) == {}
    assert set(closure_problems(None, None, "", today)) == {"first_day", "last_day", "reason"}
    assert set(closure_problems(date(2026, 12, 24), date(2026, 12, 23), "Christmas", today)) == {"last_day"}
    assert set(closure_problems(date(2026, 11, 1), date(2026, 11, 2), "Past", today)) == {"last_day"}


# Properties: rules of any shape, on days around both clock changes and ordinary ones.
DAYS = st.sampled_from([MARCH_CHANGE, OCTOBER_CHANGE, TUESDAY, date(2027, 3, 28), date(2027, 10, 31)])
TIMES = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
RULES = st.builds(
    lambda starts, hours, minutes, places: Offer(1, "weekly", "phone", starts, _add(starts, hours), minutes, places),
    TIMES,
    st.integers(1, 10),
    st.sampled_from([5, 10, 15, 20, 30, 45, 60, 90]),
    st.integers(1, 5),
)


def _add(at: time, hours: int) -> time:
    total = at.hour * 60 + at.minute + hours * 60
    return time(23, 59) if total >= 24 * 60 else time(total // 60, total % 60)


def _on(rule: Offer, day: date) -> Offer:
    return Offer(rule.id, rule.kind, rule.mode, rule.starts, rule.ends, rule.minutes, rule.places, day.weekday())


@given(RULES, DAYS)
def test_slots_never_overlap_last_their_length_and_stay_in_the_opening_window(rule, day):
    rule = _on(rule, day)
    found = list(day_slots(rule, day))
    for slot in found:
        assert slot.ends_at - slot.starts_at == timedelta(minutes=rule.minutes)
        assert slot.local_start.date() == day
        assert rule.starts <= slot.local_start.time() and slot.local_start.time() < rule.ends
        local_end = slot.ends_at.astimezone(COUNCIL_TIME)
        assert local_end.date() == day and local_end.time() <= rule.ends
    for earlier, later in zip(found, found[1:], strict=False):
        assert earlier.ends_at <= later.starts_at


@given(RULES, st.sets(st.integers(0, 13), max_size=5), st.integers(0, 13), st.integers(0, 4))
def test_never_on_a_holiday_or_a_closure(rule, holiday_offsets, closed_from, closed_days):
    first = date(2026, 12, 7)
    rules = [_on(rule, first + timedelta(days=n)) for n in range(7)]
    holidays = frozenset(first + timedelta(days=n) for n in holiday_offsets)
    closure = Closure(first + timedelta(days=closed_from), first + timedelta(days=closed_from + closed_days))
    found = slots(rules, first, first + timedelta(days=13), now=LONG_AGO, holidays=holidays, closures=[closure])
    for slot in found:
        day = slot.local_start.date()
        assert day not in holidays and not closure.covers(day)
    assert found == sorted(found, key=lambda s: s.starts_at)


def _slow_day_slots(rule: Offer, day: date) -> list[Slot]:
    """The rules worked slot by slot through the time zone, as day_slots does on a day the clocks change."""
    found, length = [], timedelta(minutes=rule.minutes)
    start, close = datetime.combine(day, rule.starts), datetime.combine(day, rule.ends)
    while start + length <= close:
        local = wall_clock(day, start.time())
        if (
            local is not None
            and (local.astimezone(UTC) + length).astimezone(COUNCIL_TIME).utcoffset() == local.utcoffset()
        ):
            found.append(Slot(rule.id, local.astimezone(UTC), local.astimezone(UTC) + length, rule.mode, rule.places))
        start += length
    return found


@given(RULES, st.dates(date(2025, 1, 1), date(2032, 12, 31)) | st.sampled_from([MARCH_CHANGE, OCTOBER_CHANGE]))
def test_the_quick_way_on_days_the_clocks_stay_gives_the_same_slots_as_the_time_zone(rule, day):
    rule = _on(rule, day)
    assert list(day_slots(rule, day)) == _slow_day_slots(rule, day)
