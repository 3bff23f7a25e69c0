"""The staff home page: what each role can do, with the counts that need attention (new referrals,
entries due for review), and for admins any setting missing for sending messages."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import func, select

from triage.core.permissions import ROLES
from triage.web.accounts.auth import requires
from triage.web.accounts.permissions import user_can
from triage.web.config import message_settings
from triage.web.directory.editing import count_due_for_review
from triage.web.extensions import db
from triage.web.models import Referral
from triage.web.referrals.service import visible_to
from triage.web.staff import bp


@bp.get("/")
@requires("use_staff_area")
def home():
    new = visible_to(current_user).where(Referral.status == "sent").subquery()
    new_referrals = db.session.scalar(select(func.count()).select_from(new))
    review_due = count_due_for_review() if user_can("manage_directory") else 0
    # The settings were checked at start (malformed ones refuse to start); missing ones are for admins to fix.
    message_problems = message_settings(current_app.config) if current_user.role == "admin" else []
    return render_template(
        "staff/home.html",
        role_name=ROLES[current_user.role],
        new_referrals=new_referrals,
        review_due=review_due,
        message_problems=message_problems,
    )
