"""A full session's waiting list, for every role: joining from the time page one question a page, the offer of a
freed place by message, accepting it (a booking, with its confirmation and .ics), declining it or letting it run
out (the offer moves on), leaving, the staff list, and what bad input gets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from helpers import csrf_token, errors, page_text
from sqlalchemy import update
from test_booking import SESSION_DAY, book, made, post, publish_session

from triage.core.booking_slots import COUNCIL_TIME
from triage.web.booking import service
from triage.web.extensions import db
from triage.web.models import Booking, OutboxMessage, StaffUser, WaitingListEntry, as_utc

PUBLIC = "https://signpost.charnwood.example.gov.uk"


@pytest.fixture
def full(app, people, plan):
    """The plan's drop-in has a dated session of one place, booked by someone with an email address."""
    reference, resource_id = plan
    assert publish_session(people("champion@example.org"), resource_id, places=1).status_code == 302
    assert book(people(None), reference, resource_id, email="first@example.com").status_code == 302
    return reference, resource_id


def join_link(client, reference: str, resource_id: int) -> str:
    page = BeautifulSoup(client.get(f"/plan/{reference}/book/{resource_id}").get_data(as_text=True), "html.parser")
    link = page.select_one('a[href*="/waiting-list/"]')  # "Join the waiting list", in the client's language
    assert link is not None, "the time page offers no waiting list"
    return link["href"]


def join(client, reference, resource_id, *, name="Asha", phone="", email="", needs="", consent=None):
    """The whole journey from the time page's link; the check page's response."""
    base = join_link(client, reference, resource_id)
    assert post(client, base, first_name=name).status_code == 302
    assert post(client, f"{base}/contact", phone=phone, email=email).status_code == 302
    assert post(client, f"{base}/needs", access_needs=needs).status_code == 302
    return post(client, f"{base}/check", **({"consent": "y"} if consent else {}))


def entries(app) -> list[WaitingListEntry]:
    with app.app_context():
        rows = db.session.query(WaitingListEntry).order_by(WaitingListEntry.id).all()
        db.session.expunge_all()
        return rows


def messages(app, prefix: str) -> list[OutboxMessage]:
    with app.app_context():
        rows = (
            db.session.query(OutboxMessage)
            .filter(OutboxMessage.template.like(f"{prefix}%"))
            .order_by(OutboxMessage.id)
            .all()
        )
        db.session.expunge_all()
        return rows


def cancel_first_booking(app, people) -> None:
    """The person who booked the place finds the booking again and cancels it."""
    booking = made(app)[0]
    someone = people(None)
    post(someone, "/bookings", reference=booking.reference, contact="first@example.com")
    assert post(someone, f"/bookings/{booking.reference}/cancel", f"/bookings/{booking.reference}").status_code == 302


def find(client, reference: str, contact: str):
    return post(client, "/waiting-list", reference=reference, contact=contact)


def held(app) -> list[Booking]:
    return [b for b in made(app) if b.status == "held"]


# Joining


def test_a_full_session_offers_its_waiting_list_and_the_resident_joins(app, people, full):
    reference, resource_id = full
    resident = people(None)
    assert "Its sessions are full" in page_text(resident.get(f"/plan/{reference}"))
    times = page_text(resident.get(f"/plan/{reference}/book/{resource_id}"))
    assert "There are no free times" in times and "Full sessions" in times and "Join the waiting list" in times
    joined = join(resident, reference, resource_id, phone="07700 900982", needs="Large print")
    assert joined.status_code == 302
    (entry,) = entries(app)
    assert entry.status == "waiting" and entry.phone == "07700 900982" and entry.access_needs == "Large print"
    assert entry.made_by_id is None and entry.starts_at is not None
    page = page_text(resident.get(joined.headers["Location"]))
    assert "You are on the waiting list" in page and entry.reference in page and "number 1 in line" in page
    assert "Leave the waiting list at any time" in page
    (told,) = messages(app, "waiting-list-joined")
    assert told.template == "waiting-list-joined-sms" and entry.reference in told.body


