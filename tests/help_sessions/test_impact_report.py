"""The impact report: officers see every organisation's work, a champion their own organisation's, with reach,
Supported / Connected / Upskilled, distance travelled, referrals, satisfaction and active champions, small counts
hidden, as a page with charts and tables and as a CSV that a spreadsheet cannot run."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from helpers import AFTER_SUPPORT, OFFLINE, csrf_token, log_session, record_follow_up, refer, sign_in, start_support

from triage.core.impact import highest_risk
from triage.web.extensions import db
from triage.web.help_sessions.service import today
from triage.web.insight.area_data import ward_risks
from triage.web.models import Organisation


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def summary(response) -> dict[str, str]:
    rows = page(response).find("dl").find_all(class_="govuk-summary-list__row")
    return {row.dt.get_text(" ", strip=True): row.dd.get_text(" ", strip=True) for row in rows}


def table(response, caption: str) -> dict[str, list[str]]:
    found = next(t for t in page(response).find_all("table") if t.caption.get_text(strip=True) == caption)
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in found.tbody.find_all("tr")]
    return {row[0]: row[1:] for row in rows}


def figures(response) -> dict[tuple[str, str], str]:
    return {
        (r["section"], r["figure"]): r["value"] for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    }


@pytest.fixture
def helped(people):
    """Six walk-ins helped by our champion (30 minutes, a SIM each, in Loughborough Southfields), and one by the
    other organisation's."""
    champion = people("champion@example.org")
    for _ in range(6):
        log_session(champion)
    log_session(people("other@example.org"), length="90", given=[], independence="on_own")
    return people


def test_officers_see_every_organisations_reach_and_outcomes(helped):
    admin = helped("admin@example.org")
    response = admin.get("/staff/impact")
    assert response.status_code == 200
    reach = summary(response)
    assert reach["People helped"] == "7" and reach["Sessions"] == "7" and reach["Hours of help"] == "4.5"
    assert reach["Wards reached"] == "1"
    outcomes = table(response, "People supported, connected and upskilled")
    assert outcomes == {"Supported": ["7"], "Connected": ["6"], "Upskilled": ["Not shown"]}  # one did it alone
    assert "Every organisation" in page(response).find(class_="govuk-caption-l").get_text()
    text = page(response).get_text(" ", strip=True)
    assert "People given a data SIM, a loaned or gifted device, or a switch to a social tariff" in text
    charts = page(response).find_all("svg", attrs={"role": "img"})
    assert len(charts) == 5  # outcomes, referrals, people and champions by month, satisfaction
    assert all(chart.find_next_sibling() is None for chart in charts)  # each alone in its box, its table next


def test_a_champion_sees_only_their_organisations_work(helped):
    response = helped("champion@example.org").get("/staff/impact")
    reach = summary(response)
    assert (reach["People helped"], reach["Sessions"], reach["Hours of help"]) == ("6", "6", "3.0")
    champions = table(response, "Active Digital Champions, by month")
    this_month = today().strftime("%B %Y")
    assert champions[this_month] == ["1"] and all(n == ["0"] for m, n in champions.items() if m != this_month)
    assert "Charnwood Digital Champions" in page(response).find(class_="govuk-caption-l").get_text()
    assert "only council officers see it" in page(response).get_text()
    assert len(page(response).find_all("svg", attrs={"role": "img"})) == 4  # no satisfaction chart


def test_the_share_helped_in_the_highest_risk_wards(people, app):
    champion = people("champion@example.org")
    for _ in range(6):
        log_session(champion)  # Loughborough Southfields, E05014676
    for _ in range(5):
        log_session(champion, postcode="LE12 9AN")  # E05014682
    with app.app_context():
        top = highest_risk({code: risk.score for code, risk in ward_risks().items()})
    in_top = 6 * ("E05014676" in top) + 5 * ("E05014682" in top)
    shown = summary(people("admin@example.org").get("/staff/impact"))
    assert shown["Wards reached"] == "2"
    # 11 people: the share is shown only when those in the top wards and the others are both 5 or more.
    expected = "Not shown" if in_top in (0, 11) else f"{in_top} ({100 * in_top / 11:.0f}%)"
    assert shown["People helped who live in the 5 highest-risk wards"] == expected


