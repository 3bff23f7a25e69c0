"""Signing staff in and keeping them in: Flask-Login set-up, forgetting ended sessions, the idle time-out, and
the `requires` guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import wraps

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from triage.core.permissions import can
from triage.web.accounts.sessions import user_for_session
from triage.web.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "staff.sign_in"
    login_manager.login_message = "Sign in to use the staff area"
    login_manager.session_protection = "strong"

    login_manager.user_loader(user_for_session)

    @app.before_request
    def end_ended_and_idle_staff_sessions():
        if not current_user.is_authenticated:
            if "_user_id" in session:  # a staff session that has been ended elsewhere
                session.clear()  # so nothing it held, such as a customer's answers at the counter, outlives it
            return None
        now = datetime.now(UTC)
        seen = session.get("staff_seen")
        idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
        if seen and now - datetime.fromisoformat(seen) > idle:
            sign_out()
            flash(f"You were signed out after {current_app.config['STAFF_IDLE_MINUTES']} minutes without activity")
            return redirect(url_for("staff.sign_in", next=request.path))
        session["staff_seen"] = now.isoformat()
        return None


def sign_out() -> None:
    """Forget this browser's session; `sessions.end_sessions` ends the account's sessions everywhere."""
    logout_user()
    session.clear()  # also forgets any questionnaire answers a customer gave at the counter


def requires(action: str):
    """Guard a view: anonymous visitors go to sign-in; signed-in staff without the permission get a 403."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user.role, action):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_permission = action  # read by the test that every page has a way in
        return guarded

    return decorate
