"""Forms for counter mode: helping someone with the questions, opening a plan by its reference, sending it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from triage.core.contact_details import EMAIL_FORMAT, email_ok, normalise_mobile
from triage.core.interface_languages import DEFAULT, INTERFACE_LANGUAGES
from triage.core.postal_address import MAX_ADDRESS_LINES, AddressProblem, LetterAddress, letter_address

COUNTER_CHANNELS = {"counter": "At the council counter", "phone": "On the phone", "community": "At a community venue"}


class AssistForm(FlaskForm):
    channel = RadioField(
        "How are you helping them?",
        choices=[SelectChoice(code, label) for code, label in COUNTER_CHANNELS.items()],
        widget=GovRadioInput(),
        validators=[InputRequired("Select how you are helping them")],
    )
    consent = BooleanField(
        "They have agreed to answer the questions and for their answers to be saved",
        description="Ask them out loud. Their name is not recorded.",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Ask for their agreement before you start")],
    )
    submit = SubmitField("Start the questions", widget=GovSubmitInput())


ELSEWHERE = "elsewhere"


class WalkInForm(FlaskForm):
    """A Digital Champion's walk-in: at one of their organisation's venues (the choices, set by the view) or
    somewhere else."""

    venue = RadioField(
        "Where are you helping them?",
        widget=GovRadioInput(),
        validators=[InputRequired("Select where you are helping them")],
    )
    consent = BooleanField(
        "They have agreed to answer the questions and for their answers to be saved",
        description="Ask them out loud. Their name is not recorded.",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Ask for their agreement before you start")],
    )
    submit = SubmitField("Start the questions", widget=GovSubmitInput())

    def venue_id(self) -> int | None:
        """The chosen venue's id; None for somewhere else."""
        return None if self.venue.data == ELSEWHERE else int(self.venue.data)


class FindPlanForm(FlaskForm):
    reference = StringField(
        "Plan reference",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the plan reference"), Length(max=40, message="Check the reference")],
    )
    submit = SubmitField("Open plan", widget=GovSubmitInput())


def _language_field() -> SelectField:
    return SelectField(
        "Language",
        description="The language they would like to read it in",
        choices=[
            SelectChoice(lang.code, lang.english_name + (f" ({lang.name})" if lang.name != lang.english_name else ""))
            for lang in INTERFACE_LANGUAGES
        ],
        default=DEFAULT,
        widget=GovSelect(),
    )


class SendPlanForm(FlaskForm):
    method = RadioField(
        "Send the plan by",
        choices=[SelectChoice("email", "Email"), SelectChoice("sms", "Text message (the reference and a link)")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select email or text message")],
    )
    language = _language_field()
    email = StringField("Email address", widget=GovTextInput(), validators=[Length(max=254)])
    mobile = StringField("UK mobile number", widget=GovTextInput(), validators=[Length(max=30)])
    consent = BooleanField(
        "They have agreed to us sending their plan to this address or number",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Ask for their agreement before you send anything")],
    )
    submit = SubmitField("Send plan", widget=GovSubmitInput())

    def validate_email(self, field):
        if self.method.data == "email":
            if not email_ok(field.data or ""):
                raise ValidationError(EMAIL_FORMAT)

    def validate_mobile(self, field):
        if self.method.data == "sms" and not normalise_mobile(field.data or ""):
            raise ValidationError("Enter a UK mobile number, like 07700 900 982")


def _address_line(n: int) -> StringField:
    return StringField(f"Address line {n}" + ("" if n == 1 else " (optional)"), widget=GovTextInput())


class LetterForm(FlaskForm):
    """A plan posted as a letter: the address lines as GOV.UK Notify takes them (core/postal_address.py)."""

    language = _language_field()
    name = StringField("Name", widget=GovTextInput())
    line_1 = _address_line(1)
    line_2 = _address_line(2)
    line_3 = _address_line(3)
    line_4 = _address_line(4)
    line_5 = _address_line(5)
    postcode = StringField("Postcode", widget=GovTextInput())
    consent = BooleanField(
        "They have agreed to us posting their plan to this address",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Ask for their agreement before you post anything")],
    )
    submit = SubmitField("Post plan", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        try:
            self.address = letter_address(
                self.name.data or "",
                [getattr(self, f"line_{n}").data or "" for n in range(1, MAX_ADDRESS_LINES + 1)],
                self.postcode.data or "",
            )
        except AddressProblem as problem:
            getattr(self, problem.field).errors.append(problem.message)
            return False
        return valid

    address: LetterAddress
