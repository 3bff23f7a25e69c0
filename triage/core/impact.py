"""The help given, computed from session logs and never typed: people helped, sessions, hours, first visits,
SIMs and devices given and tasks done on their own; in all, and by month, champion, organisation, venue and
ward, with the ward insight's small-number suppression (triage.core.insight.protect).

People helped counts each plan once however many sessions it had; a one-to-one session without a plan is one
person (a walk-in, who may have come before: it cannot be told without a name, which is never kept), and a
group is its headcount. docs/impact.md explains each figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date

from triage.core.help_sessions import DEVICES_GIVEN, ON_THEIR_OWN
from triage.core.insight import protect, suppressed


@dataclass(frozen=True)
class Session:
    """One logged session, as the figures need it: names for what it is grouped by, and what it adds."""

    month: date
    champion: str
    organisation: str
    venue: str  # the venue's name, or where it was instead (a home visit, on the phone, online)
    ward: str
    minutes: int
    kind: str  # one_to_one or group
    headcount: int
    plan_id: int | None
    first_visit: bool
    given: frozenset[str]
    tasks: int  # how many things they worked on
    independence: str
    ward_code: str | None = None


@dataclass(frozen=True)
class Figures:
    people: int
    sessions: int
    minutes: int
    first_visits: int
    sims: int
    devices: int
    tasks_on_their_own: int

    @property
    def hours(self) -> float:
        return self.minutes / 60


COUNTS = tuple(f.name for f in fields(Figures) if f.name != "minutes")  # what could point to a person
GROUPINGS: dict[str, Callable[[Session], str]] = {
    "month": lambda s: s.month.isoformat(),  # so months sort in order
    "champion": lambda s: s.champion,
    "organisation": lambda s: s.organisation,
    "venue": lambda s: s.venue,
    "ward": lambda s: s.ward,
}


def people_helped(sessions: Iterable[Session]) -> int:
    """Distinct plans, plus one for each one-to-one session without a plan, plus every group's headcount."""
    plans: set[int] = set()
    others = 0
    for s in sessions:
        if s.kind == "group":
            others += s.headcount
        elif s.plan_id is not None:
            plans.add(s.plan_id)
        else:
            others += 1
    return len(plans) + others


def figures(sessions: Iterable[Session]) -> Figures:
    """The figures for these sessions. A group's first visit counts its whole headcount."""
    chosen = list(sessions)
    return Figures(
        people=people_helped(chosen),
        sessions=len(chosen),
        minutes=sum(s.minutes for s in chosen),
        first_visits=sum(s.headcount for s in chosen if s.first_visit),
        sims=sum(1 for s in chosen if "data_sim" in s.given),
        devices=sum(len(s.given & DEVICES_GIVEN) for s in chosen),
        tasks_on_their_own=sum(s.tasks for s in chosen if s.independence == ON_THEIR_OWN),
    )


def grouped(sessions: Iterable[Session], by: str) -> dict[str, Figures]:
    """The figures for each value of one grouping (GROUPINGS), in order of that value."""
    key = GROUPINGS[by]
    parts: dict[str, list[Session]] = {}
    for s in sessions:
        parts.setdefault(key(s), []).append(s)
    return {k: figures(parts[k]) for k in sorted(parts)}


@dataclass(frozen=True)
class Shown:
    """Figures as shown: a count small enough to point to someone is None, and so are the hours beside a
    hidden number of sessions."""

    people: int | None
    sessions: int | None
    hours: float | None
    first_visits: int | None
    sims: int | None
    devices: int | None
    tasks_on_their_own: int | None


def shown_total(total: Figures, threshold: int) -> Shown:
    counts = {name: suppressed(getattr(total, name), threshold) for name in COUNTS}
    return Shown(hours=None if counts["sessions"] is None else total.hours, **counts)


def shown_parts(parts: dict[str, Figures], threshold: int) -> dict[str, Shown]:
    """Each count suppressed across the parts of its column, with secondary suppression, so no hidden part
    can be worked back from the total."""
    columns = {name: protect({k: getattr(f, name) for k, f in parts.items()}, threshold) for name in COUNTS}
    return {
        k: Shown(
            hours=None if columns["sessions"][k] is None else f.hours,
            **{name: columns[name][k] for name in COUNTS},
        )
        for k, f in parts.items()
    }


def by_ward(sessions: Iterable[Session], threshold: int) -> dict[str, Shown]:
    """The help delivered in each ward, by ward code, suppressed across the wards (help whose ward is not known
    takes part in the suppression but is not returned)."""
    parts: dict[str, list[Session]] = {}
    for s in sessions:
        parts.setdefault(s.ward_code or "", []).append(s)
    shown = shown_parts({code: figures(chosen) for code, chosen in parts.items()}, threshold)
    return {code: f for code, f in shown.items() if code}


def hours_for_priority(delivered: dict[str, Shown]) -> dict[str, float]:
    """Each ward's hours of help for the provision gap: a ward whose hours are not shown counts as none, so its
    priority cannot give the hidden hours away."""
    return {code: f.hours or 0.0 for code, f in delivered.items()}
