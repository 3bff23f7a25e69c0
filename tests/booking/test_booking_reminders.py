"""Reminders before a booked time, queued by the messages worker and sent through the GOV.UK Notify stand-in:
two by default, once each, in the person's language, only to bookings still booked with a way to reach the
person, none a booking cannot use, and afresh for a booking moved to another time."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from messages.conftest import notify, notify_app  # noqa: F401 (fixtures: the GOV.UK Notify stand-in)
from test_booking import book, made, post, publish_session, published  # noqa: F401 (a fixture)

from triage.web.booking import service
from triage.web.booking.reminders import queue_due_reminders
from triage.web.extensions import db
from triage.web.models import Booking, BookingReminder, OutboxMessage, as_utc

PUBLIC = "https://signpost.charnwood.example.gov.uk"


@pytest.fixture
def session(request):
    """test_booking's `published`: a plan, and its drop-in with a dated session of 3 places."""
    return request.getfixturevalue("published")


@pytest.fixture
def sending(request, monkeypatch):
    """The app sending through the Notify stand-in (messages/conftest.py), with PUBLIC_URL for the links."""
    app = request.getfixturevalue("notify_app")
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)
    return app


@pytest.fixture
def notified(request):
    """What the Notify stand-in received."""
    return request.getfixturevalue("notify")


@pytest.fixture
def booked(app, people, session):
    """A booking made by a resident reading Polish, with an email address; its id and start."""
    reference, resource_id = session
    resident = people(None)
    resident.get("/?lang=pl")
    assert book(resident, reference, resource_id, email="asha@example.com").status_code == 302
    booking = made(app)[0]
    return booking.id, as_utc(booking.starts_at)


def reminders_at(app, when) -> int:
    with app.app_context():
        return queue_due_reminders(now=when)


