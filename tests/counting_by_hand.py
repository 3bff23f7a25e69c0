"""Session logs counted one by one, as a person would: the reference the help-given figures are checked
against. The service never counts this way: it adds up day tallies and lets the database count the plans
(triage/web/help_sessions/counting.py); `combine` works out both parts the slow way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from triage.core.impact import CONNECTING, Figures, PlanCounts, Tally, counts_by_plan, figures, tally

APRIL, MAY = date(2026, 4, 1), date(2026, 5, 1)


@dataclass(frozen=True)
class Log:
    """One session log, as a champion would record it."""

    month: date = APRIL
    ward: str | None = "Lemyngton"
    champion: int = 1
    minutes: int = 30
    kind: str = "one_to_one"
    headcount: int = 1
    plan_id: int | None = None
    first_visit: bool = False
    given: frozenset[str] = frozenset()
    tasks: int = 1
    independence: str = "some_help"


def session(**changes) -> Log:
    return Log(**changes)


def combine(logs: Iterable[Log]) -> tuple[Tally, PlanCounts]:
    """The logs' tally and their plans' counts, worked out one log at a time."""
    chosen = list(logs)
    total = sum(
        (tally(s.minutes, s.headcount if s.kind == "group" else 1, s.first_visit, s.given, s.tasks, s.independence)
         for s in chosen),
        Tally(),
    )  # fmt: skip
    plans = [s for s in chosen if counts_by_plan(s.kind, s.plan_id)]
    connecting = [s for s in plans if s.given & CONNECTING]
    on_own = [s for s in plans if s.independence == "on_own"]
    counts = PlanCounts(
        len(plans),
        len({s.plan_id for s in plans}),
        len(connecting),
        len({s.plan_id for s in connecting}),
        len(on_own),
        len({s.plan_id for s in on_own}),
    )
    return total, counts


def of(logs: Iterable[Log]) -> Figures:
    return figures(*combine(logs))


def grouped(logs: Iterable[Log], key) -> dict:
    parts: dict = {}
    for s in logs:
        parts.setdefault(key(s), []).append(s)
    return {k: of(v) for k, v in sorted(parts.items(), key=lambda kv: str(kv[0]))}


def people_by_hand(logs: Iterable[Log]) -> int:
    """People helped as a person counts them: each plan once, each walk-in once, each group its headcount."""
    plans, others = set(), 0
    for s in logs:
        if s.kind == "group":
            others += s.headcount
        elif s.plan_id is not None:
            plans.add(s.plan_id)
        else:
            others += 1
    return len(plans) + others
