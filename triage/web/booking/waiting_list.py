"""Waiting lists in the database: joining a full session's list, finding an entry by its reference and contact,
leaving, and offering freed places (docs/booking.md). The order and states are triage.core.waiting_list's.

An offer is a Booking of the freed seat with status `held` until `held_until`: the seat index (models.Booking)
keeps a held seat as exclusive as a booked one. Every change of state is a conditional UPDATE (from the state it
must be in), so of two workers, or a worker and a person answering, only one makes it: a place is never offered
twice and nobody is offered out of turn. `offer_places` runs after each change that frees a place (a booking
cancelled or moved, an offer declined, someone holding one leaving), and `offer_freed_places` (the messages
worker's batch, `flask offer-freed-places`) ends the holds that ran out and offers whatever is free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError

from triage.core import waiting_list
from triage.core.booking_slots import ACTIVE, CANCELLED, HELD, Slot, free_seat, slot_key
from triage.core.contact_details import normalise_mobile, same_phone
from triage.core.reference import new_reference, normalise_reference
from triage.core.waiting_list import BOOKED, CLOSED, DECLINED, EXPIRED, LEFT, OFFERED, OPEN, WAITING, Entry
from triage.web.booking import service
from triage.web.extensions import db
from triage.web.messages.sending import queue
from triage.web.models import Assessment, Availability, Booking, Resource, WaitingListEntry, as_utc, utcnow
from triage.web.shell import audit
from triage.web.shell.links import external_url


class PlacesFree(Exception):
    """The session has a place free: book it instead of waiting."""


class AlreadyThere(Exception):
    """The phone number or email address is on the session's list already, or has a place in it: one person
    takes one place in line, never several."""


@dataclass(frozen=True)
class Offered:
    """What one run of offer_freed_places did."""

    expired: int = 0
    offered: int = 0
    closed: int = 0


def _session_of(entry_or_booking: WaitingListEntry | Booking) -> tuple[int, datetime]:
    return entry_or_booking.availability_id, as_utc(entry_or_booking.starts_at)


def entries_of(availability_id: int, starts_at: datetime) -> list[WaitingListEntry]:
    """A session's whole waiting list, in the order people joined."""
    query = select(WaitingListEntry).where(
        WaitingListEntry.availability_id == availability_id, WaitingListEntry.starts_at == starts_at
    )
    ordered = query.order_by(WaitingListEntry.created_at, WaitingListEntry.id)
    # fresh from the database: the states are changed by UPDATEs (this worker's or another's), not on these objects
    return list(db.session.execute(ordered.execution_options(populate_existing=True)).scalars())


def rules_of(entries: list[WaitingListEntry]) -> list[Entry]:
    return [Entry(e.id, as_utc(e.created_at), e.status) for e in entries]


def place_in_line(entry: WaitingListEntry) -> int | None:
    return waiting_list.place_in_line(rules_of(entries_of(*_session_of(entry))), entry.id)


def _contact(entry: WaitingListEntry) -> tuple[str, str]:
    if entry.email:
        return "email", entry.email
    mobile = normalise_mobile(entry.phone) or ""
    return ("sms", mobile) if mobile else ("", "")


def tell(entry: WaitingListEntry, template: str, **extra: str) -> bool:
    """A message about the entry to its email address, else mobile, in its language; False if it has neither."""
    kind, to = _contact(entry)
    if not to:
        return False
    resource = entry.resource
    with force_locale(entry.language):
        fields = {
            "service": entry.availability.title or resource.name,
            "when": service.when_text(entry.starts_at, entry.language),
            "where": service.where_text(entry.availability.mode, resource),
            "reference": entry.reference,
            "link": external_url("resident.waiting_entry", reference=entry.reference),
        } | extra
    queue(f"{template}-{kind}", to, fields, entry.language, assessment_id=entry.assessment_id)
    return True


