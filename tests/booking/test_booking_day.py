"""The champion's day, /staff/bookings: who sees which entries' bookings, what each booking shows, marking
attended or did not come and undoing it, the session log filled in from a booking and linked to it, and what bad
input gets."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from bs4 import BeautifulSoup
from helpers import CHAMPIONS, DROP_IN, OTHER_ORG, a_session, csrf_token, page_text
from messages.conftest import notify, notify_app  # noqa: F401 (fixtures: the GOV.UK Notify stand-in)
from sqlalchemy import select, update

from triage.core.booking_slots import COUNCIL_TIME
from triage.web.booking.service import today
from triage.web.extensions import db
from triage.web.models import (
    Assessment,
    AuditEvent,
    Availability,
    Booking,
    BookingReminder,
    HelpSession,
    Organisation,
    Resource,
    StaffUser,
)

DAY_PAGE = "/staff/bookings"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time on a day, in UTC, as bookings are stored."""
    return datetime.combine(day, time(hour, minute), tzinfo=COUNCIL_TIME).astimezone(UTC)


def entry_of(organisation: str) -> Resource:
    org = db.session.execute(select(Organisation.id).where(Organisation.name == organisation)).scalar_one()
    query = select(Resource).where(Resource.organisation_id == org, Resource.status == "active")
    return db.session.execute(query.order_by(Resource.name, Resource.id)).scalars().first()


class Day:
    """The bookings the tests mark, by first name (or key): their ids."""

    def __init__(self, ids: dict[str, int], drop_in: int, other: int, plan_id: int):
        self.ids, self.drop_in, self.other, self.plan_id = ids, drop_in, other, plan_id

    def __getitem__(self, name: str) -> int:
        return self.ids[name]


def add_booking(offer: Availability, starts: datetime, minutes: int, seat: int = 1, **values) -> Booking:
    booking = Booking(
        reference=f"DAY{len(db.session.new)}{seat}{starts:%d%H%M}{values.get('first_name', 'x')[:2].upper()}",
        availability_id=offer.id,
        resource_id=offer.resource_id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        seat=seat,
        mode=values.pop("mode", offer.mode),
        status=values.pop("status", "booked"),
        placed_at=starts - timedelta(days=5),
        **values,
    )
    db.session.add(booking)
    return booking


@pytest.fixture
def day(app, people, plan) -> Day:
    """Today at the plan's drop-in (CHAMPIONS): Asha at 10:00 (from the plan, in Polish, two reminders sent),
    someone with no name on the phone at 12:00 booked for them by counter staff, a group session at 14:00 with
    Ben and Chen booked and Dee cancelled; Zofia tomorrow; and Faye at 11:00 at OTHER_ORG's entry."""
    reference, drop_in_id = plan
    now = today()
    with app.app_context():
        drop_in = db.session.get(Resource, drop_in_id)
        other = entry_of(OTHER_ORG)
        assessment = db.session.execute(select(Assessment).filter_by(reference=reference)).scalar_one()
        staff = db.session.execute(select(StaffUser).filter_by(email="staff@example.org")).scalar_one()
        weekly = Availability(
            resource_id=drop_in.id, kind="weekly", mode="in_person", weekday=now.weekday(), starts=time(10),
            ends=time(13), minutes=30, places=1,
        )  # fmt: skip
        group = Availability(
            resource_id=drop_in.id, kind="dated", mode="in_person", title="Beginners' tablet session", on_date=now,
            starts=time(14), ends=time(15, 30), minutes=90, places=10,
        )  # fmt: skip
        elsewhere = Availability(
            resource_id=other.id, kind="weekly", mode="in_person", weekday=now.weekday(), starts=time(11),
            ends=time(12), minutes=30, places=1,
        )  # fmt: skip
        db.session.add_all([weekly, group, elsewhere])
        db.session.flush()
        made = {
            "Asha": add_booking(
                weekly, at(now, 10), 30, first_name="Asha", phone="07700 900982", language="pl",
                access_needs="Step-free access, please", assessment_id=assessment.id,
            ),
            "phone": add_booking(
                weekly, at(now, 12), 30, mode="phone", phone="01509 123456", made_by_id=staff.id,
                consent_recorded_at=at(now, 9),
            ),
            "Ben": add_booking(group, at(now, 14), 90, seat=1, first_name="Ben", email="ben@example.com"),
            "Chen": add_booking(group, at(now, 14), 90, seat=2, first_name="Chen"),
            "Dee": add_booking(group, at(now, 14), 90, seat=3, first_name="Dee", status="cancelled"),
            "Zofia": add_booking(weekly, at(now + timedelta(days=1), 10), 30, first_name="Zofia"),
            "Faye": add_booking(elsewhere, at(now, 11), 30, first_name="Faye"),
        }  # fmt: skip
        db.session.flush()
        asha = made["Asha"]
        db.session.add_all(
            BookingReminder(booking_id=asha.id, starts_at=asha.starts_at, hours_before=h) for h in (48, 2)
        )
        db.session.commit()
        return Day({k: b.id for k, b in made.items()}, drop_in.id, other.id, assessment.id)


