"""Changing your own password, at /staff/password: every other session of the account ends, and this one
carries on signed in."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_user

from triage.web.accounts import service
from triage.web.accounts.auth import requires, sign_out
from triage.web.accounts.forms import ChangePasswordForm
from triage.web.extensions import db, limiter
from triage.web.shell import audit
from triage.web.staff import bp


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])  # as sign-in: it checks a password
@requires("use_staff_area")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            service.change_password(user, form.current_password.data, form.new_password.data)
        except service.AccountLocked as locked:
            db.session.commit()  # the lock-out ended this session with the others
            sign_out()
            flash(f"You have been signed out. {locked}")
            return redirect(url_for("staff.sign_in"))
        except service.AccountError as problem:
            db.session.commit()  # a wrong current password counts towards the lock-out
            form.current_password.errors = [str(problem)]
        else:
            audit.record("password changed", f"account {user.id}", "every other session ended")
            db.session.commit()
            login_user(user)  # this session carries on, with the account's new session version
            flash("Your password has been changed. You have been signed out everywhere else", "success")
            return redirect(url_for("staff.home"))
    return render_template("staff/accounts/password.html", form=form, back=url_for("staff.home"))
