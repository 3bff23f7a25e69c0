"""Ward insight for council officers: observed need from Signpost's own assessments, the help available in
each ward, referral outcomes, and the ranked provision gap, for a chosen period.

Counts come from WardMonthStat (kept as plans are saved), so a page reads a few thousand rows however
many assessments there are. Every count below INSIGHT_SUPPRESS_BELOW is suppressed (None) here, before
any page or export sees it.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from triage.core import booking_figures, impact
from triage.core.geometry import load_wards
from triage.core.insight import (
    AT_RISK_BANDS,
    Priority,
    last_day,
    months_shown,
    priorities,
    protect,
    share,
    suppressed,
    years_with_counts,
)
from triage.core.permissions import Reach
from triage.core.scoring_model import BANDS, DOMAINS
from triage.web.areas import packs
from triage.web.areas.profiles import council
from triage.web.booking import figures as booking_counts
from triage.web.extensions import db
from triage.web.help_sessions import counting
from triage.web.insight.counts import monthly, totals
from triage.web.models import Referral, Resource, Ward, WardMonthStat


def ward_boundaries(lads: tuple[str, ...] | None = None) -> tuple:
    """The real ward boundaries (ONS, generalised) of these districts (by default every one the council
    serves), for the map."""
    return _boundaries(lads or council().lads)


@lru_cache(maxsize=4)
def _boundaries(lads: tuple[str, ...]) -> tuple:
    wards = []
    for lad in lads:
        with packs.pack(lad).path("ward_boundaries").open(encoding="utf-8") as f:
            wards += load_wards(json.load(f))
    return tuple(wards)


def residents() -> dict[str, tuple[int, int]]:
    """Census 2021 usual residents and residents aged 65+ per ward (approximate: best-fit LSOAs)."""
    return _residents(council().lads)


@lru_cache(maxsize=4)
def _residents(lads: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    result = {}
    for lad in lads:
        with packs.pack(lad).path("ward_indicators").open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                result[row["ward_code"]] = (int(row["census2021_usual_residents"]), int(row["census2021_aged_65_plus"]))
    return result


@dataclass
class Need:
    """What Signpost saw in one ward over the period (suppressed counts are None)."""

    total: int = 0
    bands: Counter = field(default_factory=Counter)
    routes: Counter = field(default_factory=Counter)
    goals: Counter = field(default_factory=Counter)
    score_sums: Counter = field(default_factory=Counter)
    by_month: Counter = field(default_factory=Counter)

    @property
    def at_risk(self) -> int:
        return sum(self.bands[b] for b in AT_RISK_BANDS)


def observed(since: date, until: date, ward_code: str | None = None) -> dict[str, Need]:
    """Each ward's need over the months from `since` to `until` (summed in the database)."""
    needs: dict[str, Need] = defaultdict(Need)
    targets = {"band": "bands", "route": "routes", "goal": "goals", "score_sum": "score_sums"}
    for ward, metric, code, n in totals(since, until, ward_code):
        if metric == "assessments":
            needs[ward].total += n
        else:
            getattr(needs[ward], targets[metric])[code] += n
    for ward, month, n in monthly(since, until, ward_code):
        needs[ward].by_month[month] += n
    return needs


@dataclass(frozen=True)
class Provision:
    champions: int
    venues: int
    courses: int
    sessions_per_week: int
    resources: tuple[Resource, ...]

    @property
    def support_points(self) -> int:
        return len(self.resources)


def provision() -> dict[str, Provision]:
    """Open help placed in each ward (by its postcode) or covering it; sessions count weekly opening slots."""
    rows = db.session.execute(
        select(Resource).where(Resource.status == "active").options(selectinload(Resource.wards))
    ).scalars()
    placed: dict[str, set[Resource]] = defaultdict(set)
    for r in rows:
        for code in {c for c in (r.ward_code, *(w.code for w in r.wards)) if c is not None}:
            placed[code].add(r)
    result = {}
    for code, items in placed.items():
        ordered = tuple(sorted(items, key=lambda r: (r.kind, r.name)))
        result[code] = Provision(
            champions=sum(r.kind == "digital_champion" for r in ordered),
            venues=len({r.postcode for r in ordered if r.postcode and r.ward_code == code}),
            courses=sum(r.kind == "course" for r in ordered),
            sessions_per_week=sum(len(r.opening_times or []) for r in ordered if r.ward_code == code),
            resources=ordered,
        )
    return result


def referral_outcomes(since: date, until: date) -> dict[str, Counter]:
    query = (
        select(Referral.ward_code, Referral.status, func.count())
        .where(Referral.created_at >= since, func.date(Referral.created_at) <= until)
        .group_by(Referral.ward_code, Referral.status)
    )
    outcomes: dict[str, Counter] = defaultdict(Counter)
    for ward_code, status, n in db.session.execute(query):
        outcomes[ward_code or "unknown"][status] += n
    return outcomes


@dataclass(frozen=True)
class WardRow:
    """One ward's figures for the dashboard, already suppressed."""

    ward: Ward
    residents: int
    aged_65_plus: int
    assessments: int | None
    at_risk: int | None
    at_risk_share: float | None
    top_need: str | None
    provision: Provision
    per_1000_65_plus: float
    per_100_at_risk: float | None
    delivered: impact.Shown  # help Digital Champions logged in the ward
    priority: Priority


def threshold() -> int:
    return current_app.config["INSIGHT_SUPPRESS_BELOW"]


def _shareable(need: Need) -> bool:
    return share(need.at_risk, need.total, threshold()) is not None


