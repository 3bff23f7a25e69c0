"""Ward insight's help delivered: hours and people helped per ward from the session logs, suppressed across the
wards, and the choice of measuring the provision gap by help delivered instead of listed help."""

from __future__ import annotations

import csv
import io

from bs4 import BeautifulSoup
from helpers import log_session


def rows(response) -> dict[str, dict[str, str]]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    table = page.find("table")
    headers = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")]
    found = {}
    for tr in table.find("tbody").find_all("tr"):
        cells = dict(zip(headers, (td.get_text(" ", strip=True) for td in tr.find_all("td")), strict=True))
        found[cells["Ward"]] = cells
    return found


def test_hours_and_people_helped_per_ward_with_small_ones_hidden(people):
    champion = people("champion@example.org")
    for _ in range(6):
        log_session(champion)  # Loughborough Southfields (LE11 3DU): six walk-ins of 30 minutes
    for _ in range(5):
        log_session(champion, length="60", postcode="LE12 9AN")
    log_session(champion, postcode="LE7 7AN")  # Anstey: one session, hidden
    admin = people("admin@example.org")
    shown = rows(admin.get("/staff/insight"))
    assert shown["Loughborough Southfields"]["Hours of help delivered"] == "3.0"
    assert shown["Loughborough Southfields"]["People helped"] == "6"
    # Anstey's one session is hidden, and the next smallest ward's too, so it cannot be worked back.
    assert shown["Anstey"]["Hours of help delivered"] == "–" and shown["Anstey"]["People helped"] == "–"
    others = {w: r for w, r in shown.items() if r["People helped"] not in ("0", "–")}
    assert set(others) == {"Loughborough Southfields"}
    assert [r["People helped"] for r in shown.values()].count("–") == 2
    assert all(r["Hours of help delivered"] == "0.0" for r in shown.values() if r["People helped"] == "0")
    download = admin.get("/staff/insight?format=csv&gap=delivered")
    by_ward = {r["ward_name"]: r for r in csv.DictReader(io.StringIO(download.get_data(as_text=True)))}
    assert by_ward["Loughborough Southfields"]["hours_of_help_delivered"] == "3.0"
    assert by_ward["Loughborough Southfields"]["people_helped"] == "6"
    assert by_ward["Anstey"]["people_helped"] == "" and by_ward["Anstey"]["provision_gap_measure"] == "delivered"


def test_the_priority_can_measure_the_gap_by_help_delivered(people):
    champion = people("champion@example.org")
    for _ in range(6):
        log_session(champion, length="120")
    admin = people("admin@example.org")
    listed = rows(admin.get("/staff/insight"))["Loughborough Southfields"]
    page = admin.get("/staff/insight?gap=delivered")
    assert page.status_code == 200
    delivered = rows(page)["Loughborough Southfields"]
    text = BeautifulSoup(page.get_data(as_text=True), "html.parser").get_text(" ", strip=True)
    assert "residents aged 65 or over per hour of help Digital Champions logged" in text
    assert 'option value="delivered" selected' in page.get_data(as_text=True)
    # Twelve hours in the ward and none anywhere else: the ward has the smallest gap of all.
    assert delivered["Provision gap"] == "0.0" and delivered["Provision gap"] != listed["Provision gap"]
    assert delivered["Area risk"] == listed["Area risk"]  # each term shown, only the gap changes


def test_an_unknown_measure_is_explained(people):
    response = people("admin@example.org").get("/staff/insight?gap=guesswork")
    assert response.status_code == 400
    assert "Choose listed help or help delivered" in response.get_data(as_text=True)
