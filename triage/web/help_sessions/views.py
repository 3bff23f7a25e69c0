"""The session log pages: log a session (with no plan, from a plan or from a referral), the list of logs,
and correcting or deleting one. Champions see and change their own logs for CHANGE_OWN_LOGS_DAYS after the
session; after that, and for everyone else's, only officers can."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from triage.core.help_sessions import DEVICES, INDEPENDENCE, KINDS, PLACES, TASKS, problems
from triage.core.permissions import CHANGE_OWN_LOGS_DAYS, help_session_reach
from triage.core.wellbeing import asked_at
from triage.web.accounts.auth import requires
from triage.web.accounts.permissions import user_can
from triage.web.assessments.service import find_assessment
from triage.web.directory.venues import venues_of
from triage.web.extensions import db
from triage.web.help_sessions import service
from triage.web.help_sessions.forms import HelpSessionForm
from triage.web.models import HelpSession, Referral, Resource
from triage.web.staff import bp
from triage.web.wellbeing import forms as wellbeing

LIST_LENGTH = 50
LABELS = {"kind": KINDS, "place": PLACES, "device": DEVICES, "independence": INDEPENDENCE, "tasks": TASKS}


def _form(
    log: HelpSession, organisation_id: int | None, prefill: Callable[[HelpSessionForm], None] | None = None
) -> HelpSessionForm:
    form_class = wellbeing.with_wellbeing(HelpSessionForm) if wellbeing.on_session_log(log) else HelpSessionForm
    form = form_class(formdata=request.form if request.method == "POST" else None)
    form.offer(venues_of(organisation_id), service.onward_help())
    if request.method == "GET":
        if log.id is None:
            form.session_date.data = service.today()
            venue = log.assessment.venue_id if log.assessment else None
            if venue is not None:
                form.place.data = f"venue-{venue}"
            if prefill is not None:
                prefill(form)
        else:
            form.fill_from(log)
            if wellbeing.section(form):
                wellbeing.fill(form, log)
    return form


def log_or_save(
    log: HelpSession,
    organisation_id: int | None,
    template: str = "staff/help_sessions/log.html",
    *,
    prefill: Callable[[HelpSessionForm], None] | None = None,
    ward_venue: Resource | None = None,
    before_saving: Callable[[HelpSession], None] | None = None,
    done: str | None = None,
    context: dict[str, Any] | None = None,
):
    """Show the form for a log, or save what was sent if nothing is wrong with it. A log from somewhere else (a
    booking) comes `prefill`ed, takes its ward from `ward_venue` when the plan and the chosen venue give none, is
    linked to it by `before_saving` in the same commit, and goes back to `done`."""
    form = _form(log, organisation_id, prefill)
    context = context or {}
    if request.method == "POST":
        if not form.validate():  # only the CSRF token can be refused here
            return render_template(template, form=form, log=log, wellbeing=wellbeing.section(form), **context), 400
        entry = form.entry()
        found = problems(entry, service.today(), form.venue_ids, form.directory_ids)
        venue = db.session.get(Resource, entry.venue_id) if entry.venue_id in form.venue_ids else None
        ward, postcode_problem = service.ward_for(log.assessment, venue or ward_venue, form.postcode.data or "")
        if postcode_problem:
            found["postcode"] = postcode_problem
        asked_here = asked_at(entry.kind, entry.first_visit)
        unknown = entry.kind not in KINDS or entry.first_visit is None  # which has its own message
        answers = wellbeing.checked(form, asked_here or unknown)
        if answers is not None:
            found |= answers.problems
        if found:
            form.show_problems(found)
            return render_template(template, form=form, log=log, wellbeing=wellbeing.section(form), **context), 400
        new = log.id is None
        wellbeing.keep_on_log(log, answers, asked_here)
        service.save(log, entry, ward, before_commit=before_saving)
        flash("Session saved" if new else "Session corrected", "success")
        return redirect(done or url_for("staff.help_sessions"))
    return render_template(template, form=form, log=log, wellbeing=wellbeing.section(form), **context)


@bp.route("/help-sessions/new", methods=["GET", "POST"])
@requires("log_help_sessions")
def log_session():
    return log_or_save(HelpSession(), current_user.organisation_id)


@bp.route("/plans/<reference>/log-session", methods=["GET", "POST"])
@requires("log_help_sessions")
def log_session_for_plan(reference: str):
    assessment = find_assessment(reference)
    if assessment is None or not user_can("open_plan", assessment):
        abort(404)
    return log_or_save(HelpSession(assessment=assessment), current_user.organisation_id)


@bp.route("/referrals/<int:referral_id>/log-session", methods=["GET", "POST"])
@requires("log_help_sessions")
def log_session_for_referral(referral_id: int):
    referral = db.get_or_404(Referral, referral_id)
    if not user_can("update_referral", referral):
        abort(404)
    log = HelpSession(referral=referral, assessment=referral.assessment)
    return log_or_save(log, current_user.organisation_id)


@bp.get("/help-sessions")
@requires("read_help_sessions")
def help_sessions():
    query = service.logs_visible_to(current_user).order_by(HelpSession.session_date.desc(), HelpSession.id.desc())
    logs = db.session.execute(query.limit(LIST_LENGTH)).scalars().all()
    return render_template(
        "staff/help_sessions/index.html",
        logs=logs,
        every=help_session_reach(current_user.role, current_user.id).every,
        labels=LABELS,
        limit=LIST_LENGTH,
        days=CHANGE_OWN_LOGS_DAYS,
    )


def _log_or_404(log_id: int) -> HelpSession:
    log = db.get_or_404(HelpSession, log_id)
    if not help_session_reach(current_user.role, current_user.id).admits(log.logged_by_id):
        abort(404)  # a champion cannot learn that someone else's log exists
    if not user_can("change_help_session", log):
        abort(403)  # their own, but too old: an officer can correct it
    return log


@bp.route("/help-sessions/<int:log_id>", methods=["GET", "POST"])
@requires("read_help_sessions")
def change_help_session(log_id: int):
    log = _log_or_404(log_id)
    return log_or_save(log, log.organisation_id, "staff/help_sessions/change.html")


@bp.post("/help-sessions/<int:log_id>/delete")
@requires("read_help_sessions")
def delete_help_session(log_id: int):
    log = _log_or_404(log_id)
    service.delete(log)
    flash("Session deleted", "success")
    return redirect(url_for("staff.help_sessions"))
