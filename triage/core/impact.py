"""The help given, computed from session logs and never typed: people helped, sessions, hours, first visits,
SIMs and devices given and tasks done on their own; in all, and by month, champion, organisation, venue and
ward, with the ward insight's small-number suppression (triage.core.insight.protect); and the impact report's
figures for a date range: reach, Supported / Connected / Upskilled in Good Things Foundation's terms, distance
travelled from follow-ups, referral outcomes, satisfaction and active Digital Champions per month.

People helped counts each plan once however many sessions it had; a one-to-one session without a plan is one
person (a walk-in, who may have come before: it cannot be told without a name, which is never kept), and a
group is its headcount. docs/impact.md explains each figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date

from triage.core.help_sessions import DEVICES_GIVEN, GIVEN, ON_THEIR_OWN
from triage.core.insight import protect, share, suppressed
from triage.core.referrals import REFERRAL_STATUSES
from triage.core.scoring_model import DOMAINS


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
    champion_id: int | None = None  # tells apart two champions of the same name


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


# The impact report

TOP_RISK_WARDS = 5  # the strategy's "wards with the highest risk of digital exclusion"
SATISFIED = frozenset({"very_satisfied", "satisfied"})
CONNECTING = frozenset(GIVEN)  # a data SIM, a loaned or gifted device, a switch to a social tariff
# Good Things Foundation's terms, as Signpost counts them (the page and docs/impact.md say the same).
OUTCOMES = {
    "supported": ("Supported", "People helped: each plan once, each walk-in once, and each group's headcount."),
    "connected": (
        "Connected",
        "People given a data SIM, a loaned or gifted device, or a switch to a social tariff: each plan once, and "
        "one for each other session where one was given (a group's log does not say how many of it were).",
    ),
    "upskilled": (
        "Upskilled",
        "People who did a task on their own by the end of a session: counted like people helped, over those "
        "sessions (a group's whole headcount, as its log records how the group did).",
    ),
}


def highest_risk(risk: Mapping[str, float | None], n: int = TOP_RISK_WARDS) -> frozenset[str]:
    """The n wards with the highest area risk score (ties go to the lower ward code)."""
    known = sorted((w for w, v in risk.items() if v is not None), key=lambda w: (-(risk[w] or 0.0), w))
    return frozenset(known[:n])


@dataclass(frozen=True)
class Reach:
    """How far the help reached, as shown (None: too few to show)."""

    people: int | None
    sessions: int | None
    hours: float | None
    wards: int  # wards with any help: a count of places, not people, so never hidden
    in_highest_risk: int | None  # people helped who live in the TOP_RISK_WARDS highest-risk wards
    highest_risk_share: float | None  # their percentage of everyone helped


def reach(sessions: Iterable[Session], risk: Mapping[str, float | None], threshold: int) -> Reach:
    chosen = list(sessions)
    top = highest_risk(risk)
    people = people_helped(chosen)
    in_top = people_helped(s for s in chosen if s.ward_code in top)
    percentage = share(in_top, people, threshold)
    shown_sessions = suppressed(len(chosen), threshold)
    return Reach(
        people=suppressed(people, threshold),
        sessions=shown_sessions,
        hours=None if shown_sessions is None else sum(s.minutes for s in chosen) / 60,
        wards=len({s.ward_code for s in chosen if s.ward_code}),
        in_highest_risk=None if percentage is None else in_top,
        highest_risk_share=percentage,
    )


def connected(sessions: Iterable[Session]) -> int:
    """Plans given something that connects them, once each, plus one for each other session where one was."""
    plans: set[int] = set()
    others = 0
    for s in sessions:
        if not s.given & CONNECTING:
            continue
        if s.kind != "group" and s.plan_id is not None:
            plans.add(s.plan_id)
        else:
            others += 1
    return len(plans) + others


def outcomes(sessions: Iterable[Session], threshold: int) -> dict[str, int | None]:
    """Supported, Connected and Upskilled (OUTCOMES), each hidden when small."""
    chosen = list(sessions)
    counts = {
        "supported": people_helped(chosen),
        "connected": connected(chosen),
        "upskilled": people_helped(s for s in chosen if s.independence == ON_THEIR_OWN),
    }
    return {name: suppressed(n, threshold) for name, n in counts.items()}


def people_by_month(sessions: Iterable[Session], months: Iterable[date], threshold: int) -> dict[date, int | None]:
    """People helped in each month (0 for a month without help), suppressed across the months."""
    parts: dict[date, list[Session]] = {m: [] for m in months}
    for s in sessions:
        if s.month in parts:
            parts[s.month].append(s)
    return protect({m: people_helped(chosen) for m, chosen in parts.items()}, threshold)


def active_champions(sessions: Iterable[Session], months: Iterable[date]) -> dict[date, int]:
    """Digital Champions who logged at least one session in each month. A count of champions, not of the
    people they helped, so it is never hidden."""
    active: dict[date, set] = {m: set() for m in months}
    for s in sessions:
        if s.month in active:
            active[s.month].add(s.champion_id or s.champion)
    return {m: len(who) for m, who in active.items()}


@dataclass(frozen=True)
class Progress:
    """One domain's distance travelled: mean scores (0 to 10, higher is more in the way) before and after,
    and how many people's score went down (got better). None: too few to show."""

    domain: str
    label: str
    before: float | None
    after: float | None
    better: int | None
    better_share: float | None


def distance(
    pairs: Iterable[tuple[Mapping[str, int], Mapping[str, int]]], threshold: int
) -> tuple[int | None, list[Progress]]:
    """How many people were followed up, and each domain's progress, from (scores at the plan, scores at the
    follow-up) for each person. Nothing is shown when fewer than `threshold` were followed up."""
    chosen = list(pairs)
    n = len(chosen)
    shown = n > 0 and n >= threshold
    result = []
    for domain, label in DOMAINS:
        better = sum(1 for before, after in chosen if after[domain] < before[domain])
        percentage = share(better, n, threshold) if shown else None
        result.append(
            Progress(
                domain=domain,
                label=label,
                before=sum(b[domain] for b, _ in chosen) / n if shown else None,
                after=sum(a[domain] for _, a in chosen) / n if shown else None,
                better=better if percentage is not None else None,
                better_share=percentage,
            )
        )
    return suppressed(n, threshold), result


def referral_outcomes(statuses: Iterable[str], threshold: int) -> dict[str, int | None]:
    """Referrals by where they are now, in REFERRAL_STATUSES order, suppressed across the statuses."""
    counts = Counter(statuses)
    return protect({status: counts[status] for status in REFERRAL_STATUSES}, threshold)


@dataclass(frozen=True)
class Satisfaction:
    answers: int | None
    by_rating: dict[str, int | None]
    satisfied_share: float | None  # very satisfied or satisfied, as a percentage of the answers


def satisfaction(ratings: Iterable[str], order: Iterable[str], threshold: int) -> Satisfaction:
    """The feedback ratings, counted in `order`, suppressed across the ratings."""
    counts = Counter(ratings)
    total = sum(counts.values())
    happy = sum(counts[r] for r in SATISFIED)
    return Satisfaction(
        answers=suppressed(total, threshold),
        by_rating=protect({r: counts[r] for r in order}, threshold),
        satisfied_share=share(happy, total, threshold),
    )
