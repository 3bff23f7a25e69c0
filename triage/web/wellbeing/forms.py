"""The wellbeing questions on a form: a select from 0 to 10 (or "Not answered") for each ONS4 question, and
"They preferred not to answer". They are on the session log (never for a group) and on the follow-up only when
the council asks them (WELLBEING_QUESTIONS); triage.core.wellbeing.check says what is wrong with what is sent.

A select rather than eleven radios: a radio cannot be unchosen without JavaScript, so a champion who chose an
answer by mistake could not go back to "Not answered"; and each question stays one line at 320 px wide."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect
from wtforms import BooleanField, Field, SelectField
from wtforms.fields.choices import SelectChoice

from triage.core.wellbeing import (
    DECLINED,
    HIGHEST,
    INTRODUCTION,
    LOWEST,
    MEASURES,
    NOT_ANSWERED,
    SCALE_LABELS,
    Checked,
    check,
    field,
    no_answers,
)
from triage.web.models import HelpSession, WellbeingAnswers

AnyForm = TypeVar("AnyForm", bound=FlaskForm)
SCALE = [SelectChoice("", NOT_ANSWERED)] + [
    SelectChoice(str(n), SCALE_LABELS.get(n, str(n))) for n in range(LOWEST, HIGHEST + 1)
]


def asked() -> bool:
    """Whether the council asks the wellbeing questions."""
    return bool(current_app.config["WELLBEING_QUESTIONS"])


def wellbeing_fields() -> dict[str, Field]:
    """The fields, made anew each time: WTForms puts a form's fields, and so its error summary, in the order
    they were made, so these come after those of the form they are added to."""
    fields: dict[str, Field] = {
        field(m.code): SelectField(m.question, choices=SCALE, widget=GovSelect(), validate_choice=False)
        for m in MEASURES
    }
    fields[DECLINED] = BooleanField("They preferred not to answer", widget=GovCheckboxInput())
    return fields


@lru_cache(maxsize=8)
def with_wellbeing(form_class: type[AnyForm]) -> type[AnyForm]:
    """The form with the wellbeing questions after its own fields."""
    return type(f"{form_class.__name__}WithWellbeing", (form_class,), wellbeing_fields())


def on_session_log(log: HelpSession) -> bool:
    """Whether a session log's form asks them: when the council does, and never for a group (a new log has no
    kind yet; saving one as a group with answers is refused by the check)."""
    return asked() and log.kind != "group"


@dataclass(frozen=True)
class Section:
    """What the template shows: the questions' fields and "They preferred not to answer"."""

    questions: list[Field]
    declined: Field
    introduction: str = INTRODUCTION


def section(form: FlaskForm) -> Section | None:
    """The wellbeing section of a form, or None when it does not have one."""
    if DECLINED not in form:
        return None
    return Section([form[field(m.code)] for m in MEASURES], form[DECLINED])


def checked(form: FlaskForm, asked_here: bool = True) -> Checked | None:
    """The answers sent and their problems (by field), or None when the form does not ask the questions."""
    if DECLINED not in form:
        return None
    sent = {m.code: form[field(m.code)].data for m in MEASURES}
    return check(sent, bool(form[DECLINED].data), asked_here)


def show_problems(form: FlaskForm, problems: Mapping[str, str]) -> None:
    for name, problem in problems.items():
        form[name].errors = [problem]


def fill(form: FlaskForm, row: WellbeingAnswers) -> None:
    """Show a saved row's answers, to correct it."""
    for m in MEASURES:
        value = getattr(row, field(m.code))
        form[field(m.code)].data = "" if value is None else str(value)


def store(row: WellbeingAnswers, answers: Mapping[str, int | None]) -> None:
    for code, value in answers.items():
        setattr(row, field(code), value)


def keep_on_log(log: HelpSession, answers: Checked | None, asked_here: bool) -> None:
    """Store the checked answers on a log. When its form did not ask them (the council has stopped asking), what
    was stored stays, unless the session is no longer one they are asked at."""
    if answers is not None:
        store(log, answers.answers)
    elif not asked_here:
        store(log, no_answers())
