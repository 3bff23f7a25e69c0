"""The help-given figures for a date range, for every organisation or one, in every district or one (a Reach), in
all or by month, champion, organisation, venue or ward: the sums from the tallies (tallies.py), and how many
different plans the plans' sessions were, counted in the database from an index (ix_help_session_plan_sessions).
Shared by "Help given", the ward insight's help delivered and the impact report; the rules are triage.core.impact's.

Keys: a month is its first day; an organisation its id (0 for none); a champion their account id as text; a
venue `venue-<id>` or where it was instead; a ward its code; "" where it is not known.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, false, func, literal_column, select, true

from triage.core import impact
from triage.core.help_sessions import ON_THEIR_OWN
from triage.core.insight import month_of
from triage.core.permissions import Reach
from triage.web.extensions import db
from triage.web.help_sessions.tallies import NO_ORGANISATION, venue_value
from triage.web.models import HelpSession, HelpTally, Ward

Key = Any  # a month's date, an organisation's id or text: see above
SUMS = [func.sum(getattr(HelpTally, name)) for name in impact.TALLIED]


def _month_text(column) -> ColumnElement:
    """A date column's month as YYYY-MM, in this database's words."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _month(text: str) -> date:
    return date.fromisoformat(f"{text}-01")


def _organisation(column, reach: Reach) -> ColumnElement:
    if reach.every:
        return true()
    return false() if reach.organisation_id is None else column == reach.organisation_id


def in_district(ward_column, reach: Reach) -> ColumnElement[bool]:
    """True for the records whose ward (`ward_column`) is in the district `reach` is limited to, if any; a record
    whose ward is not known is in none (triage.core.permissions.in_district). The district's wards are given as
    a list: with a subquery, "Help given" for a district took three times the whole council's on SQLite
    (bench/impact_report.py)."""
    if reach.district is None:
        return true()
    wards = db.session.execute(select(Ward.code).where(Ward.lad_code == reach.district)).scalars()
    return ward_column.in_(list(wards))


def districts_of(wards: Iterable[str]) -> dict[str, str]:
    """Each known ward's district (LAD code), for suppressing by ward within districts (insight.protect)."""
    codes = set(wards) - {""}
    return dict(db.session.execute(select(Ward.code, Ward.lad_code).where(Ward.code.in_(codes))).all())


def _district(column, reach: Reach) -> ColumnElement[bool]:
    return true() if reach.district is None else column == reach.district


def _tallies(grouping: str, by, since: date, until: date, reach: Reach, values: Iterable[str] | None = None):
    """The sums for each value of `by`: the whole months' tallies and the days' at either end, one query each."""
    rows: list[Any] = []
    for span, first, last in impact.tally_spans(since, until):
        query = select(by, *SUMS).where(
            HelpTally.grouping == grouping,
            HelpTally.span == span,
            HelpTally.start >= first,
            HelpTally.start <= last,
            _organisation(HelpTally.organisation_id, reach),
            _district(HelpTally.district, reach),
        )
        if values is not None:
            query = query.where(HelpTally.value.in_(list(values)))
        rows += db.session.execute(query.group_by(by)).all()
    return rows


def tallies(by: str | None, since: date, until: date, reach: Reach) -> dict[Key, impact.Tally]:
    """The sessions' tallies for each key of grouping `by` (None: in all, under the key "")."""
    if by is None:
        rows = _tallies("all", HelpTally.value, since, until, reach)
    elif by == "month":
        rows = _tallies("all", HelpTally.start, since, until, reach)
    elif by == "organisation":
        rows = _tallies("all", HelpTally.organisation_id, since, until, reach)
    else:
        rows = _tallies(by, HelpTally.value, since, until, reach)
    found: defaultdict[Key, impact.Tally] = defaultdict(impact.Tally)
    for key, *sums in rows:
        t = impact.Tally(*(int(n or 0) for n in sums))
        if t.sessions:
            found[month_of(key) if by == "month" else key] += t
    return dict(found)


def _plan_keys(by: str | None) -> list[Any]:
    if by is None:
        return []
    keys: dict[str, list[Any]] = {
        "month": [_month_text(HelpSession.session_date)],
        "organisation": [func.coalesce(HelpSession.organisation_id, NO_ORGANISATION)],
        "champion": [HelpSession.logged_by_id],
        "venue": [HelpSession.place, HelpSession.venue_id],
        "ward": [HelpSession.ward_code],
    }
    return keys[by]


def _plan_key(by: str | None, parts: tuple) -> Key:
    if by is None:
        return ""
    if by == "month":
        return _month(parts[0])
    if by == "venue":
        return venue_value(*parts)
    if by in {"champion", "ward"}:
        return "" if parts[0] is None else str(parts[0])
    return parts[0]


