"""Booking a time with help from a plan, one question a page with no JavaScript: a time, a first name, a phone
number or email (or neither), access needs, the check, then the confirmation with its reference, a printable
layout and an .ics file. Counter staff, champions and officers book the same way for someone, with consent.

What the person has given so far waits in their session until they book (then it is forgotten). A booking is
found again at /bookings with its reference and the phone number or email it was made with; one made with
neither, by its reference alone, like a plan: the reference is as hard to guess as a plan's, lookups are
rate-limited, and whoever booked without a contact has only the paper. A wrong reference and a wrong contact get
the same answer, so nobody learns whether a reference exists. Once found, the session remembers it for
cancelling, moving and the .ics file.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from triage.core.booking_slots import Slot
from triage.core.calendar_file import CalendarEvent, calendar_file
from triage.core.permissions import can
from triage.web.areas.profiles import council
from triage.web.assessments.service import find_assessment
from triage.web.booking import service, waiting_list
from triage.web.booking.forms import (
    CancelForm,
    ConfirmForm,
    ContactForm,
    FindBookingForm,
    NameForm,
    NeedsForm,
    TimeForm,
)
from triage.web.extensions import db
from triage.web.languages.i18n import current_language
from triage.web.models import Assessment, Booking, Resource, as_utc
from triage.web.resident import bp
from triage.web.shell import write_limits
from triage.web.shell.links import external_url

PAGE_SIZE = 10
STATE = "booking"
SEEN = "bookings_seen"
SEEN_KEPT = 5
TAKEN = "just_taken"


def _plan_and_help(reference: str, resource_id: int) -> tuple[Assessment, Resource]:
    """The plan and a piece of help it suggests that has times to book; 404 otherwise."""
    assessment = find_assessment(reference)
    if assessment is None:
        abort(404)
    resource = next((r.resource for r in assessment.recommendations if r.resource_id == resource_id), None)
    if resource is None or not service.availability_of(resource):
        abort(404)
    return assessment, resource


def _state(assessment: Assessment, resource: Resource) -> dict:
    """What this person has given so far for a booking with this help (empty for another booking's)."""
    state = session.get(STATE) or {}
    if state.get("plan") != assessment.reference or state.get("resource") != resource.id:
        return {"plan": assessment.reference, "resource": resource.id}
    return dict(state)


def _save_state(state: dict) -> None:
    session[STATE] = state


def _step(endpoint: str, assessment: Assessment, resource: Resource, **values) -> str:
    return url_for(endpoint, reference=assessment.reference, resource_id=resource.id, **values)


def _time_page(
    resource: Resource, form: TimeForm, back: str, heading: str, status: int = 200, plan: Assessment | None = None
):
    """The paged list of free times, as radios; a time just taken is marked as such. From a plan, the full
    sessions are listed after them, each with its waiting list to join."""
    times = service.free_times(resource)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    pages = max(1, -(-len(times) // PAGE_SIZE))
    page = min(page, pages)
    shown = times[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    form.slot.choices = [SelectChoice(slot.key, service.slot_label(slot, free)) for slot, free in shown]
    return (
        render_template(
            "resident/booking/time.html",
            form=form,
            resource=resource,
            page=page,
            pages=pages,
            back=back,
            heading=heading,
            none_left=not times,
            full=[(slot, service.session_label(slot)) for slot in service.full_sessions(resource)] if plan else [],
            plan=plan,
        ),
        status,
    )


def _just_taken(form: TimeForm) -> None:
    form.slot.errors = [_("Sorry, that time has just been taken. Choose another time: here are the next free times")]


@bp.route("/plan/<reference>/book/<int:resource_id>", methods=["GET", "POST"])
def book_time(reference: str, resource_id: int):
    assessment, resource = _plan_and_help(reference, resource_id)
    state = _state(assessment, resource)
    form = TimeForm()
    back = _back_to_plan(assessment)
    heading = _("Choose a time with %(name)s", name=resource.name)
    if form.validate_on_submit():
        slot = service.find_slot(resource, form.slot.data)
        if slot is None:
            form.slot.errors = [_("Choose one of the times shown")]
            return _time_page(resource, form, back, heading, 400, assessment)
        state["slot"] = slot.key
        _save_state(state)
        return redirect(_step("resident.book_name", assessment, resource))
    if request.method == "GET" and session.pop(TAKEN, None):
        _just_taken(form)
    return _time_page(resource, form, back, heading, 400 if request.method == "POST" else 200, assessment)


def _back_to_plan(assessment: Assessment) -> str:
    if current_user.is_authenticated:
        return url_for("staff.plan", reference=assessment.reference)
    return url_for("resident.plan", reference=assessment.reference)


def _needs_slot(assessment: Assessment, resource: Resource) -> tuple[dict, Slot | None]:
    state = _state(assessment, resource)
    return state, service.find_slot(resource, state.get("slot", ""))


def _ask(endpoint: str, template: str, form_class, fields: tuple[str, ...], next_endpoint: str, back_endpoint: str):
    """One question page of the journey: shown with what was given before, saved into the session when valid."""

    def view(reference: str, resource_id: int):
        assessment, resource = _plan_and_help(reference, resource_id)
        state, slot = _needs_slot(assessment, resource)
        if slot is None:
            return redirect(_step("resident.book_time", assessment, resource))
        extra = {"phone_needed": slot.mode != "in_person"} if form_class is ContactForm else {}
        form = form_class(data={f: state.get(f, "") for f in fields}, **extra)
        if form.validate_on_submit():
            state.update({f: (getattr(form, f).data or "").strip() for f in fields})
            _save_state(state)
            return redirect(_step(next_endpoint, assessment, resource))
        back = _step(back_endpoint, assessment, resource)
        page = render_template(template, form=form, resource=resource, slot=slot, back=back)
        return page, 400 if request.method == "POST" else 200

    view.__name__ = endpoint
    return bp.route(
        f"/plan/<reference>/book/<int:resource_id>/{endpoint.removeprefix('book_')}", methods=["GET", "POST"]
    )(view)


book_name = _ask(
    "book_name", "resident/booking/name.html", NameForm, ("first_name",), "resident.book_contact", "resident.book_time"
)
book_contact = _ask(
    "book_contact",
    "resident/booking/contact.html",
    ContactForm,
    ("phone", "email"),
    "resident.book_needs",
    "resident.book_name",
)
book_needs = _ask(
    "book_needs",
    "resident/booking/needs.html",
    NeedsForm,
    ("access_needs",),
    "resident.book_check",
    "resident.book_contact",
)


def _for_someone() -> bool:
    return current_user.is_authenticated and can(current_user.role, "book_for_someone")


@bp.route("/plan/<reference>/book/<int:resource_id>/check", methods=["GET", "POST"])
@write_limits.per_address("BOOKING_RATE_LIMIT", "booking")
def book_check(reference: str, resource_id: int):
    assessment, resource = _plan_and_help(reference, resource_id)
    state, slot = _needs_slot(assessment, resource)
    if slot is None:
        if request.method == "POST":  # it went while they were answering: past, or removed
            session[TAKEN] = True
        return redirect(_step("resident.book_time", assessment, resource))
    form = ConfirmForm()
    for_someone = _for_someone()
    if form.validate_on_submit():
        if for_someone and not form.consent.data:
            form.consent.errors = ["Confirm they agree to us keeping these details"]
        else:
            details = service.Details.answered(state, current_language().code)
            made_by = current_user.id if for_someone else None
            try:
                booking = service.book(resource, slot, details, assessment_id=assessment.id, made_by_id=made_by)
            except service.SlotTaken:
                session[TAKEN] = True
                return redirect(_step("resident.book_time", assessment, resource))
            write_limits.saved()
            session.pop(STATE, None)
            _seen(booking.reference)
            return redirect(url_for("resident.booking_confirmed", reference=booking.reference))
    page = render_template(
        "resident/booking/check.html",
        form=form,
        resource=resource,
        slot=slot,
        state=state,
        for_someone=for_someone,
        when=service.when_text(slot.starts_at, current_language().code),
        where=service.where_text(slot.mode, resource),
        step=lambda endpoint: _step(endpoint, assessment, resource),
        back=_step("resident.book_needs", assessment, resource),
    )
    return page, 400 if request.method == "POST" else 200


def _seen(reference: str) -> None:
    """This session made or found the booking: it may show, cancel and move it."""
    session[SEEN] = [*[r for r in session.get(SEEN, []) if r != reference][-(SEEN_KEPT - 1) :], reference]


def _seen_booking(reference: str) -> Booking:
    """A booking this session made or found; the same 404 for any other, or none."""
    booking = service.by_reference(reference) if reference in session.get(SEEN, []) else None
    if booking is None:
        abort(404)
    return booking


def _shown(booking: Booking) -> dict:
    language = current_language().code
    return {
        "booking": booking,
        "when": service.when_text(booking.starts_at, language),
        "ends": service.when_text(booking.ends_at, language)[-5:],
        "where": service.where_text(booking.mode, booking.resource),
        "upcoming": service.is_upcoming(booking),
    }


@bp.get("/bookings/<reference>/booked")
def booking_confirmed(reference: str):
    booking = _seen_booking(reference)
    return render_template("resident/booking/confirmed.html", **_shown(booking))


@bp.get("/bookings/<reference>/calendar.ics")
def booking_calendar(reference: str):
    booking = _seen_booking(reference)
    resource = booking.resource
    host = (external_url("resident.start").split("//", 1)[-1]).split("/", 1)[0]
    event = CalendarEvent(
        uid=f"{booking.reference}@{host}",
        starts_at=as_utc(booking.starts_at),
        ends_at=as_utc(booking.ends_at),
        summary=_("Help with %(name)s", name=resource.name),
        location=resource.full_address if booking.mode == "in_person" else "",
        description=_(
            "%(where)s. Your booking reference is %(reference)s.",
            where=service.where_text(booking.mode, resource),
            reference=booking.reference,
        ),
        cancelled=booking.status == "cancelled",
    )
    text = calendar_file(event, now=service.now(), product=council().name)
    response = Response(text, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="booking-{booking.reference}.ics"'
    return response


@bp.route("/bookings", methods=["GET", "POST"], defaults={"reference": None})
@bp.route("/bookings/<reference>", methods=["GET", "POST"])
@write_limits.attempts_per_address("BOOKING_LOOKUP_RATE_LIMIT", "booking-lookup")
def booking(reference: str | None):
    """Find a booking by its reference and contact; once found (in this session), it, with cancel and move."""
    if reference and reference in session.get(SEEN, []) and request.method == "GET":
        found = service.by_reference(reference)
        if found is not None:
            return render_template("resident/booking/booking.html", cancel_form=CancelForm(), **_shown(found))
    form = FindBookingForm(data={"reference": reference or ""})
    if form.validate_on_submit():
        found = service.find_booking(form.reference.data, form.contact.data or "")
        if found is not None:
            _seen(found.reference)
            return redirect(url_for("resident.booking", reference=found.reference))
        form.reference.errors = [
            _("We could not find a booking with that reference and phone number or email. Check both are right")
        ]
    return render_template("resident/booking/find.html", form=form), 400 if form.errors else 200


@bp.post("/bookings/<reference>/cancel")
def cancel_booking(reference: str):
    booking = _seen_booking(reference)
    if CancelForm().validate_on_submit() and service.is_upcoming(booking):
        service.cancel(booking)
        db.session.commit()
        waiting_list.offer_places(booking.availability_id, as_utc(booking.starts_at))
        flash(_("Your booking is cancelled"), "success")
    return redirect(url_for("resident.booking", reference=booking.reference))


@bp.route("/bookings/<reference>/move", methods=["GET", "POST"])
def move_booking(reference: str):
    booking = _seen_booking(reference)
    if not service.is_upcoming(booking):
        return redirect(url_for("resident.booking", reference=booking.reference))
    form = TimeForm()
    back = url_for("resident.booking", reference=booking.reference)
    heading = _("Choose a new time with %(name)s", name=booking.resource.name)
    if form.validate_on_submit():
        slot = service.find_slot(booking.resource, form.slot.data)
        if slot is None:
            form.slot.errors = [_("Choose one of the times shown")]
            return _time_page(booking.resource, form, back, heading, 400)
        left = booking.availability_id, as_utc(booking.starts_at)
        try:
            service.move(booking, slot)
            waiting_list.offer_places(*left)
        except service.SlotTaken:
            _just_taken(form)
            return _time_page(booking.resource, form, back, heading, 409)
        flash(
            _("Your booking is moved to %(when)s", when=service.when_text(slot.starts_at, current_language().code)),
            "success",
        )
        return redirect(url_for("resident.booking", reference=booking.reference))
    return _time_page(booking.resource, form, back, heading, 400 if request.method == "POST" else 200)