def booking(app, booking_id: int) -> Booking:
    with app.app_context():
        found = db.session.get(Booking, booking_id)
        db.session.expunge(found)
        return found


def mark(client, booking_id: int, value: str, view: str = "day"):
    token = csrf_token(client, DAY_PAGE + ("?view=week" if view == "week" else ""))
    return client.post(f"/staff/bookings/{booking_id}/mark", data={"csrf_token": token, "mark": value, "view": view})


def card(response, booking_id: int) -> str:
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    found = soup.find(id=f"booking-{booking_id}")
    assert found is not None, f"booking {booking_id} is not on the page"
    return found.get_text(" ", strip=True)


# Who sees what


@pytest.mark.parametrize(("email", "status"), [(None, 302), ("staff@example.org", 403)])
def test_the_day_is_for_champions_and_officers(day, people, email, status):
    response = people(email).get(DAY_PAGE)
    assert response.status_code == status
    if email is None:
        assert "/staff/sign-in" in response.headers["Location"]


def test_a_partner_cannot_see_bookings(day, app, make_user):
    from helpers import sign_in

    make_user("partner", email="partner@example.org", organisation=CHAMPIONS)
    assert sign_in(app.test_client(), "partner@example.org").get(DAY_PAGE).status_code == 403


def test_a_champion_sees_their_organisations_bookings_only(day, people):
    page = page_text(people("champion@example.org").get(DAY_PAGE))
    assert DROP_IN in page and "Asha" in page and "Ben" in page
    assert "Faye" not in page
    assert "Zofia" not in page  # tomorrow's
    other = page_text(people("other@example.org").get(DAY_PAGE))
    assert "Faye" in other and "Asha" not in other


def test_an_officer_sees_every_entry_and_filters_by_organisation_or_place(day, app, people):
    officer = people("admin@example.org")
    page = page_text(officer.get(DAY_PAGE))
    assert "Asha" in page and "Faye" in page
    with app.app_context():
        other_org = db.session.execute(select(Organisation.id).filter_by(name=OTHER_ORG)).scalar_one()
    only_other = page_text(officer.get(f"{DAY_PAGE}?organisation={other_org}"))
    assert "Faye" in only_other and "Asha" not in only_other
    only_drop_in = page_text(officer.get(f"{DAY_PAGE}?entry={day.drop_in}"))
    assert "Asha" in only_drop_in and "Faye" not in only_drop_in


@pytest.mark.parametrize(("district", "sees"), [("E07000130", True), ("E07000129", False)])
def test_an_account_limited_to_a_district_sees_only_its_districts_entries(day, app, people, district, sees):
    with app.app_context():
        db.session.execute(
            update(StaffUser).where(StaffUser.email == "admin@example.org").values(district_code=district)
        )
        db.session.commit()
    officer = people("admin@example.org")
    page = page_text(officer.get(DAY_PAGE))
    assert ("Asha" in page) is sees and "Faye" not in page  # Faye's entry serves the country: no ward, no district
    assert mark(officer, day["Asha"], "attended").status_code == (302 if sees else 404)


def test_the_staff_home_links_to_the_day(day, people):
    home = people("champion@example.org").get("/staff/")
    assert 'href="/staff/bookings"' in home.get_data(as_text=True)
    assert 'href="/staff/bookings"' not in people("staff@example.org").get("/staff/").get_data(as_text=True)


