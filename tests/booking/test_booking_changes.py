"""Changes that take booked times away tell the people booked (a closure, the entry closed or retired, by its
status or by editing it), and what is kept of a booking: its details erased after BOOKING_RETENTION_DAYS by
`flask apply-retention`, and with its plan when a person asks, the anonymous booking kept for the figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import csrf_token, edit_entry, page_text
from test_booking import SESSION_DAY, book, made, post, published  # noqa: F401 (a fixture)

from triage.web.booking import service
from triage.web.extensions import db
from triage.web.models import Booking, OutboxMessage


@pytest.fixture
def session(request):
    """test_booking's `published`: a plan, and its drop-in with a dated session of 3 places."""
    return request.getfixturevalue("published")


def called_off(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.query(OutboxMessage).filter(OutboxMessage.template.like("booking-called-off-%")).all()
        db.session.expunge_all()
        return rows


def add_closure(client, resource_id: int, first, last, reason="Repairs to the library", token_from=None):
    path = f"/staff/availability/{resource_id}/closures"
    first_day, last_day = ([str(day.day), str(day.month), str(day.year)] for day in (first, last))
    return post(client, path, token_from, first_day=first_day, last_day=last_day, reason=reason)


def test_a_closure_on_a_booked_day_cancels_the_bookings_with_its_reason_and_tells_the_people(app, people, session):
    reference, resource_id = session
    resident = people(None)
    resident.get("/?lang=pl")
    book(resident, reference, resource_id, phone="07700 900982")
    book(people(None), reference, resource_id, email="jo@example.com")
    champion = people("champion@example.org")
    before = add_closure(champion, resource_id, SESSION_DAY + timedelta(days=1), SESSION_DAY + timedelta(days=2))
    assert "No bookings were affected" in page_text(champion.get(before.headers["Location"]))
    assert {b.status for b in made(app)} == {"booked"}
    closed = add_closure(champion, resource_id, SESSION_DAY - timedelta(days=1), SESSION_DAY)
    assert closed.status_code == 302
    assert "2 bookings cancelled: 2 people told by message" in page_text(champion.get(closed.headers["Location"]))
    assert [(b.status, b.cancelled_because) for b in made(app)] == [("cancelled", "closed: Repairs to the library")] * 2
    sms, email = sorted(called_off(app), key=lambda m: m.kind)[::-1]
    assert sms.template == "booking-called-off-sms" and sms.language == "pl"
    assert email.template == "booking-called-off-email" and email.language == "en"
    assert "because Digital Champion drop-in at Loughborough Library is closed that day (Repairs to the library)" in (
        email.body
    )
    assert f"/plan/{reference}" in email.body and f"/plan/{reference}" in sms.body
    assert "Book a time" not in page_text(people(None).get(f"/plan/{reference}"))  # its one day is closed


def test_counter_staff_and_other_organisations_cannot_add_a_closure(app, people, session):
    _reference, resource_id = session
    for who in ("staff@example.org", "other@example.org"):
        refused = add_closure(people(who), resource_id, SESSION_DAY, SESSION_DAY, token_from="/staff/password")
        assert refused.status_code in (403, 404)
    assert called_off(app) == []


def test_a_closure_with_a_bad_range_changes_nothing(app, people, session):
    reference, resource_id = session
    book(people(None), reference, resource_id, email="jo@example.com")
    refused = add_closure(people("champion@example.org"), resource_id, SESSION_DAY, SESSION_DAY - timedelta(days=1))
    assert refused.status_code == 400 and "The last day must be on or after the first day" in page_text(refused)
    assert made(app)[0].status == "booked" and called_off(app) == []


def test_retiring_the_entry_cancels_its_bookings_and_says_how_many_were_told(app, people, session, directory_restored):
    reference, resource_id = session
    book(people(None), reference, resource_id, email="jo@example.com")
    book(people(None), reference, resource_id)  # no way to tell them
    admin = people("admin@example.org")
    path = f"/staff/directory/{resource_id}"
    changed = post(admin, f"{path}/status", token_from=path, status="retired", note="Funding ended")
    assert changed.status_code == 302
    said = page_text(admin.get(changed.headers["Location"]))
    assert "2 bookings cancelled: 1 person told by message, 1 gave no phone number or email" in said
    assert {b.cancelled_because for b in made(app)} == {"help retired"}
    (message,) = called_off(app)
    assert "because this help is no longer offered" in message.body


def test_closing_the_entry_by_editing_it_cancels_its_bookings(app, people, session, directory_restored):
    reference, resource_id = session
    book(people(None), reference, resource_id, email="jo@example.com")
    admin = people("admin@example.org")
    edited = edit_entry(admin, resource_id, status="temporarily_closed", status_note="Closed until March")
    assert edited.status_code == 302, page_text(edited)
    assert "1 booking to come cancelled" in page_text(admin.get(edited.headers["Location"]))
    assert made(app)[0].cancelled_because == "help closed for now"
    assert "is closed for now" in called_off(app)[0].body


def test_booking_details_are_erased_after_the_retention_period_and_the_booking_kept(app, people, session, runner):
    reference, resource_id = session
    book(people(None), reference, resource_id, email="jo@example.com", name="Jo", needs="A hearing loop")
    book(people(None), reference, resource_id, phone="07700 900982", name="Sam")
    old, recent = made(app)
    with app.app_context():
        past = service.now() - timedelta(days=91)
        db.session.get(Booking, old.id).starts_at = past
        db.session.get(Booking, recent.id).starts_at = service.now() - timedelta(days=89)
        db.session.commit()
    result = runner.invoke(args=["apply-retention"])
    assert result.exit_code == 0, result.output
    assert "Erased the personal details on 1 booking and 0 waiting list places more than 90 days past." in result.output
    erased, kept = made(app)
    assert (erased.first_name, erased.email, erased.phone, erased.access_needs) == ("", "", "", "")
    assert erased.status == "booked" and erased.resource_id == resource_id and erased.reference == old.reference
    assert (kept.first_name, kept.phone) == ("Sam", "07700 900982")
    assert "Erased the personal details on 0 bookings" in runner.invoke(args=["apply-retention"]).output


def test_the_privacy_notice_states_the_booking_retention_period(app, people, monkeypatch):
    assert "deleted from a booking 90 days after the booked day" in page_text(people(None).get("/privacy"))
    monkeypatch.setitem(app.config, "BOOKING_RETENTION_DAYS", 30)
    assert "deleted from a booking 30 days after the booked day" in page_text(people(None).get("/privacy"))


def test_erasing_a_plan_erases_its_bookings_details_and_cancels_those_to_come(app, people, session):
    reference, resource_id = session
    book(people(None), reference, resource_id, email="jo@example.com", name="Jo")
    admin = people("admin@example.org")
    token = csrf_token(admin, "/staff/erase")
    found = admin.post("/staff/erase", data={"csrf_token": token, "reference": reference})
    preview = page_text(admin.get(found.headers["Location"]))
    assert "access needs on 1 booking, cancelling any still to come" in preview
    data = {"csrf_token": csrf_token(admin, found.headers["Location"]), "confirm": "y"}
    assert admin.post(found.headers["Location"], data=data).status_code == 302
    (booking,) = made(app)
    assert (booking.first_name, booking.email, booking.assessment_id) == ("", "", None)
    assert booking.status == "cancelled" and booking.cancelled_because == "erased on request"
    with app.app_context():
        assert db.session.query(OutboxMessage).count() == 0  # the confirmation went with the plan's messages
