"""Booking a time from a plan, for every role: publishing times, the journey one question a page, the
confirmation and its .ics file, finding, cancelling and moving a booking, and what bad input gets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from helpers import CHAMPIONS, DROP_IN, csrf_token, errors, page_text

from triage.web.booking.service import today
from triage.web.extensions import db
from triage.web.models import Availability, Booking, OutboxMessage, Resource

SESSION_DAY = today() + timedelta(days=3)


def drop_in_id(app) -> int:
    with app.app_context():
        return db.session.query(Resource).filter_by(name=DROP_IN).one().id


def publish_session(client, resource_id: int, places: int = 3, mode: str = "in_person"):
    path = f"/staff/availability/{resource_id}/sessions"
    data = {
        "csrf_token": csrf_token(client, path),
        "title": "Beginners' tablet session",
        "on_date": [str(SESSION_DAY.day), str(SESSION_DAY.month), str(SESSION_DAY.year)],
        "mode": mode,
        "starts": "14:00",
        "ends": "15:30",
        "places": str(places),
    }
    return client.post(path, data=data)


@pytest.fixture
def published(app, people, plan):
    """The plan's drop-in has a dated session with 3 places, published by its champion."""
    reference, resource_id = plan
    response = publish_session(people("champion@example.org"), resource_id)
    assert response.status_code == 302, page_text(response)
    return reference, resource_id


def first_time(client, reference: str, resource_id: int) -> str:
    page = BeautifulSoup(client.get(f"/plan/{reference}/book/{resource_id}").get_data(as_text=True), "html.parser")
    return page.select_one("input[name=slot]")["value"]


def post(client, path: str, token_from: str | None = None, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, token_from or path), **data})


def book_up_to_check(client, reference, resource_id, *, phone="", email="", name="Asha", needs=""):
    """The journey up to the check page: the client, the check page's address and its form token."""
    base = f"/plan/{reference}/book/{resource_id}"
    assert post(client, base, slot=first_time(client, reference, resource_id)).status_code == 302
    assert post(client, f"{base}/name", first_name=name).status_code == 302
    assert post(client, f"{base}/contact", phone=phone, email=email).status_code == 302
    assert post(client, f"{base}/needs", access_needs=needs).status_code == 302
    return client, f"{base}/check", csrf_token(client, f"{base}/check")


def book(client, reference, resource_id, *, consent=None, **details):
    """The whole journey; the check page's response."""
    client, path, token = book_up_to_check(client, reference, resource_id, **details)
    return client.post(path, data={"csrf_token": token, **({"consent": "y"} if consent else {})})


def made(app) -> list[Booking]:
    with app.app_context():
        rows = db.session.query(Booking).order_by(Booking.id).all()
        db.session.expunge_all()
        return rows


# Publishing availability


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("champion@example.org", 200),
        ("admin@example.org", 200),
        ("other@example.org", 404),  # another organisation's champion
        ("staff@example.org", 403),
        (None, 302),  # to sign in
    ],
)
def test_who_publishes_times_at_an_entry(app, people, email, status):
    response = people(email).get(f"/staff/availability/{drop_in_id(app)}")
    assert response.status_code == status


def test_a_partner_cannot_publish_times(app, people, make_user, client):
    from helpers import sign_in

    make_user("partner", email="partner@example.org", organisation=CHAMPIONS)
    partner = sign_in(client, "partner@example.org")
    assert partner.get("/staff/availability").status_code == 403
    other = people("other@example.org")
    token = csrf_token(other, "/staff/help-sessions/new")
    sent = {"csrf_token": token, "mode": "in_person", "starts": "10:00", "ends": "11:00", "places": "2"}
    assert other.post(f"/staff/availability/{drop_in_id(app)}/sessions", data=sent).status_code == 404


def test_a_champion_lists_only_their_organisations_entries(app, people):
    page = page_text(people("champion@example.org").get("/staff/availability"))
    assert DROP_IN in page


