"""The champion's day in a real browser: the day's bookings at 320 px wide with an axe-core scan and no sideways
scrolling, marking Asha attended and reaching the session log filled in from her booking, saving it, and the day
showing the session logged; the same with JavaScript turned off, and the page printed as a day sheet."""

from __future__ import annotations

import re

import pytest
from booking.test_booking_day import day  # noqa: F401 (a fixture: today's bookings at the drop-in)
from browser_checks import assert_accessible, assert_no_sideways_scroll
from helpers import DROP_IN
from playwright.sync_api import expect
from test_staff_browser import sign_in_page

from triage.web.booking.service import today

pytestmark = pytest.mark.browser


def mark_asha_and_log_her_session(page, check=lambda page: None) -> None:
    sign_in_page(page, "champion@example.org")
    page.get_by_role("link", name="Today's bookings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Today, {today().strftime('%A %-d %B %Y')}")
    expect(page.get_by_role("heading", name=DROP_IN)).to_be_visible()
    expect(page.get_by_text("2 of 10 places booked")).to_be_visible()
    check(page)
    page.get_by_role("button", name=re.compile(r"^Attended\W+Asha at 10:00")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session")
    expect(page.get_by_text(f"From the booking at {DROP_IN}")).to_be_visible()
    expect(page.get_by_label("30 minutes")).to_be_checked()
    expect(page.get_by_label("One-to-one", exact=True)).to_be_checked()
    expect(page.get_by_label("At Digital Champion drop-in at Loughborough Library")).to_be_checked()
    expect(page.get_by_label("Day")).to_have_value(f"{today().day:02d}")
    check(page)
    page.get_by_label("Join a wifi network").check()
    page.get_by_label("Their own", exact=True).check()
    page.get_by_label("Did it on their own").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    asha = page.locator(".govuk-summary-card", has_text="10:00 to 10:30: Asha")
    expect(asha.get_by_text("Session logged")).to_be_visible()
    expect(asha.get_by_role("link", name="see the log")).to_be_visible()
    expect(asha.locator(".govuk-tag")).to_have_text("Attended")
    check(page)


def test_the_champions_day_at_320px_is_accessible(page, axe, day):  # noqa: F811 (the fixture imported above)
    page.set_viewport_size({"width": 320, "height": 640})

    def check(shown) -> None:
        assert_accessible(axe, shown)
        assert_no_sideways_scroll(shown)

    mark_asha_and_log_her_session(page, check)
    page.get_by_role("link", name="This week").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week of")
    check(page)
    page.emulate_media(media="print")
    expect(page.locator("form.signpost-no-print").first).to_be_hidden()
    expect(page.get_by_text("10:00 to 10:30: Asha")).to_be_visible()


def test_the_champions_day_without_javascript(no_js_page, day):  # noqa: F811
    mark_asha_and_log_her_session(no_js_page)
