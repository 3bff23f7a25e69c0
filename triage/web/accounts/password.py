"""Passwords: changing your own at /staff/password (every other session of the account ends, and this one
carries on signed in), and choosing a new one from an officer's reset link (triage.web.accounts.reset_links)."""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user

from triage.web.accounts import reset_links, service
from triage.web.accounts.auth import requires, sign_out
from triage.web.accounts.forms import ChangePasswordForm, ChoosePasswordForm
from triage.web.extensions import db, limiter
from triage.web.shell import audit
from triage.web.staff import bp


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])  # as sign-in: it checks a password
@requires("use_staff_area")
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm(user)
    if form.validate_on_submit():
        try:
            service.change_password(user, form.current_password.data, form.new_password.data, get_remote_address())
        except service.SignedOutEverywhere as paused:
            db.session.commit()  # the pause ended this session with the others
            sign_out()
            flash(f"You have been signed out. {paused}")
            return redirect(url_for("staff.sign_in"))
        except service.AccountError as problem:
            db.session.commit()  # a wrong current password counts towards the pause
            form.current_password.errors = [str(problem)]
        else:
            audit.record("password changed", f"account {user.id}", "every other session ended")
            db.session.commit()
            login_user(user)  # this session carries on, with the account's new session version
            flash("Your password has been changed. You have been signed out everywhere else", "success")
            return redirect(url_for("staff.home"))
    return render_template("staff/accounts/password.html", form=form, back=url_for("staff.home"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
def choose_password(token: str):
    """The page a reset link opens: choose a new password, then sign in with it."""
    found = reset_links.find(token)
    if found.reset is None or found.problem:
        status = 404 if found.problem == "unknown" else 410
        page = render_template("staff/accounts/reset_link_problem.html", problem=found.problem)
        return _not_kept(make_response(page, status))
    person = found.reset.user
    form = ChoosePasswordForm(person)
    if form.validate_on_submit():
        reset_links.use(found.reset, form.new_password.data)
        audit.record("password chosen from reset link", f"account {person.id}", "every session ended", by=person)
        db.session.commit()
        sign_out()  # whoever was signed in on this browser, the next step is signing in as this person
        flash("Your new password is saved. Sign in with it now", "success")
        return redirect(url_for("staff.sign_in"))
    page = render_template("staff/accounts/choose_password.html", form=form, person=person)
    return _not_kept(make_response(page))


def _not_kept(response):
    """Pages reached by a reset link are never cached, so the link's page is not kept on a shared computer."""
    response.headers["Cache-Control"] = "no-store"
    return response
