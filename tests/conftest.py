"""Shared fixtures: one migrated, seeded database per run (SQLite, or PostgreSQL via TEST_DATABASE_URL),
and a test client that checks every HTML page it fetches (helpers.CheckedClient).
"""

from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from helpers import CheckedClient
from sqlalchemy import text

from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.seed import seed_all

MUTABLE_TABLES = ("recommendation", "assessment", "feedback")


def _database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory), "SECRET_KEY": "test-secret"}
    )
    app.test_client_class = CheckedClient
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()  # the same migrations production runs, on the engine under test
        seed_all(app.config["COUNCIL_LAD_CODE"])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Each test starts with no assessments or feedback; the seeded geography and directory stay."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in MUTABLE_TABLES:
                conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
