"""Keeping the session logs' tallies (HelpTally): added to as a log is saved, taken from as it is changed or
deleted, and rebuilt from the stored logs by `flask rebuild-insight`.

Each log adds its triage.core.impact.Tally to eight rows of its organisation and its ward's district: for its day
and for its month, in all, by champion, by where it was and by ward. Whole months are read from the month rows,
the days at either end of a date range from the day rows (counting.py). What a log adds does not depend on whether
it still has a plan, so erasing a plan (which keeps its logs as help without a plan) leaves the tallies right.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from triage.core import impact
from triage.core.help_sessions import VENUE
from triage.web.extensions import db
from triage.web.models import HelpSession, HelpTally, Ward

GROUPINGS = ("all", "champion", "venue", "ward")
NO_ORGANISATION = 0


def venue_value(place: str, venue_id: int | None) -> str:
    """How a session's where is tallied: `venue-<id>` for one of the organisation's venues, else the place."""
    return f"{VENUE}-{venue_id}" if place == VENUE and venue_id is not None else place


def _values(log: HelpSession) -> dict[str, str]:
    return {
        "all": "",
        "champion": "" if log.logged_by_id is None else str(log.logged_by_id),
        "venue": venue_value(log.place, log.venue_id),
        "ward": log.ward_code or "",
    }


def of(log: HelpSession) -> impact.Tally:
    return impact.tally(log.minutes, log.headcount, log.first_visit, log.given, len(log.tasks), log.independence)


def _starts(day: date) -> dict[str, date]:
    return {"day": day, "month": day.replace(day=1)}


def _district(log: HelpSession) -> str:
    """The LAD code of the log's ward ("" when not known), from the session's identity map when it can be."""
    if log.ward_code is None:
        return ""
    with db.session.no_autoflush:
        ward = db.session.get(Ward, log.ward_code)
    return ward.lad_code if ward else ""


def _key(log: HelpSession, district: str) -> tuple[date, int, str]:
    return log.session_date, log.organisation_id or NO_ORGANISATION, district


def _upsert():
    """One row's insert that adds to the row already there: the same statement each time, so it is compiled
    once and sent for the eight rows together."""
    statement = (pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert)(HelpTally)
    return statement.on_conflict_do_update(
        index_elements=["grouping", "span", "start", "organisation_id", "value", "district"],
        set_={name: getattr(HelpTally, name) + getattr(statement.excluded, name) for name in impact.TALLIED},
    )


def _add(day: date, organisation_id: int, district: str, values: dict[str, str], t: impact.Tally) -> None:
    counts = {name: getattr(t, name) for name in impact.TALLIED}
    key = {"organisation_id": organisation_id, "district": district}
    rows = [
        {"grouping": g, "span": span, "start": start, "value": v, **key, **counts}
        for g, v in values.items()
        for span, start in _starts(day).items()
    ]
    db.session.execute(_upsert(), rows)


def add(log: HelpSession) -> None:
    """Add a saved log, as it is now, to its day's and month's tallies (in the caller's transaction)."""
    _add(*_key(log, _district(log)), _values(log), of(log))


def take_away(log: HelpSession) -> None:
    """Take a log, as it is now (before it is changed or deleted), from its day's and month's tallies."""
    _add(*_key(log, _district(log)), _values(log), -of(log))


def rebuild(batch: int = 5000) -> int:
    """Tally every stored log again from scratch; returns how many logs were tallied."""
    totals: defaultdict[tuple, impact.Tally] = defaultdict(impact.Tally)
    districts = dict(db.session.execute(select(Ward.code, Ward.lad_code)).all())
    count = 0
    for log in db.session.execute(select(HelpSession).execution_options(yield_per=batch)).scalars():
        day, organisation_id, district = _key(log, districts.get(log.ward_code or "", ""))
        t = of(log)
        for grouping, value in _values(log).items():
            for span, start in _starts(day).items():
                totals[grouping, span, start, organisation_id, value, district] += t
        count += 1
    db.session.execute(delete(HelpTally))
    rows = [
        {"grouping": g, "span": p, "start": d, "organisation_id": o, "value": v, "district": lad}
        | {n: getattr(t, n) for n in impact.TALLIED}
        for (g, p, d, o, v, lad), t in totals.items()
    ]
    for first in range(0, len(rows), batch):
        db.session.execute(insert(HelpTally), rows[first : first + batch])
    db.session.commit()
    return count
