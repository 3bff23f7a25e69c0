"""The ONS4 wellbeing rules with hand-worked numbers: the questions in the ONS's words, what an answer may be,
when the questions are asked, and the impact report's means, "better" counts and ONS threshold shares, each
suppressed like the rest of the report."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.core.wellbeing import (
    DECLINED,
    MEASURES,
    SCALE_LABELS,
    asked_at,
    check,
    figures,
)

NONE = {"life": None, "worthwhile": None, "happy": None, "anxious": None}


def answers(life=None, worthwhile=None, happy=None, anxious=None) -> dict[str, int | None]:
    return {"life": life, "worthwhile": worthwhile, "happy": happy, "anxious": anxious}


def test_the_questions_are_the_ons_four_in_their_order_and_words():
    assert [m.question for m in MEASURES] == [
        "Overall, how satisfied are you with your life nowadays?",
        "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
        "Overall, how happy did you feel yesterday?",
        "On a scale where 0 is 'not at all anxious' and 10 is 'completely anxious', overall, how anxious did you "
        "feel yesterday?",
    ]
    assert SCALE_LABELS == {0: "0 = not at all", 10: "10 = completely"}
    # The ONS thresholds: low life satisfaction, worthwhile and happiness are 0 to 4; high anxiety is 6 to 10.
    assert [(m.band, list(m.band_values)) for m in MEASURES] == [
        ("low", [0, 1, 2, 3, 4]),
        ("low", [0, 1, 2, 3, 4]),
        ("low", [0, 1, 2, 3, 4]),
        ("high", [6, 7, 8, 9, 10]),
    ]
    assert [m.band_name for m in MEASURES][::3] == ["Low life satisfaction (0 to 4)", "High anxiety (6 to 10)"]


def test_each_answer_is_a_whole_number_from_0_to_10_or_skipped():
    result = check({"life": "7", "worthwhile": "", "happy": " 10 ", "anxious": "0"}, declined=False)
    assert result.answers == answers(7, None, 10, 0) and result.problems == {}
    assert check({}, declined=False).answers == NONE


@pytest.mark.parametrize("bad", ["11", "-1", "ten", "7.5", "1e1", "100"])
def test_a_wrong_answer_is_named_by_its_field_and_nothing_is_kept(bad):
    result = check({"life": "6", "anxious": bad}, declined=False)
    assert result.problems == {
        "wellbeing_anxious": "Choose how anxious they felt yesterday from 0 to 10, or 'Not answered'"
    }
    assert result.answers == NONE


def test_they_may_decline_every_question_but_not_decline_and_answer():
    assert check({}, declined=True) == check({"life": ""}, declined=True)
    assert check({}, declined=True).answers == NONE and check({}, declined=True).problems == {}
    both = check({"happy": "4"}, declined=True)
    assert both.problems == {
        DECLINED: "They preferred not to answer: set every question to 'Not answered', or untick this"
    }
    assert both.answers == NONE


def test_the_questions_belong_to_a_one_to_one_first_visit_only():
    assert asked_at("one_to_one", True)
    assert not asked_at("one_to_one", False) and not asked_at("group", True) and not asked_at(None, None)
    elsewhere = check({"worthwhile": "5", "happy": "6"}, declined=False, asked_here=False)
    assert elsewhere.problems == {
        "wellbeing_worthwhile": "Ask the wellbeing questions only at a one-to-one first visit: set them to "
        "'Not answered'"
    }
    assert check({}, declined=False, asked_here=False).problems == {}  # nothing asked: nothing wrong


def test_means_better_and_the_ons_groups_before_and_after():
    pairs = [(answers(3, 6, 7, 8), answers(6, None, 7, 3)) for _ in range(5)]  # life up, anxiety down
    pairs += [(answers(6, 6, 7, 2), answers(6, 7, 7, 4)) for _ in range(4)]  # life the same, anxiety up
    pairs += [(answers(6, None, 7, 2), answers(6, None, 7, 4))]
    first_visits = [b for b, _ in pairs] + [answers(life=9), answers(anxious=1), NONE]  # two walk-ins, one declined
    shown = figures(first_visits, pairs, threshold=5)
    assert (shown.answered_first, shown.paired) == (12, 10)
    by = {c.code: c for c in shown.changes}
    life, anxious = by["life"], by["anxious"]
    # Life: before (5 × 3 + 5 × 6) / 10 = 4.5, after 6.0; 5 of 10 better; 5 of 10 low (0 to 4) before, none after.
    assert (life.people, life.before, life.after, life.better, life.better_share) == (10, 4.5, 6.0, 5, 50.0)
    assert (life.band_before, life.band_after) == (50.0, 0.0)
    # Anxiety is better when it goes down: before (5 × 8 + 5 × 2) / 10 = 5.0, after (5 × 3 + 5 × 4) / 10 = 3.5.
    assert (anxious.before, anxious.after, anxious.better, anxious.better_share) == (5.0, 3.5, 5, 50.0)
    assert (anxious.band_before, anxious.band_after) == (50.0, 0.0)  # high anxiety is 6 to 10
    # Happiness did not move: nobody better, which is shown (0 points to nobody).
    assert (by["happy"].before, by["happy"].after, by["happy"].better, by["happy"].band_before) == (7, 7, 0, 0.0)
    # Only 4 answered "worthwhile" both times: nothing of it is shown.
    worthwhile = by["worthwhile"]
    assert (worthwhile.people, worthwhile.before, worthwhile.after, worthwhile.better) == (None, None, None, None)
    assert (worthwhile.band_before, worthwhile.band_after) == (None, None)


def test_nine_of_ten_better_would_point_to_the_one_who_was_not():
    pairs = [(answers(happy=5), answers(happy=6)) for _ in range(9)] + [(answers(happy=5), answers(happy=5))]
    happy = {c.code: c for c in figures([], pairs, threshold=5).changes}["happy"]
    assert happy.before == 5 and happy.after == pytest.approx(5.9)
    assert (happy.better, happy.better_share) == (None, None)
    assert (happy.band_before, happy.band_after) == (0.0, 0.0)


def test_too_few_with_answers_before_and_after_shows_nothing():
    pairs = [(answers(4, 4, 4, 4), answers(6, 6, 6, 2)) for _ in range(4)]
    pairs += [(answers(worthwhile=5), answers(life=7))]  # answered both times, but never the same question
    few = figures([b for b, _ in pairs], pairs, threshold=5)
    assert (few.answered_first, few.paired) == (5, None)
    assert all((c.people, c.before, c.after, c.better, c.band_before) == (None,) * 5 for c in few.changes)
    nobody = figures([], [], threshold=5)
    assert (nobody.answered_first, nobody.paired) == (0, 0)
    assert all(c.people == 0 and c.before is None for c in nobody.changes)


@given(st.text(max_size=4))
def test_any_text_is_a_number_from_0_to_10_or_a_problem_by_its_field(text):
    result = check({"life": text}, declined=False)
    if result.problems:
        assert set(result.problems) == {"wellbeing_life"} and result.answers == NONE
    elif text.strip():
        assert result.answers["life"] == int(text.strip()) and 0 <= result.answers["life"] <= 10
    else:
        assert result.answers == NONE


score = st.one_of(st.none(), st.integers(0, 10))
someone = st.fixed_dictionaries({m.code: score for m in MEASURES})


@given(st.lists(st.tuples(someone, someone), max_size=30), st.integers(1, 10))
def test_a_measure_is_shown_only_for_enough_people_and_within_the_scale(pairs, threshold):
    for change in figures([], pairs, threshold).changes:
        both = sum(1 for b, a in pairs if b[change.code] is not None and a[change.code] is not None)
        if both < threshold:
            assert change.before is None and change.after is None and change.better is None
            assert change.people == (0 if both == 0 else None)
        else:
            assert change.people == both and 0 <= change.before <= 10 and 0 <= change.after <= 10
            assert change.better is None or 0 <= change.better <= both
