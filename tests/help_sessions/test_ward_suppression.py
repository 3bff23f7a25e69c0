"""A county's help given by ward hides the same wards whichever view is shown: the council's wards are protected
together with secondary suppression within each district (triage.core.insight.protect), and a district's view
shows its wards' rows from that one result, so no hidden ward can be worked back by setting the council's rows
against a district's total (the reviewer's example, at the threshold of 5)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from council_apps import ADMIN, PASSWORD
from helpers import csrf_token, log_session

from triage.web.accounts.service import create_account
from triage.web.areas import packs
from triage.web.extensions import db
from triage.web.models import Organisation, Ward

BLABY, CHARNWOOD = "E07000129", "E07000130"
DAY = "2026-02-10"  # a day of its own, so the other modules' sessions are not in these figures
DATES = f"from={DAY}&to={DAY}"
# Wards A1 and A2 in Blaby, B1 and B2 in Charnwood: sessions in each.
COUNTS = {"A1": 2, "A2": 10, "B1": 6, "B2": 15}


def _client(app, email: str):
    client = app.test_client()
    token = csrf_token(client, "/staff/sign-in")
    signed_in = client.post("/staff/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert signed_in.status_code == 302
    return client


def _two_wards(lad: str) -> list:
    """A postcode in each of two wards of the district."""
    found: dict[str, object] = {}
    for p in packs.postcodes(lad):
        found.setdefault(p.ward_code, p)
    return [found[code] for code in sorted(found)[:2]]


def _by_ward(response) -> dict[str, str]:
    """People helped in each ward row of the page's table by ward."""
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    found = next(t for t in page.find_all("table") if t.caption.get_text(strip=True) == "By ward")
    return {row.th.get_text(strip=True): row.find("td").get_text(strip=True) for row in found.tbody.find_all("tr")}


def _in_all(response) -> str:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    found = next(t for t in page.find_all("table") if t.caption.get_text(strip=True) == "In all")
    return found.tbody.tr.find("td").get_text(strip=True)


@pytest.fixture(scope="module")
def example(council_app):
    """The sessions of COUNTS on DAY, and the names of wards A1, A2, B1 and B2."""
    app = council_app
    with app.app_context():
        organisation = Organisation(name="Ward test champions", is_sample=True)
        db.session.add(organisation)
        db.session.flush()
        create_account("ward-champion@example.org", "Ward champion", PASSWORD, "champion", organisation)
        create_account("blaby-wards@example.org", "Blaby wards", PASSWORD, "admin", None, district_code=BLABY)
        db.session.commit()
        places = dict(zip(COUNTS, _two_wards(BLABY) + _two_wards(CHARNWOOD), strict=True))
        names = {w: db.session.get(Ward, p.ward_code).name for w, p in places.items()}
    champion = _client(app, "ward-champion@example.org")
    day = [str(int(part)) for part in reversed(DAY.split("-"))]
    for ward, n in COUNTS.items():
        for _ in range(n):
            logged = log_session(champion, postcode=places[ward].postcode, given=[], session_date=day)
            assert logged.status_code == 302
    return names


pytestmark = pytest.mark.parametrize("council_app", ["leicestershire"], indirect=True)


def test_the_council_and_a_district_hide_the_same_wards_and_none_can_be_worked_back(council_app, example):
    officer = _client(council_app, ADMIN)
    council = _by_ward(officer.get(f"/staff/help-given?{DATES}"))
    blaby = officer.get(f"/staff/help-given?{DATES}&district={BLABY}")
    limited = _client(council_app, "blaby-wards@example.org").get(f"/staff/help-given?{DATES}")
    a1, a2, b1, b2 = (example[w] for w in COUNTS)
    # A1 is small; A2 goes with it, as Blaby's total (12) less A2 (10) would be A1; with two hidden, B1 and B2 stay.
    assert {ward: council[ward] for ward in (a1, a2, b1, b2)} == {a1: "Not shown", a2: "Not shown", b1: "6", b2: "15"}
    for page in (blaby, limited):
        assert _by_ward(page) == {a1: "Not shown", a2: "Not shown"}  # the council view's cells for Blaby's wards
        assert _in_all(page) == "12"
    assert _in_all(officer.get(f"/staff/help-given?{DATES}")) == "33"
