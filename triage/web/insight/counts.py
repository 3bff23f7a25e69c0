"""Keeping the ward insight counts (WardMonthStat): added to as each assessment is saved, rebuilt from
the stored assessments by `flask rebuild-insight`, and read back for a period.

So that a bulk submission cannot move a ward's figures, at most INSIGHT_PLANS_PER_ADDRESS_PER_DAY plans sent
from one address on one day are counted; the rest are saved and work, but are marked not counted
(`Assessment.in_insight`), and the rebuild leaves them out too. Plans are told apart by a keyed code of the
address and the day (shell/addresses.py), never the address; `flask apply-retention` clears the code once its
day is over. Plans made by signed-in staff always count. Two plans from one address saved at the same moment
can both be counted when the cap is nearly reached, so a busy moment can go over it by a plan or two.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from functools import lru_cache

from flask import current_app
from flask_login import current_user
from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from triage.core.insight import month_of, tallies
from triage.core.questionnaire import as_list
from triage.core.scoring_model import DOMAINS
from triage.web.extensions import db
from triage.web.models import Assessment, WardMonthStat
from triage.web.shell.addresses import day_code

UNKNOWN_WARD = "unknown"


def _tallies(a: Assessment) -> list[tuple]:
    scores = {d: getattr(a, f"score_{d}") for d, _ in DOMAINS}
    return tallies(a.band, [r["code"] for r in a.routes], as_list(a.answers.get("goals")), scores)


def address_day() -> str | None:
    """The code this request's plan is counted by against the cap; None for signed-in staff, whose plans
    (made with someone at the counter, on the phone or at a venue) always count."""
    return None if current_user.is_authenticated else day_code()


def _over_the_cap(assessment: Assessment) -> bool:
    if assessment.address_day is None:
        return False
    counted = select(func.count()).where(
        Assessment.address_day == assessment.address_day,
        Assessment.in_insight.is_(True),
        Assessment.id != assessment.id,
    )
    return db.session.scalar(counted) >= current_app.config["INSIGHT_PLANS_PER_ADDRESS_PER_DAY"]


def record(assessment: Assessment) -> None:
    """Add one saved (flushed) assessment to its ward's month, unless its address has sent as many as are
    counted today, in which case it is marked not counted (in the caller's transaction)."""
    if _over_the_cap(assessment):
        assessment.in_insight = False
        return
    when = assessment.created_at or datetime.now(UTC)
    key = {"ward_code": assessment.ward_code or UNKNOWN_WARD, "month": month_of(when.date())}
    rows = [{**key, "metric": m, "code": c, "count": n} for m, c, n in _tallies(assessment)]
    # One statement, its rows as executemany: compiled once for every plan, where VALUES with as many rows as
    # the plan has tallies was compiled afresh for most (bench/area_scale.py)
    db.session.execute(_upsert(db.engine.dialect.name), rows)


@lru_cache(maxsize=2)
def _upsert(dialect: str):
    """The insert that adds to a month's count already there, built once per engine (not once per plan)."""
    upsert = (pg_insert if dialect == "postgresql" else sqlite_insert)(WardMonthStat)
    return upsert.on_conflict_do_update(
        index_elements=["ward_code", "month", "metric", "code"],
        set_={"count": WardMonthStat.count + upsert.excluded.count},
    )


def rebuild(batch: int = 5000) -> int:
    """Recount everything from the stored assessments that count; returns how many were counted."""
    totals: Counter = Counter()
    counted = 0
    query = select(Assessment).where(Assessment.in_insight.is_(True)).execution_options(yield_per=batch)
    for a in db.session.execute(query).scalars():
        key = (a.ward_code or UNKNOWN_WARD, month_of(a.created_at.date()))
        for metric, code, n in _tallies(a):
            totals[(*key, metric, code)] += n
        counted += 1
    db.session.execute(delete(WardMonthStat))
    rows = [{"ward_code": w, "month": m, "metric": k, "code": c, "count": n} for (w, m, k, c), n in totals.items()]
    for start in range(0, len(rows), batch):
        db.session.execute(insert(WardMonthStat), rows[start : start + batch])
    db.session.commit()
    return counted


def _in_period(query, since: date, until: date, ward_code: str | None):
    query = query.where(WardMonthStat.month >= month_of(since), WardMonthStat.month <= until)
    return query.where(WardMonthStat.ward_code == ward_code) if ward_code else query


def totals(since: date, until: date, ward_code: str | None = None) -> list[tuple[str, str, str, int]]:
    """(ward, metric, code, total) over the months from `since` to `until`, inclusive."""
    stat = WardMonthStat
    query = select(stat.ward_code, stat.metric, stat.code, func.sum(stat.count))
    query = _in_period(query, since, until, ward_code).group_by(stat.ward_code, stat.metric, stat.code)
    return [tuple(row) for row in db.session.execute(query)]


def monthly(since: date, until: date, ward_code: str | None = None) -> list[tuple[str, date, int]]:
    """(ward, month, assessments) for each month in the period."""
    stat = WardMonthStat
    query = select(stat.ward_code, stat.month, stat.count).where(stat.metric == "assessments")
    return [tuple(row) for row in db.session.execute(_in_period(query, since, until, ward_code))]
