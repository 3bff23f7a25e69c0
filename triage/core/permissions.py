"""Who may do what: the authorisation matrix for staff roles, and the rules about individual records.

Residents are anonymous and never sign in. Staff have one role each:
- `admin`: a council officer who manages accounts and sees everything;
- `staff`: customer service staff at the counter;
- `champion`: a Digital Champion attached to one organisation and the wards it serves;
- `partner`: someone at a partner organisation who proposes new directory entries and edits to the
  organisation's own entries, for an admin to approve.

`can(role, action)` answers from the matrix. The record rules below answer for one referral, plan, session
log or directory entry, from plain values (the person's role and organisation, the record's organisation), and
build on the matrix, so a change to `PERMISSIONS` changes them too. The web layer's list queries are
written from `referral_reach`, so a list cannot show what a record rule refuses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

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
    "run_assessment_for_someone": frozenset({"admin", "staff", "champion"}),
    "open_plans": frozenset({"admin", "staff", "champion"}),  # which ones: can_open_plan
    "open_any_plan": frozenset({"admin", "staff"}),  # the others open the plans they made or were referred
    "send_plan": frozenset({"admin", "staff"}),
    "read_outbox": frozenset({"admin", "staff"}),
    "refer": frozenset({"admin", "staff"}),
    "read_referrals": frozenset({"admin", "staff", "champion"}),
    "read_all_referrals": frozenset({"admin", "staff"}),  # the others read their organisation's only
    "update_referrals": frozenset({"admin", "champion"}),  # only referrals they may read
    "read_all_contact_details": frozenset({"admin"}),  # the others: see can_see_contact_details
    "read_audit_log": frozenset({"admin"}),
    "erase_personal_data": frozenset({"admin"}),
    "export_records": frozenset({"admin"}),
    "manage_directory": frozenset({"admin"}),
    "read_insight": frozenset({"admin"}),
    "propose_entries": frozenset({"partner"}),  # their own organisation's entries only
    "log_help_sessions": frozenset({"champion"}),  # for their organisation, from its venues
    "read_help_sessions": frozenset({"admin", "champion"}),  # which ones: help_session_reach
    "manage_all_help_sessions": frozenset({"admin"}),  # see and change any log, at any age
    "read_help_given": frozenset({"admin", "champion"}),  # the figures: all, or their organisation's
    "read_impact_report": frozenset({"admin", "champion"}),  # the same reach as read_help_given
    "publish_availability": frozenset({"admin", "champion"}),  # which entries: can_publish_availability
    "publish_any_availability": frozenset({"admin"}),  # the others their own organisation's entries
    "book_for_someone": frozenset({"admin", "staff", "champion"}),  # with the person's consent recorded
    "read_bookings": frozenset({"admin", "champion"}),  # the day's bookings, and marking them: booking_reach
    "read_all_bookings": frozenset({"admin"}),  # the others their own organisation's entries' bookings
}
CHANGE_OWN_LOGS_DAYS = 7  # a champion sees and changes their own session log for this long after its date


def can(role: str | None, action: str) -> bool:
    """True if a signed-in person with this role may take the action; unknown actions are refused."""
    return role is not None and role in PERMISSIONS.get(action, frozenset())


def receiving_roles() -> frozenset[str]:
    """The roles whose accounts take referrals for their organisation: they belong to one and may read and
    update its referrals (today, Digital Champions)."""
    return ORGANISATION_ROLES & PERMISSIONS["read_referrals"] & PERMISSIONS["update_referrals"]


@dataclass(frozen=True)
class Reach:
    """Whose referrals or help someone may read: every organisation's, one organisation's, or (neither) none; and,
    for an account limited to one district (or a reader who chose one), only the records whose ward is in that
    district (a LAD code; None: every district of the council)."""

    every: bool = False
    organisation_id: int | None = None
    district: str | None = None

    def admits(self, organisation_id: int | None) -> bool:
        """True if a referral sent to this organisation (None: to none) is within reach."""
        return self.every or (self.organisation_id is not None and organisation_id == self.organisation_id)


def in_district(limited_to: str | None, district: str | None) -> bool:
    """True if a record in `district` (a LAD code; None when its ward is not known) is within reach of an
    account limited to the district `limited_to` (None: an account for every district of the council). A
    limited account reaches only its own district's records: one whose ward is not known is not its."""
    return limited_to is None or district == limited_to


def referral_reach(role: str | None, organisation_id: int | None) -> Reach:
    """The referrals a person may read: all of them, those sent to their own organisation, or none."""
    if not can(role, "read_referrals"):
        return Reach()
    if can(role, "read_all_referrals"):
        return Reach(every=True)
    return Reach(organisation_id=organisation_id)


def can_see_referral(role: str | None, organisation_id: int | None, referral_organisation_id: int | None) -> bool:
    """True if the person may open a referral sent to that organisation."""
    return referral_reach(role, organisation_id).admits(referral_organisation_id)


