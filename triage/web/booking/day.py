"""The champion's day, /staff/bookings: today's or this week's bookings at the entries someone may see (their
organisation's for a Digital Champion, every entry for an officer, only their district's for an account limited
to one: permissions.can_see_booking), by entry, day and time, to use on screen or printed as a day sheet. Each
booking is marked attended or did not come on its day or after (triage.core.booking_day), and attended opens the
session log filled in from the booking; the saved log is linked to the booking (Booking.help_session_id).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import ColumnElement, Select, false, select
from wtforms import HiddenField, StringField

from triage.core.booking_day import (
    DAY,
    MARKS,
    VIEWS,
    WEEK,
    is_group,
    mark_problem,
    moved,
    period,
    read_day,
    reminder_text,
    undo_problem,
)
from triage.core.booking_slots import ACTIVE, ATTENDED, CANCELLED, COUNCIL_TIME, HELD, MODES, STATUSES
from triage.core.contact_details import phone_ending
from triage.core.help_sessions import LENGTH_PRESETS, VENUE
from triage.core.interface_languages import BY_CODE
from triage.core.permissions import booking_reach, can, can_see_booking, help_session_reach
from triage.web.accounts.auth import requires
from triage.web.booking import service
from triage.web.directory.venues import venues_of
from triage.web.extensions import db
from triage.web.help_sessions import views as log_views
from triage.web.help_sessions.forms import OTHER_LENGTH, HelpSessionForm
from triage.web.models import (
    Assessment,
    Availability,
    Booking,
    BookingReminder,
    HelpSession,
    Organisation,
    Resource,
    StaffUser,
    Ward,
    as_utc,
    utcnow,
)
from triage.web.shell import audit
from triage.web.staff import bp

UNDO = "booked"
STATUS_TAGS = {ACTIVE: "govuk-tag--blue", ATTENDED: "govuk-tag--green", "no_show": "govuk-tag--orange"}
HOW = {"in_person": "In person", "phone": "Phone call", "home_visit": "Home visit"}
PLACE_OF_MODE = {"phone": "phone", "home_visit": "home"}  # in person: the entry, when it is one of the venues


class MarkForm(FlaskForm):
    mark = StringField()
    view = HiddenField()


def _visible_entries() -> Select:
    """The entries whose bookings the signed-in person may see, as a query (permissions.can_see_booking)."""
    reach = booking_reach(current_user.role, current_user.organisation_id)
    query = select(Resource)
    where: list[ColumnElement[bool]] = []
    if not reach.every:
        where.append(false() if reach.organisation_id is None else Resource.organisation_id == reach.organisation_id)
    if current_user.district_code is not None:  # in_district: an entry whose ward is not known is not theirs
        district_wards = select(Ward.code).where(Ward.lad_code == current_user.district_code)
        where.append(Resource.ward_code.in_(district_wards))
    return query.where(*where)


def _booking_or_404(booking_id: int) -> Booking:
    booking = db.get_or_404(Booking, booking_id)
    resource = booking.resource
    if not can_see_booking(
        current_user.role,
        current_user.organisation_id,
        current_user.district_code,
        entry_organisation_id=resource.organisation_id,
        entry_district=service.entry_district(resource),
    ):
        abort(404)  # nobody learns that another organisation's booking exists
    return booking


def _local_day(moment: datetime) -> date:
    return as_utc(moment).astimezone(COUNCIL_TIME).date()


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time.min, tzinfo=COUNCIL_TIME).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=COUNCIL_TIME).astimezone(UTC)
    return start, end


@dataclass
class Shown:
    """One booking as the day page shows it."""

    booking: Booking
    starts: datetime  # local
    ends: datetime
    language: str
    contact: str
    reminders: list[str]
    made_by: str | None
    markable: bool
    undoable: bool


@dataclass
class Sitting:
    """The bookings of one time of one offer: one person's slot, or a group session's places."""

    offer: Availability
    starts: datetime  # local
    ends: datetime
    bookings: list[Shown] = field(default_factory=list)

    @property
    def group(self) -> bool:
        return is_group(self.offer.kind, self.offer.places)


@dataclass
class EntryDay:
    resource: Resource
    days: dict[date, list[Sitting]] = field(default_factory=dict)
    cancelled: list[Shown] = field(default_factory=list)

    @property
    def count(self) -> int:
        booked = (b for sittings in self.days.values() for s in sittings for b in s.bookings)
        return sum(1 for b in booked if b.booking.status != HELD)


def _problem(message: str, status: int = 400):
    return render_template("staff/booking/day_problem.html", message=message), status


def _reminders(bookings: list[Booking]) -> dict[int, list[str]]:
    """The reminders sent for each booking's present time, earliest first."""
    if not bookings:
        return {}
    query = select(BookingReminder).where(BookingReminder.booking_id.in_([b.id for b in bookings]))
    starts = {b.id: as_utc(b.starts_at) for b in bookings}
    sent: defaultdict[int, list[int]] = defaultdict(list)
    for row in db.session.execute(query).scalars():
        if as_utc(row.starts_at) == starts[row.booking_id]:
            sent[row.booking_id].append(row.hours_before)
    return {booking_id: [reminder_text(h) for h in sorted(hours, reverse=True)] for booking_id, hours in sent.items()}


