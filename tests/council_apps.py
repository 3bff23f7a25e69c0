"""Every shipped council profile as an app of its own, each in a database of its own, migrated and seeded once
for the session (`council_app`, parametrised over PROFILES), for the client tests in tests/areas and the browser
tests in tests/browser. Loaded as a pytest plugin by tests/conftest.py."""

from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from helpers import CheckedClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from triage.web.accounts.service import create_account
from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.seed import seed_all

PROFILES = ("charnwood", "cheshire-east", "maidstone", "leicestershire")
ADMIN = "officer@example.org"
PASSWORD = "a long test password for every council"


def _database(name: str, tmp_path_factory) -> str:
    """A database of the council's own: a new one beside TEST_DATABASE_URL on PostgreSQL, else SQLite."""
    given = os.environ.get("TEST_DATABASE_URL")
    if not given:
        return f"sqlite:///{tmp_path_factory.mktemp(name) / 'council.db'}"
    url = make_url(given)
    own = f"{url.database}_{name.replace('-', '_')}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{own}"'))
        connection.execute(text(f'CREATE DATABASE "{own}"'))
    server.dispose()
    return url.set(database=own).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=PROFILES)
def council_app(request, tmp_path_factory):
    name = request.param
    app = create_app(
        {
            "TESTING": True,
            "COUNCIL": name,
            "SQLALCHEMY_DATABASE_URI": _database(name, tmp_path_factory),
            "SECRET_KEY": "test-secret",
            "SIGN_IN_RATE_LIMIT": "1000 per minute",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        }
    )
    app.test_client_class = CheckedClient
    with app.app_context():
        upgrade()
        seed_all(app.extensions["council"])
        create_account(ADMIN, "Test officer", PASSWORD, "admin", None)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
