"""Referrals in the database: making one, changing its status with a history, who may see which.

The rules themselves (which status may follow which, what counts as overdue) are in
triage.core.referrals.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import Select, false, select

from triage.core.interface_languages import DEFAULT
from triage.core.permissions import receiving_roles, referral_reach
from triage.core.referrals import CLOSED, is_overdue, transition_problem
from triage.web.extensions import db
from triage.web.models import Assessment, Referral, ReferralEvent, Resource, StaffUser, Ward
from triage.web.referrals import updates
from triage.web.shell import audit


class ReferralError(ValueError):
    pass


def receiving_organisations() -> set[int]:
    """Organisations with at least one active account that takes referrals: someone there will see one."""
    query = select(StaffUser.organisation_id).where(StaffUser.role.in_(receiving_roles()), StaffUser.active.is_(True))
    return {org for org in db.session.execute(query.distinct()).scalars() if org is not None}


def can_receive_referrals(resource: Resource, receiving: set[int] | None = None) -> bool:
    """Only active help run by an organisation with people in Signpost can take a referral."""
    if receiving is None:
        receiving = receiving_organisations()
    return resource.status == "active" and resource.organisation_id in receiving


def create_referral(
    assessment: Assessment,
    resource: Resource,
    contact: dict[str, str],
    created_by: StaffUser | None,
    updates_by: str = "",
    language: str = DEFAULT,
) -> Referral:
    """Send a referral, with the person's consent recorded now, its audit entry and an email to each of the
    help's people; `contact` has name, phone, email, contact_times and note, and the person hears what happens
    by `updates_by` ("sms", "email" or "" for not at all) in `language`."""
    if not can_receive_referrals(resource):
        raise ReferralError("This help cannot take referrals through Signpost")
    now = datetime.now(UTC)
    referral = Referral(
        assessment=assessment,
        resource=resource,
        organisation_id=resource.organisation_id,
        ward_code=assessment.ward_code,
        status="sent",
        created_by=created_by,
        contact_name=contact["name"].strip(),
        contact_phone=contact["phone"].strip(),
        contact_email=contact["email"].strip(),
        contact_times=contact["contact_times"].strip(),
        note=contact["note"].strip(),
        consent_recorded_at=now,
        updates_by=updates_by,
        language=language,
    )
    referral.events.append(ReferralEvent(from_status=None, to_status="sent", by=created_by))
    db.session.add(referral)
    db.session.flush()
    audit.record("referral created", f"referral {referral.id}", f"to {resource.name}")
    updates.new_referral(referral, created_by)
    return referral


def change_status(referral: Referral, new: str, reason: str, by: StaffUser) -> None:
    problem = transition_problem(referral.status, new, reason)
    if problem:
        raise ReferralError(problem)
    referral.events.append(ReferralEvent(from_status=referral.status, to_status=new, by=by, reason=reason.strip()))
    audit.record("referral status changed", f"referral {referral.id}", f"{referral.status} to {new}")
    referral.status = new
    if new in CLOSED:
        referral.closed_at = datetime.now(UTC)
    updates.tell_the_person(referral, by)


def visible_to(user: StaffUser) -> Select:
    """The referrals a user may see, as a query: triage.core.permissions.referral_reach and in_district in
    SQL, so a list holds exactly the referrals the page's rule (accounts/permissions.py) lets them open."""
    reach = referral_reach(user.role, user.organisation_id)
    query = select(Referral)
    if user.district_code is not None:  # in_district: only the district's wards, never a ward not known
        query = query.where(Referral.ward_code.in_(select(Ward.code).where(Ward.lad_code == user.district_code)))
    if reach.every:
        return query
    if reach.organisation_id is None:
        return query.where(false())
    return query.where(Referral.organisation_id == reach.organisation_id)


def overdue(referral: Referral, today: date | None = None) -> bool:
    sent_on = referral.created_at.date()
    return is_overdue(
        referral.status,
        sent_on,
        today or datetime.now(UTC).date(),
        current_app.config["REFERRAL_ACCEPT_WORKING_DAYS"],
        current_app.config["NON_WORKING_DAYS"],
    )
