"""Sign-in tells no one which emails have accounts, and repeated failures pause one email at one address
instead of locking the account for everyone. Addresses are kept only as keyed hashes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from helpers import PASSWORD, csrf_token, errors
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update

from triage.web.accounts import backoff, service
from triage.web.extensions import db
from triage.web.models import AuditEvent, SignInFailure, StaffUser

WRONG = ["Enter a correct email address and password"]
PAUSED = ["Too many failed attempts. Try again in 15 minutes"]
HERE, THERE = "192.0.2.50", "198.51.100.60"


def attempt(client, email, password="wrong password!!", address=HERE):
    token = csrf_token(client, "/staff/sign-in")
    data = {"csrf_token": token, "email": email, "password": password}
    return client.post("/staff/sign-in", data=data, environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def hash_checks(monkeypatch):
    """Every password hash check sign-in makes, as (stored hash, password typed)."""
    checks: list[tuple[str, str]] = []
    real = service.check_password_hash

    def counted(stored, password):
        checks.append((stored, password))
        return real(stored, password)

    monkeypatch.setattr(service, "check_password_hash", counted)
    return checks


def page(response, email) -> str:
    """The page with what differs only by chance (the form token, the script nonce) and the email typed
    taken out."""
    html = response.get_data(as_text=True).replace(email, "EMAIL")
    html = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "TOKEN", html)
    return re.sub(r'nonce="[^"]+"', "NONCE", html)


def expire_pauses(app) -> None:
    with app.app_context():
        db.session.execute(update(SignInFailure).values(paused_until=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()


def test_unknown_wrong_paused_elsewhere_and_deactivated_get_the_same_page_and_the_same_work(
    app, make_user, client, hash_checks
):
    known, elsewhere, gone = make_user("staff"), make_user("admin"), make_user("partner", active=False)
    for _ in range(6):  # paused at another address
        attempt(app.test_client(), elsewhere, address=THERE)
    hash_checks.clear()
    answers = {email: attempt(client, email) for email in ("nobody@example.org", known, elsewhere, gone)}
    assert {r.status_code for r in answers.values()} == {200}
    assert all(errors(r) == WRONG for r in answers.values())
    assert len({page(r, email) for email, r in answers.items()}) == 1
    assert len(hash_checks) == len(answers)  # one check each, the unknown email's against a stand-in hash
    assert all(password == "wrong password!!" for _, password in hash_checks)


def test_a_pause_is_the_same_for_an_email_with_no_account(app, make_user, client, hash_checks):
    known = make_user("staff")
    for email in ("nobody@example.org", known):
        answers = [attempt(client, email) for _ in range(5)]
        assert [errors(r) for r in answers] == [WRONG] * 4 + [PAUSED]
    hash_checks.clear()
    paused = {email: attempt(client, email, PASSWORD) for email in ("nobody@example.org", known)}
    assert [errors(r) for r in paused.values()] == [PAUSED, PAUSED]  # even the right password waits
    assert len({page(r, email) for email, r in paused.items()}) == 1
    assert len(hash_checks) == 2
    with app.app_context():
        account = db.session.execute(select(StaffUser.id).where(StaffUser.email == known)).scalar_one()
        subjects = db.session.execute(select(AuditEvent.subject).where(AuditEvent.action == "sign-in paused"))
        assert sorted(subjects.scalars()) == [f"account {account}", "an email with no account"]


def test_the_owner_signs_in_from_another_address_while_this_one_is_paused(app, make_user, client):
    email = make_user("champion")
    for _ in range(5):
        attempt(client, email)
    assert errors(attempt(client, email, PASSWORD)) == PAUSED
    owner = app.test_client()
    assert attempt(owner, email, PASSWORD, address=THERE).headers["Location"] == "/staff/"


def test_pauses_double_with_each_further_failure_and_a_success_forgets_them(app, make_user, client):
    email = make_user("staff")
    for _ in range(4):
        attempt(client, email)
    waits = []
    for _ in range(4):
        waits.append(errors(attempt(client, email))[0])
        expire_pauses(app)
    assert waits == [f"Too many failed attempts. Try again in {m} minutes" for m in (15, 30, 60)] + [
        "Too many failed attempts. Try again in 2 hours"
    ]
    assert attempt(client, email, PASSWORD).status_code == 302
    fresh = app.test_client()
    assert [errors(attempt(fresh, email)) for _ in range(4)] == [WRONG] * 4  # counting starts again


def test_a_count_left_alone_for_two_days_starts_again(app, make_user, client):
    email = make_user("staff")
    for _ in range(4):
        attempt(client, email)
    with app.app_context():
        db.session.execute(update(SignInFailure).values(last_failed_at=datetime.now(UTC) - timedelta(days=3)))
        db.session.commit()
    assert errors(attempt(client, email)) == WRONG
    with app.app_context():
        assert db.session.execute(select(SignInFailure.failures)).scalar_one() == 1


def test_only_keyed_hashes_of_the_addresses_are_stored(app, client):
    attempt(client, "Someone@Example.org", address="203.0.113.77")
    with app.app_context():
        row = db.session.execute(select(SignInFailure)).scalar_one()
        stored = " ".join(str(value) for value in (row.email_key, row.address_key))
        assert "203.0.113.77" not in stored and "someone" not in stored.lower()
        assert re.fullmatch(r"[0-9a-f]{64} [0-9a-f]{64}", stored)
    other_key = app.config["SECRET_KEY"] + "!"
    with app.app_context():
        keys = backoff._pair("someone@example.org", "203.0.113.77")
        assert keys == (row.email_key, row.address_key)  # the same address again finds its count
        app.config["SECRET_KEY"] = other_key
        try:
            assert backoff._pair("someone@example.org", "203.0.113.77") != keys  # keyed: no key, no match
        finally:
            app.config["SECRET_KEY"] = other_key[:-1]


def test_retention_forgets_old_counts(app, client, runner):
    attempt(client, "a@example.org")
    attempt(client, "b@example.org")
    with app.app_context():
        db.session.execute(
            update(SignInFailure)
            .where(SignInFailure.id == db.session.execute(select(SignInFailure.id)).scalars().first())
            .values(last_failed_at=datetime.now(UTC) - timedelta(days=3))
        )
        db.session.commit()
    result = runner.invoke(args=["apply-retention"])
    assert "Forgot 1 old sign-in record" in result.output
    with app.app_context():
        assert db.session.query(SignInFailure).count() == 1


@given(failures=st.integers(min_value=0, max_value=10_000))
def test_pauses_only_grow_and_never_pass_the_longest(failures):
    config = {"SIGN_IN_MAX_FAILURES": 5, "SIGN_IN_LOCK_MINUTES": 15, "SIGN_IN_LOCK_MAX_MINUTES": 24 * 60}
    now, after = backoff.pause_length(failures, config), backoff.pause_length(failures + 1, config)
    if failures < 5:
        assert now is None
    else:
        assert now is not None and after is not None
        assert timedelta(minutes=15) <= now <= after <= timedelta(days=1)
