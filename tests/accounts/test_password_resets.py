"""An officer resets someone's password: every session of theirs ends at once, the old password stops
working, and a one-time link, shown once, lets them choose a new one and sign in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers import PASSWORD, SERVICE_PROBLEM, audit_log_failing, csrf_token, errors, page_text
from sqlalchemy import select, update

from triage.core.passwords import PERSONAL
from triage.web.extensions import db
from triage.web.models import AuditEvent, OutboxMessage, PasswordReset, SignInFailure, StaffUser
from triage.web.shell.logs import loggable_path

NEW = "seven kettles sing loudly"
COOKIE = "signpost_session"


def account_id(app, email) -> int:
    with app.app_context():
        return db.session.execute(select(StaffUser.id).where(StaffUser.email == email)).scalar_one()


def signed_in_as(app, email, password=PASSWORD, address="127.0.0.1"):
    client = app.test_client()
    data = {"csrf_token": csrf_token(client, "/staff/sign-in"), "email": email, "password": password}
    response = client.post("/staff/sign-in", data=data, environ_base={"REMOTE_ADDR": address})
    return client, response


def reset(officer, person_id):
    token = csrf_token(officer, "/staff/accounts/new")
    return officer.post(f"/staff/accounts/{person_id}/reset", data={"csrf_token": token})


def link_in(response) -> str:
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return urlsplit(soup.find(class_="govuk-!-text-break-word").get_text(strip=True)).path


def choose(client, path, new=NEW, confirm=None, token_from=None):
    token = csrf_token(client, token_from or path)
    return client.post(path, data={"csrf_token": token, "new_password": new, "confirm_password": confirm or new})


@pytest.fixture
def officer(app, make_user):
    return signed_in_as(app, make_user("admin"))[0]


def test_a_reset_signs_the_person_out_and_gives_a_link_once(app, make_user, officer):
    email = make_user("staff")
    person, _ = signed_in_as(app, email)
    person_id = account_id(app, email)
    confirm = officer.get(f"/staff/accounts/{person_id}/reset")
    assert confirm.status_code == 200 and "signed out everywhere at once" in page_text(confirm)
    assert f'href="/staff/accounts/{person_id}/reset"' in officer.get("/staff/accounts").get_data(as_text=True)
    shown = reset(officer, person_id)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    assert "Test staff's password has been reset" in page_text(shown)
    path = link_in(shown)
    token = path.rsplit("/", 1)[1]
    assert path.startswith("/staff/reset/") and len(token) >= 40
    assert person.get("/staff/").headers["Location"].startswith("/staff/sign-in")  # signed out at once
    assert errors(signed_in_as(app, email)[1]) == ["Enter a correct email address and password"]  # old password
    with app.app_context():
        stored = db.session.execute(select(PasswordReset)).scalar_one()
        assert token not in (stored.token_hash, str(stored.id)) and len(stored.token_hash) == 64
        entry = db.session.execute(select(AuditEvent).where(AuditEvent.action == "password reset")).scalar_one()
        assert entry.subject == f"account {person_id}" and "every session ended" in entry.detail
        notice = db.session.execute(select(OutboxMessage)).scalar_one()
        assert notice.recipient == email and "reset your password" in notice.body
        assert token not in notice.body and "/staff/reset" not in notice.body  # counter staff read the outbox
    assert officer.get("/staff/accounts").status_code == 200 and token not in officer.get("/staff/accounts").text


def test_the_link_chooses_a_new_password_once_and_then_signs_in(app, make_user, officer):
    email = make_user("champion")
    person_id = account_id(app, email)
    for _ in range(5):  # the person had paused themselves by getting their password wrong
        signed_in_as(app, email, "my old guess!!", address="192.0.2.88")
    path = link_in(reset(officer, person_id))
    browser = app.test_client()
    form = browser.get(path)
    assert form.status_code == 200 and "Choose a new password" in page_text(form)
    assert form.headers["Cache-Control"] == "no-store"
    weak = choose(browser, path, "Test champion1")
    assert weak.status_code == 200 and errors(weak) == [PERSONAL]
    assert errors(choose(browser, path, NEW, "something else entirely")) == ["The new passwords do not match"]
    done = choose(browser, path)
    assert done.headers["Location"] == "/staff/sign-in"
    assert "Your new password is saved. Sign in with it now" in page_text(browser.get("/staff/sign-in"))
    client, signed = signed_in_as(app, email, NEW, address="192.0.2.88")  # the pause is forgotten too
    assert signed.headers["Location"] == "/staff/"
    used = app.test_client().get(path)
    assert used.status_code == 410 and "This link has already been used" in page_text(used)
    assert choose(app.test_client(), path, "another fine long phrase", token_from="/staff/sign-in").status_code == 410
    with app.app_context():
        assert db.session.query(SignInFailure).count() == 0
        actions = db.session.execute(select(AuditEvent.action)).scalars().all()
        assert "password chosen from reset link" in actions


def test_an_expired_or_replaced_or_wrong_link_explains_what_to_do(app, make_user, officer):
    email = make_user("staff")
    person_id = account_id(app, email)
    first = link_in(reset(officer, person_id))
    second = link_in(reset(officer, person_id))
    replaced = app.test_client().get(first)
    assert replaced.status_code == 404 and "ask a council administrator to reset your password again" in (
        page_text(replaced)
    )
    with app.app_context():
        db.session.execute(update(PasswordReset).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
        db.session.commit()
    expired = app.test_client().get(second)
    assert expired.status_code == 410 and "This link has run out" in page_text(expired)
    assert choose(app.test_client(), second, token_from="/staff/sign-in").status_code == 410
    assert errors(signed_in_as(app, email, NEW)[1]) == ["Enter a correct email address and password"]  # not saved
    assert app.test_client().get("/staff/reset/" + "x" * 300).status_code == 404


def test_nothing_is_reset_if_the_audit_entry_cannot_be_written(app, make_user, officer):
    email = make_user("staff")
    person, _ = signed_in_as(app, email)
    token = csrf_token(officer, f"/staff/accounts/{account_id(app, email)}/reset")
    with audit_log_failing():
        response = officer.post(f"/staff/accounts/{account_id(app, email)}/reset", data={"csrf_token": token})
    assert response.status_code == 500 and SERVICE_PROBLEM in response.get_data(as_text=True)
    assert person.get("/staff/").status_code == 200
    assert signed_in_as(app, email)[1].status_code == 302
    with app.app_context():
        assert db.session.query(PasswordReset).count() == 0 and db.session.query(OutboxMessage).count() == 0


def test_an_officer_cannot_reset_their_own_or_a_deactivated_account_here(app, make_user, officer):
    own = account_id(app, "admin@example.org")
    assert reset(officer, own).headers["Location"] == "/staff/accounts"
    gone = account_id(app, make_user("staff", active=False))
    assert "Reactivate it first" in page_text(officer.get(f"/staff/accounts/{gone}/reset", follow_redirects=True))
    assert officer.get("/staff/accounts/99999/reset").status_code == 404
    with app.app_context():
        assert db.session.query(PasswordReset).count() == 0


@pytest.mark.parametrize("role", [None, "staff", "champion", "partner"])
def test_only_those_who_manage_accounts_can_reset_a_password(app, make_user, role):
    target = make_user("staff", email="target@example.org")
    target_id = account_id(app, target)
    client = signed_in_as(app, make_user(role))[0] if role else app.test_client()
    for response in (
        client.get(f"/staff/accounts/{target_id}/reset"),
        client.post(
            f"/staff/accounts/{target_id}/reset",
            data={"csrf_token": csrf_token(client, "/staff/" if role else "/staff/sign-in")},
        ),
    ):
        if role:
            assert response.status_code == 403
        else:
            assert response.headers["Location"].startswith("/staff/sign-in")
    assert signed_in_as(app, target)[1].status_code == 302
    with app.app_context():
        assert db.session.query(PasswordReset).count() == 0


def test_a_reset_links_token_never_reaches_the_access_log():
    assert loggable_path("/staff/reset/abcDEF123_-xyz") == "/staff/reset/<token>"
    assert loggable_path("/staff/accounts/3/reset") == "/staff/accounts/3/reset"
