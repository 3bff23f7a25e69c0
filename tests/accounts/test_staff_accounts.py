"""Staff sign-in, lock-out, idle time-out, rate limiting, account administration and the access matrix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from helpers import PASSWORD, SERVICE_PROBLEM, audit_log_failing, csrf_token
from sqlalchemy import update

from triage.web.accounts.service import create_account
from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.models import SignInFailure, StaffUser


def sign_in(client, email, password=PASSWORD, next_page=""):
    token = csrf_token(client, "/staff/sign-in")
    return client.post(f"/staff/sign-in{next_page}", data={"csrf_token": token, "email": email, "password": password})


def errors(response) -> list[str]:
    box = BeautifulSoup(response.get_data(as_text=True), "html.parser").find(class_="govuk-error-summary")
    return [li.get_text(strip=True) for li in box.find_all("li")] if box else []


def test_create_admin_command_makes_the_first_account(runner, app):
    result = runner.invoke(
        args=["create-admin", "--email", "Officer@Example.org", "--name", "Ola Officer"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.query(StaffUser).one()
        assert (user.email, user.role, user.active) == ("officer@example.org", "admin", True)
        assert user.password_hash != PASSWORD and user.password_hash.startswith("pbkdf2:sha256:1$")  # tests' hash


def test_production_hashes_passwords_with_scrypt_and_any_stored_hash_still_signs_in(app, client):
    production = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert production.config["PASSWORD_HASH_METHOD"] == "scrypt"
    with production.app_context():
        user = create_account("scrypt@example.org", "Sam Scrypt", PASSWORD, "staff", None)
        db.session.commit()
        assert user.password_hash.startswith("scrypt:")
    assert sign_in(client, "scrypt@example.org").status_code == 302


def test_create_admin_refuses_a_short_password_and_a_duplicate(runner, make_user):
    short = runner.invoke(args=["create-admin", "--email", "a@example.org", "--name", "A"], input="short\nshort\n")
    assert short.exit_code != 0 and "12 characters or more" in short.output
    make_user("admin", email="b@example.org")
    again = runner.invoke(
        args=["create-admin", "--email", "B@example.org", "--name", "B"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert again.exit_code != 0 and "already exists" in again.output


def test_sign_in_and_out(client, make_user):
    email = make_user("staff")
    response = sign_in(client, email.upper())
    assert response.headers["Location"].endswith("/staff/")
    assert "Signed in as Test staff" in client.get("/staff/").get_data(as_text=True)
    token = csrf_token(client, "/staff/")
    assert client.post("/staff/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/staff/").headers["Location"].startswith("/staff/sign-in")


def test_wrong_details_get_one_message_whichever_is_wrong(client, make_user):
    email = make_user("staff")
    assert errors(sign_in(client, email, "wrong password!!")) == ["Enter a correct email address and password"]
    assert errors(sign_in(client, "nobody@example.org")) == ["Enter a correct email address and password"]
    assert errors(sign_in(client, "", "")) == ["Enter your email address", "Enter your password"]


def test_five_failures_in_a_row_pause_that_email_at_that_address(client, make_user, app):
    email = make_user("staff")
    for _ in range(4):
        assert errors(sign_in(client, email, "wrong password!!")) == ["Enter a correct email address and password"]
    assert errors(sign_in(client, email, "wrong password!!")) == ["Too many failed attempts. Try again in 15 minutes"]
    locked = sign_in(client, email)  # even the right password is refused while paused
    assert errors(locked) == ["Too many failed attempts. Try again in 15 minutes"]
    with app.app_context():
        db.session.execute(update(SignInFailure).values(paused_until=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
    assert sign_in(client, email).status_code == 302


def test_no_one_is_signed_in_if_the_audit_entry_cannot_be_written(client, make_user, app):
    email = make_user("staff")
    with audit_log_failing():
        response = sign_in(client, email)
    assert response.status_code == 500 and SERVICE_PROBLEM in response.get_data(as_text=True)
    home = client.get("/staff/")
    assert home.status_code == 302 and home.headers["Location"].startswith("/staff/sign-in")
    with app.app_context():
        assert db.session.query(StaffUser).filter_by(email=email).one().last_signed_in_at is None


def test_deactivated_accounts_cannot_sign_in(client, make_user):
    email = make_user("champion", active=False)
    assert "deactivated" in errors(sign_in(client, email))[0]


def test_sign_in_returns_only_to_pages_on_this_site(client, make_user):
    email = make_user("admin")
    assert sign_in(client, email, next_page="?next=//evil.example/").headers["Location"].endswith("/staff/")


def test_sign_in_returns_to_the_page_asked_for(client, make_user):
    email = make_user("admin")
    assert sign_in(client, email, next_page="?next=/staff/accounts").headers["Location"] == "/staff/accounts"


def test_idle_sessions_are_signed_out(signed_in):
    client = signed_in("staff")
    with client.session_transaction() as session:
        session["staff_seen"] = (datetime.now(UTC) - timedelta(minutes=31)).isoformat()
    response = client.get("/staff/")
    assert response.headers["Location"].startswith("/staff/sign-in")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed out after 30 minutes without activity" in page


def test_sign_in_is_rate_limited(app):
    limited = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SIGN_IN_RATE_LIMIT": "3 per minute",
        }
    )
    client = limited.test_client()
    statuses = []
    for _ in range(4):
        token = csrf_token(client, "/staff/sign-in")
        data = {"csrf_token": token, "email": "x@example.org", "password": "wrong password!!"}
        statuses.append(client.post("/staff/sign-in", data=data).status_code)
    assert statuses[-1] == 429
    assert statuses[:3] == [200, 200, 200]
    token = csrf_token(client, "/staff/sign-in")
    assert "Sorry, please wait before you try again" in client.post(
        "/staff/sign-in", data={"csrf_token": token}
    ).get_data(as_text=True)


def test_admin_creates_a_champion_account(signed_in, app):
    client = signed_in("admin")
    page = BeautifulSoup(client.get("/staff/accounts/new").get_data(as_text=True), "html.parser")
    organisation = page.find("select", attrs={"name": "organisation"}).find_all("option")[1]["value"]
    token = csrf_token(client, "/staff/accounts/new")
    response = client.post(
        "/staff/accounts/new",
        data={
            "csrf_token": token,
            "name": "Cam Champion",
            "email": "cam@example.org",
            "role": "champion",
            "organisation": organisation,
            "password": PASSWORD,
        },
        follow_redirects=True,
    )
    assert "Account created for Cam Champion" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.query(StaffUser).filter_by(email="cam@example.org").one()
        assert user.role == "champion" and user.organisation_id == int(organisation)


def test_an_account_is_not_created_if_its_audit_entry_cannot_be_written(signed_in, app):
    client = signed_in("admin")
    token = csrf_token(client, "/staff/accounts/new")
    data = {"csrf_token": token, "name": "Sam Staff", "email": "sam@example.org", "role": "staff", "password": PASSWORD}
    with audit_log_failing():
        response = client.post("/staff/accounts/new", data=data)
    assert response.status_code == 500 and SERVICE_PROBLEM in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(StaffUser).filter_by(email="sam@example.org").count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Enter an email address in the correct format, like name@example.com"),
        ({"password": "short"}, "Password must be 12 characters or more"),
        ({"password": "password1234"}, "This password is too easy to guess. This is a very common password."),
        ({"password": "sam@example.org"}, "Choose a password that does not include a name, an email address"),
        ({"password": "Sam Staff 123"}, "Choose a password that does not include a name, an email address"),
        ({"password": "Charnwood123456"}, "Choose a password that does not include a name, an email address"),
        ({"role": "champion", "organisation": ""}, "Select the organisation this person belongs to"),
        ({"role": "overlord"}, "Not a valid choice."),
        ({"name": ""}, "Enter their full name"),
        ({"email": "admin@example.org"}, "An account with that email address already exists"),
    ],
)
def test_new_account_problems_are_explained_and_nothing_is_saved(signed_in, app, changes, message):
    client = signed_in("admin")
    token = csrf_token(client, "/staff/accounts/new")
    data = {
        "csrf_token": token,
        "name": "Sam Staff",
        "email": "sam@example.org",
        "role": "staff",
        "organisation": "",
        "password": PASSWORD,
        **changes,
    }
    response = client.post("/staff/accounts/new", data=data)
    assert any(e.startswith(message) for e in errors(response)), errors(response)
    with app.app_context():
        assert db.session.query(StaffUser).count() == 1  # only the signed-in admin


def test_admin_deactivates_and_reactivates_but_not_themselves(signed_in, make_user, app, client):
    signed_in("admin")
    make_user("staff")
    with app.app_context():
        staff_id = db.session.query(StaffUser).filter_by(role="staff").one().id
        admin_id = db.session.query(StaffUser).filter_by(role="admin").one().id
    token = csrf_token(client, "/staff/accounts")
    client.post(f"/staff/accounts/{staff_id}/deactivate", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(StaffUser, staff_id).active is False
    client.post(f"/staff/accounts/{staff_id}/reactivate", data={"csrf_token": token})
    response = client.post(f"/staff/accounts/{admin_id}/deactivate", data={"csrf_token": token}, follow_redirects=True)
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(StaffUser, staff_id).active and db.session.get(StaffUser, admin_id).active
    assert client.post("/staff/accounts/99999/deactivate", data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize("action", ["deactivate", "reactivate"])
def test_an_account_keeps_its_state_if_the_audit_entry_cannot_be_written(signed_in, make_user, app, client, action):
    signed_in("admin")
    make_user("staff", active=action == "deactivate")
    with app.app_context():
        staff_id = db.session.query(StaffUser).filter_by(role="staff").one().id
    token = csrf_token(client, "/staff/accounts")
    with audit_log_failing():
        response = client.post(f"/staff/accounts/{staff_id}/{action}", data={"csrf_token": token})
    assert response.status_code == 500 and SERVICE_PROBLEM in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(StaffUser, staff_id).active is (action == "deactivate")


def test_a_deactivated_user_is_signed_out_at_once(signed_in, app):
    client = signed_in("staff")
    with app.app_context():
        db.session.query(StaffUser).filter_by(role="staff").one().active = False
        db.session.commit()
    assert client.get("/staff/").headers["Location"].startswith("/staff/sign-in")


# The access matrix: what an anonymous visitor and each role may open. "sign-in" means sent to sign in.
MATRIX = {
    "/staff/": {None: "sign-in", "champion": 200, "staff": 200, "admin": 200},
    "/staff/accounts": {None: "sign-in", "champion": 403, "staff": 403, "admin": 200},
    "/staff/accounts/new": {None: "sign-in", "champion": 403, "staff": 403, "admin": 200},
    "/staff/password": {None: "sign-in", "champion": 200, "staff": 200, "admin": 200},
    "/staff/assess": {None: "sign-in", "champion": 200, "staff": 200, "admin": 200},  # a champion's walk-ins
    "/staff/plans": {None: "sign-in", "champion": 403, "staff": 200, "admin": 200},
    "/staff/outbox": {None: "sign-in", "champion": 403, "staff": 200, "admin": 200},
    "/staff/referrals": {None: "sign-in", "champion": 200, "staff": 200, "admin": 200},
    "/staff/audit": {None: "sign-in", "champion": 403, "staff": 403, "admin": 200},
    "/staff/exports": {None: "sign-in", "champion": 403, "staff": 403, "admin": 200},
    "/staff/erase": {None: "sign-in", "champion": 403, "staff": 403, "admin": 200},
    "/staff/help-sessions/new": {None: "sign-in", "champion": 200, "staff": 403, "admin": 403},
    "/staff/help-sessions": {None: "sign-in", "champion": 200, "staff": 403, "admin": 200},
    "/staff/help-given": {None: "sign-in", "champion": 200, "staff": 403, "admin": 200},
}


@pytest.mark.parametrize("role", [None, "champion", "staff", "admin"])
@pytest.mark.parametrize("path", list(MATRIX))
def test_access_matrix(client, signed_in, role, path):
    if role:
        signed_in(role)
    response = client.get(path)
    expected = MATRIX[path][role]
    if expected == "sign-in":
        assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", [None, "champion", "staff"])
def test_only_admins_can_change_accounts(client, signed_in, make_user, app, role):
    make_user("admin", email="boss@example.org")
    with app.app_context():
        target = db.session.query(StaffUser).filter_by(email="boss@example.org").one().id
    if role:
        signed_in(role)
    token = csrf_token(client, "/staff/" if role else "/staff/sign-in")
    response = client.post(f"/staff/accounts/{target}/deactivate", data={"csrf_token": token})
    assert response.status_code in (302, 403)
    with app.app_context():
        assert db.session.get(StaffUser, target).active
