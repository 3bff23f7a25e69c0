"""CSV exports for council officers: referrals with their outcomes, and every status change.

No contact details go into an export: officers get who was referred where, from which area, what
happened and how long it took, and the scores before and after support where a follow-up exists, with the
wellbeing answers (triage.core.wellbeing) at the plan's first visit and at that follow-up where they were given.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from triage.core.referrals import CLOSED, REFERRAL_STATUSES, working_days_between
from triage.core.scoring_model import DOMAINS
from triage.core.spreadsheet_cells import escape
from triage.core.wellbeing import CODES, no_answers
from triage.web.extensions import db
from triage.web.models import FollowUp, Referral
from triage.web.wellbeing.report import answers_of, first_visit_answers


def safe_cell(value) -> str:
    """Text as a spreadsheet shows it: no value can start a formula (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return escape(str(value))


def csv_text(header: list[str], rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()


def _referrals(since: date | None, until: date | None) -> list[Referral]:
    query = select(Referral).options(
        selectinload(Referral.events), selectinload(Referral.resource), selectinload(Referral.organisation)
    )
    if since:
        query = query.where(Referral.created_at >= datetime.combine(since, time.min))
    if until:
        query = query.where(Referral.created_at < datetime.combine(until, time.max))
    return list(db.session.execute(query.order_by(Referral.id)).scalars())


def _latest_follow_ups(assessment_ids: set[int]) -> dict[int, FollowUp]:
    latest: dict[int, FollowUp] = {}
    if assessment_ids:
        query = select(FollowUp).where(FollowUp.assessment_id.in_(assessment_ids)).order_by(FollowUp.id)
        for follow_up in db.session.execute(query).scalars():
            latest[follow_up.assessment_id] = follow_up
    return latest


REFERRAL_HEADER = [
    "referral_id",
    "sent_at",
    "referred_by",
    "help_id",
    "help_name",
    "help_kind",
    "organisation",
    "ward_code",
    "ward_name",
    "status",
    "accepted_at",
    "closed_at",
    "working_days_to_answer",
    "outcome_reason",
    *[f"before_{d}" for d, _ in DOMAINS],
    "follow_up_at",
    *[f"after_{d}" for d, _ in DOMAINS],
    "contact_details_erased",
    *[f"before_wellbeing_{code}" for code in CODES],
    *[f"after_wellbeing_{code}" for code in CODES],
]


def referral_rows(since: date | None = None, until: date | None = None) -> Iterator[list]:
    referrals = _referrals(since, until)
    plans = {r.assessment_id for r in referrals if r.assessment_id}
    follow_ups = _latest_follow_ups(plans)
    first_visits = first_visit_answers(plans)
    holidays = current_app.config["NON_WORKING_DAYS"]
    for r in referrals:
        answered = next((e for e in r.events if e.from_status == "sent"), None)
        closing = next((e for e in reversed(r.events) if e.to_status in CLOSED), None)
        before = r.assessment if r.assessment_id else None
        after = follow_ups.get(r.assessment_id) if r.assessment_id else None
        yield [
            r.id,
            r.created_at,
            "staff" if r.created_by_id else "resident",
            r.resource_id,
            r.resource.name,
            r.resource.kind,
            r.organisation.name if r.organisation else "",
            r.ward_code,
            r.ward.name if r.ward else "",
            REFERRAL_STATUSES[r.status],
            answered.at if answered and answered.to_status == "accepted" else None,
            r.closed_at,
            working_days_between(r.created_at.date(), answered.at.date(), holidays) if answered else None,
            closing.reason if closing else "",
            *[getattr(before, f"score_{d}") if before else None for d, _ in DOMAINS],
            after.created_at if after else None,
            *[getattr(after, f"score_{d}") if after else None for d, _ in DOMAINS],
            "yes" if r.personal_details_erased_at else "no",
            *first_visits.get(r.assessment_id or 0, no_answers()).values(),
            *(answers_of(after) if after else no_answers()).values(),
        ]


HISTORY_HEADER = ["referral_id", "at", "from_status", "to_status", "by_role", "reason"]


def history_rows(since: date | None = None, until: date | None = None) -> Iterator[list]:
    for r in _referrals(since, until):
        for e in r.events:
            yield [
                r.id,
                e.at,
                REFERRAL_STATUSES[e.from_status] if e.from_status else "",
                REFERRAL_STATUSES[e.to_status],
                e.by.role if e.by else "resident",
                e.reason,
            ]
