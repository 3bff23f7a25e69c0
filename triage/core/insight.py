"""Ward insight rules: what is counted from each assessment, the periods shown (financial years and their
months), small-number suppression, and the ranked "provision gap" priority that brings area risk,
observed need and provision together.

The priority follows docs/triage-model.md section 4.3, and every term is kept so the page can
show why a ward ranks where it does. The weights are a proposal for officers to adjust.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from triage.core.scoring_model import DOMAINS

Part = TypeVar("Part", str, date)  # what a shown total is split by: a band or a month

AT_RISK_BANDS = frozenset({"high", "very_high"})
PRIORITY_WEIGHTS = {"risk": 0.5, "need": 0.3, "gap": 0.2}
# What the provision gap measures help by: what the directory lists, or what Digital Champions logged.
GAP_MEASURES = {"listed": "places to get help", "delivered": "hours of help delivered"}
SHRINK_BELOW = 30  # fewer assessments than this: the ward's share is pulled towards the borough's


def month_of(day: date) -> date:
    return day.replace(day=1)


def financial_year(day: date) -> int:
    """The council's year (April to March) a day falls in, named by the year it starts."""
    return day.year if day.month >= 4 else day.year - 1


def year_months(year: int) -> tuple[date, date]:
    """The first and last month of a financial year. Periods are whole years that never overlap, so no
    small count can be worked out by comparing one period with another."""
    return date(year, 4, 1), date(year + 1, 3, 1)


def add_months(month: date, n: int) -> date:
    """The first of the month n months after (or, for negative n, before) `month`."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def last_day(month: date) -> date:
    """The last day of `month`."""
    return date.fromordinal(add_months(month, 1).toordinal() - 1)


def months_shown(since: date, until: date, today: date) -> list[date]:
    """The months from `since` to `until` that have begun by `today`: months still to come have no rows."""
    months, month = [], since
    while month <= min(until, month_of(today)):
        months.append(month)
        month = add_months(month, 1)
    return months


def years_with_counts(first_month: date | None, today: date) -> list[int]:
    """The financial years a council can choose, newest first: from the first counted month's to this one."""
    this_year = financial_year(today)
    start = financial_year(first_month) if first_month else this_year
    return list(range(this_year, min(start, this_year) - 1, -1))


def chosen_year(asked: str, years: list[int]) -> tuple[int, str | None]:
    """The financial year asked for (by default the newest), and the problem if it is not one of `years`."""
    year = int(asked) if re.fullmatch(r"[0-9]{4}", asked) else None
    if asked and year not in years:
        return years[0], "Choose a year from the list"
    return year or years[0], None


def chosen_measure(asked: str) -> tuple[str, str | None]:
    """The provision gap's measure asked for (by default listed help), and the problem if it is not one."""
    if asked and asked not in GAP_MEASURES:
        return "listed", "Choose listed help or help delivered"
    return asked or "listed", None


def tallies(band: str, routes: Iterable[str], goals: Iterable[str], scores: dict[str, int]) -> list[tuple]:
    """What one assessment adds to its ward's month: (metric, code, amount)."""
    rows = [("assessments", "", 1), ("band", band, 1)]
    rows += [("route", code, 1) for code in dict.fromkeys(routes)]
    rows += [("goal", code, 1) for code in dict.fromkeys(goals) if code != "none"]
    rows += [("score_sum", domain, scores[domain]) for domain, _ in DOMAINS]
    return rows


def suppressed(n: int | None, threshold: int) -> int | None:
    """A count small enough to identify someone is not shown (None) anywhere, exports included."""
    if n is None or 0 < n < threshold:
        return None
    return n