def test_weekly_times_are_published_and_bad_ones_refused_by_field(app, people):
    champion, resource_id = people("champion@example.org"), drop_in_id(app)
    path = f"/staff/availability/{resource_id}/weekly"
    bad = post(champion, path, weekday="", mode="video", starts="25:00", ends="9", minutes="0", places="x")
    assert bad.status_code == 400
    assert set(errors(bad)) >= {
        "Choose a day of the week",
        "Choose how the help is given",
        "Enter the start time, like 9:30 or 14:00",
        "Enter the end time, like 12:30 or 16:00",
    }
    weekday = str((today() + timedelta(days=2)).weekday())
    good = post(champion, path, weekday=weekday, mode="phone", starts="10:00", ends="12:00", minutes="30", places="1")
    assert good.status_code == 302
    page = page_text(champion.get(f"/staff/availability/{resource_id}"))
    assert "10:00 to 12:00, 30-minute slots" in page and "A phone call" in page


def test_a_closure_removes_the_times_and_can_be_removed(app, people, published):
    reference, resource_id = published
    champion = people("champion@example.org")
    day = [str(SESSION_DAY.day), str(SESSION_DAY.month), str(SESSION_DAY.year)]
    path = f"/staff/availability/{resource_id}/closures"
    closed = post(champion, path, first_day=day, last_day=day, reason="Repairs")
    assert closed.status_code == 302
    assert "No free times" in page_text(champion.get(f"/staff/availability/{resource_id}"))
    assert "Book a time" not in page_text(people(None).get(f"/plan/{reference}"))
    with app.app_context():
        from triage.web.models import Closure

        closure_id = db.session.query(Closure).one().id
    page = f"/staff/availability/{resource_id}"
    post(champion, f"{page}/closures/{closure_id}/remove", token_from=page)
    assert "Book a time" in page_text(people(None).get(f"/plan/{reference}"))


def test_a_closed_entry_offers_no_times(app, people, published, directory_restored):
    reference, resource_id = published
    with app.app_context():
        db.session.get(Resource, resource_id).status = "temporarily_closed"
        db.session.commit()
    assert "Book a time" not in page_text(people(None).get(f"/plan/{reference}"))
    page = people(None).get(f"/plan/{reference}/book/{resource_id}")
    assert "There are no free times" in page_text(page)


# The resident's booking


def test_the_plan_offers_the_next_free_times_and_the_journey_books_one(app, people, published):
    reference, resource_id = published
    resident = people(None)
    plan_page = page_text(resident.get(f"/plan/{reference}"))
    assert "Book a time" in plan_page and "3 places left" in plan_page
    done = book(resident, reference, resource_id, email="asha@example.com", needs="Step-free access")
    assert done.status_code == 302
    booking = made(app)[0]
    assert booking.seat == 1 and booking.status == "booked" and booking.made_by_id is None
    assert booking.access_needs == "Step-free access" and booking.email == "asha@example.com"
    confirmed = resident.get(done.headers["Location"])
    assert booking.reference in page_text(confirmed) and "Your time is booked" in page_text(confirmed)
    with app.app_context():
        message = db.session.query(OutboxMessage).one()
        assert message.template == "booking-made-email" and booking.reference in message.body
    assert "2 places left" in page_text(resident.get(f"/plan/{reference}"))


