"""The resident journey in a real browser, for different people, with an axe-core scan of every page,
a run with JavaScript turned off, and a check at 320 px wide that nothing scrolls sideways.
"""

from __future__ import annotations

import re

import pytest
from browser_checks import assert_accessible, assert_no_sideways_scroll
from playwright.sync_api import expect

from triage.core.questionnaire import BY_ID

pytestmark = pytest.mark.browser

# Each person: the answers, in the order the pages ask them, as the labels a person clicks.
OFFLINE_NEIGHBOUR = [
    ("who_for", "Me"),
    ("postcode", "le11 3du"),
    ("devices", ["Phone for calls and texts only"]),
    ("connection", "I don't go online"),
    ("money", ["I can't afford home internet", "I get Universal Credit, Pension Credit or another benefit"]),
    ("foundation_skills", ["None of these yet"]),
    ("life_skills", ["None of these yet"]),
    ("feelings", "Nervous, or worried about scams"),
    ("goals", ["Health, for example the GP or the NHS App"]),
    ("barriers", ["Seeing"]),
    ("help_preferences", ["Someone visits me at home"]),
    ("deadline", "No"),
]
POLISH_CARER = [
    ("who_for", "Someone I help"),
    ("postcode", "LE11 1ZZ"),  # valid shape, not in the table: leads to choosing an area
    ("area", "Loughborough Storer"),
    ("devices", ["Smartphone"]),
    ("connection", "Only my phone's data"),
    ("money", ["I often run out of data or credit"]),
    ("foundation_skills", ["Turn on a phone, tablet or computer and log in", "Open an app or a website"]),
    ("life_skills", ["Send messages or make video calls"]),
    ("feelings", "OK, but I worry about making mistakes"),
    ("goals", ["Benefits, for example Universal Credit"]),
    ("barriers", ["English is not my first language"]),
    ("language", "Polish"),
    ("help_preferences", ["One-to-one with a helper", "In a group class"]),
    ("deadline", "Yes"),
    ("deadline_task", "Renew a council tax reduction by 30 November"),
]
CONFIDENT_USER = [
    ("who_for", "Me"),
    ("postcode", "LE12 9AN"),
    ("devices", ["Smartphone", "Laptop or computer"]),
    ("connection", "Home broadband or wifi"),
    ("money", ["None of these"]),
    ("foundation_skills", [o.label for o in BY_ID["foundation_skills"].options if not o.exclusive]),
    ("life_skills", [o.label for o in BY_ID["life_skills"].options if not o.exclusive]),
    ("feelings", "Confident"),
    ("goals", ["Shopping"]),
    ("barriers", ["None of these"]),
    ("help_preferences", ["In a group class"]),
    ("deadline", "No"),
]


def answer_page(page, question: str, value) -> None:
    if question == "postcode":
        page.get_by_label(re.compile("postcode", re.I)).fill(value)
    elif question == "deadline_task":
        page.get_by_label(re.compile("What do")).fill(value)
    elif isinstance(value, list):
        for label in value:
            page.get_by_label(label, exact=True).check()
    else:
        page.get_by_label(value, exact=True).check()
    page.get_by_role("button", name="Continue").click()


def walk(page, person, axe=None, narrow=False) -> str:
    """Go through the whole journey as this person; returns the plan reference."""
    page.goto("/")
    if axe:
        assert_accessible(axe, page)
    page.get_by_role("button", name="Start now").click()
    for question, value in person:
        expect(page.locator("h1")).to_have_count(1)
        if axe:
            assert_accessible(axe, page)
        if narrow:
            assert_no_sideways_scroll(page)
        answer_page(page, question, value)
    expect(page.locator("h1")).to_have_text("Check your answers")
    if axe:
        assert_accessible(axe, page)
    if narrow:
        assert_no_sideways_scroll(page)
    page.get_by_role("button", name="See my plan").click()
    expect(page.locator("h1")).to_have_text("Your plan")
    if axe:
        assert_accessible(axe, page)
    if narrow:
        assert_no_sideways_scroll(page)
    return page.locator(".signpost-reference").inner_text()


