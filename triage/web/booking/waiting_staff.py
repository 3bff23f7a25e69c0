"""Staff see a dated session's waiting list, in order (first name, when added, status, whether a phone number or
email is held: never the number or address itself), and may take someone off it, which gives back a place held
for them to the next in line. Who may is who publishes the entry's times (permissions.can_publish_availability):
its organisation's champions, and officers. Linked from the entry's availability page."""

from __future__ import annotations

from datetime import UTC

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import func, select

from triage.core.booking_slots import COUNCIL_TIME, parse_slot_key, slot_key, wall_clock
from triage.core.waiting_list import OPEN, STATUSES, place_in_line
from triage.web.accounts.auth import requires
from triage.web.booking import service, waiting_list
from triage.web.booking.forms import RemoveForm
from triage.web.extensions import db
from triage.web.models import Availability, Resource, WaitingListEntry, as_utc
from triage.web.staff import bp


def session_keys(offers: list[Availability]) -> dict[int, str]:
    """The slot key of each dated session (one slot each), by offer id, for links to its waiting list."""
    keys = {}
    for offer in offers:
        if offer.kind == "dated" and offer.on_date is not None:
            local = wall_clock(offer.on_date, offer.starts)
            if local is not None:
                keys[offer.id] = slot_key(offer.id, local.astimezone(UTC))
    return keys


def waiting_counts(offers: list[Availability]) -> dict[int, int]:
    """How many people are on each offer's waiting lists, waiting or offered a place."""
    ids = [offer.id for offer in offers]
    if not ids:
        return {}
    query = (
        select(WaitingListEntry.availability_id, func.count())
        .where(WaitingListEntry.availability_id.in_(ids), WaitingListEntry.status.in_(OPEN))
        .group_by(WaitingListEntry.availability_id)
    )
    return dict(db.session.execute(query).all())


def _session(resource_id: int, slot_key: str) -> tuple:
    resource = db.get_or_404(Resource, resource_id)
    if not service.may_publish(resource):
        abort(404)  # as for its times: nobody sees another organisation's (or another district's) lists
    parsed = parse_slot_key(slot_key)
    availability = db.session.get(Availability, parsed[0]) if parsed else None
    if parsed is None or availability is None or availability.resource_id != resource.id:
        abort(404)
    return resource, availability, parsed[1]


@bp.get("/availability/<int:resource_id>/waiting-list/<slot_key>")
@requires("publish_availability")
def waiting_list_page(resource_id: int, slot_key: str):
    resource, availability, starts_at = _session(resource_id, slot_key)
    entries = waiting_list.entries_of(availability.id, starts_at)
    rules = waiting_list.rules_of(entries)
    return render_template(
        "staff/booking/waiting_list.html",
        resource=resource,
        availability=availability,
        slot_key=slot_key,
        when=service.when_text(starts_at, "en"),
        entries=entries,
        in_line={e.id: place_in_line(rules, e.id) for e in entries},
        statuses=STATUSES,
        open_statuses=OPEN,
        remove_form=RemoveForm(),
        local_time=lambda moment: as_utc(moment).astimezone(COUNCIL_TIME),
    )


@bp.post("/availability/<int:resource_id>/waiting-list/<slot_key>/<int:entry_id>/remove")
@requires("publish_availability")
def remove_from_waiting_list(resource_id: int, slot_key: str, entry_id: int):
    resource, availability, starts_at = _session(resource_id, slot_key)
    entry = db.session.get(WaitingListEntry, entry_id)
    if entry is None or entry.availability_id != availability.id or as_utc(entry.starts_at) != starts_at:
        abort(404)
    if not RemoveForm().validate_on_submit():
        abort(400)
    if waiting_list.leave(entry, by_staff=True):
        flash("Taken off the waiting list. A place held for them goes to the next person.", "success")
    return redirect(url_for("staff.waiting_list_page", resource_id=resource.id, slot_key=slot_key))
