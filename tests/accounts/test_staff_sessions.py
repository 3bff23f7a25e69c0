"""Ending staff sessions: signing out, changing a password, deactivation, a reset and wrong current passwords
each end every session of the account at once (failed sign-ins do not). A session cookie copied before (from
a shared computer, say) is sent to sign in, for pages and forms alike; the idle time-out still ends an idle
browser's session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from helpers import PASSWORD, SERVICE_PROBLEM, answer, audit_log_failing, csrf_token, errors, page_text, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.security import check_password_hash

from triage.core.passwords import HOW_TO_CHOOSE, PERSONAL
from triage.web.extensions import db
from triage.web.models import AuditEvent, StaffUser

COOKIE = "signpost_session"
NEW_PASSWORD = "a different long passphrase"
COMMON = "This is a very common password."  # zxcvbn's warning


def copied(client) -> tuple[str, str]:
    """A copy of a signed-in browser's session cookie, and the form token its pages carry, as someone who
    copied them (from a shared computer, say) would have."""
    token = csrf_token(client, "/staff/")
    return client.get_cookie(COOKIE).value, token


def browser_with(app, cookie: str):
    browser = app.test_client()
    browser.set_cookie(COOKIE, cookie)
    return browser


def signed_in_as(app, email):
    return sign_in(app.test_client(), email)


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None, token=None):
    data = {
        "csrf_token": token or csrf_token(client, "/staff/password"),
        "current_password": current,
        "new_password": new,
        "confirm_password": new if confirm is None else confirm,
    }
    return client.post("/staff/password", data=data)


def sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in")


def assert_ended(app, cookie: str, token: str) -> None:
    """The copied session has ended: a form posted with the token it had is sent to sign in and changes
    nothing, and so is a page."""
    assert sent_to_sign_in(change_password(browser_with(app, cookie), token=token))
    assert sent_to_sign_in(browser_with(app, cookie).get("/staff/referrals"))


def password_is(app, email, password) -> bool:
    with app.app_context():
        return check_password_hash(db.session.query(StaffUser).filter_by(email=email).one().password_hash, password)


def actions(app) -> list[str]:
    with app.app_context():
        return [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]


def test_signing_out_ends_every_session_of_the_account(app, make_user):
    email = make_user("staff")
    here, elsewhere = signed_in_as(app, email), signed_in_as(app, email)
    before = [copied(here), copied(elsewhere)]
    assert here.post("/staff/sign-out", data={"csrf_token": csrf_token(here, "/staff/")}).status_code == 302
    assert sent_to_sign_in(here.get("/staff/"))
    for cookie, token in before:
        assert_ended(app, cookie, token)
    assert password_is(app, email, PASSWORD)
    assert actions(app)[-1] == "signed out"
    assert signed_in_as(app, email).get("/staff/").status_code == 200  # signing in again works


def test_signing_out_here_is_kept_even_if_the_audit_entry_cannot_be_written(app, make_user):
    client = signed_in_as(app, make_user("staff"))
    token = csrf_token(client, "/staff/")
    with audit_log_failing():
        response = client.post("/staff/sign-out", data={"csrf_token": token})
    assert response.status_code == 500 and SERVICE_PROBLEM in response.get_data(as_text=True)
    assert sent_to_sign_in(client.get("/staff/"))


def test_an_ended_session_forgets_the_answers_it_held(app, make_user):
    client = signed_in_as(app, make_user("staff"))
    token = csrf_token(client, "/staff/assess")
    client.post("/staff/assess", data={"csrf_token": token, "channel": "counter", "consent": "y"})
    answer(client, "postcode", "LE11 3DU")
    cookie, _ = copied(client)
    question = "/questions/postcode"
    given = "You gave a postcode starting LE11 3"  # all the session keeps of it
    assert given in page_text(browser_with(app, cookie).get(question))
    client.post("/staff/sign-out", data={"csrf_token": csrf_token(client, "/staff/")})
    assert given not in page_text(browser_with(app, cookie).get(question, follow_redirects=True))


def test_changing_your_password_ends_your_other_sessions_and_keeps_this_one(app, make_user):
    email = make_user("champion")
    here, elsewhere = signed_in_as(app, email), signed_in_as(app, email)
    before = [copied(here), copied(elsewhere)]
    response = change_password(here)
    assert response.headers["Location"] == "/staff/"
    home = here.get("/staff/")
    assert home.status_code == 200
    assert "Your password has been changed. You have been signed out everywhere else" in page_text(home)
    for cookie, token in before:
        assert_ended(app, cookie, token)
    assert sent_to_sign_in(elsewhere.get("/staff/"))
    assert here.get("/staff/referrals").status_code == 200  # this session carries on, and can post forms
    assert change_password(here, current=NEW_PASSWORD, new=PASSWORD).headers["Location"] == "/staff/"
    assert [a for a in actions(app) if a == "password changed"] == ["password changed"] * 2
    assert password_is(app, email, PASSWORD)


def test_a_changed_password_is_the_one_that_signs_in(app, make_user):
    email = make_user("staff")
    change_password(signed_in_as(app, email))
    assert password_is(app, email, NEW_PASSWORD) and not password_is(app, email, PASSWORD)
    client = app.test_client()
    data = {"csrf_token": csrf_token(client, "/staff/sign-in"), "email": email, "password": NEW_PASSWORD}
    assert client.post("/staff/sign-in", data=data).headers["Location"] == "/staff/"


def test_every_staff_page_links_to_changing_your_password(app, make_user):
    client = signed_in_as(app, make_user("partner"))
    for path in ("/staff/", "/staff/entries"):
        assert 'href="/staff/password"' in client.get(path).get_data(as_text=True)
    page = client.get("/staff/password")
    assert page.status_code == 200 and "signed out everywhere else" in page_text(page)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"current": "not my password at all"}, "Your current password is not correct"),
        ({"current": ""}, "Enter your current password"),
        ({"new": "too short"}, "Password must be 12 characters or more"),
        ({"new": "Test staff 2024"}, PERSONAL),
        ({"new": "password1234"}, f"This password is too easy to guess. {COMMON} {HOW_TO_CHOOSE}"),
        ({"new": "x" * 129}, "Password must be 128 characters or fewer"),
        ({"new": ""}, "Enter a new password"),
        ({"confirm": "a different long passphrase!"}, "The new passwords do not match"),
        ({"confirm": ""}, "Enter your new password again"),
    ],
)
def test_password_problems_are_explained_and_nothing_changes(app, make_user, form, message):
    email = make_user("staff")
    here, elsewhere = signed_in_as(app, email), signed_in_as(app, email)
    response = change_password(here, **form)
    assert response.status_code == 200 and message in errors(response)
    assert password_is(app, email, PASSWORD)
    assert here.get("/staff/").status_code == 200 and elsewhere.get("/staff/").status_code == 200


def test_a_password_change_is_not_saved_if_its_audit_entry_cannot_be_written(app, make_user):
    email = make_user("staff")
    here, elsewhere = signed_in_as(app, email), signed_in_as(app, email)
    token = csrf_token(here, "/staff/password")
    with audit_log_failing():
        response = change_password(here, token=token)
    assert response.status_code == 500 and SERVICE_PROBLEM in response.get_data(as_text=True)
    assert password_is(app, email, PASSWORD)
    assert here.get("/staff/").status_code == 200 and elsewhere.get("/staff/").status_code == 200


def test_wrong_current_passwords_sign_the_account_out_everywhere_and_pause_this_address(app, make_user):
    """Whoever holds a session but keeps getting its password wrong may not be its owner (a shared computer
    left signed in): after five tries every session of the account ends, and this address must wait before
    signing in as it again. The owner signs in again from anywhere else at once."""
    email = make_user("staff")
    here, elsewhere = signed_in_as(app, email), signed_in_as(app, email)
    before = copied(elsewhere)
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"] - 1):
        wrong = change_password(here, current="not my password at all")
        assert errors(wrong) == ["Your current password is not correct"]
    locked = change_password(here, current="not my password at all")
    assert sent_to_sign_in(locked)
    signed_out = page_text(here.get(locked.headers["Location"]))
    assert "You have been signed out. Too many failed attempts. Try again in 15 minutes" in signed_out
    assert sent_to_sign_in(here.get("/staff/"))
    assert_ended(app, *before)
    assert "signed out everywhere" in actions(app) and "sign-in paused" in actions(app)
    assert password_is(app, email, PASSWORD)
    data = {"csrf_token": csrf_token(here, "/staff/sign-in"), "email": email, "password": PASSWORD}
    assert errors(here.post("/staff/sign-in", data=data)) == ["Too many failed attempts. Try again in 15 minutes"]
    owner = app.test_client()
    data["csrf_token"] = csrf_token(owner, "/staff/sign-in")
    assert owner.post("/staff/sign-in", data=data, environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 302


def test_failed_sign_ins_by_someone_else_do_not_end_the_owners_sessions(app, make_user, client):
    """A guesser who knows only the email must have no power over the owner: their sessions carry on."""
    email = make_user("staff")
    owner = signed_in_as(app, email)
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"] + 1):
        data = {"csrf_token": csrf_token(client, "/staff/sign-in"), "email": email, "password": "wrong password!!"}
        client.post("/staff/sign-in", data=data, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert "sign-in paused" in actions(app)
    assert owner.get("/staff/referrals").status_code == 200
    assert change_password(owner).headers["Location"] == "/staff/"  # and can still post forms
    assert password_is(app, email, NEW_PASSWORD)


def test_deactivation_ends_the_persons_sessions_and_reactivation_does_not_bring_them_back(app, make_user):
    officer = signed_in_as(app, make_user("admin"))
    email = make_user("staff")
    before = copied(signed_in_as(app, email))
    with app.app_context():
        person = db.session.query(StaffUser).filter_by(email=email).one().id
    officer_token = csrf_token(officer, "/staff/accounts")
    officer.post(f"/staff/accounts/{person}/deactivate", data={"csrf_token": officer_token})
    assert_ended(app, *before)
    officer.post(f"/staff/accounts/{person}/reactivate", data={"csrf_token": officer_token})
    assert_ended(app, *before)
    assert password_is(app, email, PASSWORD)
    assert signed_in_as(app, email).get("/staff/").status_code == 200  # signing in again works


def test_a_session_from_before_session_versions_is_sent_to_sign_in(app, make_user):
    client = signed_in_as(app, make_user("staff"))
    with app.app_context():
        user_id = db.session.query(StaffUser).one().id
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)  # how sessions were stamped before
    assert sent_to_sign_in(client.get("/staff/"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    token=st.one_of(
        st.text(max_size=30),
        st.from_regex(r"[0-9]{1,12}:[0-9]{1,12}", fullmatch=True),
        st.integers().map(str),
    )
)
def test_a_session_signs_in_only_with_its_accounts_current_version(app, make_user, token):
    """Whatever a session holds (if the signing key ever leaked, say), only the account's current id and
    version signs it in; anything else is sent to sign in, never an error."""
    email = "property@example.org"
    with app.app_context():
        user = db.session.query(StaffUser).filter_by(email=email).one_or_none()
    client = signed_in_as(app, user.email if user else make_user("staff", email=email))
    with app.app_context():
        current = db.session.query(StaffUser).filter_by(email=email).one().get_id()
    with client.session_transaction() as session:
        session["_user_id"] = token
    response = client.get("/staff/")
    assert response.status_code == (200 if token == current else 302)
    if token != current:
        assert sent_to_sign_in(response)


def test_the_idle_time_out_ends_only_the_idle_browsers_session(app, make_user):
    email = make_user("staff")
    idle, busy = signed_in_as(app, email), signed_in_as(app, email)
    last_seen = datetime.now(UTC) - timedelta(minutes=app.config["STAFF_IDLE_MINUTES"] + 1)
    with idle.session_transaction() as session:
        session["staff_seen"] = last_seen.isoformat()
    assert sent_to_sign_in(idle.get("/staff/"))
    assert "signed out after 30 minutes without activity" in page_text(idle.get("/staff/sign-in"))
    assert busy.get("/staff/").status_code == 200


def test_a_staff_session_used_from_another_browser_is_signed_out(app, make_user):
    make_user("admin", email="admin@example.org")
    here = signed_in_as(app, "admin@example.org")
    assert here.get("/staff/").status_code == 200
    cookie, _ = copied(here)
    elsewhere = browser_with(app, cookie)
    moved = elsewhere.get("/staff/", headers={"User-Agent": "Another browser/1.0"})
    assert moved.status_code == 302 and "/staff/sign-in" in moved.headers["Location"]
    assert here.get("/staff/").status_code == 200  # the browser it belongs to stays signed in