def test_counter_staff_and_champions_add_someone_with_their_consent(app, people, full):
    reference, resource_id = full
    for email, someone in (("staff@example.org", "asha@example.com"), ("champion@example.org", "ben@example.com")):
        staff = people(email)
        refused = join(staff, reference, resource_id, email=someone)
        assert refused.status_code == 400 and errors(refused) == ["Confirm they agree to us keeping these details"]
        base = join_link(staff, reference, resource_id)
        assert post(staff, f"{base}/check", consent="y").status_code == 302
    assert [(e.made_by_id is not None, e.consent_recorded_at is not None) for e in entries(app)] == [(True, True)] * 2


@pytest.mark.parametrize(
    ("again", "status"),
    [({"phone": "+44 7700 900982"}, 409), ({"email": "First@Example.com"}, 409), ({"email": "new@example.com"}, 302)],
)
def test_one_person_takes_one_place_in_line(app, people, full, again, status):
    reference, resource_id = full  # first@example.com has the session's one place
    assert join(people(None), reference, resource_id, phone="07700 900982").status_code == 302
    twice = join(people(None), reference, resource_id, **again)
    assert twice.status_code == status
    if status == 409:
        assert "You are already on this waiting list" in page_text(twice)
    assert len(entries(app)) == (1 if status == 409 else 2)


# Offers


def test_a_freed_place_is_offered_to_the_first_in_line_who_accepts_it(app, people, full):
    reference, resource_id = full
    first, second = people(None), people(None)
    first.get("/?lang=pl")
    join(first, reference, resource_id, phone="07700 900982")
    join(second, reference, resource_id, email="second@example.com")
    a, b = entries(app)
    cancel_first_booking(app, people)
    a, b = entries(app)
    assert (a.status, b.status) == ("offered", "waiting")
    (hold,) = held(app)
    assert hold.id == a.booking_id and hold.seat == 1 and hold.held_until is not None
    (offer,) = messages(app, "waiting-list-offer")
    assert offer.template == "waiting-list-offer-sms" and offer.language == "pl" and a.reference in offer.body
    assert f"/waiting-list/{a.reference}" in offer.body
    assert service.when_text(hold.held_until, "pl") in offer.body  # the deadline, in their language
    assert "Its sessions are full" in page_text(people(None).get(f"/plan/{reference}"))  # the held seat is taken
    assert "Its sessions are full" in page_text(people(None).get(f"/plan/{reference}"))
    # the offer is answered by the reference and the phone number, in a new visit
    answering = people(None)
    found = find(answering, a.reference, "+44 7700 900982")
    assert found.status_code == 302
    page = page_text(answering.get(found.headers["Location"]))
    assert "A place is free for you" in page and "Accept the place" in page
    path = f"/waiting-list/{a.reference}"
    accepted = post(answering, f"{path}/accept", path)
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith(f"/bookings/{hold.reference}/booked")
    assert "Your time is booked" in page_text(answering.get(accepted.headers["Location"]))
    assert answering.get(f"/bookings/{hold.reference}/calendar.ics").status_code == 200
    booking = next(x for x in made(app) if x.id == hold.id)
    assert booking.status == "booked" and booking.held_until is None and booking.placed_at is not None
    assert entries(app)[0].status == "booked"
    assert [m.template for m in messages(app, "booking-made")][-1] == "booking-made-sms"
    assert entries(app)[1].status == "waiting"  # nobody else was offered anything


def test_declining_moves_the_offer_to_the_next_in_line(app, people, full):
    reference, resource_id = full
    first, second = people(None), people(None)
    join(first, reference, resource_id, phone="07700 900982")
    join(second, reference, resource_id, email="second@example.com")
    cancel_first_booking(app, people)
    a = entries(app)[0]
    path = f"/waiting-list/{a.reference}"
    assert post(first, f"{path}/decline", path).status_code == 302
    assert "You have declined the place" in page_text(first.get(path))
    a, b = entries(app)
    assert (a.status, b.status) == ("declined", "offered")
    (hold,) = held(app)
    assert hold.id == b.booking_id and hold.email == "second@example.com"
    assert [m.recipient for m in messages(app, "waiting-list-offer")] == ["+447700900982", "second@example.com"]
    assert post(first, f"{path}/accept", "/waiting-list").status_code == 302  # too late: it is someone else's
    assert "no longer held for you" in page_text(first.get(path))
    assert held(app)[0].id == b.booking_id


