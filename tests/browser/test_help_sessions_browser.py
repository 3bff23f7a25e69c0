"""Logging a session on a phone: the one-page form at 320 px wide, with a mistake and then saved, scanned
with axe-core, and the Help given page after it; with the wellbeing questions on, a first visit with them."""

from __future__ import annotations

import pytest
from browser_checks import assert_accessible, assert_no_sideways_scroll
from helpers import AFTER_SUPPORT, OFFLINE, log_session, record_follow_up, refer, start_support
from playwright.sync_api import expect
from test_staff_browser import sign_in_page

pytestmark = pytest.mark.browser


def choose_a_first_visit_on_the_phone(page) -> None:
    """Every choice but the length: one-to-one on the phone, wifi on their own device, on their own, a SIM."""
    page.get_by_label("One-to-one", exact=True).check()
    page.get_by_label("On the phone", exact=True).check()
    page.get_by_label("Join a wifi network").check()
    page.get_by_label("Their own", exact=True).check()
    page.get_by_label("Did it on their own").check()
    page.get_by_label("A data SIM", exact=True).check()
    page.get_by_label("Yes", exact=True).check()


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
    choose_a_first_visit_on_the_phone(page)
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


def test_a_champion_logs_a_first_visit_with_wellbeing_on_a_phone(page, axe, people, app, monkeypatch):
    monkeypatch.setitem(app.config, "WELLBEING_QUESTIONS", True)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in_page(page, "champion@example.org")
    page.goto("/staff/help-sessions/new")
    expect(page.get_by_text("Wellbeing (optional, ask only if they are happy to answer)")).to_be_visible()
    assert_accessible(axe, page)
    assert_no_sideways_scroll(page)
    page.get_by_label("30 minutes", exact=True).check()
    choose_a_first_visit_on_the_phone(page)
    page.get_by_label("Overall, how satisfied are you with your life nowadays?").select_option("4")
    page.get_by_label("Overall, how happy did you feel yesterday?").select_option("10")
    page.get_by_label("They preferred not to answer").check()
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("They preferred not to answer")
    assert_accessible(axe, page)
    assert_no_sideways_scroll(page)
    page.get_by_label("They preferred not to answer").uncheck()
    page.get_by_label("On a scale where 0 is 'not at all anxious'").select_option("7")
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator("h1")).to_have_text("Sessions you have logged")
    page.get_by_role("link", name="Correct or delete").first.click()
    expect(page.get_by_label("Overall, how satisfied are you with your life nowadays?")).to_have_value("4")
    expect(page.get_by_label("Overall, how happy did you feel yesterday?")).to_have_value("10")
    expect(page.get_by_label("On a scale where 0 is 'not at all anxious'")).to_have_value("7")
    assert_accessible(axe, page)


def test_the_impact_reports_wellbeing_section_on_a_phone(page, axe, people, plan, app, monkeypatch):
    monkeypatch.setitem(app.config, "WELLBEING_QUESTIONS", True)
    _, drop_in = plan
    staff, champion, anonymous = people("staff@example.org"), people("champion@example.org"), people(None)
    for _ in range(5):
        body = anonymous.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()
        referral = int(refer(staff, body["reference"], drop_in).headers["Location"].rsplit("/", 1)[1])
        log_session(champion, f"/staff/referrals/{referral}/log-session", wellbeing_life="3", wellbeing_anxious="8")
        start_support(champion, referral)
        record_follow_up(champion, referral, {**AFTER_SUPPORT, "wellbeing_life": "6", "wellbeing_anxious": "4"})
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in_page(page, "admin@example.org")
    page.goto("/staff/impact")
    expect(page.get_by_role("heading", name="Wellbeing (ONS4)")).to_be_visible()
    expect(page.get_by_role("table", name="Average wellbeing before and after, by measure")).to_be_visible()
    assert_accessible(axe, page)
    assert_no_sideways_scroll(page)
