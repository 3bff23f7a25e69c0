"""Every row of the routing table: which help each kind of need calls for."""

from __future__ import annotations

import pytest
from test_scoring_rules import BASE

from triage.core import scoring
from triage.core.questionnaire import validate_answers
from triage.core.routing import ORDER, first_step, routes_for


def fired(**changes) -> dict[str, str]:
    answers = validate_answers({**BASE, **changes})
    routes = routes_for(answers, scoring.score(answers))
    assert [r.code for r in routes] == sorted((r.code for r in routes), key=ORDER.get), "not in priority order"
    assert all(r.why for r in routes)
    return {r.code: str(r.why) for r in routes}


def test_confident_person_is_invited_to_volunteer_and_nothing_else():
    assert list(fired()) == ["volunteer"]


@pytest.mark.parametrize(
    ("changes", "route"),
    [
        ({"deadline": "yes", "deadline_task": "renew bus pass by Friday"}, "assisted_digital"),
        ({"devices": ["none"]}, "device"),
        ({"devices": ["basic_phone"]}, "device"),
        ({"devices": ["smartphone"], "goals": ["council"]}, "device"),
        ({"devices": ["none"]}, "free_computers"),
        ({"connection": "public_wifi"}, "free_computers"),
        ({"connection": "not_online"}, "free_computers"),
        ({"money": ["runs_out_of_data"]}, "data_sim"),
        ({"connection": "not_online", "money": ["benefits"]}, "data_sim"),
        ({"money": ["cannot_afford_broadband", "benefits"]}, "social_tariff"),
        ({"money": ["food_or_heating"]}, "money_advice"),
        ({"money": ["food_or_heating"]}, "data_sim"),
        ({"foundation_skills": ["none"], "life_skills": ["none"]}, "champion"),
        ({"life_skills": ["messages", "search"]}, "course"),
        ({"life_skills": ["messages", "search"]}, "champion"),
        ({"life_skills": ["messages", "search", "buy_or_pay", "fix_problems"]}, "staying_safe"),
        ({"feelings": "nervous"}, "staying_safe"),
        ({"feelings": "does_not_want", "goals": ["none"]}, "low_pressure"),
        ({"barriers": ["sight"]}, "accessibility"),
        ({"barriers": ["hearing"]}, "accessibility"),
        ({"barriers": ["hands"]}, "accessibility"),
        ({"barriers": ["memory"]}, "learning_disability"),
        ({"barriers": ["reading"]}, "literacy"),
        ({"barriers": ["english"], "language": "ur"}, "esol"),
        ({"who_for": "someone_i_help"}, "helpers"),
        ({"goals": ["school"], "devices": ["smartphone"]}, "device"),
        ({"goals": ["school"], "connection": "phone_data"}, "data_sim"),
    ],
)
def test_each_need_fires_its_route(changes, route):
    assert route in fired(**changes)


@pytest.mark.parametrize(
    ("changes", "route"),
    [
        ({"devices": ["smartphone"], "goals": ["shopping"]}, "device"),  # a smartphone is enough for shopping
        ({"devices": ["computer"], "goals": ["school"], "connection": "phone_data"}, "device"),  # data, not a device
        ({"money": ["cannot_afford_broadband"]}, "social_tariff"),  # not on benefits: not eligible
        ({"money": ["benefits"]}, "data_sim"),  # on benefits but online at home
        ({"barriers": ["anxiety"]}, "accessibility"),
        ({"who_for": "customer"}, "helpers"),  # staff at the counter are not the helpers meant here
    ],
)
def test_routes_do_not_fire_without_their_need(changes, route):
    assert route not in fired(**changes)


def test_someone_who_does_not_want_to_go_online_is_not_pushed_into_learning():
    routes = fired(feelings="does_not_want", goals=["none"], foundation_skills=["none"], life_skills=["none"])
    assert "low_pressure" in routes
    assert "champion" not in routes and "course" not in routes


def test_low_band_never_gets_a_beginner_course():
    routes = fired()
    assert "course" not in routes and "volunteer" in routes


def test_a_person_with_any_skills_gap_is_not_asked_to_volunteer():
    assert "volunteer" not in fired(life_skills=["messages", "search", "buy_or_pay", "fix_problems"])


def test_whys_speak_to_the_person():
    why = fired(devices=["basic_phone"])["device"]
    assert why == "you only have a phone for calls and texts"


def first(served=None, **changes) -> str | None:
    answers = validate_answers({**BASE, **changes})
    routes = routes_for(answers, scoring.score(answers))
    return first_step(answers, routes, {r.code for r in routes} if served is None else served)


OFFLINE = {"devices": ["none"], "connection": "not_online", "money": ["benefits"], "foundation_skills": ["none"]}
DEADLINE = {"deadline": "yes", "deadline_task": "renew bus pass by Friday"}


@pytest.mark.parametrize(
    ("changes", "step"),
    [
        ({**OFFLINE, **DEADLINE}, "assisted_digital"),  # a date comes before everything
        (OFFLINE, "device"),  # then a device, when there is none
        ({**OFFLINE, "devices": ["basic_phone"]}, "device"),
        ({"devices": ["smartphone"], "goals": ["school"]}, "device"),  # school work needs a laptop or tablet
        # A smartphone and a bigger screen to want: free data first, the device last of all.
        ({"devices": ["smartphone"], "goals": ["council"], "money": ["runs_out_of_data"]}, "data_sim"),
        ({"devices": ["smartphone"], "goals": ["council"], "life_skills": ["messages"]}, "free_computers"),
        ({"life_skills": ["messages"], "barriers": ["sight"]}, "champion"),  # then priority order
        ({"barriers": ["english"], "language": "pl", "who_for": "someone_i_help"}, "esol"),
        ({}, "volunteer"),
    ],
)
def test_the_first_step_is_the_one_a_champion_would_start_with(changes, step):
    assert first(**changes) == step


def test_a_step_with_help_comes_before_one_without():
    assert first(served={"free_computers", "champion"}, **OFFLINE) == "free_computers"
    assert first(served=set(), **OFFLINE) == "device"  # nothing has help: still the most important


def test_no_routes_no_first_step():
    assert first_step(validate_answers(BASE), [], set()) is None