def _contact(booking: Booking) -> str:
    held = []
    if booking.phone:
        ending = phone_ending(booking.phone)
        held.append(f"Phone number ending {ending}" if ending else "A phone number")
    if booking.email:
        held.append("An email address")
    return " and ".join(held) if held else "No phone number or email"


def _shown(booking: Booking, reminders: dict[int, list[str]], makers: dict[int, str], today: date) -> Shown:
    starts = as_utc(booking.starts_at).astimezone(COUNCIL_TIME)
    language = BY_CODE[booking.language].english_name if booking.language in BY_CODE else booking.language
    marked_on = _local_day(booking.marked_at) if booking.marked_at else None
    return Shown(
        booking=booking,
        starts=starts,
        ends=as_utc(booking.ends_at).astimezone(COUNCIL_TIME),
        language=language,
        contact=_contact(booking),
        reminders=reminders.get(booking.id, []),
        made_by=makers.get(booking.made_by_id) if booking.made_by_id else None,
        markable=booking.status == ACTIVE and starts.date() <= today,
        undoable=undo_problem(booking.status, marked_on, today, booking.help_session_id is not None) is None,
    )


def _grouped(bookings: list[Booking], today: date) -> list[EntryDay]:
    """The bookings by entry (by name), day and time (then seat); cancelled ones apart, for each entry."""
    reminders = _reminders(bookings)
    maker_ids = {b.made_by_id for b in bookings if b.made_by_id}
    makers = dict(db.session.execute(select(StaffUser.id, StaffUser.name).where(StaffUser.id.in_(maker_ids))).all())
    entries: dict[int, EntryDay] = {}
    for booking in bookings:
        entry = entries.setdefault(booking.resource_id, EntryDay(booking.resource))
        shown = _shown(booking, reminders, makers, today)
        if booking.status == CANCELLED:
            entry.cancelled.append(shown)
            continue
        sittings = entry.days.setdefault(shown.starts.date(), [])
        sitting = next(
            (s for s in sittings if s.offer.id == booking.availability_id and s.starts == shown.starts), None
        )
        if sitting is None:
            sitting = Sitting(booking.availability, shown.starts, shown.ends)
            sittings.append(sitting)
        sitting.bookings.append(shown)
    return sorted(entries.values(), key=lambda e: (e.resource.name, e.resource.id))


def _filter_choice(name: str, allowed: set[int]) -> int | None | bool:
    """A filter's id from the page's address: None for none, False when it is not one of the choices."""
    text = request.args.get(name, "")
    if text == "":
        return None
    return int(text) if text.isdigit() and len(text) < 10 and int(text) in allowed else False


@bp.get("/bookings")
@requires("read_bookings")
def booking_day():
    today = service.today()
    view = request.args.get("view", DAY)
    if view not in VIEWS:
        return _problem("Choose today or this week")
    day = read_day(request.args.get("date"), today)
    if day is None:
        return _problem("The date must be a real date written like 2026-12-08")
    entries = db.session.execute(_visible_entries().order_by(Resource.name, Resource.id)).scalars().all()
    every = booking_reach(current_user.role, current_user.organisation_id).every
    organisation_ids = {e.organisation_id for e in entries if e.organisation_id is not None}
    of_entries = select(Organisation).where(Organisation.id.in_(organisation_ids)).order_by(Organisation.name)
    organisations = db.session.execute(of_entries).scalars().all() if every else []
    entry_id = _filter_choice("entry", {e.id for e in entries})
    organisation_id = _filter_choice("organisation", {o.id for o in organisations})
    if entry_id is False or organisation_id is False:
        return _problem("Choose a place or an organisation from the lists")
    first, last = period(view, day)
    shown_ids = [
        e.id
        for e in entries
        if (entry_id is None or e.id == entry_id) and (organisation_id is None or e.organisation_id == organisation_id)
    ]
    start, end = _bounds(first, last)
    query = (
        select(Booking)
        .where(Booking.resource_id.in_(shown_ids), Booking.starts_at >= start, Booking.starts_at < end)
        .order_by(Booking.starts_at, Booking.availability_id, Booking.seat, Booking.id)
    )
    bookings = list(db.session.execute(query).scalars())
    taken: defaultdict[tuple[int, datetime], int] = defaultdict(int)
    for b in bookings:
        if b.status not in (CANCELLED, HELD):  # a place held for someone on the waiting list is not booked yet
            taken[(b.availability_id, as_utc(b.starts_at))] += 1
    return render_template(
        "staff/booking/day.html",
        view=view,
        day=day,
        today=today,
        first=first,
        last=last,
        days=[first + timedelta(days=n) for n in range((last - first).days + 1)],
        earlier=moved(view, day, -1),
        later=moved(view, day, 1),
        grouped=_grouped(bookings, today),
        taken=lambda sitting: taken[(sitting.offer.id, sitting.starts.astimezone(UTC))],
        entries=entries,
        organisations=organisations,
        entry_id=entry_id,
        organisation_id=organisation_id,
        every=every,
        form=MarkForm(),
        statuses=STATUSES,
        tags=STATUS_TAGS,
        how=HOW,
        marks=MARKS,
        undo=UNDO,
        views=VIEWS,
        day_view=DAY,
        week_view=WEEK,
        logs=help_session_reach(current_user.role, current_user.id),
        may_log=can(current_user.role, "log_help_sessions"),
    )


