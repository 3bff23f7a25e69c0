"""Referrals for staff and Digital Champions: the inbox with filters, a referral's page, status changes,
and the follow-up re-assessment after support."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case
from wtforms.fields.choices import SelectChoice

from triage.core.interface_languages import BY_CODE
from triage.core.progress import FOLLOW_UP_QUESTIONS, FollowUpError
from triage.core.referrals import NEXT, REFERRAL_STATUSES
from triage.web.accounts.auth import requires
from triage.web.accounts.permissions import user_can
from triage.web.assessments.places import council_wards
from triage.web.assessments.question_forms import field_params, questions_form
from triage.web.extensions import db
from triage.web.models import Referral
from triage.web.referrals.follow_ups import can_follow_up, latest_progress, record_follow_up
from triage.web.referrals.forms import StatusForm
from triage.web.referrals.service import ReferralError, change_status, overdue, visible_to
from triage.web.referrals.updates import messages_about
from triage.web.shell import audit
from triage.web.staff import bp
from triage.web.wellbeing import forms as wellbeing

PAGE = 200


@bp.get("/referrals")
@requires("read_referrals")
def referrals():
    status, ward = request.args.get("status", ""), request.args.get("ward", "")
    query = visible_to(current_user)
    if status in REFERRAL_STATUSES:
        query = query.where(Referral.status == status)
    if ward:
        query = query.where(Referral.ward_code == ward)
    new_first = case((Referral.status == "sent", 0), else_=1)
    rows = db.session.execute(query.order_by(new_first, Referral.created_at.desc()).limit(PAGE)).scalars().all()
    return render_template(
        "staff/referrals/index.html",
        referrals=[(r, overdue(r)) for r in rows],
        referral_statuses=REFERRAL_STATUSES,
        wards=council_wards(),
        status=status,
        ward=ward,
        limit=PAGE,
    )


def _referral_or_404(referral_id: int) -> Referral:
    referral = db.get_or_404(Referral, referral_id)
    if not user_can("see_referral", referral):
        abort(404)  # a champion cannot even learn that another organisation's referral exists
    return referral


def _status_form(referral: Referral, formdata=None) -> StatusForm:
    form = StatusForm(formdata=formdata)
    form.status.choices = [SelectChoice(s, REFERRAL_STATUSES[s]) for s in NEXT[referral.status]]
    return form


def _updates_by(referral: Referral) -> str:
    how = {"sms": "By text message", "email": "By email"}.get(referral.updates_by)
    language = BY_CODE.get(referral.language)
    return f"{how}, in {language.english_name if language else referral.language}" if how else "No updates"


def _render(referral: Referral, form: StatusForm):
    return render_template(
        "staff/referrals/referral.html",
        referral=referral,
        referral_statuses=REFERRAL_STATUSES,
        overdue=overdue(referral),
        show_contact=user_can("see_contact_details", referral),
        form=form,
        can_update=user_can("update_referral", referral) and bool(NEXT[referral.status]),
        can_follow_up=user_can("update_referral", referral) and can_follow_up(referral),
        progress=latest_progress(referral.assessment) if referral.assessment else None,
        messages=messages_about(referral),
        updates_by=_updates_by(referral),
    )


@bp.get("/referrals/<int:referral_id>")
@requires("read_referrals")
def referral(referral_id: int):
    referral = _referral_or_404(referral_id)
    if user_can("see_contact_details", referral):
        audit.record("personal details viewed", f"referral {referral.id}")
        db.session.commit()
    return _render(referral, _status_form(referral))


@bp.post("/referrals/<int:referral_id>/status")
@requires("update_referrals")
def referral_status(referral_id: int):
    referral = _referral_or_404(referral_id)
    if not user_can("update_referral", referral):
        abort(403)
    form = _status_form(referral, formdata=request.form)
    if form.validate_on_submit():
        try:
            change_status(referral, form.status.data, form.reason.data or "", current_user)
        except ReferralError as problem:
            form.status.errors = [str(problem)]
        else:
            db.session.commit()
            flash(f"Status changed to {REFERRAL_STATUSES[referral.status].lower()}", "success")
            return redirect(url_for("staff.referral", referral_id=referral.id))
    return _render(referral, form), 400


TITLES = {q.id: q.staff_title or q.title for q in FOLLOW_UP_QUESTIONS}


@bp.route("/referrals/<int:referral_id>/follow-up", methods=["GET", "POST"])
@requires("update_referrals")
def follow_up(referral_id: int):
    """Ask the questions support can change again, starting from the first answers, and record the scores."""
    referral = _referral_or_404(referral_id)
    if not user_can("update_referral", referral):
        abort(403)
    if not can_follow_up(referral):
        flash("A follow-up can be recorded once support has started", "error")
        return redirect(url_for("staff.referral", referral_id=referral.id))
    assert referral.assessment is not None  # can_follow_up
    before = {q.id: referral.assessment.answers.get(q.id) for q in FOLLOW_UP_QUESTIONS}
    extra = wellbeing.wellbeing_fields if wellbeing.asked() else None
    form = questions_form(FOLLOW_UP_QUESTIONS, TITLES, formdata=request.form or None, data=before, extra=extra)
    valid = form.validate_on_submit()
    answers = wellbeing.checked(form) if form.is_submitted() else None
    if answers is not None:
        wellbeing.show_problems(form, answers.problems)
    if valid and not (answers and answers.problems):
        changed = {q.id: form[q.id].data for q in FOLLOW_UP_QUESTIONS}
        try:
            follow_up = record_follow_up(referral, changed, current_user)
        except FollowUpError as problem:  # the form's own checks should have caught this; say so plainly
            for question_id, message in problem.problems.items():
                form[question_id].errors = [message]
        else:
            if answers is not None:
                wellbeing.store(follow_up, answers.answers)
            db.session.commit()
            flash("Follow-up saved. Their plan now shows their progress.", "success")
            return redirect(url_for("staff.referral", referral_id=referral.id) + "#progress")
    params = [(q, field_params(form[q.id], q, TITLES[q.id], heading=False)) for q in FOLLOW_UP_QUESTIONS]
    status = 400 if form.errors else 200
    return render_template(
        "staff/referrals/follow_up.html", referral=referral, form=form, params=params, wellbeing=wellbeing.section(form)
    ), status
