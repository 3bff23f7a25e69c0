"""Every scoring rule and floor of the versioned model, on hand-checked answer sets."""

from __future__ import annotations

import pytest

from triage.core import scoring
from triage.core.questionnaire import BY_ID, validate_answers
from triage.core.scoring import DomainScore, band_for, has_money_worries, score_affordability

ALL_FOUNDATION = ["turn_on_and_log_in", "join_wifi", "open_app_or_website", "change_settings", "passwords"]
ALL_LIFE = ["messages", "search", "buy_or_pay", "forms", "fix_problems", "spot_scams"]
BASE = {
    "who_for": "me",
    "devices": ["computer"],
    "connection": "broadband",
    "money": ["none"],
    "foundation_skills": ALL_FOUNDATION,
    "life_skills": ALL_LIFE,
    "feelings": "confident",
    "goals": ["shopping"],
    "barriers": ["none"],
    "help_preferences": ["group"],
    "deadline": "no",
}


def result(**changes):
    return scoring.score(validate_answers({**BASE, **changes}))


def assert_reasons_add_up(r):
    for d in r.domains.values():
        assert sum(x.points for x in d.reasons) == d.score, d
        assert all(x.text for x in d.reasons)


def test_no_barriers_scores_zero_everywhere_and_low_band():
    r = result()
    assert {d: s.score for d, s in r.domains.items()} == dict.fromkeys(r.domains, 0)
    assert r.band == "low" and r.mean == 0
    assert_reasons_add_up(r)


@pytest.mark.parametrize(
    ("devices", "connection", "expected"),
    [
        (["none"], "broadband", 10),
        (["basic_phone"], "broadband", 8),
        (["smartphone"], "broadband", 4),
        (["tablet"], "broadband", 3),
        (["smartphone", "tablet"], "broadband", 3),  # the best device counts
        (["computer", "basic_phone"], "broadband", 0),
        (["computer"], "phone_data", 4),
        (["computer"], "public_wifi", 7),
        (["computer"], "not_online", 10),
        (["smartphone"], "public_wifi", 7),  # the worse of device and connection
        (["basic_phone"], "phone_data", 8),
    ],
)
def test_access_is_the_worse_of_best_device_and_connection(devices, connection, expected):
    r = result(devices=devices, connection=connection)
    assert r.score("access") == expected
    assert_reasons_add_up(r)


@pytest.mark.parametrize(
    ("money", "expected"),
    [
        (["runs_out_of_data"], 5),
        (["cannot_afford_broadband"], 6),
        (["food_or_heating"], 8),
        (["runs_out_of_data", "cannot_afford_broadband"], 8),  # 6 + 2
        (["runs_out_of_data", "cannot_afford_broadband", "food_or_heating"], 10),  # 8 + 2 + 2 = 12, capped
        (["benefits"], 0),  # eligibility only
        (["food_or_heating", "benefits"], 8),
        (["rather_not_say"], 0),
    ],
)
def test_affordability_is_highest_plus_two_per_extra_capped(money, expected):
    r = result(money=money)
    assert r.score("affordability") == expected
    assert_reasons_add_up(r)


def test_affordability_cap_is_explained():
    reasons = (
        result(money=["runs_out_of_data", "cannot_afford_broadband", "food_or_heating"])
        .domains["affordability"]
        .reasons
    )
    assert reasons[-1].points == -2 and "capped" in reasons[-1].text


@pytest.mark.parametrize(
    ("foundation", "life", "expected"),
    [
        (["none"], ["none"], 10),
        (["turn_on_and_log_in"], ["none"], 9),  # 5 + 4 missing
        (ALL_FOUNDATION[:4], ALL_LIFE, 6),  # 5 + 1 missing
        (ALL_FOUNDATION, ["none"], 5),  # all five life areas missing
        (ALL_FOUNDATION, ["messages", "search", "forms", "fix_problems", "spot_scams"], 0),  # forms covers transacting
        (ALL_FOUNDATION, ["messages", "search", "buy_or_pay", "fix_problems"], 1),  # being safe missing
        (ALL_FOUNDATION, ["messages"], 4),
    ],
)
def test_skills_follow_eds_progression(foundation, life, expected):
    r = result(foundation_skills=foundation, life_skills=life)
    assert r.score("skills") == expected
    assert_reasons_add_up(r)


