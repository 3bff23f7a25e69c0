"""Staff accounts: creating them, checking a sign-in (paused after repeated failures, triage.web.accounts.backoff),
changing a password, deactivating. The last two end the account's sessions (triage.web.accounts.sessions).

Passwords are hashed with Werkzeug's scrypt (PASSWORD_HASH_METHOD; only the tests set a cheaper one). What a
new password must be is triage.core.passwords's rule, given the person's name and email and the council's.

A sign-in answers the same, and does the same work, whether the email has no account, the password is wrong
or the account is paused elsewhere: one password hash is checked every time (against a stand-in hash for an
unknown email), and a pause depends only on what was tried from this address with this email.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from triage.core import passwords
from triage.core.permissions import ORGANISATION_ROLES, ROLES
from triage.web.accounts import backoff
from triage.web.accounts.sessions import end_sessions
from triage.web.areas.profiles import council
from triage.web.extensions import db
from triage.web.models import Organisation, StaffUser
from triage.web.shell import audit


@cache
def _dummy_hash(method: str) -> str:
    """Checked against when the email is unknown, so a wrong email takes the same work as a wrong password."""
    return generate_password_hash("not a real password, only for timing", method=method)


class AccountError(ValueError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def password_problem(password: str, name: str, email: str) -> str | None:
    """Why this can not be the new password of the person with this name and email, or None if it can."""
    words = (council().name, council().area)
    return passwords.password_problem(password, passwords.personal_words(name, email, words))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_by_email(email: str) -> StaffUser | None:
    return db.session.execute(
        select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email))
    ).scalar_one_or_none()


def create_account(
    email: str,
    name: str,
    password: str,
    role: str,
    organisation: Organisation | None = None,
    district_code: str | None = None,
) -> StaffUser:
    """A new active account; `district_code` limits it to one of the council's districts."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}")
    if role in ORGANISATION_ROLES and organisation is None:
        raise AccountError("A Digital Champion or partner must belong to an organisation")
    problem = password_problem(password, name, email)
    if problem:
        raise AccountError(problem)
    if find_by_email(email):
        raise AccountError("An account with that email address already exists")
    if district_code is not None and not council().serves(district_code):
        raise AccountError(f"{district_code} is not one of the council's districts")
    user = StaffUser(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        organisation=organisation if role in ORGANISATION_ROLES else None,
        district_code=district_code,
    )
    db.session.add(user)
    db.session.flush()  # gives it an id for the caller's audit entry
    return user


@dataclass(frozen=True)
class SignIn:
    user: StaffUser | None
    problem: str | None = None


WRONG = "Enter a correct email address and password"


def check_sign_in(email: str, password: str, address: str | None) -> SignIn:
    """Check the details typed at `address` (the network address, for the pause). The caller commits either
    way: a failure counts towards a pause."""
    email = normalise_email(email)
    user = find_by_email(email)
    now = datetime.now(UTC)
    stored = user.password_hash if user else _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])
    matches = check_password_hash(stored, password)  # always, so every answer costs the same
    paused = backoff.paused_until(email, address, now)
    if paused:  # even the right password waits: otherwise a guesser would learn it during the pause
        return SignIn(None, backoff.pause_message(paused, now))
    if user is None or not matches:
        paused = _count_failure(email, address, now, user)
        return SignIn(None, backoff.pause_message(paused, now) if paused else WRONG)
    if not user.active:  # said only to someone who knows the password
        return SignIn(None, "This account has been deactivated. Ask a council administrator")
    backoff.forget(email, address)
    user.last_signed_in_at = now
    return SignIn(user)


def _count_failure(email: str, address: str | None, now: datetime, user: StaffUser | None) -> datetime | None:
    """Count a failure for this email from this address; when it may try again if this failure paused it."""
    paused = backoff.count_failure(email, address, now)
    if paused is not None:
        detail = f"{current_app.config['SIGN_IN_MAX_FAILURES']} or more failures in a row from one address"
        audit.record("sign-in paused", f"account {user.id}" if user else "an email with no account", detail)
    return paused


class SignedOutEverywhere(AccountError):
    """Wrong current passwords paused the account at this address and ended all its sessions."""


def change_password(user: StaffUser, current: str, new: str, address: str | None) -> None:
    """Change a signed-in person's password, ending every session of the account (the caller signs its own
    session in again). A wrong current password counts towards the pause, as at sign-in, and the caller
    commits either way. When it pauses, every session of the account ends too: whoever holds this session
    does not know its password (and could end every session by signing out anyway)."""
    now = datetime.now(UTC)
    matches = check_password_hash(user.password_hash, current)
    paused = backoff.paused_until(user.email, address, now)
    if paused:
        raise AccountError(backoff.pause_message(paused, now))
    if not matches:
        paused = _count_failure(user.email, address, now, user)
        if paused:
            end_sessions(user)
            audit.record("signed out everywhere", f"account {user.id}", "too many wrong current passwords")
            raise SignedOutEverywhere(backoff.pause_message(paused, now))
        raise AccountError("Your current password is not correct")
    problem = password_problem(new, user.name, user.email)
    if problem:
        raise AccountError(problem)
    set_password(user, new)


def set_password(user: StaffUser, new: str) -> None:
    """Give the account a new password (already judged), ending every session of it and forgetting its
    failed sign-ins from every address. The caller records the audit entry and commits."""
    user.password_hash = hash_password(new)
    backoff.forget(user.email)
    end_sessions(user)


def set_active(user: StaffUser, active: bool) -> None:
    """Deactivating an account ends its sessions at once, so reactivating it never brings one back."""
    user.active = active
    if not active:
        end_sessions(user)
