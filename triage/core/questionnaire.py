"""The needs questionnaire: every question, its stable id and its answer codes.

This is the single definition that the resident journey, the staff journey and the JSON API all
read. Question ids and answer codes are a public contract (docs/api.md): add new ones, never rename.
The design comes from docs/triage-model.md section 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from triage.core.text import N_

Kind = Literal["single", "multiple", "postcode", "text"]


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    hint: str = ""
    exclusive: bool = False  # "None of these" style: cannot be ticked with anything else


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    title: str
    hint: str = ""
    options: tuple[Option, ...] = ()
    max_choices: int | None = None
    # A follow-up question is asked only when its parent's answer includes `ask_if`.
    parent: str | None = None
    ask_if: str | None = None
    max_length: int = 0
    staff_title: str = ""  # the same question worded for someone helping another person

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)

    def option(self, code: str) -> Option:
        for o in self.options:
            if o.code == code:
                return o
        raise KeyError(code)


NONE = "none"
RATHER_NOT_SAY = "rather_not_say"

# Languages offered for Q10's follow-up: the most common main languages other than English in
# Leicestershire at Census 2021, plus "other".
LANGUAGES: tuple[Option, ...] = (
    Option("pl", N_("Polish")),
    Option("gu", N_("Gujarati")),
    Option("ur", N_("Urdu")),
    Option("pa", N_("Punjabi")),
    Option("bn", N_("Bengali")),
    Option("ar", N_("Arabic")),
    Option("ro", N_("Romanian")),
    Option("zh", N_("Chinese")),
    Option("pt", N_("Portuguese")),
    Option("so", N_("Somali")),
    Option("ku", N_("Kurdish")),
    Option("ta", N_("Tamil")),
    Option("hi", N_("Hindi")),
    Option("other", N_("Another language")),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "who_for",
        "single",
        N_("Who are you getting help for?"),
        options=(
            Option("me", N_("Me")),
            Option(
                "someone_i_help", N_("Someone I help"), N_("For example a family member, friend or someone I care for")
            ),
            Option("customer", N_("A customer I'm helping"), N_("For council or partner staff")),
        ),
    ),
    Question(
        "postcode",
        "postcode",
        N_("What is your postcode?"),
        hint=N_("We use it to find help near you. We do not keep your full postcode. For example, LE11 3DU"),
        staff_title=N_("What is their postcode?"),
    ),
    Question(
        "devices",
        "multiple",
        N_("Which of these do you have that works?"),
        hint=N_("Select all that apply"),
        staff_title=N_("Which of these do they have that works?"),
        options=(
            Option("smartphone", N_("Smartphone"), N_("A phone that can use apps and the internet")),
            Option("tablet", N_("Tablet"), N_("For example an iPad")),
            Option("computer", N_("Laptop or computer")),
            Option("basic_phone", N_("Phone for calls and texts only")),
            Option(NONE, N_("None of these"), exclusive=True),
        ),
    ),
    Question(
        "connection",
        "single",
        N_("How do you get online at home?"),
        staff_title=N_("How do they get online at home?"),
        options=(
            Option("broadband", N_("Home broadband or wifi")),
            Option("phone_data", N_("Only my phone's data")),
            Option(
                "public_wifi", N_("Only wifi in other places"), N_("For example a library, café or a friend's home")
            ),
            Option("not_online", N_("I don't go online")),
        ),
    ),
    Question(
        "money",
        "multiple",
        N_("Are any of these true for you?"),
        hint=N_("Select all that apply. This helps us find free or cheaper ways to get online."),
        staff_title=N_("Are any of these true for them?"),
        options=(
            Option("runs_out_of_data", N_("I often run out of data or credit")),
            Option("cannot_afford_broadband", N_("I can't afford home internet")),
            Option("food_or_heating", N_("I've had to choose between the internet and food or heating")),
            Option("benefits", N_("I get Universal Credit, Pension Credit or another benefit")),
            Option(NONE, N_("None of these"), exclusive=True),
            Option(RATHER_NOT_SAY, N_("I'd rather not say"), exclusive=True),
        ),
    ),
    Question(
        "foundation_skills",
        "multiple",
        N_("Can you do these on your own?"),
        hint=N_("Select all you can do without help. It's fine if you can't do any of them yet."),
        staff_title=N_("Can they do these on their own?"),
        options=(
            Option("turn_on_and_log_in", N_("Turn on a phone, tablet or computer and log in")),
            Option("join_wifi", N_("Join a wifi network")),
            Option("open_app_or_website", N_("Open an app or a website")),
            Option("change_settings", N_("Change settings to make things easier to see or hear")),
            Option("passwords", N_("Keep passwords safe and change them")),
            Option(NONE, N_("None of these yet"), exclusive=True),
        ),
    ),
    Question(
        "life_skills",
        "multiple",
        N_("Which of these can you do online on your own?"),
        hint=N_("Select all you can do without help"),
        staff_title=N_("Which of these can they do online on their own?"),
        options=(
            Option("messages", N_("Send messages or make video calls")),
            Option("search", N_("Search for information")),
            Option("buy_or_pay", N_("Buy or pay for things")),
            Option("forms", N_("Fill in forms"), N_("For example council, NHS or benefits forms")),
            Option("fix_problems", N_("Fix a problem using help pages or videos")),
            Option("spot_scams", N_("Spot scam messages and fake websites")),
            Option(NONE, N_("None of these yet"), exclusive=True),
        ),
    ),
    Question(
        "feelings",
        "single",
        N_("How do you feel about using the internet?"),
        staff_title=N_("How do they feel about using the internet?"),
        options=(
            Option("confident", N_("Confident")),
            Option("worried_mistakes", N_("OK, but I worry about making mistakes")),
            Option("nervous", N_("Nervous, or worried about scams")),
            Option("does_not_want", N_("I don't want to use it")),
        ),
    ),
    Question(
        "goals",
        "multiple",
        N_("What would you most like to do online?"),
        hint=N_("Select up to 3"),
        staff_title=N_("What would they most like to do online?"),
        max_choices=3,
        options=(
            Option("keep_in_touch", N_("Keep in touch with family and friends")),
            Option("health", N_("Health, for example the GP or the NHS App")),
            Option("money_banking", N_("Money and banking")),
            Option("council", N_("Council things, for example bins, council tax or housing")),
            Option("benefits", N_("Benefits, for example Universal Credit")),
            Option("jobs_learning", N_("Find a job or learn something")),
            Option("school", N_("Children's school work")),
            Option("shopping", N_("Shopping")),
            Option("hobbies", N_("Hobbies and interests")),
            Option(NONE, N_("Nothing right now"), exclusive=True),
        ),
    ),
    Question(
        "barriers",
        "multiple",
        N_("Does anything make phones or computers harder for you to use?"),
        hint=N_("Select all that apply"),
        staff_title=N_("Does anything make phones or computers harder for them to use?"),
        options=(
            Option("sight", N_("Seeing")),
            Option("hearing", N_("Hearing")),
            Option("hands", N_("Using my hands")),
            Option("memory", N_("Memory or understanding"), N_("Including a learning disability")),
            Option("reading", N_("Reading or writing")),
            Option("english", N_("English is not my first language")),
            Option("anxiety", N_("Feeling anxious or unwell")),
            Option("tools_work", N_("I use tools that help, and they work well"), N_("For example a screen reader")),
            Option(NONE, N_("None of these"), exclusive=True),
        ),
    ),
    Question(
        "language",
        "single",
        N_("Which language would you like help in?"),
        staff_title=N_("Which language would they like help in?"),
        options=LANGUAGES,
        parent="barriers",
        ask_if="english",
    ),
    Question(
        "help_preferences",
        "multiple",
        N_("How would you like to get help?"),
        hint=N_("Select all that you would be happy with"),
        staff_title=N_("How would they like to get help?"),
        options=(
            Option("one_to_one", N_("One-to-one with a helper")),
            Option("group", N_("In a group class")),
            Option("home_visit", N_("Someone visits me at home")),
            Option("phone", N_("Help on the phone")),
            Option("self_learning", N_("Learn on my own"), N_("With free guides and videos")),
            Option("library_computer", N_("Use a free computer at a library")),
        ),
    ),
    Question(
        "deadline",
        "single",
        N_("Do you need to do something online by a set date?"),
        hint=N_("For example, apply for a school place or renew a blue badge"),
        staff_title=N_("Do they need to do something online by a set date?"),
        options=(Option("yes", N_("Yes")), Option("no", N_("No"))),
    ),
    Question(
        "deadline_task",
        "text",
        N_("What do you need to do, and by when?"),
        hint=N_("For example, 'renew my bus pass by 30 June'. Do not include personal details like names."),
        staff_title=N_("What do they need to do, and by when?"),
        parent="deadline",
        ask_if="yes",
        max_length=200,
    ),
)

BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}

# Questions the scoring reads. The postcode is answered separately (it becomes a ward).
ANSWER_QUESTIONS: tuple[Question, ...] = tuple(q for q in QUESTIONS if q.kind != "postcode")


def is_asked(question: Question, answers: dict) -> bool:
    """A follow-up is asked only when its parent's answer includes the triggering code."""
    if question.parent is None:
        return True
    given = answers.get(question.parent)
    if isinstance(given, list | tuple):
        return question.ask_if in given
    return given == question.ask_if


