"""The questionnaire's answer rules: codes, types, exclusive answers, limits and follow-ups."""

from __future__ import annotations

import pytest
from test_scoring_rules import BASE

from triage.core.questionnaire import BY_ID, QUESTIONS, AnswerError, is_asked, validate_answers


def problems(answers) -> dict[str, str]:
    with pytest.raises(AnswerError) as caught:
        validate_answers(answers)
    return caught.value.problems


def test_question_ids_and_codes_are_unique():
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    for q in QUESTIONS:
        assert len(set(q.codes)) == len(q.codes), q.id


def test_a_complete_set_is_accepted_and_single_strings_become_lists():
    clean = validate_answers({**BASE, "devices": "computer"})
    assert clean["devices"] == ["computer"]
    assert clean["who_for"] == "me"
    assert set(clean) == set(BASE)


@pytest.mark.parametrize(
    ("changes", "question", "words"),
    [
        ({"who_for": "king"}, "who_for", "not an answer code"),
        ({"who_for": 3}, "who_for", "must be one answer code"),
        ({"who_for": ["me"]}, "who_for", "must be one answer code"),
        ({"devices": [1]}, "devices", "list of answer codes"),
        ({"devices": {"a": 1}}, "devices", "list of answer codes"),
        ({"devices": []}, "devices", "at least one"),
        ({"devices": ["tablet", "tablet"]}, "devices", "twice"),
        ({"devices": ["none", "tablet"]}, "devices", "cannot be chosen with other answers"),
        ({"money": ["rather_not_say", "benefits"]}, "money", "cannot be chosen with other answers"),
        ({"goals": ["health", "council", "school", "shopping"]}, "goals", "up to 3"),
        ({"deadline": "yes", "deadline_task": "   "}, "deadline_task", "empty"),
        ({"deadline": "yes", "deadline_task": "x" * 201}, "deadline_task", "200 characters"),
        ({"deadline": "yes", "deadline_task": 7}, "deadline_task", "must be text"),
        ({"deadline": "yes"}, "deadline_task", "missing"),
        ({"barriers": ["english"]}, "language", "missing"),
        ({"colour": "blue"}, "colour", "not a question id"),
        ({"postcode": "LE11 3DU"}, "postcode", "not a question id"),
    ],
)
def test_bad_answers_are_named(changes, question, words):
    assert words in problems({**BASE, **changes})[question]


def test_missing_questions_are_all_reported_at_once():
    found = problems({"who_for": "me"})
    assert set(found) == {q.id for q in QUESTIONS if q.parent is None and q.id not in ("who_for", "postcode")}
    assert all(v == "is missing" for v in found.values())


def test_answers_must_be_an_object():
    assert "answers" in problems(["not", "a", "dict"])


def test_follow_ups_are_asked_only_when_triggered():
    assert not is_asked(BY_ID["language"], BASE)
    assert is_asked(BY_ID["language"], {**BASE, "barriers": ["english", "sight"]})
    assert is_asked(BY_ID["deadline_task"], {**BASE, "deadline": "yes"})
    clean = validate_answers({**BASE, "deadline": "yes", "deadline_task": "  renew my bus pass  "})
    assert clean["deadline_task"] == "renew my bus pass"


def test_an_answer_to_a_follow_up_that_is_not_asked_is_dropped():
    clean = validate_answers({**BASE, "language": "pl"})
    assert "language" not in clean
