"""/readyz: a load balancer sends traffic only to a service whose database is reachable and migrated to the
code's head, and whose Redis answers when it has one; otherwise 503 naming what failed (issue 12)."""

from __future__ import annotations

import os

import pytest
from helpers import csrf_token
from sqlalchemy import text

from triage.web.app import create_app
from triage.web.extensions import db

PREVIOUS_REVISION = "8116de2b236d"  # 0008_ward_insight, one before the head
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def _app(database_url: str, **settings):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, **settings})


def test_a_migrated_database_is_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    expected = {"status": "ok", "database": "ok", "migrations": "ok"}
    if os.environ.get("REDIS_URL"):
        expected["redis"] = "ok"
    assert response.get_json() == expected


def test_a_database_an_upgrade_behind_is_not_ready_and_says_so(app, client):
    with app.app_context(), db.engine.begin() as connection:
        (head,) = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        connection.execute(text("UPDATE alembic_version SET version_num = :old"), {"old": PREVIOUS_REVISION})
    try:
        response = client.get("/readyz")
    finally:
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error" and body["failed"] == ["migrations"] and body["database"] == "ok"
    assert body["migrations"] == f"not current: the database is at {PREVIOUS_REVISION}, the code at {head}"
    assert client.get("/readyz").status_code == 200  # and ready again once upgraded


def test_a_database_never_migrated_is_not_ready(tmp_path):
    response = _app(f"sqlite:///{tmp_path}/empty.db").test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["migrations"].startswith("not current: the database is at none")


def test_an_unreachable_database_is_not_ready():
    response = _app("postgresql+psycopg://signpost@127.0.0.1:1/signpost").test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failed"] == ["database", "migrations"] and body["database"] == "unreachable"


def test_an_unreachable_redis_is_not_ready_but_sign_in_still_works(app):
    down = _app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=UNREACHABLE_REDIS, SIGN_IN_RATE_LIMIT="3 per minute")
    client = down.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "error",
        "failed": ["redis"],
        "database": "ok",
        "migrations": "ok",
        "redis": "unreachable",
    }
    # Until Redis is back, each worker counts sign-in attempts in its own memory: nobody is shut out.
    token = csrf_token(client, "/staff/sign-in")
    data = {"csrf_token": token, "email": "x@example.org", "password": "wrong password!!"}
    statuses = [client.post("/staff/sign-in", data=data).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.parametrize("configured", ["", "redis://127.0.0.1:6379/0"])
def test_the_rate_limit_is_kept_in_redis_when_redis_url_is_set(app, configured):
    limited = _app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=configured, RATELIMIT_STORAGE_URI="")
    assert limited.config["RATELIMIT_STORAGE_URI"] == (configured or "memory://")
    explicit = _app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=configured, RATELIMIT_STORAGE_URI="memory://")
    assert explicit.config["RATELIMIT_STORAGE_URI"] == "memory://"  # an explicit storage wins
