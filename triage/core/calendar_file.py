"""A booking as an iCalendar file (RFC 5545), for people who want it in their phone's or computer's calendar.

One VEVENT with times in UTC (a Z suffix: no time zone block is needed), its UID the booking's reference at the
service's host so a moved booking replaces the old event, text escaped (backslash, semicolon, comma, newline),
CRLF line ends, and lines folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

MAX_OCTETS = 75
STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    summary: str
    location: str = ""
    description: str = ""
    cancelled: bool = False


def escape_text(text: str) -> str:
    """A TEXT value: backslashes, semicolons and commas escaped, every line break as \\n, no other control."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return "".join(c for c in text if c == "\t" or ord(c) >= 32 and ord(c) != 127)


def fold(line: str) -> str:
    """A content line folded at 75 octets: each continuation starts with a space, characters kept whole."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not parts else MAX_OCTETS - 1  # a continuation's leading space counts
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(STAMP)


def calendar_file(event: CalendarEvent, *, now: datetime, product: str) -> str:
    """The whole file: a calendar with the one event (METHOD CANCEL and STATUS CANCELLED once it is cancelled)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape_text(product)}//Booking//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if event.cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines += [f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
