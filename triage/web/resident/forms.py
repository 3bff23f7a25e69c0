"""Forms for the resident journey's own pages: postcode, area, finding a plan, feedback, sending a plan.

The question pages' forms are shared with counter mode and follow-ups (assessments/question_forms.py).
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSubmitInput, GovTextInput
from markupsafe import Markup
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from triage.core.contact_details import EMAIL_FORMAT, email_ok, normalise_mobile
from triage.web.shell.fragments import kept_piece


def _given_unless_kept(form, field):
    """The box may be left empty by someone who gave a postcode before: only its sector is kept, so the box
    cannot show it again, and Continue keeps it."""
    if not (field.data or "").strip():
        if form.kept_sector:
            raise StopValidation()
        raise StopValidation(_l("Enter your postcode, or choose 'I do not have a postcode'"))


class PostcodeForm(FlaskForm):
    postcode = StringField(
        _l("What is your postcode?"),
        widget=GovTextInput(),
        validators=[_given_unless_kept, Length(max=20, message=_l("Postcode must be 20 characters or fewer"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def __init__(self, *args, kept_sector: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kept_sector = kept_sector  # the sector of the postcode given before, if any


AREA_ERROR = _l("Select the area you live in, or 'I'm not sure'")


def _one_of_the_areas(form, field):
    if field.data not in [choice.value for choice in field.choices]:
        raise ValidationError(AREA_ERROR)


class AreaForm(FlaskForm):
    area = RadioField(
        _l("Which area do you live in?"),
        widget=GovRadioInput(),
        validate_choice=False,  # _one_of_the_areas gives a clearer message
        validators=[InputRequired(AREA_ERROR), _one_of_the_areas],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ReferenceForm(FlaskForm):
    reference = StringField(
        _l("Your plan reference"),
        description=_l("It has 12 letters and numbers, for example K7QM-3XHP-RT9W"),
        widget=GovTextInput(),
        validators=[DataRequired(_l("Enter your plan reference")), Length(max=40, message=_l("Check your reference"))],
    )
    submit = SubmitField(_l("Find my plan"), widget=GovSubmitInput())


RATINGS = (
    ("very_satisfied", _l("Very satisfied")),
    ("satisfied", _l("Satisfied")),
    ("neutral", _l("Neither satisfied nor dissatisfied")),
    ("dissatisfied", _l("Dissatisfied")),
    ("very_dissatisfied", _l("Very dissatisfied")),
)


class FeedbackForm(FlaskForm):
    rating = RadioField(
        _l("Overall, how did you feel about this service?"),
        choices=[SelectChoice(v, label) for v, label in RATINGS],
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select how you felt about this service"))],
    )
    comment = TextAreaField(
        _l("How could we improve this service? (optional)"),
        description=_l("Do not include personal information like your name or address"),
        widget=GovCharacterCount(),
        validators=[Optional(), Length(max=1200, message=_l("Your comment must be 1,200 characters or fewer"))],
    )
    submit = SubmitField(_l("Send feedback"), widget=GovSubmitInput())


def blank_feedback_fields() -> Markup:
    """The feedback form's fields unanswered, in the reader's language: the same on every plan (the form's
    token is not among them), so rendered once per worker and language (shell/fragments.py)."""

    def render() -> str:
        return render_template("partials/feedback_fields.html", form=FeedbackForm(formdata=None, meta={"csrf": False}))

    return kept_piece(("feedback fields",), render)


SEND_BY = {"sms": _l("Text message"), "email": _l("Email")}


class SendByForm(FlaskForm):
    """How to send a plan: only the channels the council's sending service sends (set by the view)."""

    channel = RadioField(
        _l("How would you like us to send your plan?"),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select text message or email"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class SendToMobileForm(FlaskForm):
    to = StringField(
        _l("What is your mobile phone number?"),
        description=_l("For example, 07700 900 982"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter your mobile phone number")),
            Length(max=30, message=_l("Your mobile number must be 30 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Send my plan"), widget=GovSubmitInput())

    def validate_to(self, field):
        if not normalise_mobile(field.data):
            raise ValidationError(_l("Enter a mobile number, like 07700 900 982"))

    def recipient(self) -> str:
        mobile = normalise_mobile(self.to.data)
        assert mobile is not None  # validate_to accepted it
        return mobile


class SendToEmailForm(FlaskForm):
    to = StringField(
        _l("What is your email address?"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter your email address")),
            Length(max=254, message=_l("Your email address must be 254 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Send my plan"), widget=GovSubmitInput())

    def validate_to(self, field):
        if not email_ok(field.data):
            raise ValidationError(gettext(EMAIL_FORMAT))

    def recipient(self) -> str:
        return self.to.data.strip()
