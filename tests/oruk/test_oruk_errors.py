"""Errors under /oruk/: every one is JSON in the one error format, with the CORS header the feed carries,
because other sites read the feed from their own pages. Errors under /api/ stay JSON too."""

from __future__ import annotations

import pytest
from flask import abort

from triage.web.app import create_app


def assert_json_error(response, status: int, cors: bool = True) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    if cors:
        assert response.headers.get("Access-Control-Allow-Origin") == "*"
    else:
        assert "Access-Control-Allow-Origin" not in response.headers
    error = response.get_json()["error"]
    assert error["status"] == status and error["message"]
    assert set(error) <= {"status", "message", "fields"}
    return error


@pytest.mark.parametrize(
    ("method", "url"),
    [("POST", "/oruk/services"), ("POST", "/oruk/"), ("DELETE", "/oruk/nowhere"), ("PUT", "/oruk/taxonomies/x")],
)
def test_a_method_other_than_get_is_a_json_405_that_says_what_is_allowed(client, method, url):
    response = client.open(url, method=method)
    assert_json_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_an_address_no_route_holds_is_a_json_404(client):
    assert_json_error(client.post("/oruk"), 404)


def test_the_feeds_own_404_and_400_keep_their_messages(client):
    assert "/oruk/" in assert_json_error(client.get("/oruk/nowhere"), 404)["message"]
    assert assert_json_error(client.get("/oruk/services?page=0"), 400)["fields"] == {
        "page": "must be a whole number from 1 to 1000000"
    }


def test_the_redirect_to_the_api_details_is_open_to_other_sites_too(client):
    response = client.get("/oruk")
    assert response.status_code == 308 and response.headers["Location"].endswith("/oruk/")
    assert response.headers.get("Access-Control-Allow-Origin") == "*"


@pytest.mark.parametrize(("url", "cors"), [("/oruk/services", True), ("/api/v1/assessments/AAAA-BBBB-CCCC", False)])
def test_a_fault_is_a_json_500_that_shows_nothing_of_the_fault(tmp_path, url, cors):
    unmigrated = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/empty.db"})
    response = unmigrated.test_client().get(url)
    error = assert_json_error(response, 500, cors)
    assert "resource" not in error["message"] and "sqlite" not in response.get_data(as_text=True).lower()


@pytest.mark.parametrize("status", [400, 403, 413, 429])
def test_any_http_error_raised_under_oruk_is_json_with_cors(tmp_path, status):
    """As a rate limit a council sets for its feed (429), or a proxy's size limit (413), would be."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    app.add_url_rule("/oruk/refused", "refused", lambda: abort(status))
    assert_json_error(app.test_client().get("/oruk/refused"), status)


@pytest.mark.parametrize(
    ("method", "url", "status"), [("GET", "/api/nowhere", 404), ("PUT", "/api/v1/questionnaire", 405)]
)
def test_api_errors_are_json_in_the_same_format_without_cors(client, method, url, status):
    assert_json_error(client.open(url, method=method), status, cors=False)


def test_pages_elsewhere_still_get_html_error_pages(client):
    response = client.get("/orukish")
    assert response.status_code == 404 and response.mimetype == "text/html"
