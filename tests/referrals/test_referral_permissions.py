"""Who sees which referral, on real rows: the inbox's SQL filter (visible_to) and the rule a referral's page
asks (triage.core.permissions.can_see_referral) must agree for every role and organisation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import CHAMPIONS, OTHER_ORG
from sqlalchemy import select

from triage.core.permissions import ROLES
from triage.web.accounts.permissions import RECORD_RULES
from triage.web.extensions import db
from triage.web.models import Organisation, Referral, Resource, StaffUser, Ward
from triage.web.referrals.service import visible_to


@pytest.fixture
def referrals_to_everyone(app_ctx):
    """One referral to each of two organisations and one to no organisation (flushed, never committed);
    the organisations' ids."""
    ids = [db.session.execute(select(Organisation.id).filter_by(name=n)).scalar_one() for n in (CHAMPIONS, OTHER_ORG)]
    resource = db.session.execute(select(Resource).order_by(Resource.id)).scalars().first()
    ward = db.session.execute(select(Ward.code).order_by(Ward.code)).scalars().first()
    for organisation_id in [*ids, None]:
        for ward_code in (ward, None):  # a referral whose ward is known, and one whose ward is not
            db.session.add(
                Referral(
                    resource=resource,
                    organisation_id=organisation_id,
                    ward_code=ward_code,
                    consent_recorded_at=datetime.now(UTC),
                )
            )
    db.session.flush()
    return ids


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("belongs_to", [0, 1, None])
@pytest.mark.parametrize("district", [None, "E07000130", "E07000129"])
def test_the_inbox_lists_exactly_the_referrals_the_rule_lets_them_open(
    referrals_to_everyone, role, belongs_to, district
):
    organisation_id = None if belongs_to is None else referrals_to_everyone[belongs_to]
    user = StaffUser(role=role, organisation_id=organisation_id, district_code=district)
    every = db.session.execute(select(Referral)).scalars().all()
    listed = set(db.session.execute(visible_to(user)).scalars())
    allowed = {r for r in every if RECORD_RULES["see_referral"](user, r)}
    assert len(every) == 6
    assert listed == allowed
    if district is not None:  # an account limited to a district sees no referral whose ward is not known
        assert all(r.ward_code is not None for r in listed)
    if district == "E07000129":  # Blaby: none of the Charnwood referrals
        assert not listed
