"""Staff sign-in and account administration in a real browser, with an axe-core scan of each page."""

from __future__ import annotations

import re

import pytest
from browser_checks import assert_accessible, assert_no_sideways_scroll
from helpers import DROP_IN, PASSWORD
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_admin_signs_in_and_creates_an_account(page, axe, make_user):
    email = make_user("admin")
    page.goto("/staff/")
    expect(page.locator("h1")).to_have_text("Sign in to the staff area")
    assert_accessible(axe, page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Staff home")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Accounts", exact=True).first.click()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Create an account").click()
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Full name").fill("Cam Champion")
    page.get_by_label("Email address").fill("cam@example.org")
    page.get_by_label("Digital Champion", exact=True).check()
    page.get_by_label("Organisation (for Digital Champions and partners)").select_option(index=1)
    page.get_by_label("First password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Account created for Cam Champion")).to_be_visible()
    assert_accessible(axe, page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Sign in to the staff area")


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
    expect(page.locator("h1")).to_have_text("What is their postcode?")
    for question, value in OFFLINE_NEIGHBOUR[1:]:
        assert_accessible(axe, page)
        answer_page(page, question, value)
    page.get_by_role("button", name="See my plan").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}"))
    expect(page.get_by_text("Why this priority")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address").fill("resident@example.org")
    page.get_by_label("They have agreed to us sending their plan").check()
    page.get_by_role("button", name="Send plan").click()
    expect(page.get_by_text("Plan saved in the outbox for resident@example.org")).to_be_visible()
    page.get_by_role("link", name="Outbox", exact=True).first.click()
    expect(page.get_by_text("Email to resident@example.org")).to_be_visible()
    assert_accessible(axe, page)


def sign_in_page(page, email):
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_referral_from_request_to_follow_up(page, axe, people, plan):
    reference, resource_id = plan
    page.goto(f"/plan/{reference}")
    page.get_by_role("link", name=f"Ask {DROP_IN} to contact you").click()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(axe, page)

    sign_in_page(page, "staff@example.org")
    page.goto(f"/staff/plans/{reference}")
    page.get_by_label(DROP_IN).check()
    page.get_by_label("Name", exact=True).fill("Jo Bloggs")
    page.get_by_label("Phone number").fill("07700 900982")
    page.get_by_label("Best times to contact").fill("Weekday mornings")
    page.get_by_label("By text message").check()
    page.get_by_label("Language for their messages").select_option("pl")
    page.get_by_label("They have agreed to these details being shared").check()
    page.get_by_role("button", name="Refer").click()
    expect(page.get_by_text(f"Referred to {DROP_IN}")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Sign out").click()

    sign_in_page(page, "champion@example.org")
    page.get_by_role("link", name="Referrals sent to you").click()
    expect(page.get_by_role("cell", name=DROP_IN)).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Status").select_option("accepted")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No referrals match")).to_be_visible()
    page.get_by_label("Status").select_option("")
    page.get_by_role("button", name="Filter").click()
    page.locator("tbody a").first.click()
    expect(page.get_by_text("Jo Bloggs")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Update status").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(axe, page)
    for status in ("Accepted", "Contacted", "Support started"):
        page.get_by_label(status, exact=True).check()
        page.get_by_role("button", name="Update status").click()
        expect(page.get_by_text(f"Status changed to {status.lower()}")).to_be_visible()
    page.get_by_role("link", name="Record a follow-up").click()
    assert_accessible(axe, page)
    page.get_by_label("Smartphone", exact=True).check()
    page.locator("input[name=devices][value=basic_phone]").uncheck()
    page.get_by_label("Only my phone's data").check()
    page.get_by_role("button", name="Save the follow-up").click()
    expect(page.get_by_role("heading", name="Their progress")).to_be_visible()
    assert_accessible(axe, page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_sideways_scroll(page)


def test_officer_records_pages(page, axe, people, referral, plan):
    sign_in_page(page, "admin@example.org")
    for link in ("Audit log", "Export referrals and outcomes", "Erase a person's data on request"):
        page.goto("/staff/")
        page.get_by_role("link", name=link, exact=True).click()
        assert_accessible(axe, page)
    page.get_by_label("Plan reference").fill(plan[0])
    page.get_by_role("button", name="Find the plan").click()
    expect(page.get_by_text("erase the contact details, notes and status notes on 1 referral")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Erase their data").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("I have checked this is the right plan").check()
    page.get_by_role("button", name="Erase their data").click()
    expect(page.get_by_text(f"Plan {plan[0]} and the person's details have been erased")).to_be_visible()
    assert_accessible(axe, page)
