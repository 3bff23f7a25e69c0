"""The champion's day's rules, without Flask: the days a page covers, the date it asks for, what a reminder sent
is called, and when a booking may be marked attended or did not come, or the mark undone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.core.booking_day import (
    DAY,
    FIRST_YEAR,
    LAST_YEAR,
    WEEK,
    is_group,
    mark_problem,
    moved,
    period,
    read_day,
    reminder_text,
    undo_problem,
)
from triage.core.booking_slots import ACTIVE, ATTENDED, CANCELLED, NO_SHOW
from triage.core.contact_details import phone_ending

TODAY = date(2026, 12, 8)
DAYS = st.dates(min_value=date(FIRST_YEAR, 1, 8), max_value=date(LAST_YEAR, 12, 24))


@given(DAYS)
def test_a_week_is_monday_to_sunday_around_the_day_and_moves_a_week(day):
    first, last = period(WEEK, day)
    assert first.weekday() == 0 and last - first == timedelta(days=6) and first <= day <= last
    assert period(DAY, day) == (day, day)
    assert period(WEEK, moved(WEEK, day, 1))[0] == first + timedelta(days=7)
    assert moved(DAY, day, -1) == day - timedelta(days=1)


@given(DAYS)
def test_every_date_a_page_can_name_is_read_back(day):
    assert read_day(day.isoformat(), TODAY) == day


@pytest.mark.parametrize(
    "text", ["2026-13-01", "2026-02-30", "yesterday", "8/12/2026", "0001-01-01", "9999-12-31", "２０２６-12-08", " "]
)
def test_a_date_that_is_not_one_is_refused(text):
    assert read_day(text, TODAY) is None


def test_no_date_is_today():
    assert read_day(None, TODAY) == TODAY and read_day("", TODAY) == TODAY


def test_reminders_are_named_in_days_or_hours():
    assert reminder_text(48) == "Reminder sent 2 days before"
    assert reminder_text(24) == "Reminder sent 1 day before"
    assert reminder_text(2) == "Reminder sent 2 hours before"
    assert reminder_text(1) == "Reminder sent 1 hour before"
    assert reminder_text(36) == "Reminder sent 36 hours before"


def test_a_group_is_a_dated_session_for_more_than_one():
    assert is_group("dated", 10) and not is_group("dated", 1) and not is_group("weekly", 4)


@pytest.mark.parametrize("mark", [ATTENDED, NO_SHOW])
def test_a_booking_is_marked_on_its_day_or_after_never_before(mark):
    assert mark_problem(ACTIVE, mark, TODAY, TODAY) is None
    assert mark_problem(ACTIVE, mark, TODAY - timedelta(days=3), TODAY) is None
    assert "on its day or after" in mark_problem(ACTIVE, mark, TODAY + timedelta(days=1), TODAY)
    assert "cancelled" in mark_problem(CANCELLED, mark, TODAY, TODAY)
    assert "already marked" in mark_problem(ATTENDED, mark, TODAY, TODAY)
    assert mark_problem("unheard_of", mark, TODAY, TODAY) is not None


@given(st.text(max_size=12))
def test_only_attended_or_did_not_come_is_a_mark(mark):
    problem = mark_problem(ACTIVE, mark, TODAY, TODAY)
    assert (problem is None) == (mark in {ATTENDED, NO_SHOW})


def test_a_mark_is_undone_on_the_day_it_was_made_and_not_once_a_session_is_logged():
    assert undo_problem(ATTENDED, TODAY, TODAY, logged=False) is None
    assert undo_problem(NO_SHOW, TODAY, TODAY, logged=False) is None
    assert "on the day it was made" in undo_problem(ATTENDED, TODAY - timedelta(days=1), TODAY, logged=False)
    assert "delete the session log" in undo_problem(ATTENDED, TODAY, TODAY, logged=True)
    assert "nothing to undo" in undo_problem(ACTIVE, None, TODAY, logged=False)
    assert "nothing to undo" in undo_problem(CANCELLED, TODAY, TODAY, logged=False)


@pytest.mark.parametrize(
    ("number", "ending"), [("07700 900982", "982"), ("+44 7700 900982", "982"), ("01509 123456", "456"), ("999", "")]
)
def test_a_phone_number_is_shown_by_its_last_three_digits(number, ending):
    assert phone_ending(number) == ending
