"""The public "find help near you" pages: search by postcode or area, filters, distance order, a page each."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from helpers import page_text
from sqlalchemy import event

from triage.web.directory.find_help import PER_PAGE
from triage.web.extensions import db
from triage.web.models import Resource


def results(response) -> list[tuple[str, str]]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [(li.h3.get_text(strip=True), " ".join(li.p.get_text(" ").split())) for li in page.select("ol > li")]


def all_results(client, query: str) -> list[tuple[str, str]]:
    """Every result, following the pages."""
    found, page = [], 1
    while True:
        response = client.get(f"/find-help?{query}&page={page}")
        found += results(response)
        if 'rel="next"' not in response.get_data(as_text=True):
            return found
        page += 1


def km(line: str) -> float | None:
    match = re.search(r"(\d+(?:\.\d+)?) (km|metres) away", line)
    if not match:
        return None
    return float(match[1]) / (1000 if match[2] == "metres" else 1)


def test_search_by_postcode_lists_nearest_first_then_wide_coverage(client):
    response = client.get("/find-help?postcode=le113du")
    assert response.status_code == 200
    found = all_results(client, "postcode=le113du")
    assert f"{len(found)} results for LE11 3DU" in page_text(response)
    assert len(results(response)) == 20 and "Showing 1 to 20, nearest first" in page_text(response)
    distances = [km(line) for _, line in found]
    placed = [d for d in distances if d is not None]
    assert placed == sorted(placed) and placed[0] < 0.5
    first_wide = next(i for i, d in enumerate(distances) if d is None)
    assert all(d is None for d in distances[first_wide:])  # borough and national help comes after placed help
    assert any("available anywhere in the country" in line for _, line in found)
    assert any("for anyone in Charnwood" in line for _, line in found)  # its district by name, not "the borough"


def test_search_by_area_and_filters(client):
    everything = all_results(client, "area=E05014676")
    libraries = all_results(client, "area=E05014676&kind=library")
    assert libraries and all("Library ·" in line for _, line in libraries) and len(libraries) < len(everything)
    free = all_results(client, "area=E05014676&free=yes")
    assert free and all("· Free" in line for _, line in free)
    polish = all_results(client, "area=E05014676&language=pl")
    assert 0 < len(polish) < len(everything)


def test_search_for_one_kind_of_need_as_a_plan_links_to(client, app):
    found = all_results(client, "area=E05014676&need=literacy")
    with app.app_context():
        serving = {r.name for r in db.session.query(Resource) if "literacy" in r.needs and r.status == "active"}
    assert found and {name for name, _ in found} <= serving
    assert len(all_results(client, "area=E05014676&need=nonsense")) == len(all_results(client, "area=E05014676"))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("postcode=hello", "Enter a real postcode, like LE11 3DU"),
        ("postcode=SW1A+1AA", "That postcode is outside the area this service covers. Choose an area instead"),
        ("area=E05999999", "Choose an area from the list"),
    ],
)
def test_bad_searches_are_explained(client, query, message):
    response = client.get(f"/find-help?{query}")
    assert response.status_code == 400
    assert message in page_text(response)


def test_unknown_filter_values_and_pages_are_ignored_not_fatal(client):
    assert client.get("/find-help?area=E05014676&kind=pub&language=xx&access=lift&free=maybe").status_code == 200
    first = results(client.get("/find-help?area=E05014676"))
    assert results(client.get("/find-help?area=E05014676&page=abc")) == first
    last = results(client.get("/find-help?area=E05014676&page=9999"))
    assert last and last != first  # a page after the last shows the last


def test_each_piece_of_help_has_a_page_and_sample_data_says_so(client):
    links = {}
    for kind in ("library", "digital_champion"):
        found = client.get(f"/find-help?postcode=LE11+3DU&kind={kind}").get_data(as_text=True)
        links |= {a.get_text(strip=True): a["href"] for a in BeautifulSoup(found, "html.parser").select("ol h3 a")}
    library = page_text(client.get(links["Loughborough Library"]))
    assert "Granby Street" in library and "This is sample data" not in library
    sample = next(href for name, href in links.items() if "Digital Champion drop-in" in name)
    assert "This is sample data for testing" in page_text(client.get(sample))
    assert client.get("/help/no-such-help").status_code == 404


@pytest.mark.parametrize("query", ["postcode=LE11+3DU", "area=E05014676&page=2", "area=E05014676&page=9999"])
def test_a_search_loads_only_the_entries_on_the_page_it_shows(client, app, query):
    """The matcher's index holds what the search needs; only the page shown comes from the database."""
    client.get(f"/find-help?{query}")  # the index is built once per directory revision, not per search
    loaded = []

    def count(target, context) -> None:
        loaded.append(target.id)

    event.listen(Resource, "load", count)
    try:
        response = client.get(f"/find-help?{query}")
    finally:
        event.remove(Resource, "load", count)
    shown = results(response)
    with app.app_context():
        active = db.session.query(Resource).filter_by(status="active").count()
    assert shown and active > PER_PAGE  # a page that holds less than the directory
    assert len(loaded) == len(shown) <= PER_PAGE
