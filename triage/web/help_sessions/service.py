"""Session logs in the database: the council's today, which logs someone may list, where a session's ward
comes from, and saving or deleting a log with its tallies and audit line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_login import current_user
from sqlalchemy import Row, Select, false, select, update

from triage.core import impact
from triage.core.geography import Lookup
from triage.core.help_sessions import GIVEN, TASKS, Entry, people_in
from triage.core.permissions import help_session_reach
from triage.web.assessments.places import find_postcode
from triage.web.extensions import db
from triage.web.help_sessions import tallies
from triage.web.models import Assessment, Booking, HelpSession, Referral, Resource, StaffUser
from triage.web.shell import audit

COUNCIL_TIME = ZoneInfo("Europe/London")
NOT_FOUND = "We could not find that postcode in this council's area. Check it, or leave it empty"


def today() -> date:
    """Today where the council is: a session logged just after midnight in summer is today's, not yesterday's."""
    return datetime.now(COUNCIL_TIME).date()


def logs_visible_to(user: StaffUser) -> Select:
    """The logs someone may list: every log for officers, their own for a champion."""
    reach = help_session_reach(user.role, user.id)
    query = select(HelpSession)
    if reach.every:
        return query
    if reach.logged_by_id is None:
        return query.where(false())
    return query.where(HelpSession.logged_by_id == reach.logged_by_id)


def onward_help() -> Sequence[Row[int, str]]:
    """The help someone can be referred on to: the directory's active entries' ids and names, by name."""
    query = select(Resource.id, Resource.name).where(Resource.status == "active")
    return db.session.execute(query.order_by(Resource.name, Resource.id)).all()


def ward_for(assessment: Assessment | None, venue: Resource | None, postcode: str) -> tuple[str | None, str | None]:
    """The session's ward, from the plan, else the venue, else a typed postcode (looked up, never kept); and a
    problem with the postcode, if one was typed and is not one here."""
    if assessment is not None and assessment.ward_code:
        return assessment.ward_code, None
    if venue is not None and venue.ward_code:
        return venue.ward_code, None
    if not postcode.strip():
        return None, None
    found = find_postcode(postcode)
    if found.outcome is not Lookup.FOUND or found.place is None:
        return None, NOT_FOUND
    return found.place.ward_code, None


def save(
    log: HelpSession,
    entry: Entry,
    ward_code: str | None,
    before_commit: Callable[[HelpSession], None] | None = None,
) -> HelpSession:
    """Write a checked entry into a log (a new one or a correction), audited in the same commit, with whatever
    `before_commit` does (a booking linked to its log)."""
    assert entry.session_date and entry.minutes and entry.kind and entry.place and entry.device  # checked
    assert entry.independence
    new = log.id is None
    if not new:
        tallies.take_away(log)
    log.session_date = entry.session_date
    log.minutes = entry.minutes
    log.kind = entry.kind
    log.headcount = people_in(entry.kind, entry.headcount)
    log.place = entry.place
    log.venue_id = entry.venue_id
    log.tasks = [code for code in TASKS if code in entry.tasks]
    log.device = entry.device
    log.independence = entry.independence
    log.given = [code for code in GIVEN if code in entry.given]
    log.onward_resource_id = entry.onward_id
    log.first_visit = bool(entry.first_visit)
    log.ward_code = ward_code
    log.connecting = bool(set(entry.given) & impact.CONNECTING)
    if new:
        log.logged_by_id = current_user.id
        log.organisation_id = current_user.organisation_id
        db.session.add(log)
    db.session.flush()
    tallies.add(log)
    audit.record("help session logged" if new else "help session changed", f"help session {log.id}")
    if before_commit is not None:
        before_commit(log)
    db.session.commit()
    return log


def delete(log: HelpSession) -> None:
    """Delete a log, and its link from any booking it was logged from (SQLite enforces no ON DELETE SET NULL)."""
    tallies.take_away(log)
    db.session.execute(update(Booking).where(Booking.help_session_id == log.id).values(help_session_id=None))
    audit.record("help session deleted", f"help session {log.id}", f"of {log.session_date.isoformat()}")
    db.session.delete(log)
    db.session.commit()


def referral_log(referral: Referral) -> HelpSession:
    """A new log for a session with someone referred: it hangs off the referral and its plan."""
    return HelpSession(referral_id=referral.id, assessment_id=referral.assessment_id)
