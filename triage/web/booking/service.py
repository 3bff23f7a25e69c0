"""Bookings in the database: an entry's free times, taking a place with no double booking, moving and cancelling,
and finding a booking again by its reference and the phone number or email it was made with.

A place is a seat (1 to the offer's places) and the database allows one booking holding a place per offer, start
and seat (models.Booking's partial unique index). `_take_a_seat` writes the booking with the lowest seat free and
commits; when another request took that seat first the commit fails, and it tries the next one, until none is
left and the person is told the time was just taken. So, like create_assessment, booking commits itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from babel.dates import format_datetime
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from triage.core import booking_slots
from triage.core.booking_slots import (
    ACTIVE,
    CANCELLED,
    COUNCIL_TIME,
    HELD,
    HOLDS_A_PLACE,
    MODES,
    Offer,
    Slot,
    free_seat,
)
from triage.core.contact_details import normalise_mobile, same_phone
from triage.core.permissions import can_publish_availability
from triage.core.reference import new_reference, normalise_reference
from triage.core.waiting_list import WAITING
from triage.web.extensions import db
from triage.web.messages.sending import queue
from triage.web.models import Availability, Booking, Closure, Resource, WaitingListEntry, as_utc, utcnow
from triage.web.shell import audit
from triage.web.shell.links import external_url

RETRIES = 3  # beyond one try per place: a clash of new references, which is all but impossible
WHEN_FORMAT = "EEEE d MMMM y, HH:mm"


class SlotTaken(Exception):
    """Every place in the slot was taken, by someone else at the same moment or before."""


@dataclass(frozen=True)
class Details:
    """What the person gave: all optional."""

    first_name: str = ""
    phone: str = ""
    email: str = ""
    access_needs: str = ""
    language: str = "en"

    @classmethod
    def answered(cls, state: dict, language: str) -> Details:
        """The details from a booking or waiting list journey's answers so far (views.py, waiting_views.py)."""
        fields = ("first_name", "phone", "email", "access_needs")
        return cls(**{name: state.get(name, "") for name in fields}, language=language)


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(COUNCIL_TIME).date()


def offer(row: Availability) -> Offer:
    return Offer(
        row.id,
        row.kind,
        row.mode,
        row.starts,
        row.ends,
        row.minutes,
        row.places,
        weekday=row.weekday,
        on_date=row.on_date,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
    )


def entry_district(resource: Resource) -> str | None:
    """The district (LAD code) of the entry's ward, None when it has none: what an account limited to one district
    is checked against (permissions.in_district)."""
    return resource.location_ward.lad_code if resource.location_ward else None


def may_publish(resource: Resource) -> bool:
    """Whether the signed-in person may publish the entry's times and see its waiting lists."""
    return can_publish_availability(
        current_user.role,
        current_user.organisation_id,
        resource.organisation_id,
        district_code=current_user.district_code,
        entry_district=entry_district(resource),
    )


def availability_of(resource: Resource) -> list[Availability]:
    """The entry's published availability that has not been removed, weekly rules first."""
    query = select(Availability).where(Availability.resource_id == resource.id, Availability.removed_at.is_(None))
    rows = db.session.execute(query.order_by(Availability.kind.desc(), Availability.id)).scalars()
    return list(rows)


def closures_of(resource: Resource, since: date | None = None) -> list[Closure]:
    query = select(Closure).where(Closure.resource_id == resource.id)
    if since is not None:
        query = query.where(Closure.last_day >= since)
    return list(db.session.execute(query.order_by(Closure.first_day, Closure.id)).scalars())


