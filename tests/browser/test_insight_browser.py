"""Ward insight in a real browser: the dashboard with its map and a ward page with its chart, scanned with
axe-core, and checked at 320 px wide."""

from __future__ import annotations

import pytest
from browser_checks import assert_accessible, assert_no_sideways_scroll
from helpers import OFFLINE
from playwright.sync_api import expect
from test_staff_browser import sign_in_page

pytestmark = pytest.mark.browser


def test_officer_reads_ward_insight(page, axe, people):
    for _ in range(6):
        people(None).post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE})
    sign_in_page(page, "admin@example.org")
    page.get_by_role("link", name="Ward insight", exact=True).first.click()
    expect(page.locator("svg.ward-map a")).to_have_count(24)
    assert_accessible(axe, page)
    page.get_by_role("link", name="Loughborough Southfields", exact=True).click()
    expect(page.locator("h1")).to_have_text("Loughborough Southfields")
    expect(page.get_by_text("6 people from this ward finished the questions")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(1)
    assert_accessible(axe, page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_sideways_scroll(page)
    page.goto("/staff/insight")
    assert_no_sideways_scroll(page)
