"""Directory entries rendered once per revision and language (directory/cards.py): a plan and a search
show what they showed before, an edit shows on the next page, and a plan's help costs no query per entry."""

from __future__ import annotations

import re
from datetime import time

import pytest
from bs4 import BeautifulSoup
from helpers import CONFIDENT, OFFLINE, CheckedClient, edit_entry
from sqlalchemy import event, select

from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.models import Availability, Resource
from triage.web.shell.fragments import kept_pieces

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="[^"]*"|nonce="[^"]*"')


def make_plan(client, answers=OFFLINE, postcode="LE11 3DU") -> dict:
    response = client.post("/api/v1/assessments", json={"postcode": postcode, "answers": answers})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def page(client, path: str) -> str:
    """The page as its reader sees it: without the form token and script nonce, which differ each time."""
    response = client.get(path)
    assert response.status_code == 200, path
    return TOKEN.sub("", response.get_data(as_text=True))


def cards(html: str) -> dict[str, str]:
    """Each piece of help on a plan, by its id."""
    soup = BeautifulSoup(html, "html.parser")
    return {card["id"]: " ".join(card.get_text(" ").split()) for card in soup.select("div.signpost-resource")}


def statements(app, client, path: str) -> int:
    """How many SQL statements fetching `path` runs."""
    run = []

    def count(*args) -> None:
        run.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(run)


@pytest.mark.parametrize("version", ["", "/easy-read"])
@pytest.mark.parametrize("language", ["en", "pl", "ur"])
def test_a_plan_is_the_same_whether_its_help_was_kept_or_rendered_afresh(app, client, language, version):
    path = f"/plan/{make_plan(client)['reference']}{version}?lang={language}"
    kept_pieces(app).clear()
    fresh = page(client, path)
    assert page(client, path) == fresh  # now from the kept pieces
    assert len(kept_pieces(app)) > 0


def test_each_language_gets_its_own_pieces(app, client):
    path = f"/plan/{make_plan(client)['reference']}"
    english = cards(page(client, path + "?lang=en"))
    polish = cards(page(client, path + "?lang=pl"))
    assert english.keys() == polish.keys()
    assert all(english[key] != polish[key] for key in english)
    kept_pieces(app).clear()
    assert cards(page(client, path + "?lang=pl")) == polish


def test_search_results_are_the_same_whether_kept_or_rendered_afresh(app, client):
    for path in ("/find-help?postcode=LE11+3DU", "/find-help?area=E05014676&page=2", "/find-help?postcode=LE12+9AN"):
        kept_pieces(app).clear()
        fresh = page(client, path)
        assert page(client, path) == fresh, path


def test_an_edited_entry_shows_on_the_next_plan(app, client, people, directory_restored):
    path = f"/plan/{make_plan(client)['reference']}"
    shown = cards(page(client, path))
    card = next(iter(shown))
    resource_id = int(card.removeprefix("help-"))
    admin = people("admin@example.org")
    response = edit_entry(admin, resource_id, name="Renamed help for the card test", phone="0116 305 0000")
    assert response.status_code == 302
    after = cards(page(client, path))
    assert "Renamed help for the card test" in after[card] and "0116 305 0000" in after[card]
    assert all(after[other] == shown[other] for other in shown if other != card)


def test_an_edited_entry_shows_in_the_next_search(app, client, people, directory_restored):
    path = "/find-help?postcode=LE11+3DU"
    first = BeautifulSoup(page(client, path), "html.parser").select_one("#results ~ ol li h3 a")
    with app.app_context():
        slug = first["href"].rsplit("/", 1)[1]
        resource_id = db.session.execute(select(Resource.id).where(Resource.slug == slug)).scalar_one()
    edit_entry(people("admin@example.org"), resource_id, name="Renamed help for the search test")
    results = BeautifulSoup(page(client, path), "html.parser").select("#results ~ ol li h3 a")
    assert "Renamed help for the search test" in [a.get_text() for a in results]
    assert first.get_text() not in [a.get_text() for a in results]


def test_the_kept_pieces_are_bounded_and_the_page_is_whole_without_room(app, client):
    small = create_app({**app.config, "KEPT_PIECES": 3})
    small.test_client_class = CheckedClient
    path = f"/plan/{make_plan(client)['reference']}"
    roomy = page(client, path)
    cramped = small.test_client()
    assert page(cramped, path) == page(cramped, path) == roomy
    assert len(kept_pieces(small)) == 3


def test_a_plans_help_costs_no_query_per_entry(app, client):
    small, large = make_plan(client, CONFIDENT), make_plan(client)
    assert len(small["recommendations"]) < len(large["recommendations"]) == 10
    for plan in (small, large):
        client.get(f"/plan/{plan['reference']}")  # the directory's revision and matcher index, once
    kept_pieces(app).clear()  # nothing kept: every entry is rendered from the rows the plan loaded
    cold = [statements(app, client, f"/plan/{plan['reference']}") for plan in (small, large)]
    warm = [statements(app, client, f"/plan/{plan['reference']}") for plan in (small, large)]
    assert cold[0] == cold[1] == warm[0] == warm[1]


def test_a_plans_times_to_book_cost_no_query_per_entry(app, client):
    plan = make_plan(client)
    path = f"/plan/{plan['reference']}"
    ids = [rec["resource"]["id"] for rec in plan["recommendations"]]

    def bookable(resource_ids) -> None:
        with app.app_context():
            db.session.add_all(
                Availability(
                    resource_id=resource_id,
                    kind="weekly",
                    mode="phone",
                    weekday=weekday,
                    starts=time(10),
                    ends=time(12),
                    minutes=30,
                    places=1,
                )
                for resource_id in resource_ids
                for weekday in range(5)
            )
            db.session.commit()

    client.get(path)
    bookable(ids[:1])
    one = statements(app, client, path)
    bookable(ids[1:])
    every = statements(app, client, path)
    assert one == every
    shown = page(client, path)
    assert shown.count("Book a time") == shown.count('<div class="signpost-resource" ') > 1
