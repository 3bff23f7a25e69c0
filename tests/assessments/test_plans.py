"""The plan as people get it: one first step, then the rest; honest gaps; the same order in the easy-read
version, the printout, the email and the API."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from helpers import CONFIDENT, OFFLINE, complete_journey, csrf_token
from sqlalchemy import update

from triage.web.extensions import db
from triage.web.models import Assessment, OutboxMessage, Resource

# Offline, with a date to meet, at home in Shepshed: wants a home visit or the phone.
HOUSEBOUND = {
    **OFFLINE,
    "devices": ["none"],
    "money": ["benefits"],
    "barriers": ["sight", "hearing"],
    "help_preferences": ["home_visit", "phone"],
    "deadline": "yes",
    "deadline_task": "renew my blue badge by 30 January",
}
# A smartphone on pay-as-you-go, often out of data, money tight: free data comes first, though a device
# (a bigger screen, for forms) is earlier in priority order.
OUT_OF_DATA = {
    **OFFLINE,
    "devices": ["smartphone"],
    "connection": "phone_data",
    "money": ["runs_out_of_data", "food_or_heating", "benefits"],
    "foundation_skills": CONFIDENT["foundation_skills"],
    "life_skills": ["messages", "search", "buy_or_pay"],
    "feelings": "worried_mistakes",
    "goals": ["benefits", "money_banking"],
    "barriers": ["none"],
    "help_preferences": ["one_to_one", "library_computer"],
}
# Reading and writing are hard; nothing else is in the way.
READING = {**CONFIDENT, "barriers": ["reading"]}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def create(client, answers, postcode="LE12 9AN") -> dict:
    response = client.post("/api/v1/assessments", json={"postcode": postcode, "answers": answers})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def steps(page: BeautifulSoup) -> list[str]:
    return [s["aria-labelledby"].removeprefix("step-") for s in page.select("section.signpost-step")]


def test_the_plan_opens_with_one_first_step_and_then_the_rest_in_priority_order(client):
    body = create(client, HOUSEBOUND)
    assert body["first_step"] == "assisted_digital"
    page = soup(client.get(f"/plan/{body['reference']}"))
    first = page.select("section.signpost-first-step")
    assert len(first) == 1 and first[0]["id"] == "first-step"
    assert first[0].find("h2").get_text(strip=True) == "Start here: Help with your task now"
    assert "Do this first, so you meet your date." in first[0].get_text(" ", strip=True)
    assert steps(page) == [r["code"] for r in body["routes"]]  # the deadline also comes first in priority
    assert page.find("h2", string="After that")


def test_the_first_steps_help_is_shown_in_full_and_other_choices_in_a_line(client):
    body = create(client, HOUSEBOUND)
    page = soup(client.get(f"/plan/{body['reference']}"))
    first = page.select_one("section.signpost-first-step")
    cards = first.select(".signpost-resource")
    assert len(cards) == 1
    chosen = next(r["resource"] for r in body["recommendations"] if r["routes"][0] == body["first_step"])
    assert chosen["description"] in cards[0].get_text(" ", strip=True)
    assert "helps you on the phone, as you asked" in cards[0].get_text(" ", strip=True)
    others = [r for r in body["recommendations"] if r["routes"][0] == body["first_step"]][1:]
    for other in others:
        line = first.find(id=f"help-{other['resource']['id']}")
        assert line.get_text(" ", strip=True).startswith("If that does not suit you, try")
        assert line.find("a")["href"] == f"/help/{other['resource']['slug']}"


def test_help_that_comes_to_the_person_is_offered_as_they_asked(client):
    body = create(client, HOUSEBOUND)
    champion = [r for r in body["recommendations"] if "champion" in r["routes"]]
    assert champion and "home_visit" in champion[0]["resource"]["delivery_modes"]
    assert "visits you at home, as you asked" in champion[0]["reasons"]
    wide = [r for r in body["recommendations"] if r["resource"]["coverage"] == "borough"]
    assert wide and all("for anyone in Charnwood" in r["reasons"] for r in wide)  # the district, by its name


def test_every_step_has_help_and_shared_help_points_to_its_step(client):
    body = create(client, HOUSEBOUND)
    page = soup(client.get(f"/plan/{body['reference']}"))
    text = page.get_text(" ", strip=True)
    assert "We do not know of help like this" not in text
    for section in page.select("section.signpost-step"):
        assert section.select(".signpost-resource") or "can help with this too" in section.get_text(" ")
    for link in page.select("section.signpost-step a[href^='#help-']"):
        assert page.find(id=link["href"][1:]), f"{link['href']} points nowhere"
    ids = [r["resource"]["id"] for r in body["recommendations"]]
    assert len(ids) == len(set(ids))
    assert all(page.find(id=f"help-{i}") for i in ids)


def test_more_help_of_a_kind_links_to_find_help_for_that_need_near_the_person(client):
    body = create(client, HOUSEBOUND)
    more = [r["code"] for r in body["routes"] if r["more_help"]]
    assert more, "the seed directory has more of some kind of help than a plan holds"
    page = soup(client.get(f"/plan/{body['reference']}"))
    ward = body["ward"]["code"]
    for code in more:
        link = page.find("a", href=f"/find-help?need={code}&area={ward}")
        assert link and "See more help of this kind" in link.get_text(" ", strip=True)
        results = soup(client.get(link["href"]))
        names = [h.get_text(strip=True) for h in results.select("#results ~ ol h3")]
        assert names, f"the search for {code} finds nothing"


def test_a_need_nothing_serves_says_so_and_how_to_ask_the_council(client, app, directory_restored):
    with app.app_context():
        literacy = [r for r in db.session.query(Resource) if "literacy" in (r.needs or [])]
        assert literacy
        db.session.execute(update(Resource).where(Resource.id.in_([r.id for r in literacy])).values(status="retired"))
        db.session.commit()
    body = create(client, {**READING, "barriers": ["reading", "english"], "language": "pl"})
    assert [r["code"] for r in body["routes"]] == ["literacy", "esol"]
    page = soup(client.get(f"/plan/{body['reference']}"))
    section = page.find("section", attrs={"aria-labelledby": "step-literacy"})
    text = section.get_text(" ", strip=True)
    assert "We do not know of help like this in Charnwood yet" in text
    assert section.find("a", href="https://www.charnwood.gov.uk")
    assert body["first_step"] == "esol"  # a step with help comes before one without


def test_when_help_exists_the_plan_never_says_it_does_not(client):
    body = create(client, READING)
    page = soup(client.get(f"/plan/{body['reference']}"))
    assert "We do not know of help like this" not in page.get_text(" ", strip=True)


def in_plan_order(body) -> list[str]:
    """The first step, then the other routes in priority order."""
    codes = [r["code"] for r in body["routes"]]
    return [body["first_step"], *(c for c in codes if c != body["first_step"])]


def test_a_first_step_out_of_priority_order_leads_the_plan(client):
    body = create(client, OUT_OF_DATA, postcode="LE11 5HQ")
    codes = [r["code"] for r in body["routes"]]
    assert body["first_step"] == "data_sim" and codes.index("data_sim") > 0
    page = soup(client.get(f"/plan/{body['reference']}"))
    assert steps(page) == in_plan_order(body)
    first = page.select_one("section.signpost-first-step .signpost-resource")
    chosen = next(r for r in body["recommendations"] if r["routes"][0] == "data_sim")
    assert first["id"] == f"help-{chosen['resource']['id']}"  # its own help, not help chosen for another step


def test_the_easy_read_plan_follows_the_same_order(client):
    body = create(client, OUT_OF_DATA, postcode="LE11 5HQ")
    page = soup(client.get(f"/plan/{body['reference']}/easy-read"))
    easy = [s["aria-labelledby"].removeprefix("step-") for s in page.select("section.signpost-easy-read__step")]
    assert easy == in_plan_order(body)
    headings = [h.get_text(strip=True) for h in page.select("h2.signpost-easy-read__start")]
    assert headings == ["Start here", "After that"]
    assert "Do this first." in page.select_one("section.signpost-easy-read__step").get_text(" ", strip=True)


@pytest.mark.parametrize("language", ["en", "pl", "gu", "ur"])
def test_the_printed_plan_follows_the_same_order_in_every_language(signed_in, language):
    staff = signed_in("staff")
    body = create(staff, OUT_OF_DATA, postcode="LE11 5HQ")
    printed = soup(staff.get(f"/staff/plans/{body['reference']}/print?language={language}&version=standard"))
    assert steps(printed) == in_plan_order(body)
    easy = soup(staff.get(f"/staff/plans/{body['reference']}/print?language={language}&version=easy_read"))
    assert [s["aria-labelledby"][5:] for s in easy.select("section.signpost-easy-read__step")] == in_plan_order(body)


def test_staff_see_the_steps_in_the_plans_order(signed_in):
    staff = signed_in("staff")
    body = create(staff, OUT_OF_DATA, postcode="LE11 5HQ")
    page = soup(staff.get(f"/staff/plans/{body['reference']}"))
    titles = [h.get_text(" ", strip=True) for h in page.select("h3") if h.get_text(strip=True)[:1].isdigit()]
    assert titles[0] == "1. Get free mobile data (start here)"
    assert len(titles) == len(body["routes"])


def test_the_emailed_plan_starts_with_the_first_step(signed_in, app):
    staff = signed_in("staff")
    body = create(staff, HOUSEBOUND)
    path = f"/staff/plans/{body['reference']}"
    data = {"csrf_token": csrf_token(staff, path), "method": "email", "email": "jo@example.org", "consent": "y"}
    assert staff.post(f"{path}/send", data=data).status_code == 302
    with app.app_context():
        email = db.session.query(OutboxMessage).one().body
    assert "Start here: Help with your task now" in email
    assert email.index("Start here") < email.index("After that:") < email.index("\n2. ")
    assert re.search(r"- Home visits from a Digital Champion, in step \d, can help with this too", email)
    assert "More help of this kind: http://localhost/find-help?need=" in email


def test_a_plan_saved_before_first_steps_gets_one_from_the_same_rule(client, app):
    body = create(client, HOUSEBOUND)
    with app.app_context():
        db.session.execute(update(Assessment).where(Assessment.reference == body["reference"]).values(first_step=None))
        db.session.commit()
    again = client.get(f"/api/v1/assessments/{body['reference']}").get_json()
    assert again["first_step"] == body["first_step"]
    page = soup(client.get(f"/plan/{body['reference']}"))
    assert page.select_one("section.signpost-first-step")["aria-labelledby"] == f"step-{body['first_step']}"


def test_a_resident_journey_gives_the_same_first_step_as_the_api(client):
    page = soup(complete_journey(client, HOUSEBOUND, postcode="LE12 9AN"))
    reference = page.find(class_="signpost-reference").get_text(strip=True)
    api = client.get(f"/api/v1/assessments/{reference}").get_json()
    assert page.select_one("section.signpost-first-step")["aria-labelledby"] == f"step-{api['first_step']}"


def test_a_confident_persons_one_step_is_their_first(client):
    body = create(client, CONFIDENT, postcode="LE11 3DU")
    assert [r["code"] for r in body["routes"]] == ["volunteer"]
    assert body["first_step"] == "volunteer"
    page = soup(client.get(f"/plan/{body['reference']}"))
    assert not page.find("h2", string="After that")


def test_help_shown_in_the_first_step_is_named_where_it_helps_again(client):
    carer = {
        **READING,
        "who_for": "someone_i_help",
        "devices": ["tablet"],
        "foundation_skills": ["turn_on_and_log_in"],
        "life_skills": ["messages"],
        "feelings": "nervous",
        "barriers": ["memory", "hearing"],
        "help_preferences": ["home_visit", "one_to_one"],
    }
    body = create(client, carer, postcode="LE7 7AU")
    page = soup(client.get(f"/plan/{body['reference']}"))
    first = page.select_one("section.signpost-first-step .signpost-resource")
    mentions = page.select(f"section.signpost-step a[href='#{first['id']}']")
    assert mentions, "the first step's help serves no other step"
    for link in mentions:
        assert "in the first step, can help with this too" in link.parent.get_text(" ", strip=True)
