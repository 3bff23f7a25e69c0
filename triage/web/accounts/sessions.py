"""Staff sessions the server can end, on every worker and machine at once.

A session lives in the signed cookie, so the server cannot delete one. Instead each account has a session
version: sign-in stamps it into the session (Flask-Login keeps `StaffUser.get_id()`, "id:version", Flask-Login's
"alternative tokens"), and every request loads the account from the database and compares. `end_sessions`
raises the version, so every session stamped before, wherever its cookie is, no longer signs anyone in.
Signing out, a password change, deactivation and the sign-in lock-out each call it.
"""

from __future__ import annotations

import re

from sqlalchemy import update

from triage.web.extensions import db
from triage.web.models import StaffUser

# Nine digits at most: within every database's integer, whatever a cookie holds.
TOKEN = re.compile(r"(?P<id>[0-9]{1,9}):(?P<version>[0-9]{1,9})")


def end_sessions(user: StaffUser) -> None:
    """End every session of this account; the caller commits. A session signed in again afterwards (as after
    a password change) gets the new version."""
    db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id)
        .values(session_version=StaffUser.session_version + 1)  # in the database: two at once both count
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["session_version"])


def user_for_session(token: str) -> StaffUser | None:
    """The account a session's "id:version" belongs to, if the account is active and the session has not been
    ended; None for anything else, including a session from before versions were stamped (a bare id)."""
    stamped = TOKEN.fullmatch(token)
    if stamped is None:
        return None
    user = db.session.get(StaffUser, int(stamped["id"]))
    if user is None or not user.active or user.session_version != int(stamped["version"]):
        return None
    return user
