"""The .ics file of a booking: UTC times, the UID, escaped text, CRLF lines folded at 75 octets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from triage.core.calendar_file import CalendarEvent, calendar_file, escape_text, fold

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BST = timezone(timedelta(hours=1))


def event(**changes) -> CalendarEvent:
    values = {
        "uid": "K7QM-3XHP-RT9W@signpost.example.gov.uk",
        "starts_at": datetime(2026, 7, 7, 10, 0, tzinfo=BST),
        "ends_at": datetime(2026, 7, 7, 10, 30, tzinfo=BST),
        "summary": "Digital help, Loughborough Library",
    }
    return CalendarEvent(**{**values, **changes})


def test_the_file_has_one_event_in_utc():
    text = calendar_file(event(location="Granby Street, Loughborough"), now=NOW, product="Signpost")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTART:20260707T090000Z" in lines and "DTEND:20260707T093000Z" in lines  # 10:00 BST is 09:00 UTC
    assert "UID:K7QM-3XHP-RT9W@signpost.example.gov.uk" in lines
    assert "DTSTAMP:20261201T090000Z" in lines and "METHOD:PUBLISH" in lines and "STATUS:CONFIRMED" in lines
    assert "LOCATION:Granby Street\\, Loughborough" in lines
    assert "\n" not in text.replace("\r\n", "")


def test_a_cancelled_booking_cancels_the_event():
    text = calendar_file(event(cancelled=True), now=NOW, product="Signpost")
    assert "METHOD:CANCEL" in text and "STATUS:CANCELLED" in text


def test_text_is_escaped():
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    assert escape_text("bell\x07 and nul\x00") == "bell and nul"


def test_a_long_line_folds_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "ગુજરાતી " * 30
    folded = fold(line).split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in folded)
    assert all(part.startswith(" ") for part in folded[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(folded)) == line


@given(st.text(max_size=300))
def test_any_text_folds_and_unfolds_to_itself(text):
    line = "SUMMARY:" + escape_text(text)
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert "\r" not in escape_text(text) and "\n" not in escape_text(text)
