"""The permission rules, tested without Flask: the role matrix and the rules about one referral or entry."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.core.permissions import (
    ORGANISATION_ROLES,
    PERMISSIONS,
    ROLES,
    Reach,
    can,
    can_edit_entry,
    can_see_contact_details,
    can_see_referral,
    can_update_referral,
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
