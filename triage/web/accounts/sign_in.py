"""Signing in (with the rate limit and the pause after repeated failures) and signing out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user

from triage.web.accounts.auth import sign_out
from triage.web.accounts.forms import SignInForm
from triage.web.accounts.service import check_sign_in
from triage.web.accounts.sessions import end_sessions
from triage.web.extensions import db, limiter
from triage.web.shell import audit
from triage.web.staff import bp


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
        result = check_sign_in(form.email.data, form.password.data, get_remote_address())
        if result.user is None:
            db.session.commit()
            form.email.errors = [result.problem]
        else:
            audit.record("signed in", f"account {result.user.id}", by=result.user)
            db.session.commit()  # before the session changes, so no one is signed in without the audit entry
            sign_out()  # a fresh session, so nothing from before sign-in carries over
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("staff/accounts/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out_view():
    """Signing out ends every session of the account, wherever it is (a cookie copied from a shared computer
    included); this browser's is forgotten first, so it is signed out even if the rest fails."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    sign_out()
    if user is not None:
        end_sessions(user)
        audit.record("signed out", f"account {user.id}", "every session ended", by=user)
        db.session.commit()
    return redirect(url_for("staff.sign_in"))
