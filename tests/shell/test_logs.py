"""Structured logs: a JSON line with the request's id, method and path, never a query string or a plan
reference; the id is echoed to the browser; plain HTTP from another machine is warned of once (issue 12)."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from triage.core.reference import ALPHABET, LENGTH, format_reference
from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.shell.logs import JsonFormatter, RequestContext, loggable_path
from triage.web.shell.security import PLAIN_HTTP_WARNING

REFERENCE = "K7QM-3XHP-RT9W"
AFAR = {"REMOTE_ADDR": "203.0.113.9"}


def _app(app, **settings):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **settings})


def test_every_response_carries_a_new_request_id(client):
    first, second = client.get("/healthz"), client.get("/")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-Id"])
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]


def test_a_proxys_request_id_is_kept_only_behind_a_proxy_and_only_when_it_is_an_id(app, client):
    assert client.get("/healthz", headers={"X-Request-Id": "from-anyone"}).headers["X-Request-Id"] != "from-anyone"
    behind = _app(app, PROXY_COUNT=1).test_client()
    assert behind.get("/healthz", headers={"X-Request-Id": "abc-123"}).headers["X-Request-Id"] == "abc-123"
    forged = behind.get("/healthz", headers={"X-Request-Id": 'x" "level": "CRITICAL'}).headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def logged(app, path: str):
    """The response to `path` and the JSON lines the service logged while answering it."""
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContext())
    logger = logging.getLogger("triage")
    logger.addHandler(handler)
    try:
        response = app.test_client().get(path)
    finally:
        logger.removeHandler(handler)
    return response, lines.getvalue()


def test_an_error_is_one_json_line_with_the_request_and_no_personal_data(app):
    failing = _app(app)

    @failing.get("/plan/<reference>/boom")
    def boom(reference):
        raise RuntimeError("deliberate")

    response, log = logged(failing, f"/plan/{REFERENCE}/boom?postcode=LE11+3DU")
    assert response.status_code == 500
    (entry,) = [json.loads(line) for line in log.splitlines()]
    assert entry["level"] == "ERROR" and entry["logger"] == "triage.web.shell.errors"
    assert entry["request_id"] == response.headers["X-Request-Id"]
    assert (entry["method"], entry["path"]) == ("GET", "/plan/<reference>/boom")
    assert "RuntimeError: deliberate" in entry["exception"] and entry["time"].endswith("+00:00")
    assert REFERENCE not in log and "LE11" not in log


PERSONAL = {"name": "Alice Zebedee", "phone": "07700 900111", "email": "alice@example.org"}


def test_a_database_error_is_logged_without_the_values_it_was_saving(app):
    failing = _app(app)

    @failing.get("/plan/<reference>/save")
    def save(reference):
        db.session.execute(
            text("INSERT INTO no_such_table (name, phone, email, ref) VALUES (:name, :phone, :email, :reference)"),
            {**PERSONAL, "reference": reference},
        )

    response, log = logged(failing, f"/plan/{REFERENCE}/save")
    assert response.status_code == 500
    (entry,) = [json.loads(line) for line in log.splitlines()]
    assert "no_such_table" in entry["exception"]  # the error itself is there, to be found and fixed
    for value in (*PERSONAL.values(), REFERENCE):
        assert value not in log


@given(st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH), st.sampled_from(["", "/easy-read", "/print"]))
def test_a_plan_reference_in_any_path_is_masked_however_it_is_typed(raw, rest):
    for typed in (format_reference(raw), raw.lower()):
        for prefix in ("/plan/", "/staff/plans/", "/api/v1/assessments/", "/staff/erase/"):
            assert loggable_path(prefix + typed + rest) == f"{prefix}<reference>{rest}"


def test_paths_without_a_reference_are_logged_as_they_are(app):
    for rule in app.url_map.iter_rules():
        if "<" not in rule.rule:
            assert loggable_path(rule.rule) == rule.rule


@pytest.mark.parametrize(
    ("environ", "scheme", "warned"),
    [
        (AFAR, "http", True),  # another machine, plain HTTP: the proxy is not trusted or not there
        ({}, "http", False),  # the test client's own address is loopback, as a proxy on the same machine is
        (AFAR, "https", False),
    ],
)
def test_plain_http_from_another_machine_is_warned_of_once_per_process(app, caplog, environ, scheme, warned):
    client = _app(app).test_client()
    with caplog.at_level(logging.WARNING, logger="triage.web.shell.security"):
        for _ in range(3):
            client.get("/healthz", environ_base=environ, base_url=f"{scheme}://localhost")
    assert [r.getMessage() for r in caplog.records if r.name == "triage.web.shell.security"] == (
        [PLAIN_HTTP_WARNING] if warned else []
    )
    if warned:
        assert "FORCE_HTTPS=1" in PLAIN_HTTP_WARNING and "PROXY_COUNT" in PLAIN_HTTP_WARNING
