"""Publishing what can be booked at a directory entry: weekly times, dated sessions and closures. Champions do it
for their organisation's entries, officers for any (permissions.can_publish_availability). Removing times keeps
them for the bookings made in them, but offers no more. A closure on booked days, or removing times with bookings
still to come, cancels those bookings and tells the people booked (booking/changes.py); the page says how many."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from triage.core.booking_slots import ACTIVE, KINDS, MODES, closure_problems, offer_problems
from triage.core.permissions import can
from triage.web.accounts.auth import requires
from triage.web.booking import changes, service, waiting_staff
from triage.web.booking.forms import WEEKDAYS, ClosureForm, DatedForm, RemoveForm, WeeklyForm
from triage.web.extensions import db
from triage.web.models import Availability, Booking, Closure, Resource, Ward, utcnow
from triage.web.shell import audit
from triage.web.staff import bp


def _entry_or_404(resource_id: int) -> Resource:
    resource = db.get_or_404(Resource, resource_id)
    if not service.may_publish(resource):
        abort(404)  # a champion cannot learn what another organisation (or another district) publishes
    return resource


def _upcoming(availability_id: int) -> int:
    query = select(func.count()).where(
        Booking.availability_id == availability_id, Booking.status == ACTIVE, Booking.starts_at > service.now()
    )
    return db.session.execute(query).scalar_one()


@bp.get("/availability")
@requires("publish_availability")
def availability_entries():
    query = select(Resource).where(Resource.status != "retired").order_by(Resource.name, Resource.id)
    if not can(current_user.role, "publish_any_availability"):
        query = query.where(Resource.organisation_id == current_user.organisation_id)
    if current_user.district_code is not None:  # in_district: an entry whose ward is not known is not theirs
        query = query.where(
            Resource.ward_code.in_(select(Ward.code).where(Ward.lad_code == current_user.district_code))
        )
    entries = db.session.execute(query).scalars().all()
    counts = dict(
        db.session.execute(
            select(Availability.resource_id, func.count())
            .where(Availability.removed_at.is_(None))
            .group_by(Availability.resource_id)
        ).all()
    )
    return render_template("staff/booking/entries.html", entries=entries, counts=counts)


@bp.get("/availability/<int:resource_id>")
@requires("publish_availability")
def availability(resource_id: int):

    resource = _entry_or_404(resource_id)
    offers = service.availability_of(resource)
    return render_template(
        "staff/booking/availability.html",
        resource=resource,
        offers=offers,
        upcoming={o.id: _upcoming(o.id) for o in offers},
        waiting=waiting_staff.waiting_counts(offers),
        session_keys=waiting_staff.session_keys(offers),
        closures=service.closures_of(resource, service.today()),
        free=service.free_times(resource)[:10],
        remove_form=RemoveForm(),
        weekdays=WEEKDAYS,
        modes=MODES,
        kinds=KINDS,
        slot_label=service.slot_label,
    )


def _publish(resource: Resource, form: WeeklyForm | DatedForm, template: str):
    if request.method == "POST" and form.validate():
        found = form.times_problems()
        if isinstance(form, WeeklyForm):
            found |= form.dates_problems()
        else:
            found |= form.title_problems()
        offer = form.offer()
        holidays = current_app.config["NON_WORKING_DAYS"]
        found = offer_problems(offer, today=service.today(), holidays=holidays) | found
        if not found:
            row = Availability(
                resource_id=resource.id,
                kind=offer.kind,
                mode=offer.mode,
                title=(form.title.data or "").strip() if isinstance(form, DatedForm) else "",
                weekday=offer.weekday,
                on_date=offer.on_date,
                starts=offer.starts,
                ends=offer.ends,
                minutes=offer.minutes,
                places=offer.places,
                valid_from=offer.valid_from,
                valid_until=offer.valid_until,
                created_by_id=current_user.id,
            )
            db.session.add(row)
            db.session.flush()
            audit.record("availability published", f"entry {resource.id}", f"availability {row.id}, {offer.kind}")
            db.session.commit()
            flash("Times published", "success")
            return redirect(url_for("staff.availability", resource_id=resource.id))
        form.show_problems(found)
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, resource=resource), status


@bp.route("/availability/<int:resource_id>/weekly", methods=["GET", "POST"])
@requires("publish_availability")
def add_weekly(resource_id: int):
    resource = _entry_or_404(resource_id)
    form = WeeklyForm(data={"places": "1", "minutes": "30", "mode": "in_person"} if request.method == "GET" else None)
    return _publish(resource, form, "staff/booking/weekly.html")


@bp.route("/availability/<int:resource_id>/sessions", methods=["GET", "POST"])
@requires("publish_availability")
def add_session(resource_id: int):
    resource = _entry_or_404(resource_id)
    form = DatedForm(data={"mode": "in_person"} if request.method == "GET" else None)
    return _publish(resource, form, "staff/booking/dated.html")


@bp.route("/availability/<int:resource_id>/closures", methods=["GET", "POST"])
@requires("publish_availability")
def add_closure(resource_id: int):
    resource = _entry_or_404(resource_id)
    form = ClosureForm()
    if request.method == "POST" and form.validate():
        reason = (form.reason.data or "").strip()
        found = closure_problems(form.first_day.data, form.last_day.data, reason, service.today())
        if not found:
            closure = Closure(
                resource_id=resource.id,
                first_day=form.first_day.data,
                last_day=form.last_day.data,
                reason=reason,
                created_by_id=current_user.id,
            )
            db.session.add(closure)
            audit.record("closure added", f"entry {resource.id}", f"{form.first_day.data} to {form.last_day.data}")
            told = changes.for_closure(resource, closure)
            db.session.commit()
            flash(f"Closure added: no times are offered on those days. {told.said}", "success")
            return redirect(url_for("staff.availability", resource_id=resource.id))
        for name, problem in found.items():
            getattr(form, name).errors = [problem]
    status = 400 if request.method == "POST" else 200
    return render_template("staff/booking/closure.html", form=form, resource=resource), status


@bp.post("/availability/<int:resource_id>/times/<int:availability_id>/remove")
@requires("publish_availability")
def remove_times(resource_id: int, availability_id: int):
    resource = _entry_or_404(resource_id)
    row = db.get_or_404(Availability, availability_id)
    if row.resource_id != resource.id or row.removed_at is not None or not RemoveForm().validate_on_submit():
        abort(404)
    row.removed_at = utcnow()
    audit.record("availability removed", f"entry {resource.id}", f"availability {row.id}")
    told = changes.for_removal(resource, row)
    db.session.commit()
    flash(f"Times removed. {told.said}", "success")
    return redirect(url_for("staff.availability", resource_id=resource.id))


@bp.post("/availability/<int:resource_id>/closures/<int:closure_id>/remove")
@requires("publish_availability")
def remove_closure(resource_id: int, closure_id: int):
    resource = _entry_or_404(resource_id)
    closure = db.get_or_404(Closure, closure_id)
    if closure.resource_id != resource.id or not RemoveForm().validate_on_submit():
        abort(404)
    audit.record("closure removed", f"entry {resource.id}", f"{closure.first_day} to {closure.last_day}")
    db.session.delete(closure)
    db.session.commit()
    flash("Closure removed", "success")
    return redirect(url_for("staff.availability", resource_id=resource.id))
