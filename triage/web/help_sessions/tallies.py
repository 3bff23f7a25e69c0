"""Keeping the session logs' day tallies (HelpDayStat): added to as a log is saved, taken from as it is changed
or deleted, and rebuilt from the stored logs by `flask rebuild-insight`.

Each log adds its triage.core.impact.Tally to four rows of its day and organisation: in all, by champion, by
where it was and by ward. What a log adds does not depend on whether it still has a plan, so erasing a plan
(which keeps its logs as help without a plan) leaves the tallies right.
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
from triage.web.models import HelpDayStat, HelpSession

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


def _key(log: HelpSession) -> tuple[date, int]:
    return log.session_date, log.organisation_id or NO_ORGANISATION


def _upsert():
    """One row's insert that adds to the row already there: the same statement each time, so it is compiled
    once and sent for the four rows together."""
    statement = (pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert)(HelpDayStat)
    return statement.on_conflict_do_update(
        index_elements=["grouping", "day", "organisation_id", "value"],
        set_={name: getattr(HelpDayStat, name) + getattr(statement.excluded, name) for name in impact.TALLIED},
    )


def _add(day: date, organisation_id: int, values: dict[str, str], t: impact.Tally) -> None:
    counts = {name: getattr(t, name) for name in impact.TALLIED}
    rows = [
        {"grouping": g, "day": day, "organisation_id": organisation_id, "value": v, **counts} for g, v in values.items()
    ]
    db.session.execute(_upsert(), rows)


def add(log: HelpSession) -> None:
    """Add a saved log, as it is now, to its day's tallies (in the caller's transaction)."""
    _add(*_key(log), _values(log), of(log))


def take_away(log: HelpSession) -> None:
    """Take a log, as it is now (before it is changed or deleted), from its day's tallies."""
    _add(*_key(log), _values(log), -of(log))


def rebuild(batch: int = 5000) -> int:
    """Tally every stored log again from scratch; returns how many logs were tallied."""
    totals: defaultdict[tuple, impact.Tally] = defaultdict(impact.Tally)
    count = 0
    for log in db.session.execute(select(HelpSession).execution_options(yield_per=batch)).scalars():
        day, organisation_id = _key(log)
        t = of(log)
        for grouping, value in _values(log).items():
            totals[grouping, day, organisation_id, value] += t
        count += 1
    db.session.execute(delete(HelpDayStat))
    rows = [
        {"grouping": g, "day": d, "organisation_id": o, "value": v, **{n: getattr(t, n) for n in impact.TALLIED}}
        for (g, d, o, v), t in totals.items()
    ]
    for first in range(0, len(rows), batch):
        db.session.execute(insert(HelpDayStat), rows[first : first + batch])
    db.session.commit()
    return count
