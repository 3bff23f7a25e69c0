"""The champion's day: which days a page of bookings covers (one day, or the week from Monday to Sunday), the date
a page asks for, what a sent reminder is called, and the rules for marking a booking attended or did not come.

A booking is marked on its day or after it (the council's local date of its start), never before: nobody has come
or stayed away yet. Only a booking holding a place is marked; a cancelled one has nobody to come. A mark is undone
(back to booked) on the day it was made, to put right a slip, and not once a session is logged from it: the log
says the person came.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from triage.core.booking_slots import ACTIVE, ATTENDED, CANCELLED, HOLDS_A_PLACE, NO_SHOW

DAY, WEEK = "day", "week"
VIEWS = {DAY: "Today", WEEK: "This week"}
MARKS = {ATTENDED: "Attended", NO_SHOW: "Did not come"}
FIRST_YEAR, LAST_YEAR = 2000, 2999  # a page's date, so that moving a week on or back is always a date
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def read_day(text: str | None, today: date) -> date | None:
    """The date a page asks for (YYYY-MM-DD), today when it asks for none; None when it is not a date."""
    if text is None or text == "":
        return today
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def period(view: str, day: date) -> tuple[date, date]:
    """The first and last days (both included) a page shows: the day, or its week from Monday to Sunday."""
    if view == WEEK:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    return day, day


def moved(view: str, day: date, steps: int) -> date:
    """The day a page moves to: `steps` days, or weeks, on (or back, when negative)."""
    return day + timedelta(days=steps * (7 if view == WEEK else 1))


def is_group(kind: str, places: int) -> bool:
    """A group session: a dated session with places for more than one person."""
    return kind == "dated" and places > 1


def reminder_text(hours: int) -> str:
    """What a sent reminder is called: 'Reminder sent 2 days before', '... 2 hours before', '... 1 hour before'."""
    if hours % 24 == 0:
        days = hours // 24
        return f"Reminder sent {days} day{'s' if days != 1 else ''} before"
    return f"Reminder sent {hours} hour{'s' if hours != 1 else ''} before"


def mark_problem(status: str, mark: str, booked_on: date, today: date) -> str | None:
    """Why a booking with this status, on the local date `booked_on`, cannot be marked `mark` (a MARKS code)
    today; None when it can."""
    if mark not in MARKS:
        return "Choose attended or did not come"
    if status == CANCELLED or status not in HOLDS_A_PLACE:
        return "This booking was cancelled, so there is nobody to mark as attended or not"
    if status in MARKS:
        return f"This booking is already marked: {MARKS[status].lower()}. Undo that first to change it"
    if status != ACTIVE:
        return "This booking cannot be marked"
    if booked_on > today:
        return "You can only mark a booking on its day or after it, not before"
    return None


def undo_problem(status: str, marked_on: date | None, today: date, logged: bool) -> str | None:
    """Why a booking's mark cannot be undone today (marked on the local date `marked_on`); None when it can."""
    if status not in MARKS:
        return "This booking is not marked attended or did not come, so there is nothing to undo"
    if logged:
        return "A session is logged from this booking: delete the session log first, then undo"
    if marked_on != today:
        return "A mark can only be undone on the day it was made"
    return None
