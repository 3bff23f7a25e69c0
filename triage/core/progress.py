"""Follow-up re-assessment and "distance travelled": how a person's needs changed after support.

A follow-up re-asks only the questions that support can change (devices, connection, money, skills,
feelings); every other answer is carried over from the first assessment, and the same scoring model
scores the result. Scores count barriers, so a lower score after support means progress.
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.core.questionnaire import BY_ID, Question, validate_answer
from triage.core.scoring import Result, score
from triage.core.scoring_model import DOMAINS

FOLLOW_UP_QUESTIONS: tuple[Question, ...] = tuple(
    BY_ID[q] for q in ("devices", "connection", "money", "foundation_skills", "life_skills", "feelings")
)


class FollowUpError(ValueError):
    """Follow-up answers that break the questionnaire's rules; `problems` maps question id to a message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def follow_up_answers(before: dict, changed: dict) -> dict:
    """The first assessment's answers with the re-asked questions replaced by their new answers."""
    problems = {}
    for question in FOLLOW_UP_QUESTIONS:
        problem = validate_answer(question, changed.get(question.id))
        if problem:
            problems[question.id] = problem
    if problems:
        raise FollowUpError(problems)
    answers = dict(before)
    answers.update({q.id: changed[q.id] for q in FOLLOW_UP_QUESTIONS})
    return answers


def rescore(before: dict, changed: dict) -> tuple[dict, Result]:
    answers = follow_up_answers(before, changed)
    return answers, score(answers)


@dataclass(frozen=True)
class Change:
    domain: str
    label: str
    before: int
    after: int

    @property
    def difference(self) -> int:
        """Fewer barriers is progress, so a positive difference means things got better."""
        return self.before - self.after


def distance_travelled(before: dict[str, int], after: dict[str, int]) -> list[Change]:
    """Domain by domain, the score before support and after it."""
    return [Change(d, label, before[d], after[d]) for d, label in DOMAINS]
