"""The help given, computed from session logs and never typed: people helped, sessions, hours, first visits,
SIMs and devices given and tasks done on their own; in all, and by month, champion, organisation, venue and
ward, with the ward insight's small-number suppression (triage.core.insight.protect); and the impact report's
figures for a date range: reach, Supported / Connected / Upskilled in Good Things Foundation's terms, distance
travelled from follow-ups, referral outcomes, satisfaction and active Digital Champions per month.

People helped counts each plan once however many sessions it had; a one-to-one session without a plan is one
person (a walk-in, who may have come before: it cannot be told without a name, which is never kept), and a
group is its headcount. So that a year of logs is not read one by one, the figures are made from two parts:
a `Tally` of each log, which only adds up (kept per day in the database as logs are saved), and the
`PlanCounts` of the one-to-one sessions logged from a plan, which say how many different plans those sessions
were. docs/impact.md explains each figure.
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date

from triage.core.help_sessions import DEVICES_GIVEN, GIVEN, ON_THEIR_OWN
from triage.core.insight import add_months, month_of, protect, share, suppressed
from triage.core.referrals import REFERRAL_STATUSES
from triage.core.scoring_model import DOMAINS


@dataclass(frozen=True)
class Tally:
    """What sessions add up to, whoever they were with: every count a sum over the sessions, so the tallies of
    two sets of sessions add (and a changed or deleted log is taken away). `people`, `connecting` and
    `upskilled` count each one-to-one session as one person; `figures` then counts a plan's sessions once."""

    sessions: int = 0
    minutes: int = 0
    people: int = 0  # headcounts: one for a one-to-one session
    first_visits: int = 0  # people on their first visit
    sims: int = 0  # sessions where a data SIM was given
    devices: int = 0  # loaned and gifted devices
    tasks_on_their_own: int = 0  # tasks worked on in sessions done on their own at the end
    connecting: int = 0  # sessions where something that connects them was given (CONNECTING)
    upskilled: int = 0  # people in sessions done on their own at the end

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Tally)))

    def __neg__(self) -> Tally:
        return Tally(*(-getattr(self, f.name) for f in fields(Tally)))


TALLIED = tuple(f.name for f in fields(Tally))
CONNECTING = frozenset(GIVEN)  # a data SIM, a loaned or gifted device, a switch to a social tariff


def tally(
    minutes: int, headcount: int, first_visit: bool, given: Iterable[str], tasks: int, independence: str
) -> Tally:
    """One session's tally. `headcount` is 1 for a one-to-one session; a group's first visit counts it whole."""
    things = frozenset(given)
    on_own = independence == ON_THEIR_OWN
    return Tally(
        sessions=1,
        minutes=minutes,
        people=headcount,
        first_visits=headcount if first_visit else 0,
        sims=1 if "data_sim" in things else 0,
        devices=len(things & DEVICES_GIVEN),
        tasks_on_their_own=tasks if on_own else 0,
        connecting=1 if things & CONNECTING else 0,
        upskilled=headcount if on_own else 0,
    )


def counts_by_plan(kind: str, plan_id: int | None) -> bool:
    """Whether a session is one of a plan's, counted once per plan: a one-to-one session logged from a plan. A
    group counts its headcount even when logged from a plan, and a walk-in is one person each time."""
    return kind != "group" and plan_id is not None


@dataclass(frozen=True)
class PlanCounts:
    """The one-to-one sessions logged from a plan (counts_by_plan) among some sessions, and how many different
    plans they were: in all, among those where something connecting was given, and among those done on their
    own at the end."""

    sessions: int = 0
    plans: int = 0
    connecting_sessions: int = 0
    connecting_plans: int = 0
    upskilled_sessions: int = 0
    upskilled_plans: int = 0


NO_PLANS = PlanCounts()