@pytest.mark.parametrize(
    ("feelings", "goals", "expected"),
    [
        ("confident", ["shopping"], 0),
        ("worried_mistakes", ["shopping"], 3),
        ("nervous", ["shopping"], 6),
        ("does_not_want", ["shopping"], 8),
        ("does_not_want", ["none"], 10),
        ("confident", ["none"], 2),
    ],
)
def test_confidence(feelings, goals, expected):
    r = result(feelings=feelings, goals=goals)
    assert r.score("confidence") == expected
    assert_reasons_add_up(r)


@pytest.mark.parametrize(
    ("barriers", "expected"),
    [
        (["sight"], 4),
        (["hearing"], 3),
        (["hands"], 4),
        (["memory"], 5),
        (["reading"], 5),
        (["anxiety"], 3),
        (["sight", "hearing"], 6),
        (["memory", "reading", "sight", "hands"], 10),  # 5 + 2 + 2 + 2 = 11, capped
        (["sight", "tools_work"], 1),  # 4 - 3
        (["hearing", "tools_work"], 0),  # 3 - 3
        (["tools_work"], 0),  # never below 0
    ],
)
def test_accessibility_and_language(barriers, expected):
    answers = {"barriers": barriers}
    r = result(**answers)
    assert r.score("accessibility") == expected
    assert_reasons_add_up(r)


def test_limited_english_scores_five():
    r = scoring.score(validate_answers({**BASE, "barriers": ["english"], "language": "pl"}))
    assert r.score("accessibility") == 5


def scores(**values) -> dict[str, DomainScore]:
    names = ("access", "affordability", "skills", "confidence", "accessibility")
    return {n: DomainScore(n, values.get(n, 0), ()) for n in names}


@pytest.mark.parametrize(
    ("values", "missing_life", "band"),
    [
        ({}, 0, "low"),
        ({"access": 3, "skills": 3, "confidence": 3, "affordability": 1}, 1, "medium"),  # mean 2.0
        ({"access": 3}, 0, "low"),  # mean 0.6 and no floor
        ({"accessibility": 4}, 0, "medium"),  # floor: any domain >= 4
        ({}, 1, "medium"),  # floor: an EDS life area missing
        ({"access": 4, "skills": 4, "confidence": 4, "affordability": 4, "accessibility": 4}, 1, "high"),  # mean 4
        ({"access": 8}, 0, "high"),
        ({"skills": 6}, 0, "high"),
        ({"affordability": 8}, 0, "high"),
        ({"confidence": 10}, 0, "high"),  # any domain at 10
        ({"access": 8, "skills": 6}, 0, "very_high"),  # completely offline
        ({"access": 7, "affordability": 8}, 0, "very_high"),
        ({"access": 6, "confidence": 6, "accessibility": 6}, 0, "very_high"),  # three domains >= 6
        ({"access": 6, "skills": 6, "affordability": 6, "confidence": 6, "accessibility": 6}, 1, "very_high"),
    ],
)
def test_band_is_the_higher_of_mean_and_floors(values, missing_life, band):
    got, _, reasons = band_for(scores(**values), missing_life)
    assert got == band
    assert reasons[0].startswith("average of the five areas")
    if band != "low" and "raised" in " ".join(reasons):
        assert any(r.startswith(f"raised to {band.replace('_', ' ')}") for r in reasons)


def test_completely_offline_person_is_very_high_with_every_point_explained():
    r = result(
        devices=["none"],
        connection="not_online",
        foundation_skills=["none"],
        life_skills=["none"],
        feelings="nervous",
    )
    assert r.band == "very_high"
    assert (r.score("access"), r.score("skills"), r.score("confidence")) == (10, 10, 6)
    assert "completely offline" in " ".join(r.band_reasons)
    assert r.version
    assert_reasons_add_up(r)


@pytest.mark.parametrize("code", [option.code for option in BY_ID["money"].options])
def test_money_is_a_worry_exactly_when_the_answer_scores_affordability_points(code):
    answers = {**BASE, "money": [code]}
    assert has_money_worries(answers) is (score_affordability(answers).score > 0)
    assert has_money_worries(answers) is (code in ("runs_out_of_data", "cannot_afford_broadband", "food_or_heating"))