def test_an_offer_not_answered_by_its_deadline_moves_on(app, people, full, runner, monkeypatch):
    reference, resource_id = full
    first, second = people(None), people(None)
    join(first, reference, resource_id, phone="07700 900982")
    join(second, reference, resource_id, email="second@example.com")
    cancel_first_booking(app, people)
    with app.app_context():
        hold = db.session.query(Booking).filter_by(status="held").one()
        hold.held_until = service.now() - timedelta(minutes=1)
        db.session.commit()
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)
    result = runner.invoke(args=["offer-freed-places"])
    assert "Offered 1 freed place; 1 hold ended unanswered" in result.output
    a, b = entries(app)
    assert (a.status, b.status) == ("expired", "offered")
    offers = messages(app, "waiting-list-offer")
    assert offers[-1].recipient == "second@example.com" and f"{PUBLIC}/waiting-list/{b.reference}" in offers[-1].body
    path = f"/waiting-list/{a.reference}"
    assert "was not accepted in time" in page_text(first.get(path))
    assert post(first, f"{path}/accept", "/waiting-list").status_code == 302
    assert "no longer held for you" in page_text(first.get(path))
    assert entries(app)[0].status == "expired" and len(held(app)) == 1
    assert "Offered 0 freed places" in runner.invoke(args=["offer-freed-places"]).output  # nothing more to do


def test_the_messages_worker_offers_freed_places_in_its_batch(app, people, full, runner, monkeypatch):
    reference, resource_id = full
    join(people(None), reference, resource_id, email="second@example.com")
    with app.app_context():  # the place freed with no offer made (say the request died after the cancel)
        db.session.query(Booking).one().status = "cancelled"
        db.session.commit()
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)
    runner.invoke(args=["send-messages"])
    assert entries(app)[0].status == "offered" and len(held(app)) == 1


def test_the_command_needs_the_public_address(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "")
    result = runner.invoke(args=["offer-freed-places"])
    assert result.exit_code != 0 and "Set PUBLIC_URL" in result.output


def test_leaving_takes_someone_off_and_a_held_place_goes_to_the_next(app, people, full):
    reference, resource_id = full
    first, second = people(None), people(None)
    join(first, reference, resource_id, phone="07700 900982")
    join(second, reference, resource_id, email="second@example.com")
    b = entries(app)[1]
    path = f"/waiting-list/{b.reference}"
    assert "number 2 in line" in page_text(second.get(path))
    assert post(second, f"{path}/leave", path).status_code == 302
    assert "You have left the waiting list" in page_text(second.get(path))
    cancel_first_booking(app, people)
    a = entries(app)[0]
    path = f"/waiting-list/{a.reference}"
    post(first, f"{path}/leave", path)  # holding the place: it is given back
    assert [e.status for e in entries(app)] == ["left", "left"]
    assert held(app) == [] and "1 place left" in page_text(people(None).get(f"/plan/{reference}"))


def test_moving_a_booking_away_offers_its_place(app, people, plan):
    reference, resource_id = plan
    champion = people("champion@example.org")
    publish_session(champion, resource_id, places=1)
    owner = people(None)
    book(owner, reference, resource_id, email="first@example.com")
    waiting = people(None)
    join(waiting, reference, resource_id, email="second@example.com")
    publish_session(champion, resource_id, places=1)  # another session, the same day and time
    booking = made(app)[0]
    move = f"/bookings/{booking.reference}/move"
    page = BeautifulSoup(owner.get(move).get_data(as_text=True), "html.parser")
    other = next(
        i["value"] for i in page.select("input[name=slot]") if not i["value"].startswith(f"{booking.availability_id}-")
    )
    assert post(owner, move, slot=other).status_code == 302
    assert entries(app)[0].status == "offered" and len(held(app)) == 1


# Bad input


