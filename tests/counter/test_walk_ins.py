"""Digital Champions' walk-ins: the questions with someone at one of their organisation's venues (or
somewhere else), and which plans they may then open."""

from __future__ import annotations

import pytest
from helpers import CHAMPIONS, OFFLINE, answer, csrf_token, errors, page_text, refer
from sqlalchemy import select

from triage.web.extensions import db
from triage.web.models import Assessment, AuditEvent, Organisation, Resource


def venue_of(app, organisation: str, ours: bool = True) -> Resource:
    """The first of an organisation's entries with an address (with ours=False: of anyone else's)."""
    with app.app_context():
        org = db.session.execute(select(Organisation).where(Organisation.name == organisation)).scalar_one()
        owned = Resource.organisation_id == org.id if ours else Resource.organisation_id.is_distinct_from(org.id)
        query = select(Resource).where(owned, Resource.address != "")
        venue = db.session.execute(query.order_by(Resource.name, Resource.id)).scalars().first()
        assert venue is not None, f"{organisation} has no venue in the seeded directory"
        db.session.expunge(venue)
        return venue


def walk_in(client, venue: str):
    token = csrf_token(client, "/staff/assess")
    return client.post("/staff/assess", data={"csrf_token": token, "venue": venue, "consent": "y"})


def finish(client):
    answer(client, "postcode", "LE11 3DU")
    for page, value in list(OFFLINE.items())[1:]:
        answer(client, page, value)
    return client.post("/check-your-answers", data={"csrf_token": csrf_token(client, "/check-your-answers")})


def test_a_champion_chooses_one_of_their_venues_or_somewhere_else(app, people):
    champion = people("champion@example.org")
    ours, theirs = venue_of(app, CHAMPIONS), venue_of(app, CHAMPIONS, ours=False)
    page = page_text(champion.get("/staff/assess"))
    assert ours.name in page and "Somewhere else" in page and theirs.name not in page
    assert "At the council counter" not in page


def test_a_walk_in_plan_records_the_venue_the_champion_and_consent(app, people):
    champion = people("champion@example.org")
    venue = venue_of(app, CHAMPIONS)
    assert walk_in(champion, str(venue.id)).headers["Location"].endswith("/questions/postcode")
    done = finish(champion)
    assert "/staff/plans/" in done.headers["Location"]
    plan_page = page_text(champion.get(done.headers["Location"]))
    assert f"In person at {venue.name}" in plan_page and "Log a session" in plan_page
    assert "Send this plan" not in plan_page and "Refer them" not in plan_page  # counter staff's tasks
    with app.app_context():
        stored = db.session.execute(select(Assessment)).scalar_one()
        assert (stored.channel, stored.venue_id, stored.who_for) == ("in_person", venue.id, "customer")
        assert stored.consent_recorded_at is not None and stored.in_insight and stored.address_day is None
        assert db.session.execute(select(AuditEvent.action).where(AuditEvent.action == "plan created")).scalar_one()


def test_somewhere_else_is_a_walk_in_without_a_venue(app, people):
    champion = people("champion@example.org")
    walk_in(champion, "elsewhere")
    done = finish(champion)
    assert "In person, somewhere else" in page_text(champion.get(done.headers["Location"]))
    with app.app_context():
        stored = db.session.execute(select(Assessment)).scalar_one()
        assert (stored.channel, stored.venue_id) == ("in_person", None)


def test_another_organisations_venue_or_no_consent_is_refused(app, people):
    champion = people("champion@example.org")
    response = walk_in(champion, str(venue_of(app, CHAMPIONS, ours=False).id))
    assert response.status_code == 200 and errors(response) == ["Not a valid choice."]
    token = csrf_token(champion, "/staff/assess")
    response = champion.post("/staff/assess", data={"csrf_token": token})
    assert errors(response) == ["Select where you are helping them", "Ask for their agreement before you start"]


@pytest.mark.parametrize(
    ("who", "opens"),
    [
        ("champion@example.org", True),  # made it
        ("other@example.org", False),  # another organisation's champion
        ("staff@example.org", True),
        ("admin@example.org", True),
    ],
)
def test_a_walk_in_plan_opens_for_whoever_made_it_and_counter_staff(app, people, who, opens):
    champion = people("champion@example.org")
    walk_in(champion, "elsewhere")
    plan_url = finish(champion).headers["Location"]
    assert people(who).get(plan_url).status_code == (200 if opens else 404)
    assert people(who).get(f"{plan_url}/print").status_code == (200 if opens else 404)


def test_champions_open_plans_referred_to_their_organisation_only(people, plan):
    reference, drop_in = plan
    assert people("champion@example.org").get(f"/staff/plans/{reference}").status_code == 404
    refer(people("staff@example.org"), reference, drop_in)
    assert people("champion@example.org").get(f"/staff/plans/{reference}").status_code == 200
    assert people("other@example.org").get(f"/staff/plans/{reference}").status_code == 404
    assert people(None).get(f"/staff/plans/{reference}").headers["Location"].startswith("/staff/sign-in")


def test_partners_cannot_help_someone_with_the_questions(signed_in):
    assert signed_in("partner").get("/staff/assess").status_code == 403
