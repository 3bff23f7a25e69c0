"""Follow-up re-assessments in the database, and the progress ("distance travelled") a plan shows.

The rules (which questions are re-asked, how a change is described) are in triage.core.progress.
"""

from __future__ import annotations

from sqlalchemy import select

from triage.core.progress import Change, distance_travelled, rescore
from triage.core.scoring_model import DOMAINS
from triage.web.extensions import db
from triage.web.models import Assessment, FollowUp, Referral, StaffUser
from triage.web.shell import audit

READY_FOR_FOLLOW_UP = frozenset({"support_started", "completed"})


def can_follow_up(referral: Referral) -> bool:
    return referral.status in READY_FOR_FOLLOW_UP and referral.assessment is not None


def record_follow_up(referral: Referral, changed: dict, by: StaffUser) -> FollowUp:
    """Score the re-asked answers (raises FollowUpError naming any bad ones) and add the result, with its
    audit entry."""
    assessment = referral.assessment
    assert assessment is not None  # the caller has checked can_follow_up
    answers, result = rescore(assessment.answers, changed)
    follow_up = FollowUp(
        assessment=assessment,
        referral_id=referral.id,
        by=by,
        scoring_version=result.version,
        answers=answers,
        mean_score=result.mean,
        band=result.band,
        **{f"score_{d}": s.score for d, s in result.domains.items()},
    )
    db.session.add(follow_up)
    audit.record("follow-up recorded", f"referral {referral.id}", f"plan {assessment.reference}")
    return follow_up


def _scores(row: Assessment | FollowUp) -> dict[str, int]:
    return {d: getattr(row, f"score_{d}") for d, _ in DOMAINS}


def latest_progress(assessment: Assessment) -> tuple[FollowUp, list[Change]] | None:
    """The newest follow-up of a plan and how each domain moved since the plan was made, if any."""
    latest = db.session.execute(
        select(FollowUp).where(FollowUp.assessment_id == assessment.id).order_by(FollowUp.id.desc()).limit(1)
    ).scalar_one_or_none()
    if latest is None:
        return None
    return latest, distance_travelled(_scores(assessment), _scores(latest))