def test_a_session_with_places_free_past_or_made_up_has_no_list_to_join(app, people, plan):
    reference, resource_id = plan
    publish_session(people("champion@example.org"), resource_id, places=2)
    resident = people(None)
    page = BeautifulSoup(resident.get(f"/plan/{reference}/book/{resource_id}").get_data(as_text=True), "html.parser")
    key = page.select_one("input[name=slot]")["value"]
    base = f"/plan/{reference}/book/{resource_id}/waiting-list"
    free = resident.get(f"{base}/{key}")
    assert free.status_code == 409 and "book a place instead" in page_text(free)
    offer_id = key.split("-")[0]
    for tampered in (
        "nonsense",
        f"{offer_id}-20200101T1000Z",
        "999999-20270101T1000Z",
        f"{offer_id}-{SESSION_DAY:%Y%m%d}T0300Z",
    ):
        gone = resident.get(f"{base}/{tampered}")
        assert gone.status_code == 404 and "This session is not open" in page_text(gone)
        assert post(resident, f"{base}/{tampered}/check", "/waiting-list").status_code == 404
    assert resident.get(f"/plan/AAAA-AAAA-AAAA/book/{resource_id}/waiting-list/{key}").status_code == 404


def test_a_weekly_time_has_no_waiting_list(app, people, plan):
    reference, resource_id = plan
    champion = people("champion@example.org")
    weekday = str((service.today() + timedelta(days=2)).weekday())
    path = f"/staff/availability/{resource_id}/weekly"
    post(champion, path, weekday=weekday, mode="in_person", starts="10:00", ends="10:30", minutes="30", places="1")
    page = BeautifulSoup(
        people(None).get(f"/plan/{reference}/book/{resource_id}").get_data(as_text=True), "html.parser"
    )
    key = page.select_one("input[name=slot]")["value"]
    book(people(None), reference, resource_id)
    assert people(None).get(f"/plan/{reference}/book/{resource_id}/waiting-list/{key}").status_code in (404, 409)


def test_contact_details_that_cannot_reach_anyone_are_refused(app, people, full):
    reference, resource_id = full
    resident = people(None)
    base = join_link(resident, reference, resource_id)
    assert post(resident, f"{base}/check", base).status_code == 302  # nothing given yet: back to the questions
    cases = [
        ({"phone": "call me maybe", "email": ""}, "Enter a UK phone number, like 07700 900 982"),
        ({"phone": "", "email": ""}, "Enter a mobile number or an email address: we send the offer of a place"),
        ({"phone": "01509 634560", "email": ""}, "Enter a mobile number, for a text message, or an email address"),
        ({"phone": "", "email": "not an email"}, "Enter an email address in the correct format, like name@example.com"),
        ({"phone": "0" * 31, "email": ""}, "Your phone number must be 30 characters or fewer"),
    ]
    for data, problem in cases:
        refused = post(resident, f"{base}/contact", **data)
        assert refused.status_code == 400 and problem in errors(refused)
    long_name = post(resident, base, first_name="A" * 101)
    assert long_name.status_code == 400 and errors(long_name) == ["Your first name must be 100 characters or fewer"]
    assert post(resident, f"{base}/needs", access_needs="x" * 301).status_code == 400
    assert entries(app) == []


def test_a_wrong_reference_or_contact_finds_nothing_and_says_the_same(app, people, full):
    reference, resource_id = full
    join(people(None), reference, resource_id, email="asha@example.com")
    entry = entries(app)[0]
    stranger = people(None)
    answers = set()
    for typed, contact in (
        (entry.reference, "someone@example.com"),
        (entry.reference, "07700 900982"),
        ("K7QM-3XHP-RT9W", "asha@example.com"),
        ("not a reference", "asha@example.com"),
        ("x" * 41, "asha@example.com"),
    ):
        refused = find(stranger, typed, contact)
        assert refused.status_code == 400
        answers.add(tuple(errors(refused)))
    assert len(answers - {("Check your reference",)}) == 1
    assert find(stranger, entry.reference, "").status_code == 400
    path = f"/waiting-list/{entry.reference}"
    for action in ("accept", "decline", "leave"):
        assert (
            stranger.post(f"{path}/{action}", data={"csrf_token": csrf_token(stranger, "/waiting-list")}).status_code
            == 404
        )
    assert stranger.get(f"{path}/joined").status_code == 404
    assert find(stranger, entry.reference.lower(), "ASHA@example.com").status_code == 302
    assert stranger.post(f"{path}/accept", data={}).status_code == 400  # no form token