# What each booking shows


def test_each_booking_shows_what_the_champion_needs_and_no_full_contact(day, people):
    response = people("champion@example.org").get(DAY_PAGE)
    asha = card(response, day["Asha"])
    assert "10:00 to 10:30: Asha" in asha and "Booked" in asha and "In person" in asha
    assert "Step-free access, please" in asha and "Polish" in asha
    assert "Phone number ending 982" in asha and "900982" not in asha
    assert "Reminder sent 2 days before. Reminder sent 2 hours before" in asha
    assert "By them" in asha
    phone = card(response, day["phone"])
    assert "No name given" in phone and "Phone call" in phone and "None sent" in phone
    assert "On their behalf, by Test staff, with their consent" in phone and "123456" not in phone
    assert "An email address" in card(response, day["Ben"]) and "ben@example.com" not in response.get_data(as_text=True)
    page = page_text(response)
    assert "14:00 to 15:30: Beginners' tablet session" in page and "2 of 10 places booked" in page
    dee = card(response, day["Dee"])
    assert "Dee" in dee and "Cancelled" in dee
    assert "Cancelled at " + DROP_IN in page
    assert "Granby Street, Loughborough, LE11 3DU. 4 booked, 1 cancelled." in page


def test_the_week_shows_every_day_and_moves_by_a_week(day, people):
    champion = people("champion@example.org")
    tomorrow = today() + timedelta(days=1)
    week = champion.get(f"{DAY_PAGE}?view=week&date={tomorrow.isoformat()}")
    assert week.status_code == 200
    assert "Zofia" in page_text(week) and tomorrow.strftime("%A %-d %B %Y") in page_text(week)
    html = week.get_data(as_text=True)
    assert f"date={(tomorrow - timedelta(days=7)).isoformat()}" in html
    assert f"date={(tomorrow + timedelta(days=7)).isoformat()}" in html
    next_day = champion.get(f"{DAY_PAGE}?date={tomorrow.isoformat()}")
    assert "Zofia" in page_text(next_day) and "Asha" not in page_text(next_day)
    assert f"date={today().isoformat()}" in next_day.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date=2026-13-01", "The date must be a real date"),
        ("date=yesterday", "The date must be a real date"),
        ("date=0001-01-01", "The date must be a real date"),
        ("date=9999-12-31", "The date must be a real date"),
        ("view=month", "Choose today or this week"),
        ("entry=abc", "Choose a place or an organisation"),
        ("entry=99999999999999999999", "Choose a place or an organisation"),
    ],
)
def test_a_bad_address_gets_a_400_with_a_message(day, people, query, message):
    response = people("champion@example.org").get(f"{DAY_PAGE}?{query}")
    assert response.status_code == 400
    assert message in page_text(response)


def test_a_champion_cannot_filter_by_another_organisations_entry(day, people):
    response = people("champion@example.org").get(f"{DAY_PAGE}?entry={day.other}")
    assert response.status_code == 400


# Marking


def test_marking_attended_is_audited_and_opens_the_log_filled_in_from_the_booking(day, app, people):
    champion = people("champion@example.org")
    response = mark(champion, day["Asha"], "attended")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/bookings/{day['Asha']}/log-session")
    assert booking(app, day["Asha"]).status == "attended"
    with app.app_context():
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "booking marked")).scalar_one()
        assert event.detail == "attended"
    form = BeautifulSoup(champion.get(response.headers["Location"]).get_data(as_text=True), "html.parser")
    now = today()
    boxes = form.find_all("input", attrs={"name": "session_date"})
    assert [int(box["value"]) for box in boxes] == [now.day, now.month, now.year]
    assert form.find("input", attrs={"name": "length", "value": "30"}).has_attr("checked")
    assert form.find("input", attrs={"name": "kind", "value": "one_to_one"}).has_attr("checked")
    assert form.find("input", attrs={"name": "place", "value": f"venue-{day.drop_in}"}).has_attr("checked")
    assert "From the booking at " + DROP_IN in form.get_text(" ", strip=True)