def tally_spans(since: date, until: date) -> list[tuple[str, date, date]]:
    """The tallies that make up the days from `since` to `until`, in order: ("month", first, last) for the whole
    months among them (by their first days), and ("day", first, last) for the days before and after those, or
    for all of them when no month is whole."""
    starts_a_month = since.day == 1
    ends_a_month = until.day == monthrange(until.year, until.month)[1]
    first, last = month_of(since), month_of(until)
    if first == last and not (starts_a_month and ends_a_month):
        return [("day", since, until)]
    if not starts_a_month:
        first = add_months(first, 1)  # since is before `last`'s month, so this month exists
    if not ends_a_month:
        last = add_months(last, -1)
    if first > last:
        return [("day", since, until)]
    spans = [("month", first, last)]
    if not starts_a_month:
        spans.insert(0, ("day", since, date.fromordinal(first.toordinal() - 1)))
    if not ends_a_month:
        spans.append(("day", month_of(until), until))
    return spans


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
GROUPINGS = ("month", "champion", "organisation", "venue", "ward")


def figures(t: Tally, plans: PlanCounts = NO_PLANS) -> Figures:
    """The figures for sessions with tally `t`, of which `plans` were logged from plans: each plan is one
    person however many sessions it had."""
    return Figures(
        people=t.people - plans.sessions + plans.plans,
        sessions=t.sessions,
        minutes=t.minutes,
        first_visits=t.first_visits,
        sims=t.sims,
        devices=t.devices,
        tasks_on_their_own=t.tasks_on_their_own,
    )


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


def shown_parts(
    parts: Mapping[str, Figures], threshold: int, groups: Mapping[str, str] | None = None
) -> dict[str, Shown]:
    """Each count suppressed across the parts of its column, with secondary suppression, so no hidden part
    can be worked back from the total (nor, with `groups`, from a group's total: see insight.protect)."""
    columns = {name: protect({k: getattr(f, name) for k, f in parts.items()}, threshold, groups) for name in COUNTS}
    return {
        k: Shown(
            hours=None if columns["sessions"][k] is None else f.hours,
            **{name: columns[name][k] for name in COUNTS},
        )
        for k, f in parts.items()
    }


def by_ward(
    parts: Mapping[str, Figures], threshold: int, districts: Mapping[str, str] | None = None
) -> dict[str, Shown]:
    """The help delivered in each ward, by ward code, suppressed across the wards and within each ward's district
    (help whose ward is not known, under the code "", takes part in the suppression but is not returned)."""
    return {code: f for code, f in shown_parts(parts, threshold, districts).items() if code}


def hours_for_priority(delivered: dict[str, Shown]) -> dict[str, float]:
    """Each ward's hours of help for the provision gap: a ward whose hours are not shown counts as none, so its
    priority cannot give the hidden hours away."""
    return {code: f.hours or 0.0 for code, f in delivered.items()}


# The impact report

TOP_RISK_WARDS = 5  # the strategy's "wards with the highest risk of digital exclusion"
SATISFIED = frozenset({"very_satisfied", "satisfied"})
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


def reach(total: Figures, in_highest_risk: Figures, wards: int, threshold: int) -> Reach:
    """The reach of help whose figures are `total`, of which `in_highest_risk` was in the highest-risk wards,
    over `wards` wards."""
    percentage = share(in_highest_risk.people, total.people, threshold)
    shown_sessions = suppressed(total.sessions, threshold)
    return Reach(
        people=suppressed(total.people, threshold),
        sessions=shown_sessions,
        hours=None if shown_sessions is None else total.hours,
        wards=wards,
        in_highest_risk=None if percentage is None else in_highest_risk.people,
        highest_risk_share=percentage,
    )


def outcomes(t: Tally, plans: PlanCounts, threshold: int) -> dict[str, int | None]:
    """Supported, Connected and Upskilled (OUTCOMES), each hidden when small: a plan counts once in each."""
    counts = {
        "supported": figures(t, plans).people,
        "connected": t.connecting - plans.connecting_sessions + plans.connecting_plans,
        "upskilled": t.upskilled - plans.upskilled_sessions + plans.upskilled_plans,
    }
    return {name: suppressed(n, threshold) for name, n in counts.items()}


def people_by_month(parts: Mapping[date, Figures], months: Iterable[date], threshold: int) -> dict[date, int | None]:
    """People helped in each month (0 for a month without help), suppressed across the months."""
    return protect({m: parts[m].people if m in parts else 0 for m in months}, threshold)


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
