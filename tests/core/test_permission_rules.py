"""The permission rules, tested without Flask: the role matrix and the rules about one referral or entry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.core.permissions import (
    CHANGE_OWN_LOGS_DAYS,
    ORGANISATION_ROLES,
    PERMISSIONS,
    ROLES,
    LogReach,
    Reach,
    booking_reach,
    can,
    can_change_help_session,
    can_edit_entry,
    can_open_plan,
    can_publish_availability,
    can_see_booking,
    can_see_contact_details,
    can_see_referral,
    can_update_referral,
    help_given_reach,
    help_session_reach,
    in_district,
    receiving_roles,
    referral_reach,
)

OURS, THEIRS = 1, 2  # two organisations
ROLE_OR_NOBODY = st.sampled_from([*ROLES, None, "resident"])
ORGANISATION = st.none() | st.integers(min_value=1, max_value=3)


def test_the_matrix_names_only_real_roles_and_refuses_the_unknown():
    assert all(roles <= set(ROLES) for roles in PERMISSIONS.values())
    assert can("admin", "manage_accounts") and not can("staff", "manage_accounts")
    assert not can(None, "use_staff_area") and not can("admin", "launch_rockets")


@pytest.mark.parametrize(
    ("role", "organisation", "reach"),
    [
        ("admin", None, Reach(every=True)),
        ("staff", None, Reach(every=True)),
        ("champion", OURS, Reach(organisation_id=OURS)),
        ("champion", None, Reach()),  # a champion without an organisation is sent nothing
        ("partner", OURS, Reach()),
        (None, None, Reach()),
    ],
)
def test_who_reaches_which_referrals(role, organisation, reach):
    assert referral_reach(role, organisation) == reach


@pytest.mark.parametrize(
    ("role", "organisation", "sees"),
    [
        ("admin", None, {OURS, THEIRS, None}),
        ("staff", None, {OURS, THEIRS, None}),
        ("champion", OURS, {OURS}),
        ("champion", None, set()),
        ("partner", OURS, set()),
    ],
)
def test_champions_see_only_referrals_sent_to_their_organisation(role, organisation, sees):
    assert {sent_to for sent_to in (OURS, THEIRS, None) if can_see_referral(role, organisation, sent_to)} == sees


@pytest.mark.parametrize(
    ("role", "organisation", "updates"),
    [
        ("admin", None, {OURS, THEIRS, None}),
        ("staff", None, set()),
        ("champion", OURS, {OURS}),
        ("partner", OURS, set()),
    ],
)
def test_officers_and_the_receiving_champions_update_referrals(role, organisation, updates):
    assert {sent_to for sent_to in (OURS, THEIRS, None) if can_update_referral(role, organisation, sent_to)} == updates


def _contact(role, organisation, sent_to=OURS, made_it=False, erased=False):
    return can_see_contact_details(
        role, organisation, sent_to, user_id=7, made_by_id=7 if made_it else 8, erased=erased
    )


def test_contact_details_go_to_officers_the_receiving_organisation_and_whoever_referred():
    assert _contact("admin", None, sent_to=THEIRS)
    assert _contact("champion", OURS) and not _contact("champion", OURS, sent_to=THEIRS)
    assert _contact("staff", None, made_it=True) and not _contact("staff", None)
    assert not _contact("partner", OURS)  # a partner reads no referrals at all


@pytest.mark.parametrize("role", ["admin", "staff", "champion"])
def test_erased_contact_details_go_to_nobody(role):
    assert not _contact(role, OURS, made_it=True, erased=True)


def test_not_having_the_referrer_recorded_makes_nobody_the_referrer():
    assert not can_see_contact_details("staff", None, OURS, user_id=7, made_by_id=None, erased=False)


@pytest.mark.parametrize(
    ("role", "organisation", "edits"),
    [
        ("admin", None, {OURS, THEIRS, None}),
        ("partner", OURS, {OURS}),
        ("partner", None, set()),  # not even entries that belong to no organisation
        ("champion", OURS, set()),
        ("staff", None, set()),
    ],
)
def test_officers_edit_any_entry_and_partners_their_own(role, organisation, edits):
    assert {owner for owner in (OURS, THEIRS, None) if can_edit_entry(role, organisation, owner)} == edits


@given(role=ROLE_OR_NOBODY, organisation=ORGANISATION, sent_to=ORGANISATION, made_it=st.booleans())
def test_nobody_acts_on_a_referral_they_cannot_see(role, organisation, sent_to, made_it):
    sees = can_see_referral(role, organisation, sent_to)
    assert sees == referral_reach(role, organisation).admits(sent_to)
    assert sees or not can_update_referral(role, organisation, sent_to)
    assert sees or not _contact(role, organisation, sent_to, made_it=made_it)
    if can(role, "read_referrals") and not can(role, "read_all_referrals"):
        assert sees == (organisation is not None and organisation == sent_to)


@given(role=ROLE_OR_NOBODY, organisation=ORGANISATION, owner=ORGANISATION)
def test_only_directory_managers_edit_entries_outside_their_organisation(role, organisation, owner):
    if can_edit_entry(role, organisation, owner) and not can(role, "manage_directory"):
        assert can(role, "propose_entries") and organisation is not None and organisation == owner


def test_referrals_go_to_organisations_with_someone_who_may_read_and_update_them():
    assert receiving_roles() == {"champion"}
    for role in receiving_roles():
        assert role in ORGANISATION_ROLES and can(role, "read_referrals") and can(role, "update_referrals")


ME, SOMEONE_ELSE = 7, 8


@pytest.mark.parametrize(
    ("role", "organisation", "made_by", "referred_to", "opens"),
    [
        ("admin", None, None, [], True),
        ("staff", None, None, [], True),
        ("champion", OURS, ME, [], True),  # a walk-in they took through the questions
        ("champion", OURS, SOMEONE_ELSE, [OURS], True),  # referred to their organisation
        ("champion", OURS, SOMEONE_ELSE, [THEIRS, None], False),
        ("champion", None, SOMEONE_ELSE, [None], False),  # no organisation matches a referral to none
        ("partner", OURS, ME, [OURS], False),
        (None, None, ME, [OURS], False),
    ],
)
def test_who_opens_which_plan(role, organisation, made_by, referred_to, opens):
    assert can_open_plan(role, organisation, user_id=ME, made_by_id=made_by, referred_to=referred_to) == opens


def test_champions_run_the_questions_with_someone_but_do_not_send_or_refer():
    assert can("champion", "run_assessment_for_someone") and not can("champion", "open_any_plan")
    assert not can("champion", "send_plan") and not can("champion", "refer")


TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("role", "logged_by", "days_ago", "changes"),
    [
        ("champion", ME, 0, True),
        ("champion", ME, CHANGE_OWN_LOGS_DAYS, True),
        ("champion", ME, CHANGE_OWN_LOGS_DAYS + 1, False),  # only an officer now
        ("champion", SOMEONE_ELSE, 0, False),
        ("admin", SOMEONE_ELSE, 400, True),
        ("staff", ME, 0, False),
        ("partner", ME, 0, False),
        (None, ME, 0, False),
    ],
)
def test_champions_change_their_own_logs_for_a_week_and_officers_any(role, logged_by, days_ago, changes):
    day = TODAY - timedelta(days=days_ago)
    assert can_change_help_session(role, ME, logged_by_id=logged_by, session_date=day, today=TODAY) == changes


def test_who_lists_which_logs_and_whose_figures():
    assert help_session_reach("admin", ME) == LogReach(every=True)
    assert help_session_reach("champion", ME) == LogReach(logged_by_id=ME)
    assert help_session_reach("staff", ME) == LogReach() and not LogReach().admits(None)
    assert help_given_reach("admin", None) == Reach(every=True)
    assert help_given_reach("champion", OURS) == Reach(organisation_id=OURS)
    assert help_given_reach("partner", OURS) == Reach()
    impact = "read_impact_report"
    assert help_given_reach("admin", None, impact) == Reach(every=True)
    assert help_given_reach("champion", OURS, impact) == Reach(organisation_id=OURS)
    assert help_given_reach("staff", None, impact) == Reach() and help_given_reach("partner", OURS, impact) == Reach()
    district = "E07000129"
    assert help_given_reach("admin", None, impact, district) == Reach(every=True, district=district)
    assert help_given_reach("champion", OURS, district=district) == Reach(organisation_id=OURS, district=district)
    assert help_given_reach("partner", OURS, district=district) == Reach()  # nothing, in any district


@given(role=ROLE_OR_NOBODY, logged_by=st.sampled_from([ME, SOMEONE_ELSE, None]), days=st.integers(-3, 30))
def test_nobody_changes_a_log_they_cannot_list(role, logged_by, days):
    day = TODAY - timedelta(days=days)
    if can_change_help_session(role, ME, logged_by_id=logged_by, session_date=day, today=TODAY):
        assert help_session_reach(role, ME).admits(logged_by)


@pytest.mark.parametrize(
    ("role", "organisation", "publishes"),
    [
        ("admin", None, {OURS, THEIRS, None}),
        ("champion", OURS, {OURS}),
        ("champion", None, set()),  # not even entries that belong to no organisation
        ("partner", OURS, set()),
        ("staff", None, set()),
        (None, None, set()),
    ],
)
def test_officers_publish_availability_anywhere_and_champions_at_their_own_entries(role, organisation, publishes):
    assert {owner for owner in (OURS, THEIRS, None) if can_publish_availability(role, organisation, owner)} == publishes


@pytest.mark.parametrize("role", ["admin", "champion"])
@pytest.mark.parametrize("entry_district", ["E07000130", "E07000129", None])
def test_an_account_limited_to_a_district_publishes_only_at_entries_in_it(role, entry_district):
    def publishes(limited_to):
        return can_publish_availability(role, OURS, OURS, district_code=limited_to, entry_district=entry_district)

    assert publishes(None)  # every district of the council
    assert publishes("E07000130") is (entry_district == "E07000130")  # an entry with no ward is not theirs


@pytest.mark.parametrize(("role", "books"), [("admin", True), ("staff", True), ("champion", True), ("partner", False)])
def test_counter_staff_champions_and_officers_book_for_someone(role, books):
    assert can(role, "book_for_someone") is books
    assert not can(None, "book_for_someone")


DISTRICTS = st.one_of(st.none(), st.sampled_from(["E07000129", "E07000130", "E07000131"]))


@given(limited_to=DISTRICTS, district=DISTRICTS)
def test_an_account_for_one_district_reaches_that_districts_records_only(limited_to, district):
    reached = in_district(limited_to, district)
    if limited_to is None:
        assert reached  # an account for every district reaches every record, ward known or not
    else:
        assert reached == (district == limited_to)
        assert not in_district(limited_to, None)  # a record whose ward is not known is not the district's


@pytest.mark.parametrize(
    ("role", "organisation", "sees"),
    [("admin", None, True), ("champion", OURS, True), ("champion", THEIRS, False), ("staff", None, False),
     ("partner", OURS, False), (None, None, False), ("champion", None, False)],
)  # fmt: skip
def test_officers_see_every_entrys_bookings_and_champions_their_own(role, organisation, sees):
    assert can_see_booking(role, organisation, None, entry_organisation_id=OURS, entry_district="E07000130") is sees


@given(ROLE_OR_NOBODY, ORGANISATION, ORGANISATION, st.sampled_from([None, "E07000130", "E07000129"]),
       st.sampled_from([None, "E07000130", "E07000129"]))  # fmt: skip
def test_nobody_sees_a_booking_beyond_their_reach_or_district(role, organisation, entry_organisation, limited, where):
    sees = can_see_booking(role, organisation, limited, entry_organisation_id=entry_organisation, entry_district=where)
    assert sees == (booking_reach(role, organisation).admits(entry_organisation) and in_district(limited, where))
    if sees:
        assert can(role, "read_bookings")
        assert limited is None or where == limited  # a limited account never sees an entry of no known district
