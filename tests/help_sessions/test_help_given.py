"""The "Help given" page: officers see every organisation's figures, champions their own organisation's, with
small counts hidden and a date range."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from helpers import log_session

from triage.web.help_sessions.service import today


def table(response, caption: str) -> list[list[str]]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    found = next(t for t in page.find_all("table") if t.caption.get_text(strip=True) == caption)
    return [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])] for row in found.tbody.find_all("tr")]


def test_figures_are_counted_from_the_logs_and_small_ones_hidden(people):
    champion = people("champion@example.org")
    for _ in range(6):
        log_session(champion)  # six one-to-one walk-ins of 30 minutes, a SIM each
    log_session(champion, kind="group", headcount="8", length="60", given=[], first_visit="no")
    log_session(people("other@example.org"), length="90")  # another organisation's: one session
    everyone = people("admin@example.org").get("/staff/help-given")
    assert table(everyone, "In all") == [["All sessions", "15", "8", "5.5", "7", "7", "0", "0"]]
    by_org = {row[0]: row[1:4] for row in table(everyone, "By organisation")}
    # The other organisation's one person is hidden, and so is ours, or the total would give it away.
    assert by_org == {"Charnwood Digital Champions": ["Not shown"] * 3, "Sample training provider": ["Not shown"] * 3}
    own = people("champion@example.org").get("/staff/help-given")
    assert table(own, "In all") == [["All sessions", "14", "7", "4.0", "6", "6", "0", "0"]]


def test_the_date_range_chooses_the_sessions(people):
    log_session(people("champion@example.org"))
    day = today().isoformat()
    admin = people("admin@example.org")
    assert table(admin.get(f"/staff/help-given?from={day}&to={day}"), "In all")[0][2] == "Not shown"
    page = admin.get("/staff/help-given?from=2000-01-01&to=2000-01-02").get_data(as_text=True)
    assert "No sessions were logged in these dates" in page
    bad = admin.get("/staff/help-given?from=yesterday")
    assert bad.status_code == 400 and "Enter a date like 2026-04-01" in bad.get_data(as_text=True)
    summary = BeautifulSoup(bad.get_data(as_text=True), "html.parser").select_one(".govuk-error-summary")
    assert summary is not None and summary.select_one('a[href="#from"]').get_text() == "Enter a date like 2026-04-01"


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin@example.org", 200), ("champion@example.org", 200), ("staff@example.org", 403), (None, 302)],
)
def test_who_reads_the_figures(people, who, status):
    assert people(who).get("/staff/help-given").status_code == status


def test_partners_do_not_read_the_figures(signed_in):
    assert signed_in("partner").get("/staff/help-given").status_code == 403
