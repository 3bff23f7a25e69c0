"""The impact report's wellbeing section: the answers read for a date range and a reach, paired by plan, and
the figures (triage.core.wellbeing.figures) with their CSV rows.

"Before" is a plan's first one-to-one first visit with answers, on or before its follow-up; "after" is its
latest follow-up with answers in the dates. A walk-in has no plan, so its answers count among those given at a
first visit but are never paired. A champion's report reads their organisation's session logs and the
follow-ups of referrals to it, as the rest of the report does; a report for one district, the logs in its wards
and the follow-ups of plans made there."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime, time

from sqlalchemy import Select, false, or_, select

from triage.core import wellbeing
from triage.core.permissions import Reach
from triage.web.extensions import db
from triage.web.help_sessions.counting import in_district
from triage.web.help_sessions.service import COUNCIL_TIME
from triage.web.models import Assessment, FollowUp, HelpSession, Referral, WellbeingAnswers, as_utc
from triage.web.wellbeing.forms import asked

EVERY = Reach(every=True)


def _columns(model: type[WellbeingAnswers]) -> list:
    return [getattr(model, wellbeing.field(code)) for code in wellbeing.CODES]


def _answered(model: type[WellbeingAnswers]):
    return or_(*(column.is_not(None) for column in _columns(model)))


def answers_of(row) -> dict[str, int | None]:
    return {code: getattr(row, wellbeing.field(code)) for code in wellbeing.CODES}


def _first_visits(reach: Reach) -> Select:
    """One-to-one first visits with any answer, that `reach` admits."""
    query = select(HelpSession.assessment_id, HelpSession.session_date, *_columns(HelpSession)).where(
        HelpSession.kind == "one_to_one", HelpSession.first_visit.is_(True), _answered(HelpSession)
    )
    query = query.where(in_district(HelpSession.ward_code, reach))
    if reach.every:
        return query
    return query.where(
        false() if reach.organisation_id is None else HelpSession.organisation_id == reach.organisation_id
    )


def _latest_follow_ups(since: date, until: date, reach: Reach) -> dict[int, tuple[date, dict[str, int | None]]]:
    """Each plan's latest follow-up with answers in the dates: its day (the council's, as a session's date is)
    and its answers."""
    query = select(FollowUp.assessment_id, FollowUp.created_at, *_columns(FollowUp)).where(
        FollowUp.created_at >= datetime.combine(since, time.min),
        FollowUp.created_at <= datetime.combine(until, time.max),
        _answered(FollowUp),
    )
    if reach.district is not None:
        query = query.join(Assessment, FollowUp.assessment_id == Assessment.id).where(
            in_district(Assessment.ward_code, reach)
        )
    if not reach.every:
        query = query.join(Referral, FollowUp.referral_id == Referral.id).where(
            false() if reach.organisation_id is None else Referral.organisation_id == reach.organisation_id
        )
    rows = db.session.execute(query.order_by(FollowUp.created_at, FollowUp.id))
    return {
        row.assessment_id: (as_utc(row.created_at).astimezone(COUNCIL_TIME).date(), answers_of(row)) for row in rows
    }


def first_visit_answers(
    plans: Collection[int], reach: Reach = EVERY, by_day: Mapping[int, date] | None = None
) -> dict[int, dict[str, int | None]]:
    """The answers at each plan's first one-to-one first visit with answers (on or before its day in `by_day`,
    when given) that `reach` admits."""
    if not plans:
        return {}
    query = _first_visits(reach).where(HelpSession.assessment_id.in_(plans))
    before: dict[int, dict[str, int | None]] = {}
    for row in db.session.execute(query.order_by(HelpSession.session_date, HelpSession.id)):
        if row.assessment_id not in before and (by_day is None or row.session_date <= by_day[row.assessment_id]):
            before[row.assessment_id] = answers_of(row)
    return before


def _pairs(latest: dict[int, tuple[date, dict[str, int | None]]], reach: Reach) -> list[tuple[dict, dict]]:
    before = first_visit_answers(set(latest), reach, {plan: day for plan, (day, _) in latest.items()})
    return [(before[plan], after) for plan, (_, after) in latest.items() if plan in before]


def figures_between(since: date, until: date, reach: Reach, threshold: int) -> wellbeing.Figures | None:
    """The section's figures; None (no section) when the council does not ask the questions and nobody answered
    them in the dates, so that a report on a year when they were asked still shows them after they stop."""
    first = _first_visits(reach).where(HelpSession.session_date >= since, HelpSession.session_date <= until)
    first_visits = [answers_of(row) for row in db.session.execute(first)]
    latest = _latest_follow_ups(since, until, reach)
    if not asked() and not first_visits and not latest:
        return None
    return wellbeing.figures(first_visits, _pairs(latest, reach), threshold)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def csv_rows(figures: wellbeing.Figures) -> list[list]:
    """The section's (section, figure, value) rows; a hidden figure is empty."""
    rows: list[list] = [
        ["wellbeing", "answered_at_first_visit", figures.answered_first],
        ["wellbeing", "people_before_and_after", figures.paired],
    ]
    for c in figures.changes:
        rows += [
            ["wellbeing", f"{c.code}_people", c.people],
            ["wellbeing", f"{c.code}_mean_before", _round(c.before)],
            ["wellbeing", f"{c.code}_mean_after", _round(c.after)],
            ["wellbeing", f"{c.code}_better", c.better],
            ["wellbeing", f"{c.code}_{c.band}_before_pct", _round(c.band_before)],
            ["wellbeing", f"{c.code}_{c.band}_after_pct", _round(c.band_after)],
        ]
    return rows
