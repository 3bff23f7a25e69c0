"""Who may do what: the authorisation matrix for staff roles, in one table.

Residents are anonymous and never sign in. Staff have one role each:
- `admin`: a council officer who manages accounts and sees everything;
- `staff`: customer service staff at the counter;
- `champion`: a Digital Champion attached to one organisation and the wards it serves;
- `partner`: someone at a partner organisation who proposes new directory entries and edits to the
  organisation's own entries, for an admin to approve.
A champion's access to referrals is further limited to those sent to them or their organisation, and a
partner's proposals to their own organisation's entries.
"""

from __future__ import annotations

ROLES: dict[str, str] = {
    "admin": "Council officer (administrator)",
    "staff": "Customer service staff",
    "champion": "Digital Champion",
    "partner": "Partner organisation (proposes directory entries)",
}
ORGANISATION_ROLES = frozenset({"champion", "partner"})  # accounts that belong to one organisation

PERMISSIONS: dict[str, frozenset[str]] = {
    "use_staff_area": frozenset({"admin", "staff", "champion", "partner"}),
    "manage_accounts": frozenset({"admin"}),
    "run_assessment_for_someone": frozenset({"admin", "staff"}),
    "open_any_plan": frozenset({"admin", "staff"}),
    "send_plan": frozenset({"admin", "staff"}),
    "read_outbox": frozenset({"admin", "staff"}),
    "refer": frozenset({"admin", "staff"}),
    "read_referrals": frozenset({"admin", "staff", "champion"}),  # champions: their organisation's only
    "update_referrals": frozenset({"admin", "champion"}),  # champions: their organisation's only
    "read_audit_log": frozenset({"admin"}),
    "erase_personal_data": frozenset({"admin"}),
    "export_records": frozenset({"admin"}),
    "manage_directory": frozenset({"admin"}),
    "read_insight": frozenset({"admin"}),
    "propose_entries": frozenset({"partner"}),  # their own organisation's entries only
}


def can(role: str | None, action: str) -> bool:
    """True if a signed-in person with this role may take the action; unknown actions are refused."""
    return role is not None and role in PERMISSIONS.get(action, frozenset())
