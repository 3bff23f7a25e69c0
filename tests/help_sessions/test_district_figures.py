"""A county's help-given figures by district: an account limited to one district reads, on "Help given" and in
the impact report (page and CSV), only the sessions whose ward is in its district, whatever district it asks
for; an unlimited officer may choose a district; small counts are hidden within the district; and the tallies
kept as the logs are saved are the tallies `flask rebuild-insight` makes."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from council_apps import ADMIN, PASSWORD
from helpers import csrf_token, log_session, page_text
from sqlalchemy import select

from triage.core.impact import TALLIED
from triage.web.accounts.service import create_account
from triage.web.areas import packs
from triage.web.extensions import db
from triage.web.models import HelpTally, Organisation

BLABY, CHARNWOOD = "E07000129", "E07000130"
ORGANISATION = "District test champions"


def _client(app, email: str):
    client = app.test_client()
    token = csrf_token(client, "/staff/sign-in")
    signed_in = client.post("/staff/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert signed_in.status_code == 302
    return client


def _in_all(response) -> list[str]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    found = next(t for t in page.find_all("table") if t.caption.get_text(strip=True) == "In all")
    return [cell.get_text(strip=True) for cell in found.tbody.tr.find_all("td")]


def _figures(response) -> dict[tuple[str, str], str]:
    rows = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    return {(r["section"], r["figure"]): r["value"] for r in rows}


def _tallies() -> list[tuple]:
    names = ("grouping", "span", "start", "organisation_id", "value", "district", *TALLIED)
    rows = db.session.execute(select(HelpTally)).scalars()
    return sorted(tuple(getattr(r, n) for n in names) for r in rows if r.sessions)


@pytest.fixture(scope="module")
def county(council_app):
    """The Leicestershire app with a champions' organisation whose champion logged six sessions in Blaby, three in
    Charnwood and one with no postcode; accounts limited to Blaby (a champion there and an officer)."""
    app = council_app
    with app.app_context():
        organisation = Organisation(name=ORGANISATION, is_sample=True)
        db.session.add(organisation)
        db.session.flush()
        create_account("county-champion@example.org", "County champion", PASSWORD, "champion", organisation)
        create_account(
            "blaby-champion@example.org", "Blaby champion", PASSWORD, "champion", organisation, district_code=BLABY
        )
        create_account("blaby-officer@example.org", "Blaby officer", PASSWORD, "admin", None, district_code=BLABY)
        db.session.commit()
    champion = _client(app, "county-champion@example.org")
    blaby, charnwood = packs.postcodes(BLABY), packs.postcodes(CHARNWOOD)
    for i in range(6):
        assert log_session(champion, postcode=blaby[i * 7].postcode, given=[]).status_code == 302
    for i in range(3):
        assert log_session(champion, postcode=charnwood[i * 11].postcode, given=[]).status_code == 302
    assert log_session(champion, postcode=None, given=[]).status_code == 302
    return app


pytestmark = pytest.mark.parametrize("council_app", ["leicestershire"], indirect=True)


def test_a_champion_limited_to_a_district_sees_its_sessions_only_and_cannot_ask_for_more(county):
    champion = _client(county, "blaby-champion@example.org")
    for asked in ("", f"?district={CHARNWOOD}", "?district="):
        page = champion.get(f"/staff/help-given{asked}")
        assert page.status_code == 200
        assert _in_all(page)[:2] == ["6", "6"]  # people helped, sessions: Blaby's alone
        text = page_text(page)
        assert "Figures for Blaby only" in text and "your account is for this district" in text
        assert 'name="district"' not in page.get_data(as_text=True)
    report = champion.get(f"/staff/impact?district={CHARNWOOD}&format=csv")
    figures = _figures(report)
    assert figures["reach", "sessions"] == "6" and figures["report", "district"] == "Blaby"


def test_an_officer_limited_to_a_district_reads_its_impact_report_only(county):
    officer = _client(county, "blaby-officer@example.org")
    page = officer.get(f"/staff/impact?district={CHARNWOOD}")
    assert page.status_code == 200
    text = page_text(page)
    assert "Figures for Blaby only" in text and "your account is for this district" in text
    figures = _figures(officer.get(f"/staff/impact?district={CHARNWOOD}&format=csv"))
    assert figures["reach", "sessions"] == "6" and figures["reach", "people_helped"] == "6"
    assert _in_all(officer.get("/staff/help-given"))[:2] == ["6", "6"]


def test_an_unlimited_officer_chooses_a_district_and_small_counts_stay_hidden_within_it(county):
    officer = _client(county, ADMIN)
    everywhere = officer.get("/staff/help-given")
    assert 'name="district"' in everywhere.get_data(as_text=True)
    assert _in_all(everywhere)[:2] == ["10", "10"]  # Blaby, Charnwood and the session with no postcode
    assert "Figures for" not in page_text(everywhere)
    charnwood = officer.get(f"/staff/help-given?district={CHARNWOOD}")
    assert "Figures for Charnwood only" in page_text(charnwood)
    assert _in_all(charnwood)[:2] == ["Not shown", "Not shown"]  # three sessions: under the threshold of 5
    figures = _figures(officer.get(f"/staff/impact?district={CHARNWOOD}&format=csv"))
    assert figures["reach", "sessions"] == "" and figures["report", "district"] == "Charnwood"
    assert _figures(officer.get("/staff/impact?format=csv"))["reach", "sessions"] == "10"
    refused = officer.get("/staff/help-given?district=E09000001")  # the City of London: not one of ours
    assert refused.status_code == 400 and "Choose a district from the list" in page_text(refused)
    assert officer.get("/staff/impact?district=E09000001").status_code == 400


def test_the_kept_tallies_are_the_rebuilt_ones_district_by_district(county):
    with county.app_context():
        kept = _tallies()
        assert {row[5] for row in kept if row[0] == "all"} == {BLABY, CHARNWOOD, ""}
    rebuilt = county.test_cli_runner().invoke(args=["rebuild-insight"])
    assert rebuilt.exit_code == 0 and "10 session logs" in rebuilt.output, rebuilt.output
    with county.app_context():
        assert _tallies() == kept
