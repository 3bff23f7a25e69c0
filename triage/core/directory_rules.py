"""The rules for a directory entry, shared by the admin forms, partner proposals and the CSV import.

An entry travels as a flat dict of strings (a CSV row: lists are separated by semicolons, opening
times are one field per weekday like "9:30-12:30, 13:30-17:00"). `clean_entry` turns it into typed
values and names every problem by field, in plain English; it knows nothing of the database, so
postcodes and organisations are checked to exist by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from triage.core import vocabulary
from triage.core.geography import normalise_postcode
from triage.core.matching import ACCESSIBILITY_FEATURES, COVERAGES, DELIVERY_MODES, FEATURE_NAMES, KINDS
from triage.core.questionnaire import LANGUAGES
from triage.core.routing import ROUTE_INFO

WEEKDAYS: tuple[tuple[str, str], ...] = tuple((day.code, day.staff) for day in vocabulary.DAYS)
KIND_NAMES = {kind.code: kind.staff for kind in vocabulary.KINDS}
COVERAGE_NAMES = {coverage.code: coverage.staff for coverage in vocabulary.COVERAGES}
MODE_NAMES = {mode.code: mode.staff for mode in vocabulary.DELIVERY_MODES}
LANGUAGE_NAMES = {"en": "English", **{o.code: o.label for o in LANGUAGES if o.code != "other"}}
ENTRY_STATUSES = {status.code: status.staff for status in vocabulary.ENTRY_STATUSES}

FIELDS: tuple[str, ...] = (
    "id",
    "kind",
    "name",
    "organisation",
    "description",
    "coverage",
    "wards",
    "address",
    "postcode",
    "phone",
    "email",
    "website",
    *[d for d, _ in WEEKDAYS],
    "opening_notes",
    "free",
    "cost",
    "languages",
    "accessibility",
    "delivery_modes",
    "needs",
    "eligibility",
    "status",
    "status_note",
    "last_reviewed",
    "sample",
)
MAX_LENGTHS = {
    "name": 200,
    "organisation": 200,
    "description": 2000,
    "address": 300,
    "phone": 40,
    "email": 200,
    "website": 300,
    "opening_notes": 500,
    "cost": 200,
    "eligibility": 1000,
    "status_note": 300,
}
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


class SessionError(ValueError):
    pass


def slug_for(name: str, n: int = 1) -> str:
    """The id a new entry gets from its name, as the rules require it (lower-case ASCII letters, digits and
    dashes, 3 to 100 characters): "Café club" becomes "cafe-club"; n > 1 gives the n-th entry of that name."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = "-".join("".join(c if c.isalnum() else " " for c in plain).split())[:90].strip("-")
    if len(base) < 3:
        base = f"entry-{base}".strip("-")
    return base if n == 1 else f"{base}-{n}"


def _time(text: str) -> str:
    match = _TIME.match(text.strip())
    if not match:
        raise SessionError(f"'{text.strip()}' is not a time; write times like 9:30 or 17:00")
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise SessionError(f"'{text.strip()}' is not a time")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise SessionError(f"'{text.strip()}' is not a time")
    return f"{hour:02d}:{minute:02d}"


def parse_sessions(text: str) -> list[tuple[str, str]]:
    """'9:30-12:30, 1pm-5pm' → [("09:30", "12:30"), ("13:00", "17:00")]; blank means closed."""
    sessions: list[tuple[str, str]] = []
    for part in (p for p in re.split(r"[,;]", text) if p.strip()):
        pieces = re.split(r"\s*(?:-|–|to)\s*", part.strip())
        if len(pieces) != 2:
            raise SessionError(f"write '{part.strip()}' as opening and closing times, like 9:30-12:30")
        opens, closes = _time(pieces[0]), _time(pieces[1])
        if closes <= opens:
            raise SessionError(f"{part.strip()} closes before it opens")
        if sessions and opens < sessions[-1][1]:
            raise SessionError("sessions must be in order and must not overlap")
        sessions.append((opens, closes))
    if len(sessions) > 4:
        raise SessionError("give no more than 4 sessions a day")
    return sessions


def format_sessions(sessions: list[tuple[str, str]]) -> str:
    return ", ".join(f"{o}-{c}" for o, c in sessions)


def week_fields(opening_times: list[dict[str, str]]) -> dict[str, str]:
    """Stored opening times ([{"day": "monday", "opens": "10:00", "closes": "12:00"}, ...]) as an entry's day
    fields, every day of the week: {"monday": "10:00-12:00", "tuesday": "", ...}. ValueError for a day that
    is not one."""
    by_day: dict[str, list[tuple[str, str]]] = {day: [] for day, _ in WEEKDAYS}
    for session in opening_times:
        if session.get("day") not in by_day:
            raise ValueError(f"opening day {session.get('day')!r} is not a day of the week")
        by_day[session["day"]].append((session["opens"], session["closes"]))
    return {day: format_sessions(sessions) for day, sessions in by_day.items()}


def split_list(text: str) -> list[str]:
    return [v.strip() for v in re.split(r"[;,]", text or "") if v.strip()]


@dataclass
class Cleaned:
    values: dict
    problems: dict[str, str]


