"""The referral form, shared by residents asking to be contacted and staff referring someone."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from triage.core.contact_details import EMAIL_FORMAT, email_ok, normalise_mobile, phone_ok
from triage.core.interface_languages import DEFAULT, INTERFACE_LANGUAGES
from triage.core.referrals import MAX_REASON

NO_UPDATES = "none"  # the radio's value for "no updates", stored as "" on the referral


class ReferralForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("So the helper knows who to ask for"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter a name")),
            Length(max=100, message=_l("Name must be 100 characters or fewer")),
        ],
    )
    phone = StringField(
        _l("Phone number"),
        widget=GovTextInput(),
        validators=[Length(max=30, message=_l("Phone number must be 30 characters or fewer"))],
    )
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[Length(max=254, message=_l("Email address must be 254 characters or fewer"))],
    )
    contact_times = StringField(
        _l("Best times to contact"),
        description=_l("For example, weekday mornings"),
        widget=GovTextInput(),
        validators=[Length(max=200, message=_l("Best times must be 200 characters or fewer"))],
    )
    note = TextAreaField(
        _l("Anything the helper should know (optional)"),
        description=_l("For example, what you want to do first. Do not include health details unless you want to."),
        widget=GovCharacterCount(),
        validators=[Length(max=500, message=_l("This must be 500 characters or fewer"))],
    )
    updates_by = RadioField(
        _l("How do you want to hear what happens with your request?"),
        choices=[
            SelectChoice("sms", _l("By text message")),
            SelectChoice("email", _l("By email")),
            SelectChoice(NO_UPDATES, _l("I do not want updates")),
        ],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(_l("Select how you want to hear what happens, or that you do not want updates"))],
    )
    consent = BooleanField(
        _l("I agree to these details being shared with this helper so they can contact me"),
        widget=GovCheckboxInput(),
        validators=[DataRequired(_l("You need to agree before we can share your details"))],
    )
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())

    def contact(self) -> dict[str, str]:
        """The contact details for create_referral."""
        return {f: getattr(self, f).data or "" for f in ("name", "phone", "email", "contact_times", "note")}

    def chosen_updates(self) -> str:
        """How the person wants to hear what happens, as Referral.updates_by: "sms", "email" or ""."""
        return "" if self.updates_by.data == NO_UPDATES else self.updates_by.data

    def validate_phone(self, field):
        phone, email = (field.data or "").strip(), (self.email.data or "").strip()  # None: not sent at all
        if not phone and not email:
            raise ValidationError(gettext("Enter a phone number or an email address"))
        if phone and not phone_ok(field.data):
            raise ValidationError(gettext("Enter a UK phone number, like 01509 634 000 or 07700 900 982"))

    def validate_email(self, field):
        if (field.data or "").strip() and not email_ok(field.data):
            raise ValidationError(gettext(EMAIL_FORMAT))

    def validate_updates_by(self, field):
        if field.data not in [c.value for c in field.choices]:
            raise ValidationError(str(field.validators[0].message))  # the InputRequired message: choose one
        if field.data == "sms" and not normalise_mobile(self.phone.data or ""):
            raise ValidationError(gettext("Enter a mobile number to get text messages, or choose another way"))
        if field.data == "email" and not (self.email.data or "").strip():
            raise ValidationError(gettext("Enter an email address to get emails, or choose another way"))


class StaffReferralForm(ReferralForm):
    resource = RadioField(
        "Who to refer them to",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired("Select who to refer them to")],
    )
    updates_by = RadioField(
        "How do they want to hear what happens?",
        choices=[
            SelectChoice("sms", "By text message"),
            SelectChoice("email", "By email"),
            SelectChoice(NO_UPDATES, "They do not want updates"),
        ],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired("Select how they want to hear what happens, or that they do not want updates")],
    )
    language = SelectField(
        "Language for their messages",
        choices=[SelectChoice(lang.code, lang.english_name) for lang in INTERFACE_LANGUAGES],
        default=DEFAULT,
        widget=GovSelect(),
        validate_choice=False,
    )
    consent = BooleanField(
        "They have agreed to these details being shared with this helper",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Ask for their agreement before you refer them")],
    )
    submit = SubmitField("Refer", widget=GovSubmitInput())

    def validate_language(self, field):
        if field.data not in [c.value for c in field.choices]:
            raise ValidationError("Select the language for their messages")

    def validate_resource(self, field):
        if field.data not in [c.value for c in field.choices]:
            raise ValidationError("Select who to refer them to")


class StatusForm(FlaskForm):
    status = RadioField(
        "New status",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired("Select the new status")],
    )
    reason = TextAreaField(
        "Reason or note",
        description="Needed if you decline, or if support is no longer needed or you could not make contact",
        widget=GovTextArea(),
        validators=[Length(max=MAX_REASON, message=f"The reason must be {MAX_REASON} characters or fewer")],
    )
    submit = SubmitField("Update status", widget=GovSubmitInput())