def test_the_saved_log_is_linked_to_the_booking_and_the_day_shows_it(day, app, people):
    champion = people("champion@example.org")
    mark(champion, day["Asha"], "attended")
    path = f"/staff/bookings/{day['Asha']}/log-session"
    log_page = champion.get(path)
    assert log_page.status_code == 200
    saved = champion.post(
        path, data={"csrf_token": csrf_token(champion, path), **a_session(place=f"venue-{day.drop_in}", postcode="")}
    )
    assert saved.status_code == 302 and "/staff/bookings?date=" in saved.headers["Location"]
    with app.app_context():
        log = db.session.execute(select(HelpSession)).scalar_one()
        plan = db.session.get(Assessment, day.plan_id)
        assert log.assessment_id == plan.id and log.ward_code == plan.ward_code and log.venue_id == day.drop_in
        assert log.organisation_id is not None
        log_id = log.id
    assert booking(app, day["Asha"]).help_session_id == log_id
    asha = card(champion.get(DAY_PAGE), day["Asha"])
    assert "Session logged" in asha and "Log the session" not in asha
    assert f'href="/staff/help-sessions/{log_id}"' in champion.get(DAY_PAGE).get_data(as_text=True)
    again = champion.get(path)
    assert again.status_code == 400 and "already logged" in page_text(again)


def test_deleting_the_log_clears_the_link(day, app, people):
    champion = people("champion@example.org")
    mark(champion, day["Asha"], "attended")
    path = f"/staff/bookings/{day['Asha']}/log-session"
    champion.post(path, data={"csrf_token": csrf_token(champion, path), **a_session(place=f"venue-{day.drop_in}")})
    log_id = booking(app, day["Asha"]).help_session_id
    assert log_id is not None
    edit = f"/staff/help-sessions/{log_id}"
    assert champion.post(f"{edit}/delete", data={"csrf_token": csrf_token(champion, edit)}).status_code == 302
    assert booking(app, day["Asha"]).help_session_id is None
    assert "Log the session" in card(champion.get(DAY_PAGE), day["Asha"])


def test_a_group_session_is_logged_once_for_everyone_who_came(day, app, people):
    champion = people("champion@example.org")
    for name in ("Ben", "Chen"):
        mark(champion, day[name], "attended")
    path = f"/staff/bookings/{day['Ben']}/log-session"
    form = BeautifulSoup(champion.get(path).get_data(as_text=True), "html.parser")
    assert form.find("input", attrs={"name": "kind", "value": "group"}).has_attr("checked")
    assert form.find("input", attrs={"name": "headcount"})["value"] == "2"
    assert form.find("input", attrs={"name": "length", "value": "90"}).has_attr("checked")
    sent = a_session(kind="group", headcount="2", length="90", place=f"venue-{day.drop_in}", postcode="")
    assert champion.post(path, data={"csrf_token": csrf_token(champion, path), **sent}).status_code == 302
    ben, chen = booking(app, day["Ben"]), booking(app, day["Chen"])
    assert ben.help_session_id is not None and ben.help_session_id == chen.help_session_id
    with app.app_context():
        assert db.session.get(HelpSession, ben.help_session_id).headcount == 2
    assert champion.get(f"/staff/bookings/{day['Chen']}/log-session").status_code == 400


def test_a_phone_booking_logs_a_phone_session_in_the_venues_ward(day, app, people):
    champion = people("champion@example.org")
    mark(champion, day["phone"], "attended")
    path = f"/staff/bookings/{day['phone']}/log-session"
    form = BeautifulSoup(champion.get(path).get_data(as_text=True), "html.parser")
    assert form.find("input", attrs={"name": "place", "value": "phone"}).has_attr("checked")
    champion.post(path, data={"csrf_token": csrf_token(champion, path), **a_session(place="phone", postcode="")})
    with app.app_context():
        log = db.session.execute(select(HelpSession)).scalar_one()
        assert log.place == "phone" and log.assessment_id is None
        assert log.ward_code == db.session.get(Resource, day.drop_in).ward_code