def reminder_messages(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.query(OutboxMessage).filter(OutboxMessage.template.like("booking-reminder-%")).all()
        db.session.expunge_all()
        return rows


def test_two_reminders_are_sent_once_each_in_the_persons_language_through_notify(app, sending, notified, booked):
    booking_id, starts = booked
    assert reminders_at(app, starts - timedelta(hours=49)) == 0
    assert reminders_at(app, starts - timedelta(hours=47)) == 1
    assert reminders_at(app, starts - timedelta(hours=46)) == 0  # a worker restarted, or the next batch
    assert reminders_at(app, starts - timedelta(hours=1, minutes=50)) == 1
    assert reminders_at(app, starts - timedelta(hours=1)) == 0
    assert reminders_at(app, starts + timedelta(minutes=1)) == 0
    messages = reminder_messages(app)
    assert [m.template for m in messages] == ["booking-reminder-email"] * 2
    booking = made(app)[0]
    for message in messages:
        assert message.language == "pl" and message.status == "queued"
        assert f"{PUBLIC}/bookings/{booking.reference}" in message.body and booking.reference in message.body
        assert "Loughborough Library" in message.body  # where
        assert "14:00" in message.body  # when
    with app.app_context():
        kept = db.session.query(BookingReminder).order_by(BookingReminder.hours_before).all()
        assert [(r.booking_id, r.hours_before) for r in kept] == [(booking_id, 2), (booking_id, 48)]
    result = app.test_cli_runner().invoke(args=["send-messages"])
    assert result.exit_code == 0, result.output
    sent = [n for n in notified.received if n["email_address"] == "asha@example.com"]
    assert len(sent) == 3  # the confirmation and two reminders, each once
    assert sum("14:00" in n["personalisation"]["body"] for n in sent) == 3


def test_the_worker_queues_the_reminders_due_and_sends_them_in_the_same_batch(app, sending, notified, booked):
    booking_id, _starts = booked
    with app.app_context():
        soon = service.now() + timedelta(hours=1)
        booking = db.session.get(Booking, booking_id)
        booking.starts_at, booking.ends_at = soon, soon + timedelta(minutes=90)
        booking.placed_at = soon - timedelta(days=7)  # a booking made a week ago, an hour from now
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-messages"])
    assert result.exit_code == 0, result.output
    assert "Queued 1 booking reminder." in result.output and "Sent 2 messages" in result.output
    assert [m.template for m in reminder_messages(app)] == ["booking-reminder-email"]
    again = app.test_cli_runner().invoke(args=["send-booking-reminders"])
    assert again.exit_code == 0 and "Queued 0 booking reminders." in again.output


def test_a_booking_made_after_a_reminders_time_gets_only_the_ones_it_can_use(app, sending, booked):
    booking_id, starts = booked
    with app.app_context():
        db.session.get(Booking, booking_id).placed_at = starts - timedelta(hours=30)
        db.session.commit()
    assert reminders_at(app, starts - timedelta(hours=29)) == 0  # no two-day reminder a day after booking
    assert reminders_at(app, starts - timedelta(hours=2)) == 1
    with app.app_context():
        assert [r.hours_before for r in db.session.query(BookingReminder)] == [2]


def test_a_booking_moved_to_another_time_gets_its_reminders_afresh(app, sending, booked):
    booking_id, starts = booked
    assert reminders_at(app, starts - timedelta(hours=47)) == 1
    later = starts + timedelta(days=7)
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        booking.starts_at, booking.ends_at, booking.placed_at = later, later + timedelta(hours=1), starts
        db.session.commit()
    assert reminders_at(app, later - timedelta(hours=47)) == 1
    assert reminders_at(app, later - timedelta(hours=1)) == 1
    assert len(reminder_messages(app)) == 3


def test_no_reminder_for_a_cancelled_booking_one_without_contact_or_without_a_sending_backend(
    app, people, sending, session, monkeypatch
):
    reference, resource_id = session
    resident = people(None)
    book(resident, reference, resource_id, email="asha@example.com")
    book(people(None), reference, resource_id)  # no phone or email
    booking = made(app)[0]
    starts = as_utc(booking.starts_at)
    post(resident, f"/bookings/{booking.reference}/cancel", token_from=f"/bookings/{booking.reference}")
    assert made(app)[0].status == "cancelled"
    assert reminders_at(app, starts - timedelta(hours=47)) == 0
    book(people(None), reference, resource_id, phone="07700 900982")
    monkeypatch.setitem(app.config, "NOTIFICATION_BACKEND", "outbox")  # it would sit in the outbox: no use
    assert reminders_at(app, starts - timedelta(hours=47)) == 0
    monkeypatch.setitem(app.config, "NOTIFICATION_BACKEND", "notify")
    assert reminders_at(app, starts - timedelta(hours=47)) == 1
    assert [m.template for m in reminder_messages(app)] == ["booking-reminder-sms"]
    monkeypatch.setitem(app.config, "BOOKING_REMINDERS", ())
    assert reminders_at(app, starts - timedelta(hours=1)) == 0


def test_two_workers_at_once_queue_a_reminder_once(app, sending, booked):
    _booking_id, starts = booked
    workers = 6
    start = threading.Barrier(workers)
    counts: list[int] = [0] * workers

    def work(n: int) -> None:
        with app.app_context():
            start.wait()
            counts[n] = queue_due_reminders(now=starts - timedelta(hours=47))
            db.session.remove()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 1 and len(reminder_messages(app)) == 1


def test_the_reminders_command_needs_public_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "")
    result = app.test_cli_runner().invoke(args=["send-booking-reminders"])
    assert result.exit_code != 0 and "Set PUBLIC_URL" in result.output


def test_a_booking_moved_by_the_person_gets_the_reminders_still_to_come_for_its_new_time(app, people, sending, session):
    reference, resource_id = session
    publish_session(people("champion@example.org"), resource_id, places=1)  # the same time, another session
    resident = people(None)
    book(resident, reference, resource_id, email="asha@example.com")
    booking = made(app)[0]
    starts = as_utc(booking.starts_at)
    assert reminders_at(app, starts - timedelta(hours=47)) == 1
    move = f"/bookings/{booking.reference}/move"
    page = BeautifulSoup(resident.get(move).get_data(as_text=True), "html.parser")
    other = [
        i["value"] for i in page.select("input[name=slot]") if not i["value"].startswith(f"{booking.availability_id}-")
    ]
    assert post(resident, move, slot=other[0]).status_code == 302
    moved = made(app)[0]
    assert moved.availability_id != booking.availability_id and as_utc(moved.placed_at) > as_utc(booking.placed_at)
    assert reminders_at(app, starts - timedelta(hours=46)) == 0  # that one is sent, and it was booked by then
    assert reminders_at(app, starts - timedelta(hours=1)) == 1
    assert [m.template for m in reminder_messages(app)] == ["booking-reminder-email"] * 2