def test_a_held_place_is_not_found_as_a_booking(app, people, full):
    reference, resource_id = full
    join(people(None), reference, resource_id, email="asha@example.com")
    cancel_first_booking(app, people)
    (hold,) = held(app)
    assert post(people(None), "/bookings", reference=hold.reference, contact="asha@example.com").status_code == 400


# Staff


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("champion@example.org", 200),
        ("admin@example.org", 200),
        ("other@example.org", 404),
        ("staff@example.org", 403),
        (None, 302),
    ],
)
def test_who_sees_a_sessions_waiting_list(app, people, full, email, status):
    reference, resource_id = full
    join(people(None), reference, resource_id, name="Asha", phone="07700 900982")
    key = join_link(people(None), reference, resource_id).rsplit("/", 1)[-1]
    page = people(email).get(f"/staff/availability/{resource_id}/waiting-list/{key}")
    assert page.status_code == status
    if status == 200:
        text = page_text(page)
        assert "Asha" in text and "Waiting" in text and "Phone" in text
        assert "07700" not in text and "900982" not in text  # never the number


def test_the_availability_page_links_to_the_list_and_staff_remove_someone(app, people, full):
    reference, resource_id = full
    join(people(None), reference, resource_id, name="Asha", phone="07700 900982")
    join(people(None), reference, resource_id, name="Ben", email="ben@example.com")
    champion = people("champion@example.org")
    page = BeautifulSoup(champion.get(f"/staff/availability/{resource_id}").get_data(as_text=True), "html.parser")
    link = page.select_one('a[href*="/waiting-list/"]')
    assert "(2 on it)" in link.parent.get_text()
    listing = link["href"]
    cancel_first_booking(app, people)  # Asha is offered the place
    asha, ben = entries(app)
    assert "Offered a place" in page_text(champion.get(listing))
    assert post(champion, f"{listing}/{asha.id}/remove", listing).status_code == 302
    assert "Taken off the waiting list" in page_text(champion.get(listing))
    asha, ben = entries(app)
    assert (asha.status, ben.status) == ("left", "offered")
    assert post(champion, f"{listing}/999999/remove", listing).status_code == 404
    other = people("other@example.org")
    assert post(other, f"{listing}/{ben.id}/remove", "/staff/help-sessions/new").status_code == 404


@pytest.mark.parametrize(("district", "sees"), [("E07000130", True), ("E07000129", False)])
def test_an_account_limited_to_a_district_reaches_only_its_districts_times_and_lists(app, people, full, district, sees):
    reference, resource_id = full
    join(people(None), reference, resource_id, name="Asha", phone="07700 900982")
    key = join_link(people(None), reference, resource_id).rsplit("/", 1)[-1]
    with app.app_context():
        db.session.execute(
            update(StaffUser).where(StaffUser.email == "admin@example.org").values(district_code=district)
        )
        db.session.commit()
        (entry,) = entries(app)
    officer = people("admin@example.org")
    listing = f"/staff/availability/{resource_id}/waiting-list/{key}"
    entries_page = BeautifulSoup(officer.get("/staff/availability").get_data(as_text=True), "html.parser")
    listed = {a["href"] for a in entries_page.select('a[href^="/staff/availability/"]')}
    assert (f"/staff/availability/{resource_id}" in listed) is sees
    assert officer.get(f"/staff/availability/{resource_id}").status_code == (200 if sees else 404)
    assert officer.get(listing).status_code == (200 if sees else 404)
    assert post(officer, f"{listing}/{entry.id}/remove", "/staff/availability").status_code == (302 if sees else 404)
    assert entries(app)[0].status == ("left" if sees else "waiting")


# Everything else