def _plan_sessions(since: date, until: date, reach: Reach) -> list[ColumnElement[bool]]:
    """The one-to-one sessions logged from a plan in the dates that `reach` admits, in the index's own conditions
    written out (a bound value would hide that they are the same), so that the database reads the index alone."""
    return [
        and_(HelpSession.assessment_id.is_not(None), HelpSession.kind != literal_column("'group'")),
        HelpSession.session_date >= since,
        HelpSession.session_date <= until,
        _organisation(HelpSession.organisation_id, reach),
        in_district(HelpSession.ward_code, reach),
    ]


def plan_counts(
    by: str | None, since: date, until: date, reach: Reach, wards: Iterable[str] | None = None
) -> dict[Key, impact.PlanCounts]:
    """For each key of grouping `by`, the one-to-one sessions logged from a plan and how many plans they were
    (impact.PlanCounts without the connected and upskilled counts: see `plan_outcomes`); `wards`, if given, counts
    only the sessions in those wards."""
    keys = _plan_keys(by)
    query = select(*keys, func.count(), func.count(distinct(HelpSession.assessment_id)))
    query = query.where(*_plan_sessions(since, until, reach))
    if wards is not None:
        query = query.where(HelpSession.ward_code.in_(list(wards)))
    if keys:
        query = query.group_by(*keys)
    return {
        _plan_key(by, tuple(parts)): impact.PlanCounts(sessions, plans)
        for *parts, sessions, plans in db.session.execute(query).all()
        if sessions
    }


def plan_outcomes(since: date, until: date, reach: Reach) -> impact.PlanCounts:
    """All of the plans' counts in the dates, connected and upskilled too, asked in the way each engine answers
    fastest (three years of a million logs): PostgreSQL counts the three kinds of distinct plans side by side (89 ms
    against 144 ms), SQLite adds up each plan's sessions first and then counts the plans (159 ms against 305 ms)."""
    plan, on_own = HelpSession.assessment_id, HelpSession.independence == ON_THEIR_OWN
    connecting_sessions = func.sum(case((HelpSession.connecting, 1), else_=0))
    upskilled_sessions = func.sum(case((on_own, 1), else_=0))
    if db.engine.dialect.name == "postgresql":
        query = select(
            func.count(),
            func.count(distinct(plan)),
            connecting_sessions,
            func.count(distinct(case((HelpSession.connecting, plan)))),
            upskilled_sessions,
            func.count(distinct(case((on_own, plan)))),
        ).where(*_plan_sessions(since, until, reach))
    else:
        per_plan = (
            select(
                func.count().label("sessions"),
                connecting_sessions.label("connecting"),
                upskilled_sessions.label("upskilled"),
            )
            .where(*_plan_sessions(since, until, reach))
            .group_by(plan)
            .subquery()
        )
        query = select(
            func.sum(per_plan.c.sessions),
            func.count(),
            func.sum(per_plan.c.connecting),
            func.sum(case((per_plan.c.connecting > 0, 1), else_=0)),
            func.sum(per_plan.c.upskilled),
            func.sum(case((per_plan.c.upskilled > 0, 1), else_=0)),
        )
    return impact.PlanCounts(*(int(n or 0) for n in db.session.execute(query).one()))


def figures(by: str | None, since: date, until: date, reach: Reach) -> dict[Key, impact.Figures]:
    """The figures for each key of grouping `by` (None: in all, under the key "")."""
    plans = plan_counts(by, since, until, reach)
    return {k: impact.figures(t, plans.get(k, impact.NO_PLANS)) for k, t in tallies(by, since, until, reach).items()}


def total(since: date, until: date, reach: Reach) -> tuple[impact.Tally, impact.PlanCounts]:
    """Every session's tally in the dates, and their plans' counts."""
    return (
        tallies(None, since, until, reach).get("", impact.Tally()),
        plan_outcomes(since, until, reach),
    )


def in_wards(wards: frozenset[str], since: date, until: date, reach: Reach) -> impact.Figures:
    """The figures for the sessions in `wards`, each plan counted once across them."""
    found = _tallies("ward", HelpTally.grouping, since, until, reach, wards)
    t = sum((impact.Tally(*(int(n or 0) for n in sums)) for _, *sums in found), impact.Tally())
    return impact.figures(t, plan_counts(None, since, until, reach, wards).get("", impact.NO_PLANS))


def active_champions(since: date, until: date, reach: Reach) -> dict[date, int]:
    """How many Digital Champions logged at least one session in each month of the dates that had any (a month is
    either whole, from its month tallies, or partly in the dates, from its days')."""
    month = _month_text(HelpTally.start)
    found: dict[date, int] = {}
    for span, first, last in impact.tally_spans(since, until):
        query = (
            select(month, func.count(distinct(HelpTally.value)))
            .where(
                HelpTally.grouping == "champion",
                HelpTally.span == span,
                HelpTally.value != "",
                HelpTally.sessions > 0,
                HelpTally.start >= first,
                HelpTally.start <= last,
                _organisation(HelpTally.organisation_id, reach),
                _district(HelpTally.district, reach),
            )
            .group_by(month)
        )
        found |= {_month(m): n for m, n in db.session.execute(query).all()}
    return found