def _slots_of(resources: list[Resource], first_day: date, last_day: date) -> dict[int, list[Slot]]:
    """The slots of several entries between two days, by entry id, in two queries whatever their number: a plan's
    help costs the same to show with one entry as with ten. A closed or retired entry offers no times."""
    ids = {resource.id for resource in resources if resource.status == "active"}
    if not ids:
        return {}
    published = select(Availability).where(Availability.resource_id.in_(ids), Availability.removed_at.is_(None))
    offers: dict[int, list[Offer]] = {}
    for row in db.session.execute(published.order_by(Availability.kind.desc(), Availability.id)).scalars():
        offers.setdefault(row.resource_id, []).append(offer(row))
    if not offers:
        return {}
    closed: dict[int, list[booking_slots.Closure]] = {}
    shut = select(Closure).where(Closure.resource_id.in_(offers), Closure.last_day >= first_day)
    for c in db.session.execute(shut.order_by(Closure.first_day, Closure.id)).scalars():
        closed.setdefault(c.resource_id, []).append(booking_slots.Closure(c.first_day, c.last_day, c.reason))
    config = current_app.config
    found = {
        resource_id: booking_slots.slots(
            resource_offers,
            first_day,
            last_day,
            now=now(),
            notice=timedelta(minutes=config["BOOKING_NOTICE_MINUTES"]),
            holidays=config["NON_WORKING_DAYS"],
            closures=closed.get(resource_id, []),
        )
        for resource_id, resource_offers in offers.items()
    }
    return {resource_id: slots for resource_id, slots in found.items() if slots}


def _free_times_of(resources: list[Resource]) -> dict[int, list[tuple[Slot, int]]]:
    """Free times of several entries in the days people can book ahead, by entry id: one more query than
    `_slots_of`, for the places taken."""
    first = today()
    found = _slots_of(resources, first, first + timedelta(days=current_app.config["BOOKING_DAYS_AHEAD"]))
    if not found:
        return {}
    taken = _taken(set(found), min(slots[0].starts_at for slots in found.values()))
    with_places = {
        resource_id: [(slot, free) for slot in slots if (free := booking_slots.free_places(slot, taken)) > 0]
        for resource_id, slots in found.items()
    }
    return {resource_id: times for resource_id, times in with_places.items() if times}


def _taken(resource_ids: set[int], since: datetime) -> dict[tuple[int, datetime], int]:
    """Places taken, by offer and start: by bookings holding one, and by each person on a waiting list, so that a
    freed place goes to the first in line (booking/waiting_list.py), not to whoever books next."""
    query = (
        select(Booking.availability_id, Booking.starts_at, func.count())
        .where(Booking.resource_id.in_(resource_ids), Booking.status.in_(HOLDS_A_PLACE), Booking.starts_at >= since)
        .group_by(Booking.availability_id, Booking.starts_at)
    )
    waiting = (
        select(WaitingListEntry.availability_id, WaitingListEntry.starts_at, func.count())
        .where(
            WaitingListEntry.resource_id.in_(resource_ids),
            WaitingListEntry.status == WAITING,
            WaitingListEntry.starts_at >= since,
        )
        .group_by(WaitingListEntry.availability_id, WaitingListEntry.starts_at)
    )
    taken: dict[tuple[int, datetime], int] = {}
    for offer_id, starts_at, n in [*db.session.execute(query), *db.session.execute(waiting)]:
        key = (offer_id, as_utc(starts_at))
        taken[key] = taken.get(key, 0) + n
    return taken


def places_left(slot: Slot) -> int:
    """Places left in one slot, counting its waiting list as taken (as free times do)."""
    offer_row = db.session.get(Availability, slot.offer_id)
    if offer_row is None:
        return 0
    return booking_slots.free_places(slot, _taken({offer_row.resource_id}, slot.starts_at))


def free_times(resource: Resource) -> list[tuple[Slot, int]]:
    """The entry's slots with a place free, in time order, each with how many places are left."""
    return _free_times_of([resource]).get(resource.id, [])


def full_sessions(resource: Resource) -> list[Slot]:
    """The entry's dated sessions (courses, groups) to come with no place left: each has a waiting list."""
    dated = {row.id for row in availability_of(resource) if row.kind == "dated"}
    first = today()
    found = _slots_of([resource], first, first + timedelta(days=current_app.config["BOOKING_DAYS_AHEAD"]))
    slots = [slot for slot in found.get(resource.id, []) if slot.offer_id in dated]
    if not slots:
        return []
    taken = _taken({resource.id}, slots[0].starts_at)
    return [slot for slot in slots if booking_slots.free_places(slot, taken) == 0]


