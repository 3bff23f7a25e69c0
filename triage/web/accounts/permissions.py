"""What the signed-in person may do, asked the same way in views and templates (where it is `can`).

`user_can("read_insight")` asks the role matrix; `user_can("update_referral", referral)` asks a rule about
one record. Both only pass the person's and the record's values to triage.core.permissions, where the
rules are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_login import current_user
from sqlalchemy import select

from triage.core.permissions import (
    can,
    can_change_help_session,
    can_edit_entry,
    can_open_plan,
    can_see_contact_details,
    can_see_referral,
    can_update_referral,
    in_district,
)
from triage.web.extensions import db
from triage.web.models import Assessment, HelpSession, Referral, Resource, StaffUser


def _in_district(user: StaffUser, referral: Referral) -> bool:
    return in_district(user.district_code, referral.ward.lad_code if referral.ward else None)


def _see_referral(user: StaffUser, referral: Referral) -> bool:
    return can_see_referral(user.role, user.organisation_id, referral.organisation_id) and _in_district(user, referral)


def _see_contact_details(user: StaffUser, referral: Referral) -> bool:
    return _in_district(user, referral) and can_see_contact_details(
        user.role,
        user.organisation_id,
        referral.organisation_id,
        user_id=user.id,
        made_by_id=referral.created_by_id,
        erased=referral.personal_details_erased_at is not None,
    )


def _update_referral(user: StaffUser, referral: Referral) -> bool:
    allowed = can_update_referral(user.role, user.organisation_id, referral.organisation_id)
    return allowed and _in_district(user, referral)


def _edit_entry(user: StaffUser, resource: Resource) -> bool:
    return can_edit_entry(user.role, user.organisation_id, resource.organisation_id)


def _open_plan(user: StaffUser, assessment: Assessment) -> bool:
    referred_to = select(Referral.organisation_id).where(Referral.assessment_id == assessment.id)
    return can_open_plan(
        user.role,
        user.organisation_id,
        user_id=user.id,
        made_by_id=assessment.staff_user_id,
        referred_to=db.session.execute(referred_to).scalars(),
    )


def _change_help_session(user: StaffUser, log: HelpSession) -> bool:
    from triage.web.help_sessions.service import today  # the service reads the permission rules too

    return can_change_help_session(
        user.role, user.id, logged_by_id=log.logged_by_id, session_date=log.session_date, today=today()
    )


RECORD_RULES: dict[str, Callable[[StaffUser, Any], bool]] = {
    "see_referral": _see_referral,
    "see_contact_details": _see_contact_details,
    "update_referral": _update_referral,
    "edit_entry": _edit_entry,
    "open_plan": _open_plan,
    "change_help_session": _change_help_session,
}


def user_can(action: str, record: Referral | Resource | Assessment | HelpSession | None = None) -> bool:
    """True if the signed-in person may take the action (on this record, for a record rule); never for
    someone who is not signed in."""
    if record is None and action in RECORD_RULES:
        raise TypeError(f"{action!r} is a rule about one record: pass the record")
    if not current_user.is_authenticated:
        return False
    if record is None:
        return can(current_user.role, action)
    return RECORD_RULES[action](current_user, record)


def init_app(app: Flask) -> None:
    app.add_template_global(user_can, "can")
