"""Staff sign-in and account administration in a real browser, with an axe-core scan of each page."""

from __future__ import annotations

import re

import pytest
from browser_checks import assert_accessible, assert_no_sideways_scroll
from helpers import PASSWORD

pytestmark = pytest.mark.browser


def test_admin_signs_in_and_creates_an_account(page, axe, make_user):
    email = make_user("admin")
    page.goto("/staff/")
    assert page.locator("h1").inner_text() == "Sign in to the staff area"
    assert_accessible(axe, page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(axe, page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Staff home"
    assert_accessible(axe, page)
    page.get_by_role("link", name="Accounts", exact=True).first.click()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Create an account").click()
    page.get_by_role("button", name="Create account").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(axe, page)
    page.get_by_label("Full name").fill("Cam Champion")
    page.get_by_label("Email address").fill("cam@example.org")
    page.get_by_label("Digital Champion", exact=True).check()
    page.get_by_label("Organisation (for Digital Champions)").select_option(index=1)
    page.get_by_label("First password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_text("Account created for Cam Champion").is_visible()
    assert_accessible(axe, page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Sign out").click()
    assert page.locator("h1").inner_text() == "Sign in to the staff area"


def test_counter_staff_help_someone_and_send_their_plan(page, axe, make_user):
    from test_resident_journey_browser import OFFLINE_NEIGHBOUR, answer_page

    email = make_user("staff")
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")  # the whole flow works from the keyboard
    page.get_by_role("button", name="Help someone with the questions").click()
    assert_accessible(axe, page)
    page.get_by_label("At the council counter").check()
    page.get_by_label("They have agreed to answer the questions").check()
    page.get_by_role("button", name="Start the questions").click()
    assert page.locator("h1").inner_text() == "What is their postcode?"
    for question, value in OFFLINE_NEIGHBOUR[1:]:
        assert_accessible(axe, page)
        answer_page(page, question, value)
    page.get_by_role("button", name="See my plan").click()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", page.locator("h1").inner_text())
    assert page.get_by_text("Why this priority").is_visible()
    assert_accessible(axe, page)
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address").fill("resident@example.org")
    page.get_by_label("They have agreed to us sending their plan").check()
    page.get_by_role("button", name="Send plan").click()
    assert page.get_by_text("Plan sent by email to resident@example.org").is_visible()
    page.get_by_role("link", name="Outbox", exact=True).first.click()
    assert page.get_by_text("Email to resident@example.org").is_visible()
    assert_accessible(axe, page)