def protect(
    parts: Mapping[Part, int], threshold: int, groups: Mapping[Part, str] | None = None
) -> dict[Part, int | None]:
    """Suppress small parts of a shown total, and then enough others that none can be worked back.

    A single hidden part could be found by subtracting the shown parts from the total, so when exactly
    one is hidden the next smallest non-zero part is hidden too (secondary suppression). `groups` (a part's
    group, such as a ward's district) does the same within each group, whose total is shown on its own
    page: one hidden part alone in a group with no other non-zero part equals the group's total, which is
    then small and hidden too. So the part hidden for the whole is, if it can be, one with another shown
    beside it in its group (which the group's rule then hides too), not one alone in its group, whose total
    would give it away. The rules are applied until none hides more, as each can start the other.
    """
    shown: dict[Part, int | None] = {k: suppressed(n, threshold) for k, n in parts.items()}
    sets: list[list[Part]] = []
    if groups:
        members: dict[str, list[Part]] = {}
        for k in parts:
            if k in groups:
                members.setdefault(groups[k], []).append(k)
        sets += members.values()
    sets.append(list(parts))  # after the groups, whose own hiding may already hide two across the whole

    def alone(k: Part) -> bool:
        """True if no other part of k's group is shown and more than none."""
        return groups is not None and k in groups and not any(j != k and shown[j] for j in members[groups[k]])

    changed = True
    while changed:
        changed = False
        for keys in sets:
            hidden = [k for k in keys if shown[k] is None]
            others = sorted((alone(k), parts[k], k) for k in keys if shown[k])
            if len(hidden) == 1 and others:
                shown[others[0][2]] = None
                changed = True
    return shown


def share(part: int, whole: int, threshold: int) -> float | None:
    """part / whole as a percentage, or None when the part, the rest or the whole is small enough to identify
    someone (so no hidden count can be worked back from it)."""
    if whole < threshold or 0 < part < threshold or 0 < whole - part < threshold or whole == 0:
        return None
    return 100.0 * part / whole


def shrunk_share(at_risk: int, total: int, borough_share: float) -> float:
    """The ward's share of at-risk assessments, pulled towards the borough's when there are few."""
    weight = min(total, SHRINK_BELOW) / SHRINK_BELOW
    own = at_risk / total if total else borough_share
    return weight * own + (1 - weight) * borough_share


def scale(values: dict[str, float | None]) -> dict[str, float | None]:
    """Min–max to 0–10 across wards (all equal: 0 for all); None stays None."""
    known = [v for v in values.values() if v is not None]
    if not known:
        return dict.fromkeys(values)
    low, high = min(known), max(known)

    def scaled(v: float) -> float:
        return 0.0 if high == low else 10 * (v - low) / (high - low)

    return {k: None if v is None else scaled(v) for k, v in values.items()}


@dataclass(frozen=True)
class Priority:
    ward_code: str
    risk: float | None  # the area risk index, 0–10
    need: float | None  # observed need, 0–10
    gap: float | None  # provision gap, 0–10
    score: float | None
    rank: int | None


def priorities(
    risk: dict[str, float | None],
    at_risk: dict[str, int],
    totals: dict[str, int],
    people_65_plus: dict[str, int],
    support: dict[str, float],
) -> list[Priority]:
    """Wards ranked by PRIORITY_WEIGHTS × (area risk, observed need, provision gap), highest first.

    `support` is each ward's help in one of GAP_MEASURES: places to get help, or hours of help delivered."""
    wards = list(risk)
    borough = sum(at_risk.values()) / sum(totals.values()) if sum(totals.values()) else 0.0
    need = scale({w: shrunk_share(at_risk.get(w, 0), totals.get(w, 0), borough) for w in wards})
    # residents aged 65+ per place to get help or hour of help (+1, so a ward with none still ranks, highest)
    gap = scale({w: people_65_plus.get(w, 0) / (support.get(w, 0) + 1) for w in wards})
    scores = {}
    for w in wards:
        terms = {"risk": risk[w], "need": need[w], "gap": gap[w]}
        known = {k: v for k, v in terms.items() if v is not None}
        weight = sum(PRIORITY_WEIGHTS[k] for k in known)
        scores[w] = sum(PRIORITY_WEIGHTS[k] * v for k, v in known.items()) / weight if weight else None
    known_scores = {w: s for w, s in scores.items() if s is not None}
    order = sorted(known_scores, key=lambda w: -known_scores[w])
    ranks = {w: n for n, w in enumerate(order, start=1)}
    result = [Priority(w, risk[w], need[w], gap[w], scores[w], ranks.get(w)) for w in wards]
    return sorted(result, key=lambda p: (p.rank is None, p.rank or 0))
