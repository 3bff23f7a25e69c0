"""Changes staff make that take booked times away: a closure on booked days, times removed, the entry closed for
now or retired. Each booking still to come that the change takes (triage.core.booking_notices says which) is
cancelled, with why, and the person told by message ("booking-called-off") with a link to book another time: their
plan, or finding help if the booking came from none. The waiting lists of the sessions it takes are closed the same
way (held places given back, each person told, "waiting-list-closed"). The caller commits, in the same transaction
as the change, and says on the page how many people were told (`Told.said`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from triage.core import booking_notices
from triage.core.booking_slots import ACTIVE, CANCELLED, COUNCIL_TIME
from triage.core.booking_slots import Closure as ClosedDays
from triage.web.booking import service, waiting_list
from triage.web.extensions import db
from triage.web.models import Assessment, Availability, Booking, Closure, Resource, WaitingListEntry, as_utc, utcnow
from triage.web.shell import audit
from triage.web.shell.links import external_url


@dataclass(frozen=True)
class Told:
    """What a change did to the bookings it took: how many were cancelled, and of them how many people were
    sent a message (the others gave no phone number or email)."""

    cancelled: int = 0
    told: int = 0
    waiting: int = 0  # people taken off waiting lists, each told (every entry has a phone number or email)

    @property
    def said(self) -> str:
        """For the staff page: '2 bookings cancelled: 1 person told by message, 1 gave no phone or email'."""
        lists = f" {_people(self.waiting)} on waiting lists told the list is closed." if self.waiting else ""
        if not self.cancelled:
            return "No bookings were affected." + lists if lists else "No bookings were affected"
        bookings = "1 booking" if self.cancelled == 1 else f"{self.cancelled} bookings"
        untold = self.cancelled - self.told
        rest = f", {untold} gave no phone number or email" if untold else ""
        return f"{bookings} cancelled: {_people(self.told)} told by message{rest}" + ("." + lists if lists else "")


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def to_come(resource: Resource) -> list[Booking]:
    """The entry's bookings still to come, in time order."""
    query = select(Booking).where(
        Booking.resource_id == resource.id, Booking.status == ACTIVE, Booking.starts_at > service.now()
    )
    return list(db.session.execute(query.order_by(Booking.starts_at, Booking.id)).scalars())


def _booked(bookings: list[Booking]) -> list[booking_notices.Booked]:
    return [booking_notices.Booked(b.id, b.availability_id, as_utc(b.starts_at), b.status) for b in bookings]


def _another_time(booking: Booking) -> str:
    if booking.assessment_id is not None:
        assessment = db.session.get(Assessment, booking.assessment_id)
        if assessment is not None:
            return external_url("resident.plan", reference=assessment.reference)
    return external_url("find.search_page")


def _cancel(
    resource: Resource,
    bookings: list[Booking],
    ids: list[int],
    why: str,
    reason: Callable[[], str],
    lists: Callable[[WaitingListEntry], bool],
) -> Told:
    """Cancel the bookings in `ids`, recording `why` (English, for staff) and telling each person `reason()`
    (called in their language); close the waiting lists of the sessions `lists` picks, the same way."""
    chosen = {b.id: b for b in bookings}
    told = 0
    for booking_id in ids:
        booking = chosen[booking_id]
        booking.status, booking.cancelled_at, booking.cancelled_because = CANCELLED, utcnow(), why[:200]
        audit.record("booking cancelled by a change", f"booking {booking.reference}", why)
        if service.contact_of(booking)[1]:
            with force_locale(booking.language):
                words = reason()
            service.tell(booking, resource, "booking-called-off", reason=words, link=_another_time(booking))
            told += 1
    db.session.flush()
    _closed, waiting_told = waiting_list.close_lists(resource, lists, reason, why)
    return Told(len(ids), told, waiting_told)


def _every(_entry: WaitingListEntry) -> bool:
    return True


def for_closure(resource: Resource, closure: Closure) -> Told:
    """Cancel the bookings on a new closure's days."""
    bookings = to_come(resource)
    days = ClosedDays(closure.first_day, closure.last_day, closure.reason)
    ids = booking_notices.taken_by_closure(_booked(bookings), days, service.now())
    return _cancel(
        resource,
        bookings,
        ids,
        f"closed: {closure.reason}",
        lambda: _("%(name)s is closed that day (%(reason)s)", name=resource.name, reason=closure.reason),
        lambda entry: days.covers(as_utc(entry.starts_at).astimezone(COUNCIL_TIME).date()),
    )


def for_removal(resource: Resource, availability: Availability) -> Told:
    """Cancel the bookings in times being removed."""
    bookings = to_come(resource)
    ids = booking_notices.taken_by_removal(_booked(bookings), availability.id, service.now())
    return _cancel(
        resource,
        bookings,
        ids,
        "times removed",
        lambda: _("those times are no longer offered"),
        lambda entry: entry.availability_id == availability.id,
    )


def for_entry_closing(resource: Resource) -> Told:
    """Cancel every booking to come at an entry closed for now or retired (nothing if it is open)."""
    if resource.status == "active":
        return Told()
    bookings = to_come(resource)
    ids = booking_notices.taken_by_entry_closing(_booked(bookings), service.now())
    if resource.status == "retired":
        return _cancel(resource, bookings, ids, "help retired", lambda: _("this help is no longer offered"), _every)
    return _cancel(
        resource,
        bookings,
        ids,
        "help closed for now",
        lambda: _("%(name)s is closed for now", name=resource.name),
        _every,
    )
