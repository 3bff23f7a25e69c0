"""Managing the directory of help: officers list, add, edit, close, retire, restore and review entries,
decide on partners' proposals, and import and export it as CSV; partners see their organisation's
entries and propose changes."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from triage.core import vocabulary
from triage.core.directory_rules import ENTRY_STATUSES, FIELDS, KIND_NAMES
from triage.web.accounts.auth import requires
from triage.web.accounts.permissions import user_can
from triage.web.assessments.places import council_wards
from triage.web.booking import changes as booking_changes
from triage.web.directory.csv_io import apply_import, check_import, directory_csv
from triage.web.directory.editing import (
    count_due_for_review,
    decide,
    due_for_review,
    entry_of,
    history,
    is_due_for_review,
    mark_reviewed,
    proposal_changes,
    propose,
    save_entry,
    set_status,
)
from triage.web.directory.forms import (
    LABELS,
    ApplyImportForm,
    DecisionForm,
    DirectoryFilterForm,
    ImportForm,
    StatusChangeForm,
    entry_form,
    form_message,
    initial_data,
)
from triage.web.extensions import csrf, db
from triage.web.models import Proposal, Resource
from triage.web.staff import bp


@bp.get("/directory")
@requires("manage_directory")
def directory():
    form = DirectoryFilterForm(formdata=request.args)
    if form.status.data == "review":
        rows = due_for_review()
    else:
        query = select(Resource).order_by(Resource.name)
        if form.status.data in ENTRY_STATUSES:
            query = query.where(Resource.status == form.status.data)
        rows = list(db.session.execute(query).scalars())
    if form.kind.data in KIND_NAMES:
        rows = [r for r in rows if r.kind == form.kind.data]
    if form.q.data:
        rows = [r for r in rows if form.q.data.strip().lower() in r.name.lower()]
    pending = db.session.scalar(select(db.func.count(Proposal.id)).where(Proposal.status == "pending"))
    return render_template(
        "staff/directory/index.html",
        filter_form=form,
        rows=rows,
        due={r.id for r in rows if is_due_for_review(r)},
        due_count=count_due_for_review(),
        pending=pending,
        kinds=KIND_NAMES,
        entry_statuses=ENTRY_STATUSES,
    )


def _entry_page(form, resource: Resource | None, action: str, status: int = 200, **extra):
    return render_template(
        "staff/directory/entry_form.html",
        form=form,
        resource=resource,
        action=action,
        labels=LABELS,
        days=vocabulary.codes(vocabulary.DAYS),
        **extra,
    ), status


@bp.route("/directory/new", methods=["GET", "POST"])
@requires("manage_directory")
def new_entry():
    form = entry_form(council_wards(), formdata=request.form or None, data={"status": "active", "free": "yes"})
    if form.validate_on_submit():
        cleaned = save_entry(None, {**form.entry(), "sample": "no"}, current_user)
        if not cleaned.problems:
            db.session.commit()
            flash(f"{cleaned.values['resource'].name} has been added", "success")
            return redirect(url_for("staff.entry", resource_id=cleaned.values["resource"].id))
        form.show_problems(cleaned.problems)
    return _entry_page(form, None, "Add an entry", 400 if form.errors else 200)


@bp.get("/directory/<int:resource_id>")
@requires("manage_directory")
def entry(resource_id: int):
    resource = db.get_or_404(Resource, resource_id)
    return render_template(
        "staff/directory/entry.html",
        resource=resource,
        entry=entry_of(resource),
        labels=LABELS,
        entry_statuses=ENTRY_STATUSES,
        history=history(resource),
        status_form=StatusChangeForm(data={"status": resource.status}),
        due=is_due_for_review(resource),
        fields=FIELDS,
    )


@bp.route("/directory/<int:resource_id>/edit", methods=["GET", "POST"])
@requires("manage_directory")
def edit_entry(resource_id: int):
    resource = db.get_or_404(Resource, resource_id)
    current = entry_of(resource)
    form = entry_form(council_wards(), formdata=request.form or None, data=initial_data(current))
    if form.validate_on_submit():
        booked = len(booking_changes.to_come(resource))
        cleaned = save_entry(resource, {**current, **form.entry()}, current_user)
        if not cleaned.problems:
            cancelled = booked - len(booking_changes.to_come(resource))
            db.session.commit()
            flash(f"Your changes have been saved{_bookings_cancelled(cancelled)}", "success")
            return redirect(url_for("staff.entry", resource_id=resource.id))
        db.session.rollback()
        form.show_problems(cleaned.problems)
    return _entry_page(form, resource, f"Edit {resource.name}", 400 if form.errors else 200)


def _bookings_cancelled(n: int) -> str:
    """What closing or retiring an entry by editing it did to its bookings, for the flash message."""
    if not n:
        return ""
    bookings = "1 booking" if n == 1 else f"{n} bookings"
    return f". {bookings} to come cancelled: the people booked were told where they gave a phone number or email"


@bp.post("/directory/<int:resource_id>/status")
@requires("manage_directory")
def entry_status(resource_id: int):
    resource = db.get_or_404(Resource, resource_id)
    form = StatusChangeForm()
    if form.validate_on_submit():
        if form.status.data == resource.status:
            flash(f"It is already {ENTRY_STATUSES[resource.status].lower()}", "error")
        else:
            told = set_status(resource, form.status.data, form.note.data or "", current_user)
            db.session.commit()
            said = f". {told.said}" if told.cancelled else ""
            flash(f"{resource.name} is now {ENTRY_STATUSES[resource.status].lower()}{said}", "success")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for("staff.entry", resource_id=resource.id))


@bp.post("/directory/<int:resource_id>/reviewed")
@requires("manage_directory")
def entry_reviewed(resource_id: int):
    resource = db.get_or_404(Resource, resource_id)
    mark_reviewed(resource, current_user)
    db.session.commit()
    flash(f"{resource.name} is marked as reviewed today", "success")
    return redirect(url_for("staff.entry", resource_id=resource.id))


# Proposals: partners propose, admins decide


@bp.get("/directory/proposals")
@requires("manage_directory")
def proposals():
    rows = db.session.execute(
        select(Proposal).options(selectinload(Proposal.organisation)).order_by(Proposal.status.desc(), Proposal.id)
    ).scalars()
    return render_template("staff/directory/proposals.html", proposals=list(rows))


@bp.route("/directory/proposals/<int:proposal_id>", methods=["GET", "POST"])
@requires("manage_directory")
def proposal(proposal_id: int):
    item = db.session.get(Proposal, proposal_id)
    if item is None:
        abort(404)
    form = DecisionForm()
    if item.status == "pending" and form.validate_on_submit():
        if form.decision.data == "reject" and not (form.note.data or "").strip():
            form.note.errors = ["Say why you are rejecting it, so the partner can put it right"]
        else:
            problems = decide(item, form.decision.data == "approve", form.note.data or "", current_user)
            if problems is None:
                db.session.commit()
                flash(f"Proposal {form.decision.data}d", "success")
                return redirect(url_for("staff.proposals"))
            form.decision.errors = [form_message(LABELS.get(f, f), p) for f, p in problems.problems.items()] or [
                "It cannot be approved as it is"
            ]
    status = 400 if form.errors else 200
    return render_template(
        "staff/directory/proposal.html", proposal=item, changes=proposal_changes(item), labels=LABELS, form=form
    ), status


# Partners


def _partner_resource_or_404(resource_id: int) -> Resource:
    resource = db.get_or_404(Resource, resource_id)
    if not user_can("edit_entry", resource):
        abort(404)  # a partner only ever sees its own organisation's entries
    return resource


@bp.get("/entries")
@requires("propose_entries")
def partner_entries():
    organisation = current_user.organisation
    rows = db.session.execute(
        select(Resource).where(Resource.organisation_id == organisation.id).order_by(Resource.name)
    ).scalars()
    mine = db.session.execute(
        select(Proposal).where(Proposal.organisation_id == organisation.id).order_by(Proposal.id.desc())
    ).scalars()
    return render_template(
        "staff/directory/partner_entries.html", rows=list(rows), proposals=list(mine), entry_statuses=ENTRY_STATUSES
    )


def _propose(resource: Resource | None):
    current = entry_of(resource) if resource else {"free": "yes", "status": "active"}
    form = entry_form(council_wards(), partner=True, formdata=request.form or None, data=initial_data(current))
    if form.validate_on_submit():
        cleaned = propose(current_user.organisation, resource, {**current, **form.entry()}, current_user)
        if not cleaned.problems:
            db.session.commit()
            flash("Thank you. A council officer will check your proposal before it is published.", "success")
            return redirect(url_for("staff.partner_entries"))
        form.show_problems(cleaned.problems)
    title = f"Propose changes to {resource.name}" if resource else "Propose a new entry"
    return _entry_page(form, resource, title, 400 if form.errors else 200, partner=True)


@bp.route("/entries/new", methods=["GET", "POST"])
@requires("propose_entries")
def propose_new():
    return _propose(None)


@bp.route("/entries/<int:resource_id>/edit", methods=["GET", "POST"])
@requires("propose_entries")
def propose_edit(resource_id: int):
    return _propose(_partner_resource_or_404(resource_id))


# CSV export and import


@bp.get("/directory/export.csv")
@requires("manage_directory")
def directory_export():
    name = f"signpost-directory-{datetime.now(UTC):%Y-%m-%d}.csv"
    return Response(
        directory_csv(), mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _allow_big_upload() -> None:
    """A directory file is bigger than any other form, so these two views lift the size limit first.

    They are exempt from the app-wide CSRF check (it would read the body under the normal limit); their
    forms check the CSRF token themselves, after the limit is raised.
    """
    limit = current_app.config["DIRECTORY_IMPORT_MAX_BYTES"]
    request.max_content_length = limit
    request.max_form_memory_size = limit


@bp.route("/directory/import", methods=["GET", "POST"])
@csrf.exempt
@requires("manage_directory")
def directory_import():
    _allow_big_upload()
    form = ImportForm()
    report = text = None
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not upload.filename:
            form.file.errors = ["Select a CSV file"]
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.file.errors = ["The file must be a CSV saved as UTF-8 (in Excel: CSV UTF-8)"]
            else:
                report, _ = check_import(text)
    status = 400 if form.errors else 200
    return render_template("staff/directory/import.html", form=form, report=report, text=text), status


@bp.post("/directory/import/apply")
@csrf.exempt
@requires("manage_directory")
def directory_import_apply():
    _allow_big_upload()
    form = ApplyImportForm()
    if not form.validate_on_submit():
        abort(400)
    report = apply_import(form.text.data, current_user)
    if not report.ok:
        flash("Nothing was imported: the directory changed since the check. Check the file again.", "error")
        return redirect(url_for("staff.directory_import"))
    flash(f"Imported: {report.added} added, {report.updated} updated", "success")
    return redirect(url_for("staff.directory"))
