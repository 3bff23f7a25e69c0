"""The questionnaire's question forms, with GOV.UK-style error messages: one question per page, or several on one.

Forms are built from the core questionnaire, so the wording lives in one place. The resident journey
(and counter mode, which runs it) asks one question per page; a follow-up after support asks several
on one page. Choice questions render through the GOV.UK radios and checkboxes macros (see
field_params), which lets us add hints, the "or" divider and exclusive "None of these" answers.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput
from wtforms import RadioField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from triage.core.questionnaire import Question

ERRORS = {
    "who_for": _l("Select who you are getting help for"),
    "devices": _l("Select the devices that work, or 'None of these'"),
    "connection": _l("Select how you get online at home"),
    "money": _l("Select all that are true, or 'None of these'"),
    "foundation_skills": _l("Select what you can do on your own, or 'None of these yet'"),
    "life_skills": _l("Select what you can do online on your own, or 'None of these yet'"),
    "feelings": _l("Select how you feel about using the internet"),
    "goals": _l("Select what you would like to do online, or 'Nothing right now'"),
    "barriers": _l("Select anything that makes devices harder, or 'None of these'"),
    "language": _l("Select the language you would like help in"),
    "help_preferences": _l("Select at least one way you would like to get help"),
    "deadline": _l("Select yes if you need to do something online by a set date"),
    "deadline_task": _l("Enter what you need to do, and by when"),
}


def _choices(question: Question) -> list[SelectChoice]:
    return [SelectChoice(o.code, gettext(o.label)) for o in question.options]


class QuestionForm(FlaskForm):
    """Base for the generated question forms; `answer` is added per question."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def answer_value(self):
        data = self.answer.data
        return data.strip() if isinstance(data, str) else data


def _choice_rules(question: Question, message: str):
    """Only the question's own codes, exclusive answers alone, and no more than max_choices."""

    def check(form, field):
        chosen = field.data if isinstance(field.data, list) else [field.data]
        if any(code not in question.codes for code in chosen):
            raise ValidationError(message)
        for code in chosen:
            option = question.option(code)
            if option.exclusive and len(chosen) > 1:
                raise ValidationError(
                    gettext("Select '%(answer)s' on its own, or untick it", answer=gettext(option.label))
                )
        if question.max_choices and len(chosen) > question.max_choices:
            raise ValidationError(gettext("Select up to %(num)d things", num=question.max_choices))

    return check


def _answer_field(question: Question, title: str):
    message = ERRORS[question.id]
    if question.kind in ("single", "multiple"):
        field_class = RadioField if question.kind == "single" else SelectMultipleField
        required = InputRequired(message) if question.kind == "single" else DataRequired(message)
        return field_class(
            title,
            choices=_choices(question),
            validate_choice=False,  # _choice_rules gives a clearer message than WTForms' "Not a valid choice"
            validators=[required, _choice_rules(question, message)],
        )
    too_long = gettext("What you need to do must be %(num)d characters or fewer", num=question.max_length)
    return TextAreaField(
        title,
        description=gettext(question.hint),
        widget=GovCharacterCount(),
        validators=[DataRequired(message), Length(max=question.max_length, message=too_long)],
    )


@lru_cache(maxsize=256)
def _question_form_class(question: Question, title: str, locale: str) -> type[QuestionForm]:
    del locale  # part of the cache key: the answers' labels are translated when the field is made
    return type(f"{question.id.title()}Form", (QuestionForm,), {"answer": _answer_field(question, title)})


def question_form(question: Question, title: str, formdata=None, data=None) -> QuestionForm:
    """A form for one question; `title` is the question as worded for this person."""
    form_class = _question_form_class(question, title, str(get_locale()))
    return form_class(formdata=formdata, data=data or {})


class QuestionsForm(FlaskForm):
    """Base for forms that ask several choice questions on one page; a field per question id."""

    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


def questions_form(questions: tuple[Question, ...], titles: dict[str, str], formdata=None, data=None, extra=None):
    """`extra` makes more fields, after the questions' own (WTForms orders fields by when they were made)."""
    fields = {q.id: _answer_field(q, titles[q.id]) for q in questions}
    if extra is not None:
        fields |= extra()
    return type("QuestionsOnOnePageForm", (QuestionsForm,), fields)(formdata=formdata, data=data or {})


def choice_params(form: QuestionForm, question: Question, title: str) -> dict:
    """Params for govukRadios/govukCheckboxes: the question is the page heading, in the legend."""
    return field_params(form.answer, question, title)


def field_params(field, question: Question, title: str, heading: bool = True) -> dict:
    """Params for govukRadios/govukCheckboxes for one question's field, as the page heading or not."""
    chosen = field.data if isinstance(field.data, list) else [field.data]
    items: list[dict[str, object]] = []
    for option in question.options:
        if option.exclusive and items:
            items.append({"divider": gettext("or")})
        item = {"value": option.code, "text": gettext(option.label), "checked": option.code in chosen}
        if option.hint:
            item["hint"] = {"text": gettext(option.hint)}
        if option.exclusive and question.kind == "multiple":
            item["behaviour"] = "exclusive"
        items.append(item)
    legend = {"text": title, "isPageHeading": True, "classes": "govuk-fieldset__legend--l"}
    if not heading:
        legend = {"text": title, "classes": "govuk-fieldset__legend--m"}
    params = {"name": field.name, "idPrefix": field.id, "fieldset": {"legend": legend}, "items": items}
    if question.hint:
        params["hint"] = {"text": gettext(question.hint)}
    if field.errors:
        params["errorMessage"] = {"text": field.errors[0], "visuallyHiddenText": gettext("Error")}
    return params