def _choices(field: str, text: str, allowed, problems: dict[str, str]) -> list[str]:
    values = split_list(text)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        problems[field] = f"'{unknown[0]}' is not one of: {', '.join(allowed)}"
    return [v for v in dict.fromkeys(values) if v in allowed]


def _yes_no(field: str, text: str, problems: dict[str, str]) -> bool:
    value = (text or "").strip().lower()
    if value not in _YES | _NO:
        problems[field] = "must be yes or no"
    return value in _YES


def _text_fields(raw: dict, problems: dict[str, str]) -> dict:
    values = {}
    for field, limit in MAX_LENGTHS.items():
        value = (raw.get(field) or "").strip()
        if len(value) > limit:
            problems[field] = f"must be {limit} characters or fewer"
        values[field] = value
    for field in ("name", "description"):
        if not values[field]:
            problems[field] = f"enter a {field}"
    if values["email"] and not _EMAIL.match(values["email"]):
        problems["email"] = "enter an email address like name@example.org"
    if values["website"] and not values["website"].startswith(("https://", "http://")):
        problems["website"] = "enter a web address starting with https://"
    return values


def _where(raw: dict, values: dict, known_wards: set[str], problems: dict[str, str]) -> None:
    values["coverage"] = (raw.get("coverage") or "").strip()
    if values["coverage"] not in COVERAGES:
        problems["coverage"] = f"must be one of: {', '.join(COVERAGES)}"
    values["wards"] = _choices("wards", raw.get("wards", ""), sorted(known_wards), problems)
    if "wards" in problems:
        problems["wards"] = "lists a ward code that is not one of the council's wards"
    no_place = not values["wards"] and not (raw.get("postcode") or "").strip()
    if values["coverage"] == "local" and no_place and "wards" not in problems:
        problems["wards"] = "choose the areas it covers, or give a postcode where it is"
    postcode = (raw.get("postcode") or "").strip()
    values["postcode"] = normalise_postcode(postcode) if postcode else None
    if postcode and not values["postcode"]:
        problems["postcode"] = "enter a real postcode, like LE11 3DU"


def _when(raw: dict, values: dict, problems: dict[str, str]) -> None:
    times = []
    for day, name in WEEKDAYS:
        try:
            times += [{"day": day, "opens": o, "closes": c} for o, c in parse_sessions(raw.get(day) or "")]
        except SessionError as problem:
            problems[day] = f"{name}: {problem}"
    values["opening_times"] = times
    reviewed = (raw.get("last_reviewed") or "").strip()
    values["last_reviewed"] = None
    if reviewed:
        try:
            values["last_reviewed"] = date.fromisoformat(reviewed)
        except ValueError:
            problems["last_reviewed"] = "must be a date like 2026-11-25"


def clean_entry(raw: dict, known_wards: set[str]) -> Cleaned:
    """Check a flat entry and return its typed values, with a problem per field that is wrong."""
    problems: dict[str, str] = {}
    values = _text_fields(raw, problems)
    values["id"] = (raw.get("id") or "").strip()
    if values["id"] and not SLUG.match(values["id"]):
        problems["id"] = "must be 3 to 100 lower-case letters, numbers and hyphens"
    values["kind"] = (raw.get("kind") or "").strip()
    if values["kind"] not in KINDS:
        problems["kind"] = f"must be one of: {', '.join(KINDS)}"
    _where(raw, values, known_wards, problems)
    _when(raw, values, problems)
    values["free"] = _yes_no("free", raw.get("free", ""), problems)
    if not values["free"] and not values["cost"]:
        problems["cost"] = "say what it costs, or mark it as free"
    values["sample"] = _yes_no("sample", raw.get("sample", ""), problems)
    values["languages"] = _choices("languages", raw.get("languages", ""), tuple(LANGUAGE_NAMES), problems) or ["en"]
    values["accessibility"] = _choices("accessibility", raw.get("accessibility", ""), ACCESSIBILITY_FEATURES, problems)
    values["delivery_modes"] = _choices("delivery_modes", raw.get("delivery_modes", ""), DELIVERY_MODES, problems)
    values["needs"] = _choices("needs", raw.get("needs", ""), tuple(ROUTE_INFO), problems)
    if not values["needs"] and "needs" not in problems:
        problems["needs"] = "choose at least one need this help meets, so it can be matched"
    values["status"] = (raw.get("status") or "active").strip()
    if values["status"] not in ENTRY_STATUSES:
        problems["status"] = f"must be one of: {', '.join(ENTRY_STATUSES)}"
    return Cleaned(values, problems)


def review_cutoff(today: date, months: int) -> date:
    """The day `months` months before `today`: an entry last checked before it is due for review."""
    return today - timedelta(days=round(months * 365.25 / 12))


def review_due(last_reviewed: date | None, today: date, months: int) -> bool:
    """An entry is due for review when nobody has checked it for `months` months (or ever)."""
    return last_reviewed is None or last_reviewed < review_cutoff(today, months)


def describe_feature(code: str) -> str:
    return FEATURE_NAMES.get(code, code)


def changes_between(before: dict, after: dict) -> dict[str, list]:
    """Field by field, what differs: {field: [before, after]} (for the history and approvals)."""
    return {f: [before.get(f), after.get(f)] for f in after if before.get(f) != after.get(f)}
