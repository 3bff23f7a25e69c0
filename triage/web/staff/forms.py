"""Forms for the staff area: signing in, managing accounts, helping someone at the counter, sending plans,
erasing a person's data on request, and choosing the dates of an export."""

from __future__ import annotations

from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from ...core.permissions import ORGANISATION_ROLES, ROLES
from ..accounts import password_problem
from ..notifications import normalise_mobile

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Length(max=254, message="Enter a correct email address")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your password"), Length(max=128, message="Enter a correct password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


def _strong_enough(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class NewAccountForm(FlaskForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter their full name"),
            Length(max=100, message="Name must be 100 characters or fewer"),
        ],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter their email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(EMAIL_FORMAT, check_deliverability=False),
        ],
    )
    role = RadioField(
        "Role",
        choices=[SelectChoice(code, label) for code, label in ROLES.items()],
        widget=GovRadioInput(),
        validators=[InputRequired("Select their role")],
    )
    organisation = SelectField(
        "Organisation (for Digital Champions and partners)",
        widget=GovSelect(),
        validate_choice=False,  # validate_organisation explains the problem in plain English
    )
    password = PasswordField(
        "First password",
        description="At least 12 characters. Tell them it in person or by phone, never by email.",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter a first password"), _strong_enough],
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())

    def validate_organisation(self, field):
        if self.role.data in ORGANISATION_ROLES and not field.data:
            raise ValidationError("Select the organisation this person belongs to")
        if field.data and field.data not in [c.value for c in field.choices]:
            raise ValidationError("Select an organisation from the list")


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


class FindPlanForm(FlaskForm):
    reference = StringField(
        "Plan reference",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the plan reference"), Length(max=40, message="Check the reference")],
    )
    submit = SubmitField("Open plan", widget=GovSubmitInput())


class SendPlanForm(FlaskForm):
    method = RadioField(
        "Send the plan by",
        choices=[SelectChoice("email", "Email"), SelectChoice("sms", "Text message (the reference and a link)")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select email or text message")],
    )
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
            try:
                validate_email((field.data or "").strip(), check_deliverability=False)
            except EmailNotValidError as problem:
                raise ValidationError(EMAIL_FORMAT) from problem

    def validate_mobile(self, field):
        if self.method.data == "sms" and not normalise_mobile(field.data or ""):
            raise ValidationError("Enter a UK mobile number, like 07700 900 982")


class EraseFindForm(FindPlanForm):
    submit = SubmitField("Find the plan", widget=GovSubmitInput())


class EraseConfirmForm(FlaskForm):
    confirm = BooleanField(
        "I have checked this is the right plan, and the person asked for their data to be erased",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Confirm the person asked for their data to be erased")],
    )
    submit = SubmitField("Erase their data", widget=GovSubmitInput())


def _iso_date(form, field):
    if field.data.strip():
        try:
            date.fromisoformat(field.data.strip())
        except ValueError as problem:
            raise ValidationError(f"{field.label.text} must be a real date, like 2026-04-01") from problem


class ExportForm(FlaskForm):
    """Dates limiting an export (sent on or after, sent on or before); both optional. Sent by GET."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    since = StringField("From", default="", widget=GovTextInput(), validators=[Length(max=10), _iso_date])
    until = StringField("To", default="", widget=GovTextInput(), validators=[Length(max=10), _iso_date])

    def dates(self) -> tuple[date | None, date | None]:
        return tuple(date.fromisoformat(f.data.strip()) if f.data.strip() else None for f in (self.since, self.until))

    def validate_until(self, field):
        since, until = (f.data.strip() for f in (self.since, self.until))
        if since and until and not self.since.errors and not field.errors and until < since:
            raise ValidationError("To must be the same as or after From")
