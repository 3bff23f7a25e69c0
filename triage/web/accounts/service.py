"""Staff accounts: creating them, checking a sign-in (with lock-out after repeated failures), changing a
password, deactivating. The last three end the account's sessions (triage.web.accounts.sessions).

Passwords are hashed with Werkzeug's scrypt (PASSWORD_HASH_METHOD; only the tests set a cheaper one).
Following NCSC advice, the only rule for a password is a minimum length: long passphrases beat complexity
rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from triage.core.permissions import ORGANISATION_ROLES, ROLES
from triage.web.accounts.sessions import end_sessions
from triage.web.extensions import db
from triage.web.models import Organisation, StaffUser, as_utc
from triage.web.shell import audit

MIN_PASSWORD = 12
MAX_PASSWORD = 128


@cache
def _dummy_hash(method: str) -> str:
    """Checked against when the email is unknown, so a wrong email takes as long as a wrong password."""
    return generate_password_hash("not a real password, only for timing", method=method)


class AccountError(ValueError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"Password must be {MIN_PASSWORD} characters or more"
    if len(password) > MAX_PASSWORD:
        return f"Password must be {MAX_PASSWORD} characters or fewer"
    return None


def find_by_email(email: str) -> StaffUser | None:
    return db.session.execute(
        select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email))
    ).scalar_one_or_none()


def create_account(
    email: str, name: str, password: str, role: str, organisation: Organisation | None = None
) -> StaffUser:
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}")
    if role in ORGANISATION_ROLES and organisation is None:
        raise AccountError("A Digital Champion or partner must belong to an organisation")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if find_by_email(email):
        raise AccountError("An account with that email address already exists")
    user = StaffUser(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"]),
        role=role,
        organisation=organisation if role in ORGANISATION_ROLES else None,
    )
    db.session.add(user)
    db.session.flush()  # gives it an id for the caller's audit entry
    return user


@dataclass(frozen=True)
class SignIn:
    user: StaffUser | None
    problem: str | None = None


WRONG = "Enter a correct email address and password"


def check_sign_in(email: str, password: str) -> SignIn:
    """Check the details; lock the account for a while after too many failures in a row. The caller commits
    either way: a failure counts towards the lock-out."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return SignIn(None, WRONG)
    now = datetime.now(UTC)
    locked_until = as_utc(user.locked_until) if user.locked_until else None
    if locked_until and locked_until > now:
        return SignIn(None, _locked(locked_until, now))
    if not check_password_hash(user.password_hash, password):
        _count_wrong_password(user, now)
        return SignIn(None, WRONG)
    if not user.active:
        return SignIn(None, "This account has been deactivated. Ask a council administrator")
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_signed_in_at = now
    return SignIn(user)


def _locked(until: datetime, now: datetime) -> str:
    minutes = max(1, round((until - now).total_seconds() / 60))
    return f"Too many failed attempts. Try again in {minutes} minutes"


def _count_wrong_password(user: StaffUser, now: datetime) -> bool:
    """Count a wrong password towards the lock-out. After SIGN_IN_MAX_FAILURES in a row the account is locked
    for SIGN_IN_LOCK_MINUTES and every session of it ends; True if this one locked it."""
    user.failed_sign_ins += 1
    if user.failed_sign_ins < current_app.config["SIGN_IN_MAX_FAILURES"]:
        return False
    user.locked_until = now + timedelta(minutes=current_app.config["SIGN_IN_LOCK_MINUTES"])
    user.failed_sign_ins = 0
    end_sessions(user)
    audit.record("account locked", f"account {user.id}", "too many failed sign-ins")
    return True


class AccountLocked(AccountError):
    """A wrong password locked the account, and so signed its owner out."""


def change_password(user: StaffUser, current: str, new: str) -> None:
    """Change a signed-in person's password, ending every session of the account (the caller signs its own
    session in again). A wrong current password counts towards the lock-out, as at sign-in: the caller commits
    either way."""
    now = datetime.now(UTC)
    if not check_password_hash(user.password_hash, current):
        if _count_wrong_password(user, now):
            raise AccountLocked(_locked(now + timedelta(minutes=current_app.config["SIGN_IN_LOCK_MINUTES"]), now))
        raise AccountError("Your current password is not correct")
    problem = password_problem(new)
    if problem:
        raise AccountError(problem)
    user.password_hash = generate_password_hash(new, method=current_app.config["PASSWORD_HASH_METHOD"])
    user.failed_sign_ins = 0
    end_sessions(user)


def set_active(user: StaffUser, active: bool) -> None:
    """Deactivating an account ends its sessions at once, so reactivating it never brings one back."""
    user.active = active
    if not active:
        end_sessions(user)
