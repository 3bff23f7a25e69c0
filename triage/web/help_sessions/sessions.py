"""Session logs read as the figures need them (triage.core.impact.Session): those in a date range, for every
organisation or one. Shared by "Help given", the ward insight's help delivered and the impact report."""

from __future__ import annotations

from datetime import date

from sqlalchemy import false, select
from sqlalchemy.orm import selectinload

from triage.core import impact
from triage.core.help_sessions import PLACES
from triage.core.insight import month_of
from triage.core.permissions import Reach
from triage.web.extensions import db
from triage.web.models import HelpSession


def _as_session(log: HelpSession) -> impact.Session:
    where = log.venue.name if log.venue else PLACES.get(log.place, log.place)
    return impact.Session(
        month=month_of(log.session_date),
        champion=log.logged_by.name if log.logged_by else "Removed account",
        organisation=log.organisation.name if log.organisation else "No organisation",
        venue=where,
        ward=log.ward.name if log.ward else "Not known",
        minutes=log.minutes,
        kind=log.kind,
        headcount=log.headcount,
        plan_id=log.assessment_id,
        first_visit=log.first_visit,
        given=frozenset(log.given),
        tasks=len(log.tasks),
        independence=log.independence,
        ward_code=log.ward_code,
        champion_id=log.logged_by_id,
    )


def sessions_between(since: date, until: date, reach: Reach) -> list[impact.Session]:
    """The sessions whose date is from `since` to `until` (inclusive) that `reach` admits."""
    query = select(HelpSession).where(HelpSession.session_date >= since, HelpSession.session_date <= until)
    if not reach.every:
        query = query.where(
            false() if reach.organisation_id is None else HelpSession.organisation_id == reach.organisation_id
        )
    query = query.options(
        selectinload(HelpSession.venue),
        selectinload(HelpSession.logged_by),
        selectinload(HelpSession.organisation),
        selectinload(HelpSession.ward),
    )
    return [_as_session(log) for log in db.session.execute(query).scalars()]
