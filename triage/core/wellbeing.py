"""The optional wellbeing measure: the ONS personal well-being questions (ONS4), the checks on what is sent,
and the impact report's figures from them.

The four questions are the Office for National Statistics' own (the GSS harmonised standard for personal
well-being, free to use), in its order and wording, each answered from 0 ("not at all") to 10 ("completely").
Each answer may be skipped, and the person may decline them all. A Digital Champion asks them at a one-to-one
first visit, and again at the follow-up after support; "before" and "after" are paired by plan.

The ONS reports, besides the mean of each measure, the share with "low" life satisfaction, worthwhile and
happiness (0 to 4) and "high" anxiety (6 to 10); anxiety is better when it goes down. Every figure is
suppressed as the rest of the impact report (triage.core.insight): nothing is shown for a measure when fewer
than the threshold answered it both before and after.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from triage.core.insight import share, suppressed

LOWEST, HIGHEST = 0, 10
SCALE_LABELS = {LOWEST: "0 = not at all", HIGHEST: "10 = completely"}
NOT_ANSWERED = "Not answered"
INTRODUCTION = (
    "There are no right or wrong answers. For each question, ask for an answer from 0 to 10, where 0 is "
    "'not at all' and 10 is 'completely'."
)
WHOLE_NUMBER = re.compile(r"[0-9]{1,2}")


@dataclass(frozen=True)
class Measure:
    code: str  # stored as wellbeing_<code>
    label: str
    question: str  # the ONS wording
    asks: str  # what an answer says, inside a sentence
    band: str  # the ONS threshold the report gives a share for: "low" or "high"
    band_values: range
    lower_is_better: bool = False

    @property
    def band_name(self) -> str:
        """The ONS threshold group, as the report names it: "Low life satisfaction (0 to 4)"."""
        return f"{self.band.title()} {self.label.lower()} ({self.band_values[0]} to {self.band_values[-1]})"


MEASURES = (
    Measure(
        "life",
        "Life satisfaction",
        "Overall, how satisfied are you with your life nowadays?",
        "how satisfied they are with their life",
        "low",
        range(5),
    ),
    Measure(
        "worthwhile",
        "Worthwhile",
        "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
        "how worthwhile the things they do feel",
        "low",
        range(5),
    ),
    Measure(
        "happy",
        "Happiness",
        "Overall, how happy did you feel yesterday?",
        "how happy they felt yesterday",
        "low",
        range(5),
    ),
    Measure(
        "anxious",
        "Anxiety",
        "On a scale where 0 is 'not at all anxious' and 10 is 'completely anxious', overall, how anxious did you "
        "feel yesterday?",
        "how anxious they felt yesterday",
        "high",
        range(6, 11),
        lower_is_better=True,
    ),
)
CODES = tuple(m.code for m in MEASURES)
DECLINED = "wellbeing_declined"
Answers = Mapping[str, int | None]  # by measure code; None: not answered


def field(code: str) -> str:
    """The form field, and the column, that holds one measure's answer."""
    return f"wellbeing_{code}"


def no_answers() -> dict[str, int | None]:
    return dict.fromkeys(CODES)


def answered(answers: Answers) -> bool:
    return any(answers.get(code) is not None for code in CODES)


@dataclass(frozen=True)
class Checked:
    answers: dict[str, int | None]  # what to store: every measure, None where not answered
    problems: dict[str, str]  # by form field; {} when nothing is wrong


def check(sent: Mapping[str, str | None], declined: bool, asked_here: bool = True) -> Checked:
    """Read and check the answers sent (text, by measure code; empty: not answered). `declined`: they preferred
    not to answer; `asked_here`: whether the questions belong to this session (a one-to-one first visit, or a
    follow-up)."""
    answers, problems = no_answers(), {}
    for m in MEASURES:
        text = (sent.get(m.code) or "").strip()
        if not text:
            continue
        if WHOLE_NUMBER.fullmatch(text) and LOWEST <= int(text) <= HIGHEST:
            answers[m.code] = int(text)
        else:
            problems[field(m.code)] = f"Choose {m.asks} from 0 to 10, or '{NOT_ANSWERED}'"
    given = [code for code in CODES if answers[code] is not None or field(code) in problems]
    if given and declined:
        problems[DECLINED] = f"They preferred not to answer: set every question to '{NOT_ANSWERED}', or untick this"
    elif given and not asked_here:
        problems.setdefault(
            field(given[0]),
            f"Ask the wellbeing questions only at a one-to-one first visit: set them to '{NOT_ANSWERED}'",
        )
    return Checked(no_answers() if problems or declined else answers, problems)


def asked_at(kind: str | None, first_visit: bool | None) -> bool:
    """Whether a session is one the questions are asked at: a one-to-one first visit, never a group."""
    return kind == "one_to_one" and first_visit is True


def better(measure: Measure, before: int, after: int) -> bool:
    return after < before if measure.lower_is_better else after > before


# The impact report


@dataclass(frozen=True)
class Change:
    """One measure before and after, for the people who answered it both times (None: too few to show)."""

    code: str
    label: str
    band: str
    band_name: str
    people: int | None
    before: float | None  # the mean, 0 to 10
    after: float | None
    better: int | None  # how many people's answer moved the better way
    better_share: float | None
    band_before: float | None  # the percentage in the ONS band (low, or high anxiety) before
    band_after: float | None


@dataclass(frozen=True)
class Figures:
    answered_first: int | None  # first visits in the dates where they answered any question
    paired: int | None  # people who answered at least one question both before and after
    changes: list[Change]


def _change(measure: Measure, pairs: list[tuple[Answers, Answers]], threshold: int) -> Change:
    both = [(b[measure.code], a[measure.code]) for b, a in pairs]
    known = [(b, a) for b, a in both if b is not None and a is not None]
    n = len(known)
    shown = n > 0 and n >= threshold
    improved = sum(1 for b, a in known if better(measure, b, a))
    improved_share = share(improved, n, threshold) if shown else None
    return Change(
        code=measure.code,
        label=measure.label,
        band=measure.band,
        band_name=measure.band_name,
        people=suppressed(n, threshold),
        before=sum(b for b, _ in known) / n if shown else None,
        after=sum(a for _, a in known) / n if shown else None,
        better=improved if improved_share is not None else None,
        better_share=improved_share,
        band_before=share(sum(1 for b, _ in known if b in measure.band_values), n, threshold) if shown else None,
        band_after=share(sum(1 for _, a in known if a in measure.band_values), n, threshold) if shown else None,
    )


def figures(first_visits: Iterable[Answers], pairs: Iterable[tuple[Answers, Answers]], threshold: int) -> Figures:
    """The report's figures: `first_visits`, the answers at each first visit in the dates; `pairs`, each plan's
    (answers at its first visit, answers at its latest follow-up)."""
    chosen = [(b, a) for b, a in pairs if any(b.get(c) is not None and a.get(c) is not None for c in CODES)]
    return Figures(
        answered_first=suppressed(sum(1 for answers in first_visits if answered(answers)), threshold),
        paired=suppressed(len(chosen), threshold),
        changes=[_change(m, chosen, threshold) for m in MEASURES],
    )
