"""Signing in and out, and the staff home page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_user
from sqlalchemy import func, select

from ...core.permissions import ROLES
from .. import audit
from ..accounts import check_sign_in
from ..directory_editing import due_for_review
from ..extensions import db, limiter
from ..models import Referral
from ..referrals import visible_to
from . import bp
from .auth import requires, sign_out
from .forms import SignInForm


def _safe_next(target: str | None) -> str:
    """Only ever return to a page on this site after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("staff.home")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    form = SignInForm()
    if form.validate_on_submit():
        result = check_sign_in(form.email.data, form.password.data)
        if result.user:
            sign_out()  # a fresh session, so nothing from before sign-in carries over
            login_user(result.user)
            audit.record("signed in", f"account {result.user.id}")
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        form.email.errors = [result.problem]
    return render_template("staff/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out_view():
    sign_out()
    return redirect(url_for("staff.sign_in"))


@bp.get("/")
@requires("use_staff_area")
def home():
    new = visible_to(current_user).where(Referral.status == "sent").subquery()
    new_referrals = db.session.scalar(select(func.count()).select_from(new))
    review_due = len(due_for_review()) if current_user.role == "admin" else 0
    return render_template(
        "staff/home.html", role_name=ROLES[current_user.role], new_referrals=new_referrals, review_due=review_due
    )
