"""Records for council officers: the audit log, erasing a person's data by plan reference when they ask,
and CSV exports of referrals and their outcomes."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from triage.web.accounts.auth import requires
from triage.web.assessments.service import find_assessment
from triage.web.extensions import db
from triage.web.models import AuditEvent
from triage.web.records.erasure import erase_plan, what_erasing_removes
from triage.web.records.exports import HISTORY_HEADER, REFERRAL_HEADER, csv_text, history_rows, referral_rows
from triage.web.records.forms import EraseConfirmForm, EraseFindForm, ExportForm
from triage.web.shell import audit
from triage.web.staff import bp

AUDIT_PAGE = 200


@bp.get("/audit")
@requires("read_audit_log")
def audit_log():
    events = db.session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE)).scalars().all()
    return render_template("staff/records/audit.html", events=events, limit=AUDIT_PAGE)


@bp.route("/erase", methods=["GET", "POST"])
@requires("erase_personal_data")
def erase():
    form = EraseFindForm()
    if form.validate_on_submit():
        found = find_assessment(form.reference.data)
        if found:
            return redirect(url_for("staff.erase_plan_view", reference=found.reference))
        form.reference.errors = ["No plan has that reference. It may have been erased already"]
    return render_template("staff/records/erase.html", form=form)


@bp.route("/erase/<reference>", methods=["GET", "POST"])
@requires("erase_personal_data")
def erase_plan_view(reference: str):
    assessment = find_assessment(reference)
    if assessment is None:
        flash("No plan has that reference. It may have been erased already", "error")
        return redirect(url_for("staff.erase"))
    form = EraseConfirmForm()
    if form.validate_on_submit():
        erased = erase_plan(assessment)
        # The one line that keeps the reference, which now leads nowhere: the way to erase the plan again
        # if a backup taken before today is ever restored (docs/deploy.md).
        audit.record(
            "erased on request",
            f"plan {erased.reference}",
            f"contact details and notes on {erased.referrals} referrals, {erased.messages} messages, "
            f"{erased.follow_ups} follow-ups, {erased.feedback_comments} feedback comments"
            + (f", {erased.bookings} bookings" if erased.bookings else ""),
        )
        db.session.commit()
        flash(f"Plan {erased.reference} and the person's details have been erased", "success")
        return redirect(url_for("staff.erase"))
    status = 400 if form.errors else 200
    return render_template(
        "staff/records/erase_confirm.html", form=form, assessment=assessment, removes=what_erasing_removes(assessment)
    ), status


EXPORTS = {"referrals": (REFERRAL_HEADER, referral_rows), "referral-history": (HISTORY_HEADER, history_rows)}


@bp.get("/exports")
@requires("export_records")
def exports():
    form = ExportForm(formdata=request.args or None)
    kind = request.args.get("kind", "referrals")
    if kind not in EXPORTS:
        abort(400)
    if request.args and form.validate():
        since, until = form.dates()
        header, rows = EXPORTS[kind]
        audit.record("exported", f"{kind} CSV", f"from {since or 'the start'} to {until or 'today'}")
        db.session.commit()
        name = f"signpost-{kind}-{datetime.now(UTC):%Y-%m-%d}.csv"
        return Response(
            csv_text(header, rows(since, until)),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    status = 400 if form.errors else 200
    return render_template("staff/records/exports.html", form=form), status