def join(
    resource: Resource,
    slot: Slot,
    details: service.Details,
    *,
    assessment_id: int | None = None,
    made_by_id: int | None = None,
) -> WaitingListEntry:
    """Put someone on the full session's waiting list, tell them, and commit; PlacesFree if it has a place."""
    if service.places_left(slot) > 0:
        raise PlacesFree
    if _already_there(slot, details):
        raise AlreadyThere
    for _attempt in range(service.RETRIES):
        entry = WaitingListEntry(
            reference=new_reference(),
            availability_id=slot.offer_id,
            resource_id=resource.id,
            starts_at=slot.starts_at,
            first_name=details.first_name,
            phone=details.phone,
            email=details.email,
            language=details.language,
            access_needs=details.access_needs,
            assessment_id=assessment_id,
            made_by_id=made_by_id,
            consent_recorded_at=utcnow() if made_by_id is not None else None,
            status=WAITING,
        )
        try:
            db.session.add(entry)
            db.session.flush()
        except IntegrityError:  # a clash of new references, all but impossible
            db.session.rollback()
            continue
        how = "for someone, with their consent" if made_by_id is not None else "by the resident"
        audit.record("waiting list joined", f"waiting list {entry.reference}", how)
        tell(entry, "waiting-list-joined")
        db.session.commit()
        return entry
    raise RuntimeError("No new waiting list reference could be made")


def _already_there(slot: Slot, details: service.Details) -> bool:
    """Whether someone with these contact details waits for this session, or holds a place in it."""
    waiting = [e for e in entries_of(slot.offer_id, slot.starts_at) if e.status in OPEN]
    booked = select(Booking).where(
        Booking.availability_id == slot.offer_id, Booking.starts_at == slot.starts_at, Booking.status != CANCELLED
    )
    for kept in [*waiting, *db.session.execute(booked).scalars()]:
        if details.email and kept.email and details.email.strip().lower() == kept.email.strip().lower():
            return True
        if details.phone and kept.phone and same_phone(details.phone, kept.phone):
            return True
    return False


def find_entry(typed_reference: str, contact: str) -> WaitingListEntry | None:
    """The entry with this reference if `contact` is the phone number or email it was made with; None otherwise,
    the same for a wrong reference as for a wrong contact."""
    reference = normalise_reference(typed_reference or "")
    contact = (contact or "").strip()
    if reference is None or not contact:
        return None
    entry = by_reference(reference)
    if entry is None:
        return None
    if entry.email and contact.casefold() == entry.email.casefold():
        return entry
    return entry if entry.phone and same_phone(contact, entry.phone) else None


def by_reference(reference: str) -> WaitingListEntry | None:
    return db.session.execute(
        select(WaitingListEntry).where(WaitingListEntry.reference == reference)
    ).scalar_one_or_none()


def _changed(result) -> int:
    """How many rows an UPDATE changed (Session.execute is typed to return a Result; for an UPDATE it is a
    CursorResult, which has the rowcount)."""
    return cast(CursorResult, result).rowcount


def _move(entry_id: int, from_status: str, **values) -> bool:
    """Change an entry's state if it is still `from_status`; whether this change made it."""
    changed = db.session.execute(
        update(WaitingListEntry)
        .where(WaitingListEntry.id == entry_id, WaitingListEntry.status == from_status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return _changed(changed) > 0


def _release(booking_id: int | None, why: str) -> bool:
    """Cancel a held booking if it is still held; whether this did."""
    if booking_id is None:
        return False
    changed = db.session.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.status == HELD)
        .values(status=CANCELLED, cancelled_at=utcnow(), cancelled_because=why, held_until=None)
        .execution_options(synchronize_session=False)
    )
    return _changed(changed) > 0


def hold_is_open(entry: WaitingListEntry) -> bool:
    """The entry holds a place it can still accept."""
    booking = entry.booking
    return (
        entry.status == OFFERED
        and booking is not None
        and booking.status == HELD
        and booking.held_until is not None
        and not waiting_list.hold_has_ended(as_utc(booking.held_until), service.now())
    )


