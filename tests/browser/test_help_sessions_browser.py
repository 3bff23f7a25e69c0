"""Logging a session on a phone: the one-page form at 320 px wide, with a mistake and then saved, scanned
with axe-core, and the Help given page after it."""

from __future__ import annotations

import pytest
from browser_checks import assert_accessible, assert_no_sideways_scroll
from playwright.sync_api import expect
from test_staff_browser import sign_in_page

pytestmark = pytest.mark.browser


def test_a_champion_logs_a_session_on_a_phone(page, axe, people):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in_page(page, "champion@example.org")
    page.get_by_role("link", name="Log a session").first.click()
    expect(page.locator("h1")).to_have_text("Log a session")
    assert_accessible(axe, page)
    assert_no_sideways_scroll(page)
    page.get_by_label("Another length", exact=True).check()
    page.get_by_label("Another length, in minutes").fill("10000")
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(axe, page)
    assert_no_sideways_scroll(page)
    page.get_by_label("Another length, in minutes").fill("40")
    page.get_by_label("One-to-one", exact=True).check()
    page.get_by_label("On the phone", exact=True).check()
    page.get_by_label("Join a wifi network").check()
    page.get_by_label("Their own", exact=True).check()
    page.get_by_label("Did it on their own").check()
    page.get_by_label("A data SIM", exact=True).check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator("h1")).to_have_text("Sessions you have logged")
    expect(page.get_by_text("40 minutes, one-to-one, on the phone")).to_be_visible()
    assert_accessible(axe, page)
    assert_no_sideways_scroll(page)
    page.goto("/staff/help-given")
    expect(page.locator("h1")).to_have_text("Help given")
    assert_accessible(axe, page)


def test_the_impact_report_on_a_phone(page, axe, people):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in_page(page, "admin@example.org")
    page.get_by_role("link", name="Impact report").first.click()
    expect(page.locator("h1")).to_contain_text("Impact report")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert_accessible(axe, page)
    assert_no_sideways_scroll(page)
    page.emulate_media(media="print")
    expect(page.locator("form.signpost-no-print")).to_be_hidden()
