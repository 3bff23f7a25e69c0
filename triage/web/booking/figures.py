"""Bookings counted for the ward insight and the impact report: by status, in all or by the month of the booked
time, the ward or the organisation, between two dates (of the booked time), for every organisation or one and
every district or one (a Reach). One query each; the suppression is triage.core.booking_figures'.

A booking's ward is its plan's (where the person lives), else its venue's; its organisation is its entry's (0 for
an entry of none). A month is its first day, by the booked time in the council's time (Europe/London): a booking
at 00:30 on 1 June, summer time, is June's, though it is still 31 May in UTC. PostgreSQL reads the month in that
zone itself; SQLite knows no zones, so it counts by the UTC hour and each hour is given its local month here
(the council's offset is whole hours).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, false, func, select

from triage.core.booking_figures import Counts
from triage.core.booking_slots import COUNCIL_TIME, HELD
from triage.core.permissions import Reach
from triage.web.extensions import db
from triage.web.help_sessions.counting import in_district
from triage.web.models import Assessment, Booking, Resource


def _bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """The UTC times from the start of `since` to the end of `until`, in the council's time (the report's dates
    may reach the year 9999, whose last day has no next)."""
    first = datetime.combine(since, time.min, tzinfo=COUNCIL_TIME).astimezone(UTC)
    if until >= date.max - timedelta(days=1):
        return first, datetime.max.replace(tzinfo=UTC)
    last = datetime.combine(until + timedelta(days=1), time.min, tzinfo=COUNCIL_TIME).astimezone(UTC)
    return first, last


def _month_key(column):
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone(COUNCIL_TIME.key, column), "YYYY-MM")
    return func.strftime("%Y-%m-%d %H", column)


def _month(key: str) -> date:
    """A month's first day from _month_key's text: 'YYYY-MM', or SQLite's UTC hour 'YYYY-MM-DD HH'."""
    if len(key) == len("YYYY-MM"):
        return date.fromisoformat(f"{key}-01")
    local = datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(COUNCIL_TIME)
    return local.date().replace(day=1)


def counts(
    by: str | None, since: date, until: date, reach: Reach | None = None, ward_code: str | None = None
) -> dict[Any, Counts]:
    """Bookings by status for each key of grouping `by` (None: in all, under the key ""), of every organisation
    or those `reach` admits, in every ward or in `ward_code` alone."""
    reach = reach or Reach(every=True)
    ward = func.coalesce(Assessment.ward_code, Resource.ward_code, "")
    keys = {
        None: [],
        "month": [_month_key(Booking.starts_at)],
        "ward": [ward],
        "organisation": [func.coalesce(Resource.organisation_id, 0)],
    }[by]
    first, last = _bounds(since, until)
    # a place held for someone on a waiting list is not a booking until they accept it
    where: list[ColumnElement[bool]] = [Booking.starts_at >= first, Booking.starts_at < last, Booking.status != HELD]
    if not reach.every:
        where.append(false() if reach.organisation_id is None else Resource.organisation_id == reach.organisation_id)
    where.append(in_district(ward, reach))
    if ward_code is not None:
        where.append(ward == ward_code)
    query = (
        select(*keys, Booking.status, func.count())
        .select_from(Booking)
        .join(Resource, Booking.resource_id == Resource.id)
        .outerjoin(Assessment, Booking.assessment_id == Assessment.id)
        .where(*where)
        .group_by(*keys, Booking.status)
    )
    found: defaultdict[Any, dict[str, int]] = defaultdict(dict)
    for *parts, status, n in db.session.execute(query).all():
        key = "" if by is None else parts[0]
        if by == "month":
            key = _month(key)
        found[key][status] = found[key].get(status, 0) + n
    return {key: Counts(statuses) for key, statuses in found.items()}