def top(counter: Counter, limit: int, total: int) -> list[tuple[str, int]]:
    """The most common codes whose counts can be shown: neither they nor the people without them are few."""
    small = threshold()
    shown = [(c, n) for c, n in counter.most_common() if n >= small and (total - n == 0 or total - n >= small)]
    return shown[:limit]


NOTHING_DELIVERED = impact.shown_total(impact.figures(impact.Tally()), 1)


def delivered(since: date, until: date) -> dict[str, impact.Shown]:
    """The help Digital Champions logged in each ward from `since` to `until`, suppressed across wards and within
    districts, so it hides the wards "Help given" hides for the same dates, whose district totals are shown."""
    parts = counting.figures("ward", since, until, Reach(every=True))
    return impact.by_ward(parts, threshold(), counting.districts_of(parts))


def dashboard(since: date, until: date, risk: dict[str, float | None], measure: str = "listed") -> list[WardRow]:
    """Every council ward with its need, provision, help delivered and priority, ranked by priority; the
    provision gap is measured by listed help or by help delivered (insight.GAP_MEASURES)."""
    wards = {w.code: w for w in db.session.execute(select(Ward)).scalars() if w.code in risk}
    needs, places, people = observed(since, until), provision(), residents()
    given = delivered(since, until)
    empty = Provision(0, 0, 0, 0, ())
    if measure == "delivered":
        hours = impact.hours_for_priority(given)
        support: dict[str, float] = {w: hours.get(w, 0.0) for w in wards}
    else:
        support = {w: places.get(w, empty).support_points for w in wards}
    ranked = priorities(
        risk,
        # wards whose share cannot be shown count as the borough, so their rank reveals nothing hidden
        at_risk={w: needs[w].at_risk for w in wards if w in needs and _shareable(needs[w])},
        totals={w: needs[w].total for w in wards if w in needs and _shareable(needs[w])},
        people_65_plus={w: people.get(w, (0, 0))[1] for w in wards},
        support=support,
    )
    rows = []
    limit = threshold()
    for p in ranked:
        need, here = needs.get(p.ward_code, Need()), places.get(p.ward_code, empty)
        usual, older = people.get(p.ward_code, (0, 0))
        shown_share = share(need.at_risk, need.total, limit)
        at_risk = need.at_risk if shown_share is not None else None
        top_routes = top(need.routes, 1, need.total)
        rows.append(
            WardRow(
                ward=wards[p.ward_code],
                residents=usual,
                aged_65_plus=older,
                assessments=suppressed(need.total, limit),
                at_risk=at_risk,
                at_risk_share=shown_share,
                top_need=top_routes[0][0] if top_routes else None,
                provision=here,
                per_1000_65_plus=1000 * here.support_points / older if older else 0.0,
                per_100_at_risk=100 * here.support_points / at_risk if at_risk else None,
                delivered=given.get(p.ward_code, NOTHING_DELIVERED),
                priority=p,
            )
        )
    return rows


def domain_averages(need: Need) -> list[tuple[str, float | None]]:
    """Mean score per domain, shown only when the ward's count can be shown."""
    shown = suppressed(need.total, threshold()) is not None and need.total > 0
    return [(label, need.score_sums[d] / need.total if shown else None) for d, label in DOMAINS]


@dataclass(frozen=True)
class WardFigures:
    """A ward's observed need over a period, every count already suppressed below the threshold."""

    need: Need
    months: list[tuple[date, int | None]]
    bands: list[tuple[str, int | None]]
    averages: list[tuple[str, float | None]]
    outcomes: dict[str, int]
    total: int | None
    bookings: booking_figures.Shown  # the bookings of people from the ward (else at its venues) in the period
    bookings_by_month: list[tuple[date, booking_figures.Shown]]


def ward_figures(code: str, since: date, until: date, today: date) -> WardFigures:
    """What a ward's page and its CSV tables show for the months from `since` to `until`."""
    limit = threshold()
    need = observed(since, last_day(until), code).get(code, Need())
    shown = months_shown(since, until, today)
    by_month = protect({m: need.by_month.get(m, 0) for m in shown}, limit)
    band_counts = protect({b: need.bands[b] for b in BANDS}, limit)
    outcomes: dict[str, int] = referral_outcomes(since, last_day(until)).get(code, {})
    booked = booking_counts.counts("month", since, last_day(until), ward_code=code)
    booked_by_month = booking_figures.table({m: booked.get(m, booking_figures.NONE) for m in shown}, limit)
    return WardFigures(
        need=need,
        months=[(m, by_month[m]) for m in shown],
        bands=[(b, band_counts[b]) for b in BANDS],
        averages=domain_averages(need),
        outcomes={status: n for status, n in outcomes.items() if n >= limit},
        total=need.total if need.total >= limit else None,
        bookings=booked_by_month[booking_figures.ALL],
        bookings_by_month=[(m, booked_by_month[m]) for m in shown],
    )


def bookings_by_ward(since: date, until: date) -> dict[str, booking_figures.Shown]:
    """The bookings of each ward (the person's, else the venue's) from `since` to `until`, suppressed across the
    wards and their sum (bookings of no known ward take part in the suppression but are not returned)."""
    shown = booking_figures.table(booking_counts.counts("ward", since, until), threshold())
    return {str(code): figures for code, figures in shown.items() if code and code != booking_figures.ALL}


def years() -> list[int]:
    """The financial years with counts, newest first (always including this one)."""
    first = db.session.scalar(select(func.min(WardMonthStat.month)))
    return years_with_counts(first, datetime.now(UTC).date())
