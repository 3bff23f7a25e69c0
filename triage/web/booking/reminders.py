"""Reminders before booked times, queued by the messages worker (`flask send-messages`, every batch) or by
`flask send-booking-reminders` from cron, and sent like every other message, through the outbox.

Which reminder is due is triage.core.booking_notices.due_reminder's (BOOKING_REMINDERS hours before). A reminder
goes to a booking still booked, with an email address or mobile number, made by the person or by staff with
their consent recorded, and only where the backend sends that kind of message: a reminder left in the outbox
for staff to pass on would reach nobody in time. Each is recorded (BookingReminder) in the same transaction as
its message, one booking at a time, and the unique index on (booking, time, hours) lets only one of two workers
record it, so a reminder is never queued twice, whether a worker is restarted or two run at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from triage.core.booking_notices import due_reminder
from triage.core.booking_slots import ACTIVE
from triage.web.booking import service
from triage.web.extensions import db
from triage.web.messages.sending import sends
from triage.web.models import Booking, BookingReminder, as_utc
from triage.web.shell import audit


def _candidates(now: datetime, hours: tuple[int, ...]) -> list[Booking]:
    """Bookings still to come within the earliest reminder's reach, with a way to reach the person."""
    query = select(Booking).where(
        Booking.status == ACTIVE,
        Booking.starts_at > now,
        Booking.starts_at <= now + timedelta(hours=max(hours)),
        or_(Booking.email != "", Booking.phone != ""),
        or_(Booking.made_by_id.is_(None), Booking.consent_recorded_at.is_not(None)),
    )
    return list(db.session.execute(query.order_by(Booking.starts_at, Booking.id)).scalars())


def _queued(bookings: list[Booking]) -> set[tuple[int, datetime, int]]:
    if not bookings:
        return set()
    query = select(BookingReminder.booking_id, BookingReminder.starts_at, BookingReminder.hours_before).where(
        BookingReminder.booking_id.in_([b.id for b in bookings])
    )
    return {(booking_id, as_utc(at), hours) for booking_id, at, hours in db.session.execute(query)}


def queue_due_reminders(now: datetime | None = None) -> int:
    """Queue every reminder due now and not queued before, committing each; how many were queued."""
    hours = current_app.config["BOOKING_REMINDERS"]
    if not hours:
        return 0
    now = now or service.now()
    bookings = _candidates(now, hours)
    done = _queued(bookings)
    queued = 0
    for booking in bookings:
        starts_at = as_utc(booking.starts_at)
        placed_at = as_utc(booking.placed_at or booking.created_at)
        due = due_reminder(starts_at, placed_at, now, hours)
        kind, _to = service.contact_of(booking)
        if due is None or (booking.id, starts_at, due) in done or not kind or not sends(kind):
            continue
        try:
            db.session.add(BookingReminder(booking_id=booking.id, starts_at=starts_at, hours_before=due))
            db.session.flush()  # another worker that recorded it first stops this one here
            service.tell(booking, booking.resource, "booking-reminder")
            audit.record("booking reminder queued", f"booking {booking.reference}", f"{due} hours before")
            db.session.commit()
            queued += 1
        except IntegrityError:
            db.session.rollback()
    return queued
