"""How quickly each organisation answers its referrals, from the last 12 months of them, for the hint beside it on
the staff referral form. The arithmetic and when it is too few to say are in triage.core.referrals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from triage.core.referrals import Answer, Responsiveness, responsiveness, working_days_between
from triage.web.extensions import db
from triage.web.models import Referral

COUNTED_DAYS = 365
ANSWERS = ("accepted", "declined")


def _answer(referral: Referral) -> Answer:
    first = next((e for e in referral.events if e.to_status in ANSWERS), None)
    if first is None:
        return Answer(None, expired=referral.status == "not_answered")
    days = working_days_between(referral.created_at.date(), first.at.date(), current_app.config["NON_WORKING_DAYS"])
    return Answer(days, accepted=first.to_status == "accepted")


def by_organisation(organisation_ids: Iterable[int | None]) -> dict[int, Responsiveness | None]:
    """Each organisation's figures, None where its referrals are too few to say."""
    wanted = {org for org in organisation_ids if org is not None}
    since = datetime.now(UTC) - timedelta(days=COUNTED_DAYS)
    query = (
        select(Referral)
        .where(Referral.organisation_id.in_(wanted), Referral.created_at >= since)
        .options(selectinload(Referral.events))
    )
    answers: dict[int, list[Answer]] = defaultdict(list)
    for referral in db.session.execute(query).scalars():
        assert referral.organisation_id is not None  # the query asks only for organisations
        answers[referral.organisation_id].append(_answer(referral))
    below = current_app.config["INSIGHT_SUPPRESS_BELOW"]
    return {org: responsiveness(answers[org], below) for org in wanted}
