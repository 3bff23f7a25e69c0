"""Every shipped council profile in a real browser, each app served on a port of its own: the resident journey
from a postcode of the council's first district to the plan, find help with the district's real library, and
ward insight with every district's wards on the map, each page scanned with axe-core."""

from __future__ import annotations

import pytest
from browser_checks import assert_accessible
from council_apps import ADMIN, PASSWORD
from playwright.sync_api import expect
from serving import page_at, served
from test_resident_journey_browser import OFFLINE_NEIGHBOUR, walk

from triage.web.areas import packs

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def council_server(council_app):
    with served(council_app) as address:
        yield address


@pytest.fixture
def council_page(browser, council_server):
    with page_at(browser, council_server) as page:
        yield page


def _first_district(council_app) -> str:
    return council_app.extensions["council"].lads[0]


def test_the_resident_journey_reaches_a_plan_in_every_council(council_page, axe, council_app):
    postcode = packs.libraries(_first_district(council_app))[0].postcode
    person = [(question, postcode if question == "postcode" else value) for question, value in OFFLINE_NEIGHBOUR]
    assert walk(council_page, person, axe)  # a plan, with its reference
    expect(council_page.get_by_text(council_app.extensions["council"].name).first).to_be_visible()


def test_find_help_shows_the_districts_real_library_in_every_council(council_page, axe, council_app):
    library = packs.libraries(_first_district(council_app))[0]
    council_page.goto("/find-help")
    council_page.get_by_label("Postcode").fill(library.postcode)
    council_page.get_by_role("button", name="Search").click()
    expect(council_page.get_by_role("link", name=library.name).first).to_be_visible()
    assert_accessible(axe, council_page)


def test_ward_insight_maps_every_districts_wards_in_every_council(council_page, axe, council_app):
    council_page.goto("/staff/sign-in")
    council_page.get_by_label("Email address").fill(ADMIN)
    council_page.get_by_label("Password", exact=True).fill(PASSWORD)
    council_page.get_by_role("button", name="Sign in").click()
    council_page.goto("/staff/insight")
    wards = sum(len(packs.wards(lad)) for lad in council_app.extensions["council"].lads)
    expect(council_page.locator("svg.ward-map a")).to_have_count(wards)
    assert_accessible(axe, council_page)
