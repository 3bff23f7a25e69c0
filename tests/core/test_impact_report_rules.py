"""The impact report's figures with hand-worked numbers: reach, Supported / Connected / Upskilled, people and
active champions by month, distance travelled, referral outcomes and satisfaction, each with its suppression."""

from __future__ import annotations

from datetime import date

import pytest
from counting_by_hand import combine, grouped, of, session

from triage.core.impact import (
    distance,
    highest_risk,
    outcomes,
    people_by_month,
    reach,
    referral_outcomes,
    satisfaction,
)

APRIL, MAY, JUNE = date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)
RISK = {"A": 9.0, "B": 8.0, "C": 7.0, "D": 6.0, "E": 5.0, "F": 4.0, "G": None}
DOMAIN_CODES = ("access", "affordability", "skills", "confidence", "accessibility")


def test_the_five_highest_risk_wards():
    assert highest_risk(RISK) == frozenset("ABCDE")
    assert highest_risk({"X": 1.0, "W": 1.0, "V": None}, n=1) == frozenset("W")  # a tie goes to the lower code


def reach_of(sessions, threshold: int):
    top = highest_risk(RISK)
    wards = len({s.ward for s in sessions if s.ward})
    return reach(of(sessions), of(s for s in sessions if s.ward in top), wards, threshold)


def test_reach_and_the_share_in_the_highest_risk_wards():
    sessions = [session(ward="A", plan_id=1, minutes=60), session(ward="A", plan_id=1, minutes=60)]
    sessions += [session(ward="F") for _ in range(5)]  # five walk-ins in a lower-risk ward
    sessions += [session(ward="B", kind="group", headcount=6, minutes=120), session(ward=None)]
    r = reach_of(sessions, threshold=5)
    # People: plan 1 once + 5 walk-ins + a group of 6 + 1 walk-in = 13; in A to E: 1 + 6 = 7, 7/13 = 53.8%.
    assert (r.people, r.sessions, r.hours, r.wards) == (13, 9, (120 + 120 + 5 * 30 + 30) / 60, 3)
    assert r.in_highest_risk == 7 and r.highest_risk_share == pytest.approx(700 / 13)


def test_a_share_that_would_point_to_someone_is_hidden():
    sessions = [session(ward="A") for _ in range(3)] + [session(ward="F") for _ in range(6)]
    r = reach_of(sessions, threshold=5)
    assert (r.people, r.in_highest_risk, r.highest_risk_share) == (9, None, None)  # 3 in the top wards: too few
    small = reach_of([session(ward="A")], threshold=5)
    assert (small.people, small.sessions, small.hours, small.wards) == (None, None, None, 1)


def test_supported_connected_and_upskilled():
    sim, tariff = frozenset({"data_sim"}), frozenset({"social_tariff"})
    sessions = [
        session(plan_id=1, given=sim),
        session(plan_id=1, given=tariff, independence="on_own"),  # the same plan: connected once
        session(given=frozenset({"gifted_device"}), independence="on_own"),  # a walk-in: one more
        session(kind="group", headcount=8, given=sim, independence="on_own"),  # a group: one, and 8 upskilled
        session(plan_id=2),  # nothing given, not on their own
        *[session() for _ in range(3)],
    ]
    # Supported: plans 1, 2 + 4 walk-ins + 8 = 14; upskilled: plan 1 + 1 walk-in + 8 = 10; connected 3: hidden.
    assert outcomes(*combine(sessions), threshold=5) == {"supported": 14, "connected": None, "upskilled": 10}
    assert outcomes(*combine(sessions), threshold=3)["connected"] == 3  # plan 1 once, the walk-in, the group
    assert outcomes(*combine([]), threshold=5) == {"supported": 0, "connected": 0, "upskilled": 0}


def test_people_by_month():
    sessions = [session(month=APRIL) for _ in range(6)] + [session(month=MAY), session(month=MAY)]
    sessions += [session(month=date(2025, 1, 1))]  # outside the months asked for
    by_month = grouped(sessions, lambda s: s.month)
    # May has 2 people (hidden), June none (0 is shown), so April (6) is hidden too: May could be worked back.
    assert people_by_month(by_month, [APRIL, MAY, JUNE], threshold=5) == {APRIL: None, MAY: None, JUNE: 0}


def scores(*values: int) -> dict[str, int]:
    return dict(zip(DOMAIN_CODES, values, strict=True))


def test_distance_travelled_from_follow_ups():
    pairs = [(scores(8, 6, 9, 4, 0), scores(4, 6, 7, 4, 0)) for _ in range(5)]
    pairs += [(scores(6, 6, 3, 4, 2), scores(6, 4, 3, 5, 2)) for _ in range(5)]
    followed, progress = distance(pairs, threshold=5)
    by = {p.domain: p for p in progress}
    assert followed == 10
    assert (by["access"].before, by["access"].after, by["access"].better, by["access"].better_share) == (7, 5, 5, 50)
    assert (by["skills"].before, by["skills"].after) == (6, 5)
    assert (by["confidence"].before, by["confidence"].after, by["confidence"].better) == (4, 4.5, 0)
    assert by["accessibility"].better_share == 0.0
    few_followed, few = distance(pairs[:4], threshold=5)
    assert few_followed is None and all(p.before is None and p.better is None for p in few)


def test_nine_of_ten_better_would_point_to_the_one_who_was_not():
    pairs = [(scores(5, 5, 5, 5, 5), scores(4, 5, 5, 5, 5)) for _ in range(9)]
    pairs.append((scores(5, 5, 5, 5, 5), scores(5, 5, 5, 5, 5)))
    _, progress = distance(pairs, threshold=5)
    assert progress[0].before == 5 and progress[0].after == pytest.approx(4.1)
    assert progress[0].better is None and progress[0].better_share is None


def test_referral_outcomes_and_satisfaction_are_suppressed():
    statuses = ["completed"] * 7 + ["declined"] * 6 + ["sent"] * 2
    shown = referral_outcomes(statuses, threshold=5)
    assert (shown["completed"], shown["declined"], shown["sent"], shown["accepted"]) == (7, None, None, 0)
    order = ("very_satisfied", "satisfied", "neutral", "dissatisfied", "very_dissatisfied")
    feedback = satisfaction(["very_satisfied"] * 6 + ["satisfied"] * 5 + ["neutral"] * 9, order, threshold=5)
    assert feedback.answers == 20 and feedback.satisfied_share == 55.0
    assert feedback.by_rating == {"very_satisfied": 6, "satisfied": 5, "neutral": 9, "dissatisfied": 0,
                                  "very_dissatisfied": 0}  # fmt: skip
    unhappy = satisfaction(["very_satisfied"] * 8 + ["dissatisfied"], order, threshold=5)
    assert unhappy.satisfied_share is None and unhappy.by_rating["dissatisfied"] is None
    assert unhappy.by_rating["very_satisfied"] is None  # one hidden rating would be worked back from the total