def find_slot(resource: Resource, key: str) -> Slot | None:
    """The slot a page sent back, if it is one of the entry's slots now (not past, not removed, not made up)."""
    parsed = booking_slots.parse_slot_key(key)
    if parsed is None:
        return None
    offer_id, starts_at = parsed
    day = starts_at.astimezone(COUNCIL_TIME).date()
    that_day = _slots_of([resource], day, day).get(resource.id, [])
    return next((s for s in that_day if s.offer_id == offer_id and s.starts_at == starts_at), None)


def taken_seats(slot: Slot, except_id: int | None = None) -> list[int]:
    query = select(Booking.seat).where(
        Booking.availability_id == slot.offer_id,
        Booking.starts_at == slot.starts_at,
        Booking.status.in_(HOLDS_A_PLACE),
    )
    if except_id is not None:
        query = query.where(Booking.id != except_id)
    return list(db.session.execute(query).scalars())


def _take_a_seat(slot: Slot, write: Callable[[int], Booking], except_id: int | None = None) -> Booking:
    """Write the booking with the lowest free seat and commit; on a clash, try again; SlotTaken when full."""
    for _attempt in range(slot.places + RETRIES):
        seat = free_seat(slot.places, taken_seats(slot, except_id))
        if seat is None:
            break
        try:
            booking = write(seat)  # its flush can clash too
            db.session.commit()
            return booking
        except IntegrityError:
            db.session.rollback()
    raise SlotTaken


def place(booking: Booking, slot: Slot, seat: int) -> None:
    booking.availability_id = slot.offer_id
    booking.starts_at = slot.starts_at
    booking.ends_at = slot.ends_at
    booking.mode = slot.mode
    booking.seat = seat
    booking.placed_at = utcnow()


def book(
    resource: Resource,
    slot: Slot,
    details: Details,
    *,
    assessment_id: int | None = None,
    made_by_id: int | None = None,
) -> Booking:
    """Book a place in the slot, tell the person if they gave a way to, and commit; SlotTaken if none is left."""

    def write(seat: int) -> Booking:
        booking = Booking(
            reference=new_reference(),
            resource_id=resource.id,
            status=ACTIVE,
            first_name=details.first_name,
            phone=details.phone,
            email=details.email,
            language=details.language,
            access_needs=details.access_needs,
            made_by_id=made_by_id,
            consent_recorded_at=utcnow() if made_by_id is not None else None,
            assessment_id=assessment_id,
        )
        place(booking, slot, seat)
        db.session.add(booking)
        db.session.flush()
        how = "for someone, with their consent" if made_by_id is not None else "by the resident"
        audit.record("booking made", f"booking {booking.reference}", how)
        tell(booking, resource, "booking-made")
        return booking

    return _take_a_seat(slot, write)


def move(booking: Booking, slot: Slot) -> Booking:
    """Move a booking to another slot of the same entry, keeping its reference; SlotTaken if it is full."""

    def write(seat: int) -> Booking:
        place(booking, slot, seat)
        audit.record("booking moved", f"booking {booking.reference}")
        tell(booking, booking.resource, "booking-made")
        return booking

    return _take_a_seat(slot, write, except_id=booking.id)


def cancel(booking: Booking) -> None:
    """Cancel a booking, freeing its place, and tell the person; the caller commits."""
    booking.status = CANCELLED
    booking.cancelled_at = utcnow()
    audit.record("booking cancelled", f"booking {booking.reference}")
    tell(booking, booking.resource, "booking-cancelled")


def when_text(moment: datetime, language: str) -> str:
    """A booking's time as the person reads it: 'Tuesday 8 December 2026, 10:00', in their language."""
    return format_datetime(as_utc(moment), WHEN_FORMAT, tzinfo=COUNCIL_TIME, locale=language)


def where_text(mode: str, resource: Resource) -> str:
    """Where the help happens, in the current language."""
    if mode == "phone":
        return _("%(name)s will phone you", name=resource.name)
    if mode == "home_visit":
        return _("At your home: %(name)s will phone you first to arrange it", name=resource.name)
    return ", ".join(part for part in (resource.name, resource.full_address) if part)


