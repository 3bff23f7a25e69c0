"""Pages every public service needs, the health check, error pages and the security headers."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from helpers import answer, page_text

from triage.web.app import create_app


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accessibility", "Accessibility statement"),
        ("/privacy", "Privacy"),
        ("/cookies", "Cookies"),
        ("/how-we-suggest-help", "How we suggest help"),
        ("/find-your-plan", "Find your plan"),
    ],
)
def test_public_pages_render(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    h1 = BeautifulSoup(response.get_data(as_text=True), "html.parser").h1.get_text(strip=True)
    assert h1.startswith(heading)


def test_privacy_notice_says_what_is_kept_and_for_how_long(client):
    text = client.get("/privacy").get_data(as_text=True)
    assert "postcode" in text and "3 years" in text


def test_cookies_page_names_the_only_cookie(client):
    assert "signpost_session" in client.get("/cookies").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/cookies", "/privacy"])
def test_the_cookie_pages_say_what_the_service_does_with_answers_in_progress(client, app, path):
    """The time they give is the one the server keeps answers for, and the cookie ends with the browser."""
    hours = app.config["ANSWERS_KEPT_SECONDS"] / 3600
    text = page_text(client.get(path))
    assert f"{hours:g} hours" in text and "close your browser" in text
    if path == "/cookies":
        assert "When you close your browser" in text and "only the first part, such as LE11 3" in text


def test_how_we_score_shows_the_published_points(client):
    text = BeautifulSoup(client.get("/how-we-suggest-help").get_data(as_text=True), "html.parser").get_text(" ")
    assert "Phone for calls and texts only 8" in re.sub(r"\s+", " ", text)


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "'nonce-" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/staff/exports?kind=referrals",
        "/staff/exports?kind=referral-history",
        "/staff/insight?format=csv",
        "/staff/insight/wards/E05014666?format=csv&table=months",
        "/staff/directory/export.csv",
    ],
)
def test_csv_downloads_are_never_kept_by_the_browser(people, path):
    """They hold plans, referrals and the directory: a shared office computer must not keep a copy."""
    response = people("admin@example.org").get(path)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_secure_httponly_and_lax(client):
    response = client.get("/questions/who_for")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("signpost_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def session_cookies(response) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith("signpost_session=")]


def test_a_residents_session_cookie_ends_with_the_browser(client):
    """No expiry date, so closing the browser forgets it, as the privacy notice and cookies page say."""
    sent = session_cookies(client.get("/questions/who_for")) + session_cookies(answer(client, "who_for", "me"))
    sent += session_cookies(answer(client, "postcode", "LE11 3DU"))
    assert len(sent) == 3
    assert not [c for c in sent if "expires=" in c.lower() or "max-age=" in c.lower()]


def test_the_session_cookie_is_sent_again_only_when_the_session_changes(client):
    assert client.get("/questions/who_for").headers.getlist("Set-Cookie")  # the form token starts a session
    assert not client.get("/questions/who_for").headers.getlist("Set-Cookie")  # reading a page changes nothing
    answered = answer(client, "who_for", "me")
    assert answered.status_code == 302 and answered.headers.getlist("Set-Cookie")


def test_not_found_page_is_in_the_service_style(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_unexpected_errors_show_a_kind_500_page(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("deliberate")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    assert "deliberate" not in response.get_data(as_text=True)


def test_static_assets_are_served_and_cacheable(client):
    response = client.get("/assets/signpost.css")
    assert response.status_code == 200
    assert "Cache-Control" not in response.headers or "no-store" not in response.headers["Cache-Control"]
    assert "GDS Transport" not in response.get_data(as_text=True)  # GOV.UK's font belongs to GOV.UK
    response.close()
