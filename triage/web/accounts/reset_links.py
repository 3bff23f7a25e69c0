"""Officer-led password resets: a one-time link for someone to choose a new password.

Resetting an account ends every session of it at once and stops its old password working; the officer
is shown the link once, to pass on in person or by phone (it is never put in the outbox, which counter
staff can read: a link there would let them take over any account). The account's owner is emailed a
notice without the link, so a reset they did not expect does not go unnoticed. A link works once, for
PASSWORD_RESET_HOURS, and only the SHA-256 hash of its token is kept; making a new link cancels the old.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from flask import current_app, url_for
from sqlalchemy import CursorResult, delete, or_, select

from triage.web.accounts.service import set_password
from triage.web.extensions import db
from triage.web.messages.sending import queue
from triage.web.models import PasswordReset, StaffUser, as_utc


def _hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    link: str
    expires_at: datetime


def reset(user: StaffUser, by: StaffUser) -> Issued:
    """Reset this account: end its sessions, replace its password with one no one knows, cancel any earlier
    link and make a new one. The caller records the audit entry and commits."""
    now = datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    set_password(user, secrets.token_urlsafe(32))  # one no one knows: the old password no longer signs in
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)))
    expires_at = now + timedelta(hours=current_app.config["PASSWORD_RESET_HOURS"])
    db.session.add(
        PasswordReset(user_id=user.id, token_hash=_hashed(token), created_by_id=by.id, expires_at=expires_at)
    )
    _tell_the_owner(user, by)
    return Issued(url_for("staff.choose_password", token=token, _external=True), expires_at)


def _tell_the_owner(user: StaffUser, by: StaffUser) -> None:
    hours = str(current_app.config["PASSWORD_RESET_HOURS"])
    queue("password-reset-email", user.email, {"name": user.name, "by": by.name, "hours": hours}, sent_by_id=by.id)


@dataclass(frozen=True)
class Found:
    reset: PasswordReset | None
    problem: str | None  # why the link can not be used: "unknown", "used" or "expired"


def find(token: str) -> Found:
    """The reset a link's token belongs to, and whether it can still be used."""
    found = db.session.execute(
        select(PasswordReset).where(PasswordReset.token_hash == _hashed(token))
    ).scalar_one_or_none()
    if found is None or not found.user.active:
        return Found(None, "unknown")
    if found.used_at is not None:
        return Found(found, "used")
    if as_utc(found.expires_at) <= datetime.now(UTC):
        return Found(found, "expired")
    return Found(found, None)


def use(found: PasswordReset, new: str) -> None:
    """Set the new password (already judged) and spend the link. The caller records the audit entry and
    commits."""
    found.used_at = datetime.now(UTC)
    set_password(found.user, new)


def delete_spent_links() -> int:
    """Forget the links used or run out more than a week ago (`flask apply-retention`); the audit log keeps
    who reset whose password."""
    cutoff = datetime.now(UTC) - timedelta(days=7)
    spent = or_(PasswordReset.used_at < cutoff, PasswordReset.expires_at < cutoff)
    return cast(CursorResult, db.session.execute(delete(PasswordReset).where(spent))).rowcount