def accept(entry: WaitingListEntry) -> Booking | None:
    """Make the held place a booking (reminders then apply), tell the person, and commit; None if the hold had
    ended or the place went otherwise (the entry is then as the change left it)."""
    now = service.now()
    booking_id = entry.booking_id
    booked = booking_id is not None and _changed(
        db.session.execute(
            update(Booking)
            .where(Booking.id == booking_id, Booking.status == HELD, Booking.held_until > now)
            .values(status=ACTIVE, held_until=None, placed_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if not booked or not _move(entry.id, OFFERED, status=BOOKED):
        db.session.rollback()
        return None
    booking = db.session.get_one(Booking, booking_id, populate_existing=True)
    audit.record("waiting list place accepted", f"waiting list {entry.reference}", f"booking {booking.reference}")
    service.tell(booking, booking.resource, "booking-made")
    db.session.commit()
    return booking


def decline(entry: WaitingListEntry) -> bool:
    """Give the held place back, commit, and offer it to the next person; whether it was still held."""
    done = _move(entry.id, OFFERED, status=DECLINED) and _release(entry.booking_id, "declined from the waiting list")
    if not done:
        db.session.rollback()
        return False
    audit.record("waiting list place declined", f"waiting list {entry.reference}")
    db.session.commit()
    offer_places(*_session_of(entry))
    return True


def leave(entry: WaitingListEntry, by_staff: bool = False) -> bool:
    """Take someone off the list (giving back a place held for them), commit, and offer any place freed; whether
    they were on it."""
    was = entry.status
    if was not in OPEN or not _move(entry.id, was, status=LEFT):
        db.session.rollback()
        return False
    freed = was == OFFERED and _release(entry.booking_id, "left the waiting list")
    audit.record("waiting list left", f"waiting list {entry.reference}", "removed by staff" if by_staff else "")
    db.session.commit()
    if freed:
        offer_places(*_session_of(entry))
    return True


def offer_places(availability_id: int, starts_at: datetime, now: datetime | None = None) -> int:
    """Offer each free place of a session to the next person in its line, committing each offer; how many were
    offered. A session no longer offered (past its notice, removed, closed) offers nothing."""
    now = now or service.now()
    availability = db.session.get(Availability, availability_id)
    if availability is None:
        return 0
    slot = service.find_slot(availability.resource, slot_key(availability_id, starts_at))
    config = current_app.config
    until = waiting_list.hold_until(
        now,
        starts_at,
        timedelta(minutes=config["BOOKING_HOLD_MINUTES"]),
        timedelta(minutes=config["BOOKING_NOTICE_MINUTES"]),
    )
    if slot is None or until is None:
        return 0
    offered = 0
    for _attempt in range(slot.places + len(entries_of(availability_id, starts_at)) + service.RETRIES):
        seat = free_seat(slot.places, service.taken_seats(slot))
        first = waiting_list.to_offer(rules_of(entries_of(availability_id, starts_at)), 1)
        if seat is None or not first:
            break
        if _hold_for(first[0].id, slot, seat, until, now):
            offered += 1
    return offered


def _hold_for(entry_id: int, slot: Slot, seat: int, until: datetime, now: datetime) -> bool:
    """Hold the seat for the entry and tell them, in one transaction; False (rolled back) if another worker
    offered them a place first or took the seat."""
    try:
        if not _move(entry_id, WAITING, status=OFFERED, offered_at=now):
            db.session.rollback()
            return False
        entry = db.session.get_one(WaitingListEntry, entry_id, populate_existing=True)
        booking = Booking(
            reference=new_reference(),
            resource_id=entry.resource_id,
            status=HELD,
            held_until=until,
            first_name=entry.first_name,
            phone=entry.phone,
            email=entry.email,
            language=entry.language,
            access_needs=entry.access_needs,
            made_by_id=entry.made_by_id,
            consent_recorded_at=entry.consent_recorded_at,
            assessment_id=entry.assessment_id,
        )
        service.place(booking, slot, seat)
        db.session.add(booking)
        db.session.flush()
        entry.booking_id = booking.id
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    audit.record("waiting list place offered", f"waiting list {entry.reference}", f"held until {until:%Y-%m-%d %H:%M}Z")
    tell(entry, "waiting-list-offer", deadline=service.when_text(until, entry.language))
    db.session.commit()
    return True


def offer_freed_places(now: datetime | None = None) -> Offered:
    """End the holds that ran out (each freeing its place), close the lists of sessions that have started, and
    offer every free place of a session with people waiting; safe beside another worker doing the same."""
    now = now or service.now()
    ended = select(Booking.id).where(Booking.status == HELD, Booking.held_until <= now)
    expired = 0
    for booking_id in list(db.session.execute(ended).scalars()):
        if _release(booking_id, "hold ended"):  # the place is free whatever became of the entry
            expired += _expire_entry(booking_id)
        db.session.commit()
    closed = _changed(
        db.session.execute(
            update(WaitingListEntry)
            .where(WaitingListEntry.status == WAITING, WaitingListEntry.starts_at <= now)
            .values(status=CLOSED)
            .execution_options(synchronize_session=False)
        )
    )
    db.session.commit()
    sessions = select(WaitingListEntry.availability_id, WaitingListEntry.starts_at).where(
        WaitingListEntry.status == WAITING, WaitingListEntry.starts_at > now
    )
    offered = 0
    for availability_id, starts_at in sorted({(offer_id, at) for offer_id, at in db.session.execute(sessions)}):
        offered += offer_places(availability_id, as_utc(starts_at), now)
    return Offered(expired, offered, closed)


def _expire_entry(booking_id: int) -> bool:
    entry_id = db.session.execute(
        select(WaitingListEntry.id).where(WaitingListEntry.booking_id == booking_id)
    ).scalar_one_or_none()
    return entry_id is None or _move(entry_id, OFFERED, status=EXPIRED)


def close_lists(
    resource: Resource, picks: Callable[[WaitingListEntry], bool], reason: Callable[[], str], why: str
) -> tuple[int, int]:
    """Close the open entries of the resource's sessions to come that `picks`, giving back their held places and
    telling each person `reason()` (in their language); the caller commits. How many entries were closed, and how
    many people were told."""
    query = select(WaitingListEntry).where(
        WaitingListEntry.resource_id == resource.id,
        WaitingListEntry.status.in_(OPEN),
        WaitingListEntry.starts_at > service.now(),
    )
    closed = told = 0
    for entry in db.session.execute(query.order_by(WaitingListEntry.starts_at, WaitingListEntry.id)).scalars():
        if not picks(entry):
            continue
        closing = (
            update(WaitingListEntry)
            .where(WaitingListEntry.id == entry.id, WaitingListEntry.status.in_(OPEN))
            .values(status=CLOSED)
            .execution_options(synchronize_session=False)
        )
        if not _changed(db.session.execute(closing)):
            continue
        # read again: a worker may have offered them a place since the entry was loaded
        held_id = db.session.execute(select(WaitingListEntry.booking_id).where(WaitingListEntry.id == entry.id))
        _release(held_id.scalar_one(), why[:200])
        audit.record("waiting list closed by a change", f"waiting list {entry.reference}", why)
        with force_locale(entry.language):
            words = reason()
        told += tell(entry, "waiting-list-closed", reason=words, link=_another_time(entry))
        closed += 1
    db.session.flush()
    return closed, told


def _another_time(entry: WaitingListEntry) -> str:
    if entry.assessment_id is not None:
        assessment = db.session.get(Assessment, entry.assessment_id)
        if assessment is not None:
            return external_url("resident.plan", reference=assessment.reference)
    return external_url("find.search_page")
