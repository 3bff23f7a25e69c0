"""Bookings in figures (triage.core.booking_figures): every count shown is the true one, none shown is small, and
no hidden count can be worked back from the others, across the statuses or across the rows."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from triage.core.booking_figures import ALL, NONE, PARTS, Counts, table
from triage.core.booking_slots import ACTIVE, ATTENDED, CANCELLED, NO_SHOW

THRESHOLD = 5
counts = st.builds(
    lambda a, n, c, b: Counts({ATTENDED: a, NO_SHOW: n, CANCELLED: c, ACTIVE: b}),
    *(st.integers(0, 14) for _ in range(4)),
)


def test_the_rates_are_of_the_bookings_marked_attended_or_did_not_come():
    shown = table({"May": Counts({ATTENDED: 30, NO_SHOW: 10, CANCELLED: 8, ACTIVE: 12})}, THRESHOLD)[ALL]
    assert shown.made == 60 and shown.part(ATTENDED) == 30 and shown.part(ACTIVE) == 12
    assert shown.attendance_rate == 75.0 and shown.no_show_rate == 25.0


def test_a_small_count_is_hidden_with_another_so_it_cannot_be_worked_out():
    shown = table({"May": Counts({ATTENDED: 30, NO_SHOW: 2, CANCELLED: 8, ACTIVE: 12})}, THRESHOLD)[ALL]
    assert shown.part(NO_SHOW) is None and shown.part(CANCELLED) is None  # the next smallest goes too
    assert shown.made == 52 and shown.attendance_rate is None and shown.no_show_rate is None


def test_an_unknown_status_counts_as_still_booked():
    assert Counts({"waiting": 3, ATTENDED: 2}).part(ACTIVE) == 3


@settings(max_examples=400, deadline=None)
@given(rows=st.dictionaries(st.integers(1, 12), counts, min_size=1, max_size=6))
@example(rows={5: Counts({ACTIVE: 5}), 6: Counts({CANCELLED: 5, ACTIVE: 1})})  # a row left one hidden, once
def test_no_hidden_count_can_be_worked_back_from_a_row_or_a_column(rows):
    shown = table(rows, THRESHOLD)
    truth = rows | {ALL: sum(rows.values(), NONE)}
    assert set(shown) == set(truth)
    for key, counts_ in truth.items():
        s = shown[key]
        for status in PARTS:
            value = s.part(status)
            assert value is None or value == counts_.part(status)
            assert value is None or value == 0 or value >= THRESHOLD
        assert s.made is None or (s.made == counts_.made and (s.made == 0 or s.made >= THRESHOLD))
        hidden_parts = [part for part in PARTS if s.part(part) is None]
        if s.made is not None:
            assert len(hidden_parts) != 1  # with the row's total shown, one alone would be the difference
        else:
            assert all(s.part(part) is None for part in PARTS if counts_.part(part))
        if s.attendance_rate is not None:
            assert s.part(ATTENDED) is not None and s.part(NO_SHOW) is not None
    for status in PARTS:
        assert sum(shown[key].part(status) is None for key in truth) != 1  # the rows and their sum
    assert sum(shown[key].made is None for key in truth) != 1
