"""Bookings from one address are rate-limited (BOOKING_RATE_LIMIT, bookings made), and so is every try at finding a
booking (BOOKING_LOOKUP_RATE_LIMIT, found or not), with a 429; staff are never limited."""

from __future__ import annotations

import secrets

import pytest
from helpers import CheckedClient, csrf_token, page_text
from test_booking import book, made, publish_session

from triage.web.app import create_app
from triage.web.extensions import limiter

ATTEMPTS = 1000


@pytest.fixture
def limited(app):
    def make(**limits: str):
        made_app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SIGN_IN_RATE_LIMIT": "1000 per minute",
                "SECRET_KEY": secrets.token_hex(16),
                "BOOKING_RATE_LIMIT": "1000 per minute",
                "BOOKING_LOOKUP_RATE_LIMIT": "1000 per minute",
                **limits,
            }
        )
        made_app.test_client_class = CheckedClient
        limiter._storage_dead = False
        return made_app

    return make


def test_a_thousand_bookings_from_one_address_are_stopped_at_the_limit(app, people, plan, limited):
    reference, resource_id = plan
    publish_session(people("champion@example.org"), resource_id, places=100)
    own = limited(BOOKING_RATE_LIMIT="5 per minute")
    client = own.test_client()
    for attempt in range(ATTEMPTS):  # noqa: B007  (how many went through, after the loop)
        response = book(client, reference, resource_id)
        if response.status_code == 429:
            break
        assert response.status_code == 302
    assert attempt == 5 and len(made(app)) == 5
    assert "Sorry, please wait before you try again" in page_text(response)


def test_finding_bookings_is_limited_whether_found_or_not(app, limited):
    own = limited(BOOKING_LOOKUP_RATE_LIMIT="3 per minute")
    client = own.test_client()
    token = csrf_token(client, "/bookings")
    codes = [
        client.post("/bookings", data={"csrf_token": token, "reference": "K7QM-3XHP-RT9W", "contact": ""}).status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]
    refused = client.post("/bookings/K7QM-3XHP-RT9W", data={"csrf_token": token, "reference": "K7QM-3XHP-RT9W"})
    assert refused.status_code == 429 and "Go back to your plan" not in page_text(refused)
