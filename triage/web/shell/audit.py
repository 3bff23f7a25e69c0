"""The audit log: who viewed personal data or changed something, and when. Admins read it at /staff/audit.

An entry is saved in the same commit as the change it records (the rule is in triage/web/extensions.py).
"""

from __future__ import annotations

from flask_login import current_user

from triage.web.extensions import db
from triage.web.models import AuditEvent, StaffUser


def record(action: str, subject: str, detail: str = "", by: StaffUser | None = None) -> None:
    """Add an entry for `by`, or else the signed-in user (or none, for a resident); the caller commits."""
    if by is None and getattr(current_user, "is_authenticated", False):
        by = current_user
    db.session.add(AuditEvent(user_id=by.id if by else None, action=action, subject=subject, detail=detail))
