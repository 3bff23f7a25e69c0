"""Follow-up re-assessment and distance travelled, tested without Flask."""

from __future__ import annotations

import pytest
from helpers import OFFLINE

from triage.core.progress import FOLLOW_UP_QUESTIONS, FollowUpError, distance_travelled, follow_up_answers, rescore
from triage.core.scoring import score

BEFORE = dict(OFFLINE)
AFTER_SUPPORT = {
    "devices": ["smartphone", "tablet"],
    "connection": "phone_data",
    "money": ["benefits"],
    "foundation_skills": ["turn_on_and_log_in", "join_wifi", "open_app_or_website"],
    "life_skills": ["messages", "search"],
    "feelings": "worried_mistakes",
}


def test_only_what_support_can_change_is_asked_again():
    assert [q.id for q in FOLLOW_UP_QUESTIONS] == list(AFTER_SUPPORT)
    answers = follow_up_answers(BEFORE, AFTER_SUPPORT)
    assert answers["barriers"] == BEFORE["barriers"] and answers["goals"] == BEFORE["goals"]
    assert answers["devices"] == ["smartphone", "tablet"]


def test_the_same_model_scores_the_follow_up():
    answers, result = rescore(BEFORE, AFTER_SUPPORT)
    assert result == score(answers)
    before = score(BEFORE)
    assert result.score("skills") < before.score("skills")


def test_bad_follow_up_answers_are_named():
    with pytest.raises(FollowUpError) as raised:
        follow_up_answers(BEFORE, {**AFTER_SUPPORT, "devices": ["none", "smartphone"], "feelings": "ecstatic"})
    assert set(raised.value.problems) == {"devices", "feelings"}
    with pytest.raises(FollowUpError) as raised:
        follow_up_answers(BEFORE, {"devices": ["smartphone"]})
    assert "connection" in raised.value.problems


def test_distance_travelled_counts_fewer_barriers_as_progress():
    before = {"access": 10, "affordability": 6, "skills": 9, "confidence": 7, "accessibility": 3}
    after = {"access": 4, "affordability": 6, "skills": 9, "confidence": 8, "accessibility": 3}
    changes = {c.domain: c for c in distance_travelled(before, after)}
    assert list(changes) == ["access", "affordability", "skills", "confidence", "accessibility"]
    assert [changes[d].difference for d in changes] == [6, 0, 0, -1, 0]
