"""A Digital Champion's session log: the choices on the one-minute form and the rules a log must keep.

A log records help given, never who was helped: no name, and for a group only a headcount. The web layer
(triage/web/help_sessions/) offers these choices, and checks what is sent with `problems`, so a log that
breaks a rule is refused field by field and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from triage.core.questionnaire import BY_ID, NONE

LENGTH_PRESETS = (15, 30, 45, 60, 90, 120)  # minutes
MIN_MINUTES, MAX_MINUTES = 1, 480
MIN_GROUP, MAX_GROUP = 2, 200

KINDS = {"one_to_one": "One-to-one", "group": "A group"}
# Where, besides one of the organisation's venues (a directory entry, stored as venue_id).
VENUE = "venue"
PLACES = {VENUE: "At one of your venues", "home": "A home visit", "phone": "On the phone", "online": "Online"}

# What they worked on: the questionnaire's foundation and life skills, and three common errands.
SKILL_QUESTIONS = ("foundation_skills", "life_skills")
TASKS: dict[str, str] = {
    option.code: option.label
    for question in SKILL_QUESTIONS
    for option in BY_ID[question].options
    if option.code != NONE
}
TASKS |= {
    "council_task": "A council task",
    "benefits_claim": "A benefits claim",
    "health_nhs_app": "Health or the NHS App",
}

DEVICES = {"own": "Their own", "loaned": "A loaned device", "centre": "The library's or centre's"}
INDEPENDENCE = {
    "full_help": "Did it with full help",
    "some_help": "Did it with some help",
    "on_own": "Did it on their own",
}
ON_THEIR_OWN = "on_own"
GIVEN = {
    "data_sim": "A data SIM",
    "loaned_device": "A loaned device",
    "gifted_device": "A gifted device",
    "social_tariff": "A switch to a social tariff",
}
DEVICES_GIVEN = frozenset({"loaned_device", "gifted_device"})


@dataclass(frozen=True)
class Entry:
    """What was sent on the form, already read as values (None where a field was empty or unreadable)."""

    session_date: date | None
    minutes: int | None
    kind: str | None
    headcount: int | None
    place: str | None
    venue_id: int | None
    tasks: tuple[str, ...]
    device: str | None
    independence: str | None
    given: tuple[str, ...]
    onward_id: int | None
    first_visit: bool | None


def minutes_problem(minutes: int | None) -> str | None:
    if minutes is None:
        return "Enter how long the session was, in minutes"
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        return f"A session must be between {MIN_MINUTES} and {MAX_MINUTES} minutes long (8 hours)"
    return None


def headcount_problem(kind: str | None, headcount: int | None) -> str | None:
    if kind != "group":
        return None
    if headcount is None:
        return "Enter how many people were in the group"
    if not MIN_GROUP <= headcount <= MAX_GROUP:
        return f"A group is between {MIN_GROUP} and {MAX_GROUP} people"
    return None


def date_problem(session_date: date | None, today: date) -> str | None:
    if session_date is None:
        return "Enter the date of the session, for example 27 3 2026"
    if session_date > today:
        return "The date of the session must be today or in the past"
    return None


def _unknown(chosen: Iterable[str], known: dict[str, str]) -> bool:
    return any(code not in known for code in chosen)


def problems(entry: Entry, today: date, venues: Iterable[int], directory: Iterable[int]) -> dict[str, str]:
    """What is wrong with a log, by field ({} when nothing is). `venues`: the ids of the organisation's venues;
    `directory`: of the help someone can be referred on to."""
    found = {
        "session_date": date_problem(entry.session_date, today),
        "minutes": minutes_problem(entry.minutes),
        "kind": None if entry.kind in KINDS else "Select one-to-one or a group",
        "headcount": headcount_problem(entry.kind, entry.headcount),
        "place": None if entry.place in PLACES else "Select where the session was",
        "tasks": "Select what they worked on" if not entry.tasks or _unknown(entry.tasks, TASKS) else None,
        "device": None if entry.device in DEVICES else "Select the device they used",
        "independence": None if entry.independence in INDEPENDENCE else "Select how much help they needed",
        "given": "Select only things from the list" if _unknown(entry.given, GIVEN) else None,
        "onward": None if entry.onward_id in {None, *directory} else "Choose help from the directory, or none",
        "first_visit": None if entry.first_visit is not None else "Select whether it was their first visit",
    }
    if entry.place == VENUE and entry.venue_id not in set(venues):
        found["place"] = "Select one of your organisation's venues"
    return {field: problem for field, problem in found.items() if problem}


def people_in(kind: str, headcount: int | None) -> int:
    """How many people a session helped: one for one-to-one, the headcount for a group."""
    return (headcount or 1) if kind == "group" else 1
