"""The staff navigation and home page follow the permissions: for every role, each link they show opens,
and each page the role may open is linked where it is meant to be, even when PERMISSIONS changes."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import url_for

from triage.core.permissions import ORGANISATION_ROLES, PERMISSIONS, ROLES, can
from triage.web.accounts.permissions import user_can

# Each permission that opens pages, and its front door: the page the staff home links to. Every other page
# behind that permission is reached from its front door.
FRONT_DOORS = {
    "use_staff_area": "staff.home",
    "run_assessment_for_someone": "staff.assess",
    "open_any_plan": "staff.find_plan",
    "read_outbox": "staff.outbox",
    "read_referrals": "staff.referrals",
    "propose_entries": "staff.partner_entries",
    "read_insight": "staff.insight",
    "manage_directory": "staff.directory",
    "manage_accounts": "staff.accounts",
    "read_audit_log": "staff.audit_log",
    "export_records": "staff.exports",
    "erase_personal_data": "staff.erase",
    "log_help_sessions": "staff.log_session",
    "read_help_sessions": "staff.help_sessions",
    "read_help_given": "staff.help_given",
    "read_impact_report": "staff.impact_report",
    "publish_availability": "staff.availability_entries",
    "read_bookings": "staff.booking_day",
}
# Every staff page links to the signed-in person's own pages, whatever their role, beside "Sign out".
OWN_PAGES = {"staff.change_password"}
# The front doors the navigation links to as well (the records pages are on the staff home only).
IN_NAVIGATION = {
    "staff.home",
    "staff.assess",
    "staff.find_plan",
    "staff.outbox",
    "staff.referrals",
    "staff.partner_entries",
    "staff.insight",
    "staff.directory",
    "staff.accounts",
}


def _turned_around() -> dict[str, frozenset[str]]:
    """Every front door's permission taken from the roles that have it and given to those that do not.

    Everyone keeps the staff area, and proposing entries stays with roles that belong to an organisation
    (it is about that organisation's entries).
    """
    turned = {}
    for permission in FRONT_DOORS.keys() - {"use_staff_area"}:
        eligible = ORGANISATION_ROLES if permission == "propose_entries" else frozenset(ROLES)
        turned[permission] = eligible - PERMISSIONS[permission]
    return turned


def test_every_staff_page_has_a_front_door_behind_the_same_permission(app):
    guarded: dict[str | None, set[str]] = {}  # the pages (without parameters) behind each permission
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff.") and "GET" in rule.methods and not rule.arguments:
            permission = getattr(app.view_functions[rule.endpoint], "required_permission", None)
            guarded.setdefault(permission, set()).add(rule.endpoint)
    assert guarded.pop(None) == {"staff.sign_in"}
    assert guarded.keys() == FRONT_DOORS.keys()
    for permission, endpoint in FRONT_DOORS.items():
        assert endpoint in guarded[permission]


@pytest.mark.parametrize("matrix", ["as set", "turned around"])
@pytest.mark.parametrize("role", ROLES)
def test_navigation_and_home_link_exactly_the_pages_the_role_may_open(app, signed_in, monkeypatch, role, matrix):
    if matrix == "turned around":
        for permission, roles in _turned_around().items():
            monkeypatch.setitem(PERMISSIONS, permission, roles)
    allowed = {endpoint for permission, endpoint in FRONT_DOORS.items() if can(role, permission)}
    with app.test_request_context():
        expected_navigation = {url_for(e) for e in allowed & IN_NAVIGATION}
        expected_home = {url_for(e) for e in (allowed - {"staff.home"}) | OWN_PAGES}
    client = signed_in(role)
    page = BeautifulSoup(client.get("/staff/").get_data(as_text=True), "html.parser")
    navigation = {a["href"] for a in page.select(".govuk-service-navigation__list a")}
    home = {a["href"] for a in page.select("main a")}
    assert navigation == expected_navigation
    assert home == expected_home
    for href in sorted(navigation | home):
        assert client.get(href).status_code == 200, href


def test_a_record_rule_asked_without_its_record_is_a_mistake_not_a_no(app):
    with app.test_request_context(), pytest.raises(TypeError, match="pass the record"):
        user_can("update_referral")