def test_a_closure_closes_the_list_gives_back_held_places_and_tells_each_person(app, people, full):
    from test_booking_changes import add_closure

    reference, resource_id = full
    join(people(None), reference, resource_id, phone="07700 900982")
    join(people(None), reference, resource_id, email="second@example.com")
    cancel_first_booking(app, people)  # the first is holding the place
    champion = people("champion@example.org")
    closed = add_closure(champion, resource_id, SESSION_DAY, SESSION_DAY)
    said = page_text(champion.get(closed.headers["Location"]))
    assert "2 people on waiting lists told the list is closed" in said
    assert [e.status for e in entries(app)] == ["closed", "closed"] and held(app) == []
    told = messages(app, "waiting-list-closed")
    assert {m.recipient for m in told} == {"+447700900982", "second@example.com"}
    assert "is closed that day" in told[0].body and f"/plan/{reference}" in told[0].body


def test_removing_the_session_closes_its_list(app, people, full):
    reference, resource_id = full
    join(people(None), reference, resource_id, email="second@example.com")
    champion = people("champion@example.org")
    with app.app_context():
        offer_id = db.session.query(WaitingListEntry).one().availability_id
    page = f"/staff/availability/{resource_id}"
    post(champion, f"{page}/times/{offer_id}/remove", page)
    assert entries(app)[0].status == "closed"
    assert "those times are no longer offered" in messages(app, "waiting-list-closed")[0].body


def test_held_places_get_no_reminder_and_are_not_counted_as_bookings(app, people, full):
    from triage.web.booking.figures import counts
    from triage.web.booking.reminders import queue_due_reminders

    reference, resource_id = full
    join(people(None), reference, resource_id, email="second@example.com")
    cancel_first_booking(app, people)
    (hold,) = held(app)
    with app.app_context():
        app.config["NOTIFICATION_BACKEND"], backend = "smtp", app.config["NOTIFICATION_BACKEND"]
        try:
            assert queue_due_reminders(now=hold.starts_at - timedelta(hours=1)) == 0
        finally:
            app.config["NOTIFICATION_BACKEND"] = backend
        figures = counts(None, SESSION_DAY - timedelta(days=1), SESSION_DAY + timedelta(days=1))
        assert figures[""].by_status == {"cancelled": 1}


def test_retention_erases_the_details_after_the_session_and_with_the_plan(app, people, full, runner):
    from triage.web.records.erasure import erase_old_waiting_list_details

    reference, resource_id = full
    join(people(None), reference, resource_id, name="Asha", email="asha@example.com", needs="Large print")
    with app.app_context():
        entry = db.session.query(WaitingListEntry).one()
        assert erase_old_waiting_list_details(90, now=service.now()) == 0
        assert erase_old_waiting_list_details(90, now=entry.starts_at + timedelta(days=91)) == 1
        db.session.commit()
    erased = entries(app)[0]
    assert (erased.first_name, erased.email, erased.access_needs) == ("", "", "")
    join(people(None), reference, resource_id, name="Ben", email="ben@example.com")
    admin = people("admin@example.org")
    found = post(admin, "/staff/erase", reference=reference)
    data = {"csrf_token": csrf_token(admin, found.headers["Location"]), "confirm": "y"}
    assert admin.post(found.headers["Location"], data=data).status_code == 302
    ben = entries(app)[1]
    assert (ben.status, ben.first_name, ben.email, ben.assessment_id) == ("closed", "", "", None)


def test_staff_see_a_held_place_as_held_not_booked_and_its_times_in_local_time(app, people, full):
    reference, resource_id = full
    join(people(None), reference, resource_id, name="Asha", email="second@example.com")
    key = join_link(people(None), reference, resource_id).rsplit("/", 1)[-1]
    cancel_first_booking(app, people)  # Asha is offered the place
    (hold,) = held(app)
    champion = people("champion@example.org")
    day = page_text(champion.get(f"/staff/bookings?date={SESSION_DAY.isoformat()}"))
    assert "0 booked, 1 cancelled" in day and "Held for someone on the waiting list" in day
    listing = page_text(champion.get(f"/staff/availability/{resource_id}/waiting-list/{key}"))
    until = as_utc(hold.held_until).astimezone(COUNCIL_TIME)
    assert f"until {until:%-d %B, %H:%M}" in listing and "UTC" not in listing
