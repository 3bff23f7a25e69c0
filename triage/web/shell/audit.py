"""The audit log: who viewed personal data or changed something, and when. Admins read it at /staff/audit."""

from __future__ import annotations

from flask_login import current_user

from triage.web.extensions import db
from triage.web.models import AuditEvent


def record(action: str, subject: str, detail: str = "") -> None:
    """Add an entry for the signed-in user (or none, for a resident); the caller commits."""
    user_id = current_user.id if getattr(current_user, "is_authenticated", False) else None
    db.session.add(AuditEvent(user_id=user_id, action=action, subject=subject, detail=detail))
