"""Forms for staff accounts: signing in, creating an account, changing your password, choosing one from a reset
link, and an officer's reset."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, ValidationError

from triage.core.contact_details import EMAIL_FORMAT
from triage.core.passwords import MAX_PASSWORD, MIN_PASSWORD
from triage.core.permissions import ORGANISATION_ROLES, ROLES
from triage.web.accounts.service import password_problem


def _password_to_check(label: str, missing: str) -> PasswordField:
    """A password someone types to prove who they are (it is checked against the account, not judged)."""
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        validators=[DataRequired(missing), Length(max=MAX_PASSWORD, message="Enter a correct password")],
    )


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Length(max=254, message="Enter a correct email address")],
    )
    password = _password_to_check("Password", "Enter your password")
    submit = SubmitField("Sign in", widget=GovSubmitInput())


ADVICE = (
    f"At least {MIN_PASSWORD} characters, and not a common password or one with a name in it. "
    "Three or more random words make a good password."
)


def _judge(password: str | None, name: str | None, email: str | None) -> None:
    problem = password_problem(password or "", name or "", email or "")
    if problem:
        raise ValidationError(problem)


class _NewPasswordForm(FlaskForm):
    """A form where someone chooses their own new password, judged with their name and email."""

    def __init__(self, person, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def validate_new_password(self, field):
        _judge(field.data, self.person.name, self.person.email)


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
    district = SelectField(
        "District",
        description="Limit the account to one district's referrals and ward insight, or leave it for every district.",
        widget=GovSelect(),
        validate_choice=False,  # validate_district explains the problem in plain English
    )
    password = PasswordField(
        "First password",
        description=f"{ADVICE} Tell them it in person or by phone, never by email.",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter a first password")],
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())

    def validate_password(self, field):
        _judge(field.data, self.name.data, self.email.data)

    def validate_district(self, field):
        if field.data and field.data not in [c.value for c in field.choices]:
            raise ValidationError("Select a district from the list")

    def validate_organisation(self, field):
        if self.role.data in ORGANISATION_ROLES and not field.data:
            raise ValidationError("Select the organisation this person belongs to")
        if field.data and field.data not in [c.value for c in field.choices]:
            raise ValidationError("Select an organisation from the list")


def _new_password() -> PasswordField:
    return PasswordField(
        "New password",
        description=ADVICE,
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter a new password")],
    )


def _confirm_password() -> PasswordField:
    return PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Enter your new password again"),
            EqualTo("new_password", "The new passwords do not match"),
        ],
    )


class ChangePasswordForm(_NewPasswordForm):
    current_password = _password_to_check("Current password", "Enter your current password")
    new_password = _new_password()
    confirm_password = _confirm_password()
    submit = SubmitField("Change password", widget=GovSubmitInput())


class ChoosePasswordForm(_NewPasswordForm):
    new_password = _new_password()
    confirm_password = _confirm_password()
    submit = SubmitField("Save my new password", widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    """An officer's confirmation that they mean to reset someone's password (the form token is all it holds)."""

    submit = SubmitField("Reset password and sign them out", widget=GovSubmitInput())