def test_distance_travelled_referrals_and_satisfaction(people, plan):
    _, drop_in = plan
    staff, champion = people("staff@example.org"), people("champion@example.org")
    anonymous = people(None)
    referrals, references = [], []
    for _ in range(5):
        body = anonymous.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()
        references.append(body["reference"])
        response = refer(staff, body["reference"], drop_in)
        referrals.append(int(response.headers["Location"].rsplit("/", 1)[1]))
    for referral_id in referrals:
        start_support(champion, referral_id)
        assert record_follow_up(champion, referral_id, AFTER_SUPPORT).status_code == 302
    for mine, rating in zip(references, ["very_satisfied"] * 4 + ["satisfied"], strict=True):
        _feedback(anonymous, mine, rating)
    admin = people("admin@example.org")
    response = admin.get("/staff/impact")
    assert "5 people followed up" in page(response).get_text(" ", strip=True)
    progress = table(response, "Average scores before and after, by area")
    before, after, better = progress["Digital skills"]
    assert float(after) < float(before) and better == "5 (100%)"
    outcomes = table(response, "Referrals by where they are now")
    assert outcomes["Support started"] == ["5"] and outcomes["Sent"] == ["0"]
    assert outcomes["Completed"] == ["0"]
    assert table(response, "How people felt about the service")["Very satisfied"] == ["Not shown"]
    assert "100% were very satisfied or satisfied, of 5 answers" in page(response).get_text(" ", strip=True)
    own = champion.get("/staff/impact")
    assert "5 people followed up" in page(own).get_text(" ", strip=True)
    other = people("other@example.org").get("/staff/impact")
    assert "0 people followed up" in page(other).get_text(" ", strip=True)
    assert table(other, "Referrals by where they are now")["Support started"] == ["0"]


def _feedback(client, reference, rating):
    token = csrf_token(client, f"/plan/{reference}")
    client.post(f"/plan/{reference}/feedback", data={"csrf_token": token, "rating": rating, "comment": ""})


def test_the_csv_has_every_figure_hidden_like_the_page(helped):
    response = helped("admin@example.org").get("/staff/impact?format=csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    shown = figures(response)
    assert shown[("reach", "people_helped")] == "7" and shown[("reach", "hours")] == "4.5"
    assert shown[("good_things_foundation", "connected")] == "6"
    assert shown[("good_things_foundation", "upskilled")] == ""  # hidden, as on the page
    assert shown[("distance_travelled", "people_followed_up")] == "0"
    assert shown[("report", "organisation")] == "Every organisation"


def test_a_name_in_the_csv_cannot_run_as_a_formula(app, make_user, client):
    with app.app_context():
        db.session.add(Organisation(name='=HYPERLINK("http://example.com")'))
        db.session.commit()
    make_user("champion", email="formula@example.org", organisation='=HYPERLINK("http://example.com")')
    shown = figures(sign_in(client, "formula@example.org").get("/staff/impact?format=csv"))
    assert shown[("report", "organisation")] == '\'=HYPERLINK("http://example.com")'


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=yesterday", "Enter a date like 2026-04-01"),
        ("from=2026-05-02&to=2026-05-01", "The end date must be the same as or after the start date"),
        ("from=0001-01-01&to=9999-12-31", "Choose dates no more than 10 years apart"),
    ],
)
def test_bad_dates_are_explained(people, query, message):
    response = people("admin@example.org").get(f"/staff/impact?{query}")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert people("admin@example.org").get(f"/staff/impact?{query}&format=csv").mimetype == "text/html"


@pytest.mark.parametrize("dates", ["from=2000-01-01&to=2000-01-02", "from=9999-01-01&to=9999-12-31"])
def test_dates_without_help_show_nothing_helped_and_nothing_breaks(people, dates):
    response = people("admin@example.org").get(f"/staff/impact?{dates}")
    assert response.status_code == 200
    assert summary(response)["People helped"] == "0"


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin@example.org", 200), ("champion@example.org", 200), ("staff@example.org", 403), (None, 302)],
)
@pytest.mark.parametrize("path", ["/staff/impact", "/staff/impact?format=csv"])
def test_who_reads_the_impact_report(people, who, status, path):
    assert people(who).get(path).status_code == status


def test_partners_do_not_read_the_impact_report(signed_in):
    assert signed_in("partner").get("/staff/impact").status_code == 403


def test_the_print_layout_leaves_out_the_form_and_is_linked_from_home(people):
    admin = people("admin@example.org")
    report = page(admin.get("/staff/impact"))
    assert "signpost-no-print" in report.find("form", attrs={"method": "get"})["class"]
    assert report.find(class_="signpost-report").find("h1").get_text(strip=True).startswith("Impact report")
    assert page(admin.get("/staff/")).find("a", href="/staff/impact") is not None
