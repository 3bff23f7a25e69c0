"""Running an assessment end to end: score, route, match, store; and reading a stored one back.

Shared by the resident journey and the JSON API, so both give the same answer for the same input.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from triage.core import matching, routing, scoring
from triage.core.reference import new_reference, normalise_reference
from triage.core.scoring_model import DOMAINS
from triage.core.text import Text, english
from triage.web.areas import packs
from triage.web.assessments.places import Place, district_of
from triage.web.directory.index import current_index
from triage.web.extensions import db
from triage.web.insight import counts as insight_counts
from triage.web.models import Assessment, AuditEvent, Recommendation, Resource, as_utc


def person_for(answers: dict, place: Place, band: str) -> matching.Person:
    district = district_of(place)
    name = packs.district_name(district) if district and packs.has_pack(district) else None
    return matching.Person.from_answers(
        answers, place.ward_code, place.ward_name, place.point, district, band, district_name=name
    )


def create_assessment(
    answers: dict,
    place: Place,
    channel: str,
    staff_user_id: int | None = None,
    consent_recorded_at: datetime | None = None,
    address_day: str | None = None,
    venue_id: int | None = None,
) -> Assessment:
    """Score validated answers for a place, match help, and store it all under a new reference.

    A plan made by staff with someone is audited in the same commit, so it is never kept without its entry.
    `address_day` is the code ward insight counts plans from one address on one day by (insight/counts.py).
    """
    result = scoring.score(answers)
    routes = routing.routes_for(answers, result)
    matches = matching.match(current_index(), person_for(answers, place, result.band), routes)
    assessment = Assessment(
        scoring_version=result.version,
        channel=channel,
        staff_user_id=staff_user_id,
        consent_recorded_at=consent_recorded_at,
        venue_id=venue_id,
        who_for=answers["who_for"],
        ward_code=place.ward_code,
        postcode_sector=place.postcode_sector,
        location_source=place.source,
        answers=answers,
        score_reasons={d: [[r.points, r.text] for r in s.reasons] for d, s in result.domains.items()},
        mean_score=result.mean,
        band=result.band,
        band_reasons=list(result.band_reasons),
        routes=[{"code": r.code, "why": r.why.to_json(), "more_help": r.code in matches.more} for r in routes],
        first_step=routing.first_step(answers, routes, matches.served),
        address_day=address_day,
        **{f"score_{d}": s.score for d, s in result.domains.items()},
    )
    assessment.recommendations = [
        Recommendation(
            position=n,
            resource_id=r.resource_id,
            routes=r.routes,
            reasons=[reason.to_json() for reason in r.reasons],
            distance_km=None if r.distance_km is None else round(r.distance_km, 3),
        )
        for n, r in enumerate(matches.recommendations)
    ]
    assessment.created_at = datetime.now(UTC)
    for _ in range(5):  # a clash of 57-bit references is vanishingly rare, but never fatal
        assessment.reference = new_reference()
        db.session.add(assessment)
        try:
            db.session.flush()  # the reference is checked here, before anything else is written with it
        except IntegrityError:
            db.session.rollback()
            continue
        insight_counts.record(assessment)
        if staff_user_id is not None:
            db.session.add(_created_by_staff(assessment))
        db.session.commit()
        return assessment
    raise RuntimeError("could not allocate a unique reference")


def _created_by_staff(assessment: Assessment) -> AuditEvent:
    """The audit entry for a plan that staff made with someone."""
    return AuditEvent(
        user_id=assessment.staff_user_id,
        action="plan created",
        subject=f"plan {assessment.reference}",
        detail=f"with someone, {assessment.channel}",
    )


def find_assessment(typed: str) -> Assessment | None:
    """The stored plan with this reference, however it was typed (spaces, dashes, case); None if there is
    none. Its help comes in one more query, the recommendations joined to their directory entries, not
    one per piece of help (bench/plan_page.py)."""
    reference = normalise_reference(typed or "")
    if reference is None:
        return None
    query = (
        select(Assessment)
        .where(Assessment.reference == reference)
        .options(selectinload(Assessment.recommendations).joinedload(Recommendation.resource))
    )
    return db.session.execute(query).scalar_one_or_none()


def plan_first_step(a: Assessment) -> str | None:
    """The plan's first step; worked out with today's rule for plans saved before plans had one."""
    if a.first_step or not a.routes:
        return a.first_step
    routes = [routing.FiredRoute(r["code"], Text.from_json(r["why"])) for r in a.routes]
    return routing.first_step(a.answers, routes, {code for rec in a.recommendations for code in rec.routes})


def domain_scores(assessment: Assessment) -> list[dict]:
    return [
        {
            "domain": d,
            "label": label,
            "score": getattr(assessment, f"score_{d}"),
            "reasons": [{"points": p, "text": t} for p, t in assessment.score_reasons.get(d, [])],
        }
        for d, label in DOMAINS
    ]


def resource_dict(r: Resource) -> dict:
    return {
        "id": r.id,
        "slug": r.slug,
        "kind": r.kind,
        "name": r.name,
        "organisation": r.organisation,
        "description": r.description,
        "sample": r.is_sample,
        "coverage": r.coverage,
        "address": r.address,
        "postcode": r.postcode,
        "ward": {"code": r.location_ward.code, "name": r.location_ward.name} if r.location_ward else None,
        "phone": r.phone,
        "email": r.email,
        "website": r.website,
        "opening_times": r.opening_times,
        "opening_notes": r.opening_notes,
        "free": r.free,
        "cost": r.cost,
        "languages": r.languages,
        "accessibility": r.accessibility,
        "delivery_modes": r.delivery_modes,
        "eligibility": r.eligibility,
        "status": r.status,
    }


def assessment_dict(a: Assessment) -> dict:
    """The stable JSON shape of a stored assessment (docs/api.md)."""
    return {
        "reference": a.reference,
        "created_at": as_utc(a.created_at).isoformat(timespec="seconds"),
        "scoring_version": a.scoring_version,
        "ward": {"code": a.ward.code, "name": a.ward.name} if a.ward else None,
        "location_source": a.location_source,
        "answers": a.answers,
        "domains": domain_scores(a),
        "mean_score": a.mean_score,
        "band": a.band,
        "band_reasons": a.band_reasons,
        "routes": [
            {"code": r["code"], "why": english(r["why"]), "more_help": bool(r.get("more_help"))} for r in a.routes
        ],
        "first_step": plan_first_step(a),
        "recommendations": [
            {
                "resource": resource_dict(rec.resource),
                "routes": rec.routes,
                "reasons": [english(reason) for reason in rec.reasons],
                "distance_km": rec.distance_km,
            }
            for rec in a.recommendations
        ],
    }
