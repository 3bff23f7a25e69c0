"""Ward insight for officers: counts kept as plans are saved, suppression of small numbers everywhere,
the ranked dashboard, a page per ward, CSV exports, and officers-only access."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from helpers import CONFIDENT, OFFLINE, page_text

from triage.web.extensions import db
from triage.web.models import WardMonthStat

SOUTHFIELDS, ANSTEY = "E05014676", "E05014666"


def assess(client, postcode, answers, times):
    for _ in range(times):
        assert client.post("/api/v1/assessments", json={"postcode": postcode, "answers": answers}).status_code == 201


def ward_row(response, name):
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    table = page.find("table")
    for tr in table.find("tbody").find_all("tr"):
        cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        if cells[1] == name:
            return cells
    raise AssertionError(name)


@pytest.fixture
def history(people):
    anonymous = people(None)
    assess(anonymous, "LE11 3DU", OFFLINE, 6)  # Loughborough Southfields: 6 very high, 5 low
    assess(anonymous, "LE11 3DU", CONFIDENT, 5)
    assess(anonymous, "LE7 7AN", OFFLINE, 2)  # Anstey: too few to show
    return people("admin@example.org")


def test_counts_are_kept_as_plans_are_saved_and_rebuild_gives_the_same(history, app, runner):
    with app.app_context():
        kept = {(s.ward_code, s.metric, s.code): s.count for s in db.session.query(WardMonthStat)}
    assert kept[(SOUTHFIELDS, "assessments", "")] == 11 and kept[(SOUTHFIELDS, "band", "very_high")] == 6
    assert kept[(ANSTEY, "assessments", "")] == 2
    assert "recounted from 13 saved plans" in runner.invoke(args=["rebuild-insight"]).output
    with app.app_context():
        assert {(s.ward_code, s.metric, s.code): s.count for s in db.session.query(WardMonthStat)} == kept


def test_the_dashboard_ranks_every_ward_and_hides_small_counts(history):
    response = history.get("/staff/insight")
    assert response.status_code == 200
    southfields = ward_row(response, "Loughborough Southfields")
    assert southfields[8] == "11" and southfields[9] == "6 (55%)"
    anstey = ward_row(response, "Anstey")
    assert anstey[8] == "–" and anstey[9] == "–"
    ranks = [
        int(tr.find("td").get_text())
        for tr in BeautifulSoup(response.get_data(as_text=True), "html.parser").find("tbody").find_all("tr")
    ]
    assert len(ranks) == 24 and ranks == sorted(ranks) and ranks[0] == 1
    text = page_text(response)
    assert "How the area risk index is worked out" in text and "Open Government Licence" in text


def test_exports_are_suppressed_like_the_page(history):
    response = history.get("/staff/insight?format=csv")
    rows = {r["ward_name"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    assert len(rows) == 24
    assert rows["Loughborough Southfields"]["assessments"] == "11"
    assert rows["Anstey"]["assessments"] == "" and rows["Anstey"]["high_or_very_high"] == ""


def test_a_ward_page_brings_its_figures_together(history):
    page = page_text(history.get(f"/staff/insight/wards/{SOUTHFIELDS}"))
    assert "11 people from this ward finished the questions" in page
    assert "Area risk" in page and "out of 10" in page
    assert "Very high 6" in page and "Low 5" in page
    assert "Get a device: 6" in page  # the top needs, each shown only with 5 or more (and 5 or more without)
    small = page_text(history.get(f"/staff/insight/wards/{ANSTEY}"))
    assert "Fewer than 5 people from this ward" in small and "None that can be shown" in small
    months = history.get(f"/staff/insight/wards/{ANSTEY}?format=csv&table=months")
    rows = list(csv.DictReader(io.StringIO(months.get_data(as_text=True))))
    assert rows and all(r["assessments"] in ("", "0") for r in rows)


@pytest.mark.parametrize("year", ["1999", "abc", "2100"])
def test_a_bad_year_is_explained(history, year):
    response = history.get(f"/staff/insight?year={year}")
    assert response.status_code == 400 and "Choose a year from the list" in page_text(response)


def test_periods_are_whole_financial_years(history):
    from datetime import UTC, datetime

    from triage.core.insight import financial_year

    this_year = financial_year(datetime.now(UTC).date())
    page = BeautifulSoup(history.get("/staff/insight").get_data(as_text=True), "html.parser")
    options = [o.get_text() for o in page.select("#year option")]
    assert options == [f"April {this_year} to March {this_year + 1}"]
    assert history.get(f"/staff/insight?year={this_year}").status_code == 200


def test_unknown_wards_and_tables(history):
    assert history.get("/staff/insight/wards/E05999999").status_code == 404
    assert history.get(f"/staff/insight/wards/{ANSTEY}?format=csv&table=everything").status_code == 400


def test_counts_outlive_the_plans_they_came_from(history, app, runner):
    from datetime import UTC, datetime, timedelta

    from triage.web.models import Assessment

    with app.app_context():
        for a in db.session.query(Assessment):
            a.created_at = datetime.now(UTC) - timedelta(days=4 * 365)
        db.session.commit()
    runner.invoke(args=["apply-retention"])
    with app.app_context():
        assert db.session.query(Assessment).count() == 0
        assert db.session.query(WardMonthStat).filter_by(metric="assessments").count() == 2


@pytest.mark.parametrize("who", [None, "champion@example.org", "staff@example.org"])
@pytest.mark.parametrize("path", ["/staff/insight", f"/staff/insight/wards/{SOUTHFIELDS}", "/staff/insight?format=csv"])
def test_only_officers_see_ward_insight(people, who, path):
    response = people(who).get(path)
    if who is None:
        assert response.headers["Location"].startswith("/staff/sign-in")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("table", ["months", "bands", "averages", "needs", "goals", "outcomes", "risk"])
def test_every_ward_table_downloads(history, table):
    response = history.get(f"/staff/insight/wards/{SOUTHFIELDS}?format=csv&table={table}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    if table in ("months", "bands", "averages", "needs", "risk"):
        assert rows


def test_no_hidden_count_can_be_worked_back(people, app):
    anonymous = people(None)
    assess(anonymous, "LE11 3DU", OFFLINE, 6)
    assess(anonymous, "LE11 3DU", CONFIDENT, 1)  # 7 people: 6 very high and 1 low
    admin = people("admin@example.org")
    southfields = ward_row(admin.get("/staff/insight"), "Loughborough Southfields")
    assert southfields[8] == "7" and southfields[9] == "–"  # 7 − 6 would give the one low person
    page = page_text(admin.get(f"/staff/insight/wards/{SOUTHFIELDS}"))
    assert "Very high –" in page and "Low –" in page  # one hidden band would be the total minus the rest
    assert "Get a device:" not in page  # 6 of 7: the one without it would be known


def test_a_ward_too_small_to_show_ranks_like_the_borough(people, app):
    anonymous = people(None)
    assess(anonymous, "LE11 3DU", CONFIDENT, 10)
    assess(anonymous, "LE7 7AN", OFFLINE, 1)
    low = ward_row(people("admin@example.org").get("/staff/insight"), "Anstey")
    empty = ward_row(people("admin@example.org").get("/staff/insight"), "Birstall West")
    assert low[4] == empty[4]  # the one very high person in Anstey moves nothing


def test_silly_inputs_do_not_break_the_pages(people, client):
    admin = people("admin@example.org")
    assert admin.get("/staff/insight?year=9999").status_code == 400
    assert admin.get(f"/staff/insight/wards/{SOUTHFIELDS}?year=1999").status_code == 400
    assert admin.get("/staff/insight?year=%C2%B2%C2%B2%C2%B2%C2%B2").status_code == 400
    assert client.get("/find-help?area=E05014676&page=%C2%B2").status_code == 200