def as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


class AnswerError(ValueError):
    """Answers that break the questionnaire's rules; `problems` maps question id to a message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def _text_problem(question: Question, value) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    if not value.strip():
        return "must not be empty"
    if len(value) > question.max_length:
        return f"must be {question.max_length} characters or fewer"
    return None


def _single_problem(question: Question, value) -> str | None:
    if not isinstance(value, str):
        return "must be one answer code, as a string"
    if value not in question.codes:
        return f"'{value}' is not an answer code; use one of {', '.join(question.codes)}"
    return None


def _multiple_problem(question: Question, value) -> str | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "must be a list of answer codes"
    if not value:
        return "choose at least one answer"
    unknown = [v for v in value if v not in question.codes]
    if unknown:
        return f"'{unknown[0]}' is not an answer code; use any of {', '.join(question.codes)}"
    if len(set(value)) != len(value):
        return "lists the same answer twice"
    exclusive = [v for v in value if question.option(v).exclusive]
    if exclusive and len(value) > 1:
        return f"'{exclusive[0]}' cannot be chosen with other answers"
    if question.max_choices and len(value) > question.max_choices:
        return f"choose up to {question.max_choices} answers"
    return None


def validate_answer(question: Question, value) -> str | None:
    """Return a plain-English problem with one answer, or None if it is acceptable."""
    checks = {"text": _text_problem, "single": _single_problem, "multiple": _multiple_problem}
    return checks[question.kind](question, value)


def validate_answers(answers: dict) -> dict:
    """Check a complete set of answers (without the postcode) and return it normalised.

    Multiple-choice answers become lists; follow-ups that are not asked are dropped.
    Raises AnswerError naming every problem at once.
    """
    if not isinstance(answers, dict):
        raise AnswerError({"answers": "must be an object mapping question ids to answer codes"})
    problems: dict[str, str] = {}
    for key in answers:
        if key not in BY_ID or BY_ID[key].kind == "postcode":
            problems[str(key)] = "is not a question id"
    clean: dict = {}
    for q in ANSWER_QUESTIONS:
        if not is_asked(q, answers):
            continue
        if q.id not in answers:
            problems[q.id] = "is missing"
            continue
        problem = validate_answer(q, answers[q.id])
        if problem:
            problems[q.id] = problem
        elif q.kind == "multiple":
            clean[q.id] = as_list(answers[q.id])
        else:
            clean[q.id] = answers[q.id].strip() if q.kind == "text" else answers[q.id]
    if problems:
        raise AnswerError(problems)
    return clean
