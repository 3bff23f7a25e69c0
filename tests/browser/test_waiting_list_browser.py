"""Joining a full session's waiting list from a plan and accepting the place offered, in a real browser: at 320 px
wide with an axe-core scan of every page and no sideways scrolling, and the same journey with JavaScript off."""

from __future__ import annotations

import re
from datetime import UTC, time, timedelta

import pytest
from browser_checks import assert_accessible, assert_no_sideways_scroll
from helpers import DROP_IN, OFFLINE
from playwright.sync_api import expect

from triage.core.booking_slots import wall_clock
from triage.web.booking import service
from triage.web.booking.waiting_list import offer_freed_places
from triage.web.extensions import db
from triage.web.models import Availability, Booking, Resource, WaitingListEntry

pytestmark = pytest.mark.browser


@pytest.fixture
def full_plan(app):
    """An offline person's plan near Loughborough Library, whose drop-in's one course, in four days, is full."""
    body = app.test_client().post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()
    with app.app_context():
        drop_in = db.session.query(Resource).filter_by(name=DROP_IN).one()
        course = Availability(
            resource_id=drop_in.id,
            kind="dated",
            mode="in_person",
            title="Tablet course",
            on_date=service.today() + timedelta(days=4),
            starts=time(14),
            ends=time(15),
            minutes=60,
            places=1,
        )
        db.session.add(course)
        db.session.flush()
        starts_at = wall_clock(course.on_date, course.starts).astimezone(UTC)
        db.session.add(
            Booking(
                reference="AAAA-BBBB-CCCC",
                resource_id=drop_in.id,
                availability_id=course.id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                seat=1,
                mode="in_person",
                status="booked",
            )
        )
        db.session.commit()
    return body["reference"]


def free_the_place(app) -> None:
    """The person booked cancels, and the messages worker offers the place to the first on the list."""
    with app.app_context():
        db.session.query(Booking).filter_by(reference="AAAA-BBBB-CCCC").one().status = "cancelled"
        db.session.commit()
        with app.test_request_context():
            assert offer_freed_places().offered == 1


def join_and_accept(page, app, reference: str, check=lambda page: None) -> None:
    page.goto(f"/plan/{reference}")
    check(page)
    page.get_by_role("link", name=re.compile(f"Join a waiting list with {DROP_IN}")).click()
    expect(page.get_by_role("heading", level=2, name="Full sessions")).to_be_visible()
    check(page)
    page.get_by_role("link", name=re.compile("Join the waiting list")).click()
    check(page)
    page.get_by_label("What is your first name? (optional)").fill("Asha")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How can we tell you a place is free?")
    check(page)
    page.get_by_label("Mobile phone number").fill("07700 900982")
    page.get_by_role("button", name="Continue").click()
    check(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    check(page)
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_text("You are on the waiting list")).to_be_visible()
    check(page)
    waiting = page.locator(".govuk-panel strong").inner_text()
    free_the_place(app)
    page.context.clear_cookies()  # the offer arrives by text message: a new visit, with the reference and phone
    page.goto("/waiting-list")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find your place on a waiting list")
    check(page)
    page.get_by_label("Your waiting list reference").fill(waiting)
    page.get_by_label("The phone number or email address you gave").fill("07700900982")
    page.get_by_role("button", name="Find my place on the list").click()
    expect(page.get_by_text("A place is free for you")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Accept the place").click()
    expect(page.get_by_text("Your time is booked")).to_be_visible()
    check(page)
    with app.app_context():
        assert db.session.query(WaitingListEntry).one().status == "booked"


def test_joining_the_waiting_list_and_accepting_at_320px_is_accessible(page, axe, app, full_plan):
    page.set_viewport_size({"width": 320, "height": 640})

    def check(shown) -> None:
        assert_accessible(axe, shown)
        assert_no_sideways_scroll(shown)

    join_and_accept(page, app, full_plan, check)


def test_joining_the_waiting_list_and_accepting_without_javascript(no_js_page, app, full_plan):
    join_and_accept(no_js_page, app, full_plan)
