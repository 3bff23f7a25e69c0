"""Joining a full session's waiting list from a plan, one question a page like booking (a first name, a mobile
number or email, anything that would make it easier, the check), the confirmation with the waiting list
reference, and the entry found again at /waiting-list by that reference and the phone number or email given: to
see one's place in line, leave the list, or accept or decline a place offered (docs/booking.md).

Only dated sessions (courses, groups) have waiting lists: a weekly one-to-one time that is full is simply not
offered, and the next free times are. Counter staff, champions and officers add someone with their consent
recorded, as they book for someone.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from triage.core.booking_slots import Slot
from triage.web.booking import service, waiting_list
from triage.web.booking.forms import (
    AcceptForm,
    DeclineForm,
    FindWaitingForm,
    JoinForm,
    LeaveForm,
    NameForm,
    NeedsForm,
    WaitingContactForm,
)
from triage.web.booking.views import _for_someone, _plan_and_help
from triage.web.booking.views import _seen as _booking_seen
from triage.web.extensions import db
from triage.web.languages.i18n import current_language
from triage.web.models import Assessment, Availability, Resource, WaitingListEntry
from triage.web.resident import bp
from triage.web.shell import write_limits

STATE = "waiting"
SEEN = "waiting_seen"
SEEN_KEPT = 5
BASE = "/plan/<reference>/book/<int:resource_id>/waiting-list/<slot_key>"


class NotOpen(Exception):
    """The session cannot be waited for: `free` when it has places to book, `already` when these contact details
    are on its list or booked into it, else past or no longer offered."""

    def __init__(self, free: bool = False, already: bool = False) -> None:
        self.free, self.already = free, already


def _session(resource: Resource, slot_key: str) -> Slot:
    slot = service.find_slot(resource, slot_key)
    availability = db.session.get(Availability, slot.offer_id) if slot else None
    if slot is None or availability is None or availability.kind != "dated":
        raise NotOpen
    if service.places_left(slot) > 0:
        raise NotOpen(free=True)
    return slot


def _not_open(assessment: Assessment, resource: Resource, problem: NotOpen):
    times = url_for("resident.book_time", reference=assessment.reference, resource_id=resource.id)
    page = render_template(
        "resident/waiting/not_open.html", free=problem.free, already=problem.already, times=times, resource=resource
    )
    return page, 409 if problem.free or problem.already else 404


def _state(assessment: Assessment, resource: Resource, slot: Slot) -> dict:
    state = session.get(STATE) or {}
    mine = (assessment.reference, resource.id, slot.key)
    if (state.get("plan"), state.get("resource"), state.get("slot")) != mine:
        return {"plan": assessment.reference, "resource": resource.id, "slot": slot.key}
    return dict(state)


def _step(endpoint: str, assessment: Assessment, resource: Resource, slot: Slot) -> str:
    return url_for(endpoint, reference=assessment.reference, resource_id=resource.id, slot_key=slot.key)


def _shown_session(resource: Resource, slot: Slot) -> dict:
    availability = db.session.get(Availability, slot.offer_id)
    return {
        "name": (availability.title if availability else "") or resource.name,
        "when": service.session_label(slot),
        "where": service.where_text(slot.mode, resource),
    }


def _ask(endpoint: str, template: str, form_class, fields: tuple[str, ...], next_endpoint: str, back: str | None):
    """One question page of joining: shown with what was given before, saved into the session when valid."""

    def view(reference: str, resource_id: int, slot_key: str):
        assessment, resource = _plan_and_help(reference, resource_id)
        try:
            slot = _session(resource, slot_key)
        except NotOpen as problem:
            return _not_open(assessment, resource, problem)
        state = _state(assessment, resource, slot)
        form = form_class(data={f: state.get(f, "") for f in fields})
        if form.validate_on_submit():
            state.update({f: (getattr(form, f).data or "").strip() for f in fields})
            session[STATE] = state
            return redirect(_step(next_endpoint, assessment, resource, slot))
        previous = _step(back, assessment, resource, slot) if back else _back_to_times(assessment, resource)
        page = render_template(
            template, form=form, resource=resource, slot=slot, back=previous, **_shown_session(resource, slot)
        )
        return page, 400 if request.method == "POST" else 200

    view.__name__ = endpoint
    path = BASE if endpoint == "wait_name" else f"{BASE}/{endpoint.removeprefix('wait_')}"
    return bp.route(path, methods=["GET", "POST"])(view)


def _back_to_times(assessment: Assessment, resource: Resource) -> str:
    return url_for("resident.book_time", reference=assessment.reference, resource_id=resource.id)


wait_name = _ask("wait_name", "resident/waiting/name.html", NameForm, ("first_name",), "resident.wait_contact", None)
wait_contact = _ask(
    "wait_contact",
    "resident/waiting/contact.html",
    WaitingContactForm,
    ("phone", "email"),
    "resident.wait_needs",
    "resident.wait_name",
)
wait_needs = _ask(
    "wait_needs",
    "resident/booking/needs.html",
    NeedsForm,
    ("access_needs",),
    "resident.wait_check",
    "resident.wait_contact",
)


@bp.route(f"{BASE}/check", methods=["GET", "POST"])
@write_limits.per_address("BOOKING_RATE_LIMIT", "booking")
def wait_check(reference: str, resource_id: int, slot_key: str):
    assessment, resource = _plan_and_help(reference, resource_id)
    try:
        slot = _session(resource, slot_key)
    except NotOpen as problem:
        return _not_open(assessment, resource, problem)
    state = _state(assessment, resource, slot)
    if not (state.get("phone") or state.get("email")):
        return redirect(_step("resident.wait_contact", assessment, resource, slot))
    form = JoinForm()
    for_someone = _for_someone()
    if form.validate_on_submit():
        if for_someone and not form.consent.data:
            form.consent.errors = ["Confirm they agree to us keeping these details"]
        else:
            details = service.Details.answered(state, current_language().code)
            made_by = current_user.id if for_someone else None
            try:
                entry = waiting_list.join(resource, slot, details, assessment_id=assessment.id, made_by_id=made_by)
            except waiting_list.PlacesFree:
                return _not_open(assessment, resource, NotOpen(free=True))
            except waiting_list.AlreadyThere:
                return _not_open(assessment, resource, NotOpen(already=True))
            write_limits.saved()
            session.pop(STATE, None)
            _seen_entry(entry.reference)
            return redirect(url_for("resident.waiting_joined", reference=entry.reference))
    page = render_template(
        "resident/waiting/check.html",
        form=form,
        resource=resource,
        state=state,
        for_someone=for_someone,
        step=lambda endpoint: _step(endpoint, assessment, resource, slot),
        back=_step("resident.wait_needs", assessment, resource, slot),
        **_shown_session(resource, slot),
    )
    return page, 400 if request.method == "POST" else 200


def _seen_entry(reference: str) -> None:
    """This session joined or found the entry: it may show it, leave, accept or decline."""
    session[SEEN] = [*[r for r in session.get(SEEN, []) if r != reference][-(SEEN_KEPT - 1) :], reference]


def _seen(reference: str) -> WaitingListEntry:
    entry = waiting_list.by_reference(reference) if reference in session.get(SEEN, []) else None
    if entry is None:
        abort(404)
    return entry


def _shown(entry: WaitingListEntry) -> dict:
    booking = entry.booking
    held_until = booking.held_until if booking is not None and waiting_list.hold_is_open(entry) else None
    return {
        "entry": entry,
        "name": entry.availability.title or entry.resource.name,
        "when": service.when_text(entry.starts_at, current_language().code),
        "where": service.where_text(entry.availability.mode, entry.resource),
        "in_line": waiting_list.place_in_line(entry),
        "held_until": service.when_text(held_until, current_language().code) if held_until else None,
    }


@bp.get("/waiting-list/<reference>/joined")
def waiting_joined(reference: str):
    return render_template("resident/waiting/joined.html", **_shown(_seen(reference)))


@bp.route("/waiting-list", methods=["GET", "POST"], defaults={"reference": None})
@bp.route("/waiting-list/<reference>", methods=["GET", "POST"])
@write_limits.attempts_per_address("BOOKING_LOOKUP_RATE_LIMIT", "booking-lookup")
def waiting_entry(reference: str | None):
    """Find an entry by its reference and contact; once found (in this session), it, to leave or answer."""
    if reference and reference in session.get(SEEN, []) and request.method == "GET":
        found = waiting_list.by_reference(reference)
        if found is not None:
            forms = {"accept_form": AcceptForm(), "decline_form": DeclineForm(), "leave_form": LeaveForm()}
            return render_template("resident/waiting/entry.html", **forms, **_shown(found))
    form = FindWaitingForm(data={"reference": reference or ""})
    if form.validate_on_submit():
        found = waiting_list.find_entry(form.reference.data, form.contact.data or "")
        if found is not None:
            _seen_entry(found.reference)
            return redirect(url_for("resident.waiting_entry", reference=found.reference))
        form.reference.errors = [
            _("We could not find a waiting list place with that reference and phone number or email. Check both")
        ]
    return render_template("resident/waiting/find.html", form=form), 400 if form.errors else 200


@bp.post("/waiting-list/<reference>/accept")
def waiting_accept(reference: str):
    entry = _seen(reference)
    if not AcceptForm().validate_on_submit():
        abort(400)
    booking = waiting_list.accept(entry)
    if booking is None:
        flash(_("Sorry, this place is no longer held for you"), "important")
        return redirect(url_for("resident.waiting_entry", reference=entry.reference))
    _booking_seen(booking.reference)
    return redirect(url_for("resident.booking_confirmed", reference=booking.reference))


@bp.post("/waiting-list/<reference>/decline")
def waiting_decline(reference: str):
    entry = _seen(reference)
    if not DeclineForm().validate_on_submit():
        abort(400)
    if waiting_list.decline(entry):
        flash(_("You have declined the place. It goes to the next person waiting."), "success")
    return redirect(url_for("resident.waiting_entry", reference=entry.reference))


@bp.post("/waiting-list/<reference>/leave")
def waiting_leave(reference: str):
    entry = _seen(reference)
    if not LeaveForm().validate_on_submit():
        abort(400)
    if waiting_list.leave(entry):
        flash(_("You have left the waiting list"), "success")
    return redirect(url_for("resident.waiting_entry", reference=entry.reference))