def test_the_calendar_file_has_the_utc_times_and_the_reference(app, people, published):
    reference, resource_id = published
    resident = people(None)
    book(resident, reference, resource_id)
    booking = made(app)[0]
    ics = resident.get(f"/bookings/{booking.reference}/calendar.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    text = ics.get_data(as_text=True)
    starts = booking.starts_at.strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{starts}" in text and f"UID:{booking.reference}@localhost" in text
    assert people(None).get(f"/bookings/{booking.reference}/calendar.ics").status_code == 404  # another session


def test_a_time_that_does_not_exist_or_is_past_is_refused(app, people, published):
    reference, resource_id = published
    resident, path = people(None), f"/plan/{reference}/book/{resource_id}"
    real = first_time(resident, reference, resource_id)
    offer_id = real.split("-")[0]
    for tampered in ("nonsense", f"{offer_id}-20200101T1000Z", f"{offer_id}-{SESSION_DAY:%Y%m%d}T0300Z", "999999-x"):
        refused = post(resident, path, slot=tampered)
        assert refused.status_code == 400 and errors(refused) == ["Choose one of the times shown"]
    assert post(resident, path).status_code == 400  # none chosen
    assert resident.get(f"{path}/name").status_code == 302  # no time chosen yet: back to choose one


def test_a_phone_number_that_is_not_one_is_refused_and_a_phone_call_needs_one(app, people, plan):
    reference, resource_id = plan
    publish_session(people("champion@example.org"), resource_id, mode="phone")
    resident, base = people(None), f"/plan/{reference}/book/{resource_id}"
    post(resident, base, slot=first_time(resident, reference, resource_id))
    not_a_number = post(resident, f"{base}/contact", phone="call me maybe", email="")
    assert not_a_number.status_code == 400
    assert errors(not_a_number) == ["Enter a UK phone number, like 07700 900 982 or 01509 634 560"]
    assert errors(post(resident, f"{base}/contact", phone="", email="")) == [
        "Enter a phone number: they will phone you on it"
    ]
    assert errors(post(resident, f"{base}/contact", phone="07700 900982", email="not an email"))


def test_unknown_plans_and_help_without_times_are_not_found(app, people, plan):
    reference, resource_id = plan
    resident = people(None)
    assert resident.get(f"/plan/{reference}/book/{resource_id}").status_code == 404  # nothing published
    assert resident.get(f"/plan/AAAA-AAAA-AAAA/book/{resource_id}").status_code == 404


def test_the_last_place_taken_while_choosing_says_so_and_offers_the_next_times(app, people, plan):
    reference, resource_id = plan
    publish_session(people("champion@example.org"), resource_id, places=1)
    slow, quick = people(None), people(None)
    base = f"/plan/{reference}/book/{resource_id}"
    post(slow, base, slot=first_time(slow, reference, resource_id))
    for step, data in (("name", {"first_name": ""}), ("contact", {"phone": "", "email": ""}), ("needs", {})):
        post(slow, f"{base}/{step}", **data)
    assert book(quick, reference, resource_id).status_code == 302
    taken = post(slow, f"{base}/check")
    assert taken.status_code == 302 and taken.headers["Location"].endswith(base)
    assert "Sorry, that time has just been taken" in page_text(slow.get(base))
    assert len(made(app)) == 1


# Finding, cancelling and moving


def test_a_booking_is_found_by_its_reference_and_contact_and_nothing_else_tells_more(app, people, published):
    reference, resource_id = published
    book(people(None), reference, resource_id, phone="07700 900982")
    booking = made(app)[0]
    stranger = people(None)
    wrong = [
        (booking.reference, "07700 900983"),
        (booking.reference, ""),
        ("K7QM-3XHP-RT9W", "07700 900982"),
        (booking.reference[:-1] + ("Y" if booking.reference.endswith("Z") else "Z"), "07700 900982"),  # tampered
        ("not a reference", "07700 900982"),
    ]
    answers = set()
    for typed, contact in wrong:
        response = post(stranger, "/bookings", reference=typed, contact=contact)
        assert response.status_code == 400
        answers.add(tuple(errors(response)))
    assert len(answers) == 1  # the same answer whatever was wrong
    assert stranger.get(f"/bookings/{booking.reference}/booked").status_code == 404
    found = post(stranger, "/bookings", reference=booking.reference.lower().replace("-", " "), contact="+447700900982")
    assert found.headers["Location"].endswith(f"/bookings/{booking.reference}")
    assert "Cancel this booking" in page_text(stranger.get(found.headers["Location"]))


def test_a_booking_without_contact_is_found_by_its_reference_alone(app, people, published):
    reference, resource_id = published
    book(people(None), reference, resource_id)
    booking = made(app)[0]
    stranger = people(None)
    assert post(stranger, "/bookings", reference=booking.reference, contact="07700 900982").status_code == 400
    assert post(stranger, f"/bookings/{booking.reference}", reference=booking.reference).status_code == 302


def test_cancelling_frees_the_place_and_tells_the_person(app, people, published):
    reference, resource_id = published
    resident = people(None)
    book(resident, reference, resource_id, phone="07700 900982")
    booking = made(app)[0]
    path = f"/bookings/{booking.reference}/cancel"
    token = csrf_token(resident, f"/bookings/{booking.reference}")
    cancelled = resident.post(path, data={"csrf_token": token})
    assert cancelled.status_code == 302
    assert made(app)[0].status == "cancelled"
    with app.app_context():
        assert [m.template for m in db.session.query(OutboxMessage).order_by(OutboxMessage.id)] == [
            "booking-made-sms",
            "booking-cancelled-sms",
        ]
    assert "3 places left" in page_text(resident.get(f"/plan/{reference}"))
    assert people(None).post(path, data={"csrf_token": token}).status_code in (400, 404)  # not this session's


def test_moving_keeps_the_reference_and_takes_a_place_in_the_new_time(app, people, published):
    reference, resource_id = published
    publish_session(people("champion@example.org"), resource_id, places=1)
    resident = people(None)
    book(resident, reference, resource_id)
    booking = made(app)[0]
    move = f"/bookings/{booking.reference}/move"
    page = BeautifulSoup(resident.get(move).get_data(as_text=True), "html.parser")
    times = [i["value"] for i in page.select("input[name=slot]")]
    other = [key for key in times if not key.startswith(f"{booking.availability_id}-")]
    assert post(resident, move, slot=other[0]).status_code == 302
    moved = made(app)[0]
    assert moved.reference == booking.reference and moved.availability_id != booking.availability_id
    assert len(made(app)) == 1


# Booking for someone


def test_staff_book_for_someone_with_their_consent(app, people, published):
    reference, resource_id = published
    staff = people("staff@example.org")
    assert "Book a time" in page_text(staff.get(f"/staff/plans/{reference}"))
    refused = book(staff, reference, resource_id)
    assert refused.status_code == 400 and errors(refused) == ["Confirm they agree to us keeping these details"]
    assert book(staff, reference, resource_id, consent=True).status_code == 302
    booking = made(app)[0]
    assert booking.made_by_id is not None and booking.consent_recorded_at is not None


def test_a_champion_books_for_someone_too(app, people, published):
    reference, resource_id = published
    assert book(people("champion@example.org"), reference, resource_id, consent=True).status_code == 302
    assert made(app)[0].made_by_id is not None


def test_removing_times_with_bookings_to_come_cancels_them_and_tells_the_people(app, people, published):
    reference, resource_id = published
    book(people(None), reference, resource_id, email="asha@example.com")
    book(people(None), reference, resource_id)  # no phone or email: cancelled, but no one can be told
    champion = people("champion@example.org")
    with app.app_context():
        offer_id = db.session.query(Availability).one().id
    page = f"/staff/availability/{resource_id}"
    assert "Remove these times and cancel 2 bookings" in page_text(champion.get(page))
    removed = post(champion, f"{page}/times/{offer_id}/remove", token_from=page)
    assert removed.status_code == 302
    said = page_text(champion.get(removed.headers["Location"]))
    assert "2 bookings cancelled: 1 person told by message, 1 gave no phone number or email" in said
    assert [(b.status, b.cancelled_because) for b in made(app)] == [("cancelled", "times removed")] * 2
    with app.app_context():
        told = db.session.query(OutboxMessage).filter_by(template="booking-called-off-email").one()
        assert "because those times are no longer offered" in told.body and f"/plan/{reference}" in told.body
        assert db.session.get(Availability, offer_id).removed_at is not None
