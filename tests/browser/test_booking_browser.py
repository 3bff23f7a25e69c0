"""Booking a time from a plan and cancelling it in a real browser: at 320 px wide with an axe-core scan of
every page and no sideways scrolling, and the same journey with JavaScript turned off."""

from __future__ import annotations

import re
from datetime import time

import pytest
from browser_checks import assert_accessible, assert_no_sideways_scroll
from helpers import DROP_IN, OFFLINE
from playwright.sync_api import expect

from triage.web.extensions import db
from triage.web.models import Availability, Resource

pytestmark = pytest.mark.browser


@pytest.fixture
def bookable_plan(app):
    """An offline person's plan near Loughborough Library, whose drop-in takes bookings every weekday."""
    body = app.test_client().post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()
    with app.app_context():
        drop_in = db.session.query(Resource).filter_by(name=DROP_IN).one()
        db.session.add_all(
            Availability(
                resource_id=drop_in.id,
                kind="weekly",
                mode="in_person",
                weekday=weekday,
                starts=time(10),
                ends=time(12),
                minutes=30,
                places=1,
            )
            for weekday in range(5)
        )
        db.session.commit()
    return body["reference"]


def book_and_cancel(page, reference: str, check=lambda page: None) -> None:
    """The whole journey from the plan: choose the first time, give a name and phone, book, then find the
    booking again by its reference and phone, and cancel it. `check` is called on every page."""
    page.goto(f"/plan/{reference}")
    check(page)
    page.get_by_role("link", name=re.compile(f"Book a time with {DROP_IN}")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Choose a time")
    check(page)
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Continue").click()
    check(page)
    page.get_by_label("What is your first name? (optional)").fill("Asha")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How can we send you the booking?")
    check(page)
    page.get_by_label("Phone number (optional)").fill("07700 900982")
    page.get_by_role("button", name="Continue").click()
    check(page)
    page.get_by_label("Is there anything that would make it easier for you? (optional)").fill("Large print")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your booking")
    check(page)
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Your time is booked")).to_be_visible()
    check(page)
    booked = page.locator(".govuk-panel strong").inner_text()
    page.context.clear_cookies()  # a new visit: the booking is found by its reference and phone alone
    page.goto("/bookings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find your booking")
    check(page)
    page.get_by_label("Your booking reference").fill(booked)
    page.get_by_label("The phone number or email address you booked with").fill("07700900982")
    page.get_by_role("button", name="Find my booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")
    check(page)
    page.get_by_role("button", name="Cancel this booking").click()
    expect(page.get_by_text("Your booking is cancelled")).to_be_visible()
    check(page)


def test_booking_and_cancelling_at_320px_is_accessible(page, axe, bookable_plan):
    page.set_viewport_size({"width": 320, "height": 640})

    def check(shown) -> None:
        assert_accessible(axe, shown)
        assert_no_sideways_scroll(shown)

    book_and_cancel(page, bookable_plan, check)


def test_booking_and_cancelling_without_javascript(no_js_page, bookable_plan):
    book_and_cancel(no_js_page, bookable_plan)
