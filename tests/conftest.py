"""Shared fixtures: one migrated, seeded database per run (SQLite, or PostgreSQL via TEST_DATABASE_URL),
and a test client that checks every HTML page it fetches (helpers.CheckedClient).
"""

from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from helpers import CHAMPIONS, DROP_IN, OFFLINE, OTHER_ORG, PASSWORD, CheckedClient, csrf_token, refer, sign_in
from sqlalchemy import delete, select, text

from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.models import Organisation, Resource
from triage.web.seed import library_records, sample_records, seed_all

pytest_plugins = ("council_apps",)  # council_app: every shipped council profile, for tests/areas and the browser

WRITE_LIMITS = (
    "SAVE_PLAN_RATE_LIMIT",
    "CONTACT_ME_RATE_LIMIT",
    "CONTACT_ME_PER_PLAN_RATE_LIMIT",
    "FEEDBACK_RATE_LIMIT",
    "FEEDBACK_PER_PLAN_RATE_LIMIT",
    "SEND_PLAN_RATE_LIMIT",
    "SEND_PLAN_PER_PLAN_RATE_LIMIT",
    "BOOKING_RATE_LIMIT",
    "BOOKING_LOOKUP_RATE_LIMIT",
)
MUTABLE_TABLES = (
    "waiting_list_entry",
    "booking_reminder",
    "booking",
    "closure",
    "availability",
    "ward_month_stat",
    "help_tally",
    "help_session",
    "proposal",
    "resource_change",
    "audit_event",
    "follow_up",
    "referral_event",
    "referral",
    "outbox_message",
    "password_reset",
    "sign_in_failure",
    "recommendation",
    "assessment",
    "feedback",
    "staff_user",
)


def _database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "SECRET_KEY": "test-secret",
            "SIGN_IN_RATE_LIMIT": "1000 per minute",  # the limit itself is tested with an app of its own
            # So are the limits on anonymous writes (tests/shell/test_write_limits.py): the suite saves hundreds.
            **dict.fromkeys(WRITE_LIMITS, "100000 per minute"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",  # scrypt costs 0.15 s per account; production keeps it
        }
    )
    app.test_client_class = CheckedClient
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()  # the same migrations production runs, on the engine under test
        seed_all(app.extensions["council"])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app
        db.session.rollback()


def clear_mutable_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in MUTABLE_TABLES:
                conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Each test starts with no assessments or feedback; the seeded geography and directory stay."""
    yield
    if "app" in request.fixturenames:
        clear_mutable_tables(request.getfixturevalue("app"))


@pytest.fixture
def directory_restored(app):
    """For tests that change the directory: afterwards, entries and organisations are as seeded again."""
    yield
    clear_mutable_tables(app)
    with app.app_context():
        seeded = {r["id"] for r in library_records(app.extensions["council"])}
        seeded |= {r["id"] for r in sample_records(app.extensions["council"])}
        for extra in db.session.execute(select(Resource).where(Resource.slug.not_in(seeded))).scalars():
            db.session.delete(extra)
        db.session.commit()
        seed_all(app.extensions["council"])  # puts back every seeded entry, with its organisation
        in_use = select(Resource.organisation_id).where(Resource.organisation_id.is_not(None))
        db.session.execute(
            delete(Organisation).where(Organisation.is_sample.is_(False), Organisation.id.not_in(in_use))
        )
        db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a staff account with a known password: make_user("champion", organisation="...")."""
    from triage.web.accounts.service import create_account
    from triage.web.models import Organisation

    def make(role: str, email: str | None = None, organisation: str | None = None, active: bool = True):
        with app.app_context():
            org = None
            if role in ("champion", "partner"):
                query = db.session.query(Organisation)
                org = (
                    query.filter_by(name=organisation).one()
                    if organisation
                    else query.order_by(Organisation.id).first()
                )
            user = create_account(email or f"{role}@example.org", f"Test {role}", PASSWORD, role, org)
            user.active = active
            db.session.commit()
            return user.email

    return make


@pytest.fixture
def signed_in(client, make_user):
    """A client signed in with a given role: signed_in("admin")."""

    def sign_in_as(role: str, **kwargs):
        email = make_user(role, **kwargs)
        token = csrf_token(client, "/staff/sign-in")
        response = client.post("/staff/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in_as


@pytest.fixture
def people(app, make_user):
    """Accounts for a champion at CHAMPIONS, one at OTHER_ORG, counter staff and an admin; people(email)
    gives a client signed in as that person, people(None) an anonymous one."""
    make_user("champion", email="champion@example.org", organisation=CHAMPIONS)
    make_user("champion", email="other@example.org", organisation=OTHER_ORG)
    make_user("staff", email="staff@example.org")
    make_user("admin", email="admin@example.org")

    def client_for(email: str | None):
        client = app.test_client()
        return sign_in(client, email) if email else client

    return client_for


@pytest.fixture
def plan(people):
    """An offline person's plan near Loughborough Library: its reference, and the drop-in CHAMPIONS run."""
    response = people(None).post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE})
    body = response.get_json()
    drop_in = next(r["resource"] for r in body["recommendations"] if r["resource"]["name"] == DROP_IN)
    return body["reference"], drop_in["id"]


@pytest.fixture
def referral(people, plan):
    """A referral from counter staff to the drop-in; its id."""
    reference, resource_id = plan
    response = refer(people("staff@example.org"), reference, resource_id)
    return int(response.headers["Location"].rsplit("/", 1)[1])
