"""Public search and directory management in a real browser, with an axe-core scan of each page."""

from __future__ import annotations

import pytest
from browser_checks import assert_accessible, assert_no_sideways_scroll
from helpers import CHAMPIONS
from playwright.sync_api import expect
from test_staff_browser import sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("directory_restored")]


def test_find_help_near_you(page, axe):
    page.goto("/")
    page.get_by_role("link", name="Find help near you").first.click()
    assert_accessible(axe, page)
    page.get_by_label("Postcode").fill("nowhere")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Postcode").fill("le11 3du")
    page.get_by_text("Filter the results").click()
    page.get_by_label("Kind of help").select_option("library")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="results for LE11 3DU")).to_be_visible()
    expect(page.locator("ol h3 a").first).to_have_text("Loughborough Library")
    assert_accessible(axe, page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_sideways_scroll(page)
    page.goto("/find-help?postcode=LE11+3DU&page=2")
    expect(page.get_by_text("Showing 21 to 40, nearest first")).to_be_visible()
    assert_accessible(axe, page)
    assert_no_sideways_scroll(page)
    page.get_by_role("link", name="Page 1").click()
    page.get_by_role("link", name="Loughborough Library", exact=True).click()
    expect(page.locator("h1")).to_have_text("Loughborough Library")
    assert_accessible(axe, page)
    assert_no_sideways_scroll(page)


def test_find_help_without_javascript(no_js_page):
    no_js_page.goto("/find-help")
    no_js_page.get_by_label("Or choose your area").select_option(label="Loughborough Southfields")
    no_js_page.get_by_role("button", name="Search").click()
    expect(no_js_page.get_by_role("heading", name="results for Loughborough Southfields")).to_be_visible()


def test_officer_and_partner_manage_the_directory(page, axe, people, make_user):
    make_user("partner", email="partner@example.org", organisation=CHAMPIONS)
    sign_in_page(page, "partner@example.org")
    page.get_by_role("link", name="Your entries").first.click()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Propose a new entry").click()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Send for approval").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Course", exact=True).check()
    page.get_by_label("Name", exact=True).fill("Tablet basics at the Hub")
    page.get_by_label("Description").fill("Four friendly sessions on using a tablet")
    page.get_by_label("The whole district or borough").check()
    page.get_by_label("Monday").fill("10:00-12:00")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Learn with others").check()
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text("waiting for a decision")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in_page(page, "admin@example.org")
    page.get_by_role("link", name="Directory", exact=True).first.click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Proposals from partners").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="New: Tablet basics at the Hub").click()
    assert_accessible(axe, page)
    page.get_by_label("Approve and publish").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Proposal approved")).to_be_visible()
    page.goto("/staff/directory?q=Tablet+basics")
    page.get_by_role("link", name="Tablet basics at the Hub").click()
    assert_accessible(axe, page)
    page.get_by_label("Temporarily closed").check()
    page.get_by_label("Note").fill("Back in January")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("is now temporarily closed")).to_be_visible()
    expect(page.get_by_text("Closed for now").first).to_be_visible()
    page.get_by_role("link", name="Edit this entry").click()
    assert_accessible(axe, page)
    page.goto("/staff/directory/import")
    assert_accessible(axe, page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/staff/directory")
    assert_no_sideways_scroll(page)
