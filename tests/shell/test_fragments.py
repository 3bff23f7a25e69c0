"""Parts of pages rendered once and shared (triage.web.shell.fragments): everyone sees the page meant for
them, in their language and wording, with their own answers, form token and nonce, whoever came first."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from flask import flash
from flask_babel import force_locale, gettext
from helpers import answer, csrf_token, sign_in

from triage.web.shell.fragments import kept_pieces, same_page_for_everyone


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def at_devices(client, who_for: str = "me"):
    """A client whose journey has reached the devices question."""
    answer(client, "who_for", who_for)
    answer(client, "postcode", "LE11 3DU")
    return client


def answer_who_for(client):
    answer(client, "who_for", "me")
    return client


def ticked(response) -> list[str]:
    return [box["value"] for box in soup(response).find_all("input", attrs={"name": "answer", "checked": True})]


def legend(response) -> str:
    return soup(response).find("legend").get_text(strip=True)


def active_menu_item(response) -> str:
    return soup(response).find(class_="govuk-service-navigation__item--active").get_text(strip=True)


def test_each_person_sees_only_their_own_answers(app):
    before = at_devices(app.test_client())
    assert ticked(before.get("/questions/devices")) == []
    someone = at_devices(app.test_client())
    answer(someone, "devices", ["smartphone", "tablet"])
    assert ticked(someone.get("/questions/devices")) == ["smartphone", "tablet"]
    after = at_devices(app.test_client())
    assert ticked(after.get("/questions/devices")) == []


def test_an_error_is_shown_only_to_the_person_who_made_it(app):
    someone = at_devices(app.test_client())
    mistake = answer(someone, "devices", [])
    assert mistake.status_code == 200
    assert soup(mistake).find(class_="govuk-error-message")
    assert not soup(at_devices(app.test_client()).get("/questions/devices")).find(class_="govuk-error-message")


def test_a_question_is_worded_for_who_it_is_about(app):
    pages = {who: at_devices(app.test_client(), who).get("/questions/devices") for who in ("me", "someone_i_help")}
    with app.test_request_context():
        assert legend(pages["me"]) == gettext("Which of these do you have that works?")
        assert legend(pages["someone_i_help"]) == gettext("Which of these do they have that works?")
    assert legend(at_devices(app.test_client()).get("/questions/devices")) == legend(pages["me"])


BUTTON = {"/": "Start now", "/questions/devices": "Continue"}


@pytest.mark.parametrize("path", list(BUTTON))
def test_each_language_gets_its_own_page(app, path):
    english, polish = at_devices(app.test_client()), at_devices(app.test_client())
    polish.get("/?lang=pl")
    pages = {"en": english.get(path), "pl": polish.get(path)}
    for code, page in pages.items():
        with app.test_request_context(), force_locale(code):
            menu, button = gettext("Menu"), gettext(BUTTON[path])
        html = soup(page)
        assert html.html["lang"] == code
        assert html.find(class_="govuk-service-navigation__toggle").get_text(strip=True) == menu
        assert html.find(class_="govuk-button").get_text(strip=True) == button


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("path", list(BUTTON))
def test_a_page_made_from_kept_parts_is_the_page_made_afresh(app, path, language):
    client = at_devices(app.test_client())
    client.get(f"/?lang={language}")
    kept_pieces(app).clear()
    afresh, kept = client.get(path), client.get(path)
    assert kept.get_data() == afresh.get_data().replace(nonce(afresh).encode(), nonce(kept).encode())


def test_each_page_marks_its_own_place_in_the_menu(client):
    with client.application.test_request_context():
        start, find_plan = gettext("Start"), gettext("Find your plan")
    assert active_menu_item(client.get("/")) == start
    assert active_menu_item(client.get("/find-your-plan")) == find_plan
    assert active_menu_item(client.get("/")) == start


def test_staff_see_the_menu_their_role_allows_on_every_page(app, make_user):
    make_user("admin", email="admin@example.org")
    make_user("champion", email="champion@example.org")
    menus = {}
    for who in (None, "admin@example.org", "champion@example.org", None):
        client = sign_in(app.test_client(), who) if who else app.test_client()
        menus.setdefault(who, []).append(
            [a.get_text(strip=True) for a in soup(client.get("/")).select(".govuk-service-navigation__link")]
        )
    assert menus[None][0] == menus[None][1]
    assert "Staff home" not in menus[None][0]
    assert "Accounts" in menus["admin@example.org"][0]
    assert "Staff home" in menus["champion@example.org"][0]
    assert "Accounts" not in menus["champion@example.org"][0]


def nonce(response) -> str:
    return soup(response).find("script")["nonce"]


def test_form_tokens_and_nonces_are_never_shared(app):
    pages = [at_devices(app.test_client()).get("/questions/devices") for _ in range(2)]
    tokens = [soup(page).find("input", attrs={"name": "csrf_token"})["value"] for page in pages]
    assert tokens[0] != tokens[1]
    assert nonce(pages[0]) != nonce(pages[1])
    for page in pages:
        assert re.search(rf"'nonce-{re.escape(nonce(page))}'", page.headers["Content-Security-Policy"])


def without_an_address(client):
    """A client whose journey has reached the area page, having no fixed address."""
    answer(client, "who_for", "me")
    token = csrf_token(client, "/questions/postcode")
    client.post("/questions/postcode", data={"csrf_token": token, "no_fixed_address": "1"})
    return client


def test_a_postcode_or_area_is_shown_only_to_whoever_gave_it(app):
    def postcode_box(client):
        """What the postcode page shows of a postcode given before: only its sector, never the whole of it."""
        page = soup(client.get("/questions/postcode"))
        assert not page.find("input", attrs={"name": "postcode"}).get("value")
        kept = re.search(r"You gave a postcode starting (\S+ \S)\.", page.get_text(" ", strip=True))
        return kept.group(1) if kept else ""

    def chosen_area(client):
        return [r["value"] for r in soup(client.get("/questions/area")).find_all("input", checked=True)]

    assert postcode_box(answer_who_for(app.test_client())) == ""
    assert postcode_box(at_devices(app.test_client())) == "LE11 3"
    assert postcode_box(answer_who_for(app.test_client())) == ""
    first = without_an_address(app.test_client())
    assert chosen_area(first) == []
    ward = soup(first.get("/questions/area")).find("input", attrs={"name": "area"})["value"]
    answer(first, "area", ward)
    assert chosen_area(first) == [ward]
    assert chosen_area(without_an_address(app.test_client())) == []


def form_token(response) -> str:
    return soup(response).find("input", attrs={"name": "csrf_token"})["value"]


def test_a_kept_page_carries_the_readers_own_form_token(app):
    first, second = at_devices(app.test_client()), at_devices(app.test_client())
    first_page = first.get("/questions/devices")
    second_token = form_token(second.get("/questions/devices"))  # the page the first reader made, kept
    crossed = second.post("/questions/devices", data={"csrf_token": form_token(first_page), "answer": ["smartphone"]})
    assert crossed.status_code == 400
    sent = second.post("/questions/devices", data={"csrf_token": second_token, "answer": ["smartphone"]})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/questions/connection")


def test_a_page_with_no_form_starts_no_session(client):
    for _ in range(2):  # made afresh, then kept
        page = client.get("/")
        assert page.status_code == 200
        assert not page.headers.getlist("Set-Cookie")


def renders(app, path: str, before=None) -> int:
    """How many times a page is rendered when it is asked for twice at `path`."""
    count = 0

    def render() -> str:
        nonlocal count
        count += 1
        return "<p>page</p>"

    kept_pieces(app).clear()
    for _ in range(2):
        with app.test_request_context(path):
            app.preprocess_request()
            if before:
                before()
            assert same_page_for_everyone(render, "a test page") == "<p>page</p>"
    return count


def test_a_whole_page_is_kept_only_when_nothing_on_it_can_differ(app):
    assert renders(app, "/") == 1
    assert renders(app, "/?lang=pl") == 1
    assert renders(app, "/?utm_source=leaflet") == 2  # a query the page does not read: made afresh
    assert renders(app, "/", before=lambda: flash("Your details have been sent")) == 2  # a message to show
    with app.test_request_context("/", method="POST"):
        app.preprocess_request()
        assert same_page_for_everyone(lambda: "<p>sent</p>", "a test page") == "<p>sent</p>"