def test_no_show_and_undo_on_the_same_day(day, app, people):
    champion = people("champion@example.org")
    response = mark(champion, day["Asha"], "no_show", view="week")
    assert response.status_code == 302 and "view=week" in response.headers["Location"]
    assert booking(app, day["Asha"]).status == "no_show"
    assert "Did not come" in card(champion.get(DAY_PAGE), day["Asha"])
    assert mark(champion, day["Asha"], "attended").status_code == 400  # undo first
    assert mark(champion, day["Asha"], "booked").status_code == 302
    assert booking(app, day["Asha"]).status == "booked" and booking(app, day["Asha"]).marked_at is None


def test_a_mark_made_on_another_day_or_with_a_log_is_not_undone(day, app, people):
    champion = people("champion@example.org")
    mark(champion, day["Asha"], "attended")
    with app.app_context():
        yesterday = datetime.now(UTC) - timedelta(days=1)
        db.session.execute(update(Booking).where(Booking.id == day["Asha"]).values(marked_at=yesterday))
        db.session.commit()
    refused = mark(champion, day["Asha"], "booked")
    assert refused.status_code == 400 and "only be undone on the day it was made" in page_text(refused)
    mark(champion, day["Ben"], "attended")
    mark(champion, day["Chen"], "no_show")
    path = f"/staff/bookings/{day['Ben']}/log-session"
    sent = a_session(place=f"venue-{day.drop_in}")
    champion.post(path, data={"csrf_token": csrf_token(champion, path), **sent})
    logged = mark(champion, day["Ben"], "booked")
    assert logged.status_code == 400 and "delete the session log first" in page_text(logged)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("Zofia", "attended", "only mark a booking on its day or after it"),
        ("Dee", "attended", "This booking was cancelled"),
        ("Asha", "came_twice", "Choose attended or did not come"),
        ("Asha", "", "Choose attended or did not come"),
        ("Asha", "booked", "nothing to undo"),
    ],
)
def test_marks_that_cannot_be_made_are_refused_with_a_message(day, app, people, name, value, message):
    response = mark(people("champion@example.org"), day[name], value)
    assert response.status_code == 400
    assert message in page_text(response)
    assert booking(app, day[name]).status == ("cancelled" if name == "Dee" else "booked")


def test_marking_needs_the_form_token(day, people):
    champion = people("champion@example.org")
    response = champion.post(f"/staff/bookings/{day['Asha']}/mark", data={"mark": "attended"})
    assert response.status_code == 400


def test_another_organisations_champion_gets_a_404(day, people):
    other = people("other@example.org")
    assert mark(other, day["Asha"], "attended").status_code == 404
    assert other.get(f"/staff/bookings/{day['Asha']}/log-session").status_code == 404
    assert mark(other, 99999999, "attended").status_code == 404


def test_logging_needs_the_booking_marked_attended(day, people):
    response = people("champion@example.org").get(f"/staff/bookings/{day['Asha']}/log-session")
    assert response.status_code == 400 and "Mark the booking attended" in page_text(response)


def test_an_officer_marks_and_comes_back_to_the_day(day, app, people):
    officer = people("admin@example.org")
    response = mark(officer, day["Faye"], "attended")
    assert response.status_code == 302
    assert f"/staff/bookings?view=day&date={today().isoformat()}#booking-{day['Faye']}" in response.headers["Location"]
    assert booking(app, day["Faye"]).status == "attended"
    assert officer.get(f"/staff/bookings/{day['Faye']}/log-session").status_code == 403  # officers log no sessions


def test_the_reminders_worker_reminds_only_bookings_still_booked(day, app, people, request, monkeypatch):
    from triage.web.booking.reminders import queue_due_reminders

    request.getfixturevalue("notify_app")  # sending email through the Notify stand-in

    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://signpost.example.gov.uk")
    champion = people("champion@example.org")
    mark(champion, day["Ben"], "attended")
    ben = booking(app, day["Ben"])
    with app.app_context():
        chen = db.session.get(Booking, day["Chen"])
        chen.email = "chen@example.com"  # still booked, at the same time, with a way to reach them
        db.session.commit()
    with app.app_context():
        assert queue_due_reminders(now=ben.starts_at.replace(tzinfo=UTC) - timedelta(hours=1)) == 1
        reminded = db.session.execute(select(BookingReminder.booking_id)).scalars().all()
    assert day["Chen"] in reminded and day["Ben"] not in reminded and day["Dee"] not in reminded