def can_see_contact_details(
    role: str | None,
    organisation_id: int | None,
    referral_organisation_id: int | None,
    *,
    user_id: int,
    made_by_id: int | None,
    erased: bool,
) -> bool:
    """Contact details go only to the people who need them: officers, the receiving organisation, and
    whoever made the referral; and to nobody once they are erased."""
    if erased or not can_see_referral(role, organisation_id, referral_organisation_id):
        return False
    receiving = organisation_id is not None and organisation_id == referral_organisation_id
    return can(role, "read_all_contact_details") or receiving or made_by_id == user_id


def can_update_referral(role: str | None, organisation_id: int | None, referral_organisation_id: int | None) -> bool:
    """True if the person may change a referral's status and record its follow-up: only one they may read."""
    return can(role, "update_referrals") and can_see_referral(role, organisation_id, referral_organisation_id)


def can_open_plan(
    role: str | None,
    organisation_id: int | None,
    *,
    user_id: int,
    made_by_id: int | None,
    referred_to: Iterable[int | None],
) -> bool:
    """Counter staff and officers open any plan; a champion the plans they made with someone and those
    referred to their organisation (`referred_to`: the organisations the plan's referrals went to)."""
    if not can(role, "open_plans"):
        return False
    if can(role, "open_any_plan"):
        return True
    return made_by_id == user_id or (organisation_id is not None and organisation_id in set(referred_to))


@dataclass(frozen=True)
class LogReach:
    """Whose session logs someone may see: everyone's, or one person's (the ones they logged), or none."""

    every: bool = False
    logged_by_id: int | None = None

    def admits(self, logged_by_id: int | None) -> bool:
        return self.every or (self.logged_by_id is not None and logged_by_id == self.logged_by_id)


def help_session_reach(role: str | None, user_id: int | None) -> LogReach:
    """Officers see every session log; a champion only the ones they logged themselves."""
    if not can(role, "read_help_sessions"):
        return LogReach()
    if can(role, "manage_all_help_sessions"):
        return LogReach(every=True)
    return LogReach(logged_by_id=user_id)


def can_change_help_session(
    role: str | None, user_id: int | None, *, logged_by_id: int | None, session_date: date, today: date
) -> bool:
    """Officers correct or delete any log; a champion their own, until CHANGE_OWN_LOGS_DAYS after its date."""
    if can(role, "manage_all_help_sessions"):
        return True
    recent = today - session_date <= timedelta(days=CHANGE_OWN_LOGS_DAYS)
    return help_session_reach(role, user_id).admits(logged_by_id) and recent


def help_given_reach(
    role: str | None, organisation_id: int | None, action: str = "read_help_given", district: str | None = None
) -> Reach:
    """The help whose figures someone may read (on "Help given", or with action "read_impact_report" in the
    impact report): everyone's (officers) or their own organisation's, in `district` alone when one is given (the
    account's own, for an account limited to one: see in_district)."""
    if not can(role, action):
        return Reach()
    if can(role, "manage_all_help_sessions"):
        return Reach(every=True, district=district)
    return Reach(organisation_id=organisation_id, district=district)


def can_edit_entry(role: str | None, organisation_id: int | None, entry_organisation_id: int | None) -> bool:
    """True if the person may change a directory entry: officers any entry directly, partners their own
    organisation's entries by proposing a change."""
    if can(role, "manage_directory"):
        return True
    return can(role, "propose_entries") and organisation_id is not None and organisation_id == entry_organisation_id


def can_publish_availability(
    role: str | None,
    organisation_id: int | None,
    entry_organisation_id: int | None,
    *,
    district_code: str | None = None,
    entry_district: str | None = None,
) -> bool:
    """True if the person may publish what can be booked at a directory entry, and see and change its waiting
    lists: officers at any entry, champions at their own organisation's entries; an account limited to one district
    only at entries in it (in_district, with the entry's ward's district, None when not known)."""
    if not in_district(district_code, entry_district):
        return False
    if can(role, "publish_any_availability"):
        return True
    return (
        can(role, "publish_availability") and organisation_id is not None and organisation_id == entry_organisation_id
    )


def booking_reach(role: str | None, organisation_id: int | None) -> Reach:
    """Whose entries' bookings someone may see on the champion's day, and mark attended or did not come: every
    entry's (officers), their own organisation's (champions), or none."""
    if not can(role, "read_bookings"):
        return Reach()
    if can(role, "read_all_bookings"):
        return Reach(every=True)
    return Reach(organisation_id=organisation_id)


def can_see_booking(
    role: str | None,
    organisation_id: int | None,
    district_code: str | None,
    *,
    entry_organisation_id: int | None,
    entry_district: str | None,
) -> bool:
    """True if the person may see a booking at an entry of that organisation in that district (its ward's, None
    when not known) and mark it: within their booking_reach, and in_district for an account limited to one."""
    reach = booking_reach(role, organisation_id)
    return reach.admits(entry_organisation_id) and in_district(district_code, entry_district)