HOUSEBOUND = [
    ("who_for", "Me"),
    ("postcode", "LE12 9AN"),
    ("devices", ["None of these"]),
    ("connection", "I don't go online"),
    ("money", ["I get Universal Credit, Pension Credit or another benefit"]),
    ("foundation_skills", ["None of these yet"]),
    ("life_skills", ["None of these yet"]),
    ("feelings", "Nervous, or worried about scams"),
    (
        "goals",
        ["Health, for example the GP or the NHS App", "Council things, for example bins, council tax or housing"],
    ),
    ("barriers", ["Seeing", "Hearing"]),
    ("help_preferences", ["Someone visits me at home", "Help on the phone"]),
    ("deadline", "Yes"),
    ("deadline_task", "Renew my blue badge by 30 January"),
]
PHONE = {"width": 390, "height": 844}  # a common phone's screen, in CSS pixels


def step_titles(page) -> list[str]:
    return [t.strip() for t in page.locator("section.signpost-step [id^='step-']").all_inner_texts()]


def test_offline_neighbour_gets_devices_one_to_one_help_and_nearby_library(page, axe):
    walk(page, OFFLINE_NEIGHBOUR, axe=axe)
    titles = " | ".join(step_titles(page))
    for expected in ("Get a device", "Use a free computer and wifi", "One-to-one help", "Make devices easier to use"):
        assert expected in titles
    assert page.get_by_role("heading", name="Loughborough Library", exact=True).count() == 1
    assert "very high" not in page.content().lower()


def test_polish_speaking_carer_with_unknown_postcode_and_a_deadline(page, axe):
    walk(page, POLISH_CARER, axe=axe)
    titles = " | ".join(step_titles(page))
    assert titles.startswith("Start here: Help with your task now")
    for expected in ("Get free mobile data", "English and digital skills", "Help for helpers"):
        assert expected in titles
    assert "help in Polish" in page.content()


def test_someone_at_home_starts_with_one_step_that_fits_a_phone_screen(page, axe):
    page.set_viewport_size(PHONE)
    walk(page, HOUSEBOUND, axe=axe)
    titles = step_titles(page)
    assert titles[0] == "Start here: Help with your task now"
    assert titles[1:] and all(re.match(r"\d+\. ", t) for t in titles[1:])
    first = page.locator("#first-step")
    height = first.evaluate("element => element.getBoundingClientRect().height")
    assert height <= PHONE["height"], f"the first step is {height}px tall on a {PHONE['height']}px screen"
    assert first.locator(".signpost-resource").count() == 1
    home_visit = page.get_by_text("visits you at home, as you asked").first
    expect(home_visit).to_be_visible()
    shared = page.locator("section.signpost-step a[href^='#help-']").first  # help that serves two steps
    target = shared.get_attribute("href")
    shared.click()
    expect(page.locator(target)).to_be_in_viewport()
    page.get_by_role("link", name=re.compile("See more help of this kind")).first.click()
    expect(page.locator("h1")).to_have_text("Find help near you")
    expect(page.locator("#results")).to_be_visible()
    assert_accessible(axe, page)
    page.go_back()
    page.get_by_role("link", name="Easy read version of this plan").click()
    expect(page.locator(".signpost-easy-read__start").first).to_have_text("Start here")
    assert_accessible(axe, page)


def test_confident_user_is_invited_to_volunteer(page, axe):
    walk(page, CONFIDENT_USER, axe=axe)
    titles = " | ".join(step_titles(page))
    assert "Help others get online" in titles
    assert "Learn with others" not in titles


def test_error_summary_and_plan_feedback_are_accessible(page, axe):
    page.goto("/questions/who_for")
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error:")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(axe, page)
    walk(page, CONFIDENT_USER)
    page.get_by_label("Satisfied", exact=True).check()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Thank you for your feedback").first).to_be_visible()
    assert_accessible(axe, page)


def test_find_plan_again_by_reference(page, axe):
    reference = walk(page, CONFIDENT_USER)
    page.goto("/find-your-plan")
    assert_accessible(axe, page)
    page.get_by_label("Your plan reference").fill(reference.lower().replace("-", " "))
    page.get_by_role("button", name="Find my plan").click()
    expect(page.locator(".signpost-reference")).to_have_text(reference)


def test_whole_journey_works_with_javascript_turned_off(no_js_page):
    reference = walk(no_js_page, POLISH_CARER)
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    assert "js-enabled" not in (no_js_page.locator("body").get_attribute("class") or "")


def test_nothing_scrolls_sideways_at_320_pixels(page):
    page.set_viewport_size({"width": 320, "height": 640})
    walk(page, OFFLINE_NEIGHBOUR, narrow=True)


@pytest.mark.parametrize("path", ["/accessibility", "/privacy", "/cookies", "/how-we-suggest-help", "/nowhere"])
def test_other_pages_are_accessible(page, axe, path):
    page.goto(path)
    assert_accessible(axe, page)