def contact_of(booking: Booking) -> tuple[str, str]:
    """The kind of message that reaches the person and where to: ("email", address), else ("sms", mobile), else
    ("", "") when they gave neither (or no mobile)."""
    if booking.email:
        return "email", booking.email
    mobile = normalise_mobile(booking.phone) or ""
    return ("sms", mobile) if mobile else ("", "")


def tell(booking: Booking, resource: Resource, template: str, **extra: str) -> None:
    """A message about the booking to the email address, else the mobile number, it was made with (if any), in
    the language it was made in; `extra` fills the template's other fields."""
    kind, to = contact_of(booking)
    if not to:
        return
    with force_locale(booking.language):
        fields = {
            "service": resource.name,
            "when": when_text(booking.starts_at, booking.language),
            "where": where_text(booking.mode, resource),
            "reference": booking.reference,
            "link": external_url("resident.booking", reference=booking.reference),
        } | extra
    queue(f"{template}-{kind}", to, fields, booking.language, assessment_id=booking.assessment_id)


def find_booking(typed_reference: str, contact: str) -> Booking | None:
    """The booking with this reference, if `contact` is the phone number or email it was made with (or empty for
    one made without either); None otherwise, the same for a wrong reference as for a wrong contact."""
    reference = normalise_reference(typed_reference or "")
    if reference is None:
        return None
    booking = db.session.execute(select(Booking).where(Booking.reference == reference)).scalar_one_or_none()
    if booking is None or booking.status == HELD:  # a held place is answered by its waiting list reference
        return None
    contact = (contact or "").strip()
    if not booking.phone and not booking.email:
        return booking if not contact else None
    if booking.email and contact.casefold() == booking.email.casefold():
        return booking
    return booking if booking.phone and same_phone(contact, booking.phone) else None


def by_reference(reference: str) -> Booking | None:
    return db.session.execute(select(Booking).where(Booking.reference == reference)).scalar_one_or_none()


def is_upcoming(booking: Booking) -> bool:
    """A booking that can still be cancelled or moved: booked, and not started yet."""
    return booking.status == ACTIVE and as_utc(booking.starts_at) > now()


def next_times_in_plan(assessment, shown: int = 3) -> dict[int, list[tuple[Slot, int]]]:
    """For each piece of help in a plan with times free to book, the next few of them; an empty list for help
    whose only times are full sessions, whose waiting lists can be joined."""
    resources = {rec.resource_id: rec.resource for rec in assessment.recommendations}
    found = {resource_id: times[:shown] for resource_id, times in _free_times_of(list(resources.values())).items()}
    return found | {resource_id: [] for resource_id in _only_full(resources, set(found))}


def _only_full(resources: dict[int, Resource], with_times: set[int]) -> list[int]:
    """Of a plan's help with no free times, the entries with a full dated session: it has a waiting list."""
    dated = select(Availability.resource_id).where(
        Availability.resource_id.in_(set(resources) - with_times),
        Availability.kind == "dated",
        Availability.removed_at.is_(None),
    )
    candidates = set(db.session.execute(dated).scalars())
    return [resource_id for resource_id in sorted(candidates) if full_sessions(resources[resource_id])]


def slot_label(slot: Slot, free: int) -> str:
    """A free time as a choice: 'Tuesday 8 December 2026, 10:00 to 10:30, in person (1 place left)'."""
    language = str(get_locale() or "en")
    when = when_text(slot.starts_at, language)
    left = _("1 place left") if free == 1 else _("%(n)d places left", n=free)
    return _(
        "%(when)s to %(end)s, %(mode)s (%(left)s)",
        when=when,
        end=slot.local_end.strftime("%H:%M"),
        mode=_(MODES[slot.mode]).lower(),
        left=left,
    )


def session_label(slot: Slot) -> str:
    """A session as a line: 'Tuesday 8 December 2026, 14:00 to 15:30'."""
    when = when_text(slot.starts_at, str(get_locale() or "en"))
    return _("%(when)s to %(end)s", when=when, end=slot.local_end.strftime("%H:%M"))