@bp.post("/bookings/<int:booking_id>/mark")
@requires("read_bookings")
def mark_booking(booking_id: int):
    booking = _booking_or_404(booking_id)
    form = MarkForm()
    if not form.validate_on_submit():
        return _problem("The form had expired: go back to the bookings and try again")
    view = form.view.data if form.view.data in VIEWS else DAY
    back = url_for("staff.booking_day", view=view, date=_local_day(booking.starts_at).isoformat())
    today = service.today()
    mark = form.mark.data or ""
    if mark == UNDO:
        marked_on = _local_day(booking.marked_at) if booking.marked_at else None
        problem = undo_problem(booking.status, marked_on, today, booking.help_session_id is not None)
    else:
        problem = mark_problem(booking.status, mark, _local_day(booking.starts_at), today)
    if problem:
        return _problem(problem)
    was = booking.status
    booking.status = ACTIVE if mark == UNDO else mark
    booking.marked_at = None if mark == UNDO else utcnow()
    detail = f"undone: {STATUSES[was].lower()}" if mark == UNDO else STATUSES[mark].lower()
    audit.record("booking marked", f"booking {booking.reference}", detail)
    db.session.commit()
    name = booking.first_name or "No name given"
    at = as_utc(booking.starts_at).astimezone(COUNCIL_TIME).strftime("%H:%M")
    if mark == ATTENDED and can(current_user.role, "log_help_sessions"):
        flash(f"{name}, {at}: marked attended. Log the session now, or later from the bookings", "success")
        return redirect(url_for("staff.log_session_for_booking", booking_id=booking.id))
    said = "back to booked" if mark == UNDO else f"marked {STATUSES[mark].lower()}"
    flash(f"{name}, {at}: {said}", "success")
    return redirect(f"{back}#booking-{booking.id}")


def _sitting_attended(booking: Booking) -> list[Booking]:
    """The bookings marked attended at the same time of the same offer (the booking itself, for one person)."""
    query = select(Booking).where(
        Booking.availability_id == booking.availability_id,
        Booking.starts_at == booking.starts_at,
        Booking.status == ATTENDED,
    )
    return list(db.session.execute(query.order_by(Booking.id)).scalars())


def _prefill(booking: Booking, attended: int, venue_ids: set[int]):
    """What the log is filled in with from the booking: its date, length, one-to-one or the group that came, and
    where (the entry, when it is one of the organisation's venues; the phone; their home)."""
    minutes = int((as_utc(booking.ends_at) - as_utc(booking.starts_at)).total_seconds() // 60)
    group = is_group(booking.availability.kind, booking.availability.places) and attended >= 2

    def fill(form: HelpSessionForm) -> None:
        form.session_date.data = _local_day(booking.starts_at)
        form.length.data = str(minutes) if minutes in LENGTH_PRESETS else OTHER_LENGTH
        form.other_minutes.data = "" if minutes in LENGTH_PRESETS else str(minutes)
        form.kind.data = "group" if group else "one_to_one"
        form.headcount.data = str(attended) if group else ""
        if booking.mode in PLACE_OF_MODE:
            form.place.data = PLACE_OF_MODE[booking.mode]
        elif booking.resource_id in venue_ids:
            form.place.data = f"{VENUE}-{booking.resource_id}"

    return fill


@bp.route("/bookings/<int:booking_id>/log-session", methods=["GET", "POST"])
@requires("log_help_sessions")
def log_session_for_booking(booking_id: int):
    booking = _booking_or_404(booking_id)
    if booking.status != ATTENDED:
        return _problem("Mark the booking attended before logging the session")
    attended = _sitting_attended(booking)
    if any(b.help_session_id is not None for b in attended):
        return _problem("A session is already logged from this booking: it is shown on the bookings page")
    day = _local_day(booking.starts_at)
    plan = db.session.get(Assessment, booking.assessment_id) if booking.assessment_id is not None else None
    log = HelpSession(assessment=plan)

    def link(saved: HelpSession) -> None:
        for one in attended:  # a group's log is the session of everyone who came
            one.help_session = saved

    venue_ids = {v.id for v in venues_of(current_user.organisation_id)}
    return log_views.log_or_save(
        log,
        current_user.organisation_id,
        prefill=_prefill(booking, len(attended), venue_ids),
        ward_venue=booking.resource,
        before_saving=link,
        done=f"{url_for('staff.booking_day', date=day.isoformat())}#booking-{booking.id}",
        context={"booking": booking, "when": service.when_text(booking.starts_at, "en"), "how": MODES[booking.mode]},
    )
