"""The booking journey's forms, one question a page: a time, a first name, a phone number or email (or neither),
access needs, then the check (with consent when staff book for someone); finding a booking again; and, for
staff, publishing weekly times, dated sessions and closures."""

from __future__ import annotations

import re
from datetime import time

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from triage.core.booking_slots import MODES, Offer
from triage.core.contact_details import EMAIL_FORMAT, email_ok, normalise_mobile, phone_ok
from triage.web.help_sessions.forms import DayMonthYearField


class TimeForm(FlaskForm):
    slot = RadioField(
        _l("Choose a time"),
        widget=GovRadioInput(),
        validate_choice=False,  # the view checks the time is still one of the entry's
        validators=[InputRequired(_l("Choose a time"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class NameForm(FlaskForm):
    first_name = StringField(
        _l("What is your first name? (optional)"),
        description=_l("So the person helping you knows who to look for"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100, message=_l("Your first name must be 100 characters or fewer"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ContactForm(FlaskForm):
    phone = StringField(
        _l("Phone number (optional)"),
        description=_l("For example, 07700 900 982 or 01509 634 560"),
        widget=GovTextInput(),
        validators=[Length(max=30, message=_l("Your phone number must be 30 characters or fewer"))],
    )
    email = StringField(
        _l("Email address (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=254, message=_l("Your email address must be 254 characters or fewer"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def __init__(self, *args, phone_needed: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.phone_needed = phone_needed  # a phone call or a home visit: they need a number to phone

    def validate_phone(self, field):
        number = (field.data or "").strip()
        if not number and self.phone_needed:
            raise ValidationError(_l("Enter a phone number: they will phone you on it"))
        if number and not phone_ok(number):
            raise ValidationError(_l("Enter a UK phone number, like 07700 900 982 or 01509 634 560"))

    def validate_email(self, field):
        if (field.data or "").strip() and not email_ok(field.data):
            raise ValidationError(gettext(EMAIL_FORMAT))


class NeedsForm(FlaskForm):
    access_needs = StringField(
        _l("Is there anything that would make it easier for you? (optional)"),
        description=_l("For example, step-free access, a hearing loop, large print, or help in another language"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300, message=_l("This must be 300 characters or fewer"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """The check page's button; for staff booking for someone, their consent (the view asks for it)."""

    consent = BooleanField(
        "They agree to us keeping these details to manage the booking",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField(_l("Book this time"), widget=GovSubmitInput())


class FindBookingForm(FlaskForm):
    reference = StringField(
        _l("Your booking reference"),
        description=_l("It has 12 letters and numbers, for example K7QM-3XHP-RT9W"),
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter your booking reference")),
            Length(max=40, message=_l("Check your reference")),
        ],
    )
    contact = StringField(
        _l("The phone number or email address you booked with"),
        description=_l("Leave this empty if you booked without one"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=254, message=_l("This must be 254 characters or fewer"))],
    )
    submit = SubmitField(_l("Find my booking"), widget=GovSubmitInput())


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Cancel this booking"), widget=GovSubmitInput())


# Publishing availability, in the staff area (in English, like the rest of it). Every field reads what was sent
# as a plain value; triage.core.booking_slots says what is wrong, field by field.
CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
NUMBER = re.compile(r"^\d{1,4}$")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def clock_time(text: str | None) -> time | None:
    """'9:30', '09.30' or '14:00' as a time; None if it is not one."""
    found = CLOCK.match((text or "").strip())
    return time(int(found.group(1)), int(found.group(2))) if found else None


def whole_number(text: str | None) -> int:
    cleaned = (text or "").strip()
    return int(cleaned) if NUMBER.match(cleaned) else 0


class _OfferForm(FlaskForm):
    mode = RadioField(
        "How is the help given?",
        choices=[SelectChoice(code, label) for code, label in MODES.items()],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    starts = StringField("Start time", description="For example, 9:30 or 14:00", widget=GovTextInput())
    ends = StringField("End time", widget=GovTextInput())
    places = StringField("Places", widget=GovTextInput())
    submit = SubmitField("Publish", widget=GovSubmitInput())

    def times_problems(self) -> dict[str, str]:
        found = {}
        if clock_time(self.starts.data) is None:
            found["starts"] = "Enter the start time, like 9:30 or 14:00"
        if clock_time(self.ends.data) is None:
            found["ends"] = "Enter the end time, like 12:30 or 16:00"
        return found

    def show_problems(self, found: dict[str, str]) -> None:
        for name, problem in found.items():
            # a dated session's length is its start to its end: a problem with it is the end time's
            field = getattr(self, name, None) or self.ends
            field.errors = [*field.errors, problem] if field.errors else [problem]


class WeeklyForm(_OfferForm):
    weekday = RadioField(
        "Which day of the week?",
        choices=[SelectChoice(str(n), day) for n, day in enumerate(WEEKDAYS)],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    minutes = StringField("Length of each slot, in minutes", description="For example, 30", widget=GovTextInput())
    places = StringField("Places in each slot", description="Usually 1: one person at a time", widget=GovTextInput())
    valid_from = DayMonthYearField(
        "First date (optional)", description="Leave empty to start now. For example, 5 1 2027", widget=GovDateInput()
    )
    valid_until = DayMonthYearField(
        "Last date (optional)", description="Leave empty to keep going", widget=GovDateInput()
    )

    def offer(self) -> Offer:
        weekday = self.weekday.data if (self.weekday.data or "").isdigit() else None
        return Offer(
            0,
            "weekly",
            self.mode.data or "",
            clock_time(self.starts.data) or time(0),
            clock_time(self.ends.data) or time(0),
            whole_number(self.minutes.data),
            whole_number(self.places.data),
            weekday=int(weekday) if weekday is not None else None,
            valid_from=self.valid_from.data,
            valid_until=self.valid_until.data,
        )

    def dates_problems(self) -> dict[str, str]:
        return {
            name: "Enter a real date, like 5 1 2027, or leave it empty"
            for name in ("valid_from", "valid_until")
            if getattr(self, name).data is None and any(part.strip() for part in getattr(self, name).raw_data or [])
        }


class DatedForm(_OfferForm):
    title = StringField(
        "Name of the session", description="For example, Beginners' computer course", widget=GovTextInput()
    )
    on_date = DayMonthYearField("Date", description="For example, 12 1 2027", widget=GovDateInput())
    places = StringField("Places", description="How many people can come", widget=GovTextInput())

    def offer(self) -> Offer:
        starts, ends = clock_time(self.starts.data), clock_time(self.ends.data)
        minutes = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute) if starts and ends else 0
        return Offer(
            0,
            "dated",
            self.mode.data or "",
            starts or time(0),
            ends or time(0),
            max(minutes, 0),
            whole_number(self.places.data),
            on_date=self.on_date.data,
        )

    def title_problems(self) -> dict[str, str]:
        title = (self.title.data or "").strip()
        if not title:
            return {"title": "Enter the name of the session"}
        return {"title": "The name must be 200 characters or fewer"} if len(title) > 200 else {}


class ClosureForm(FlaskForm):
    first_day = DayMonthYearField("First day closed", description="For example, 24 12 2026", widget=GovDateInput())
    last_day = DayMonthYearField("Last day closed", description="For example, 2 1 2027", widget=GovDateInput())
    reason = StringField("Why is it closed?", description="For example, Christmas", widget=GovTextInput())
    submit = SubmitField("Add the closure", widget=GovSubmitInput())


class RemoveForm(FlaskForm):
    submit = SubmitField("Remove", widget=GovSubmitInput())


# The waiting list of a full session (booking/waiting_views.py): a first name, then a way to send the offer.
class WaitingContactForm(FlaskForm):
    """A mobile number or an email address: one is needed, since a freed place is offered by message."""

    phone = StringField(
        _l("Mobile phone number"),
        description=_l("For a text message, for example 07700 900 982"),
        widget=GovTextInput(),
        validators=[Length(max=30, message=_l("Your phone number must be 30 characters or fewer"))],
    )
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=254, message=_l("Your email address must be 254 characters or fewer"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def validate_phone(self, field):
        number = (field.data or "").strip()
        if number and not phone_ok(number):
            raise ValidationError(_l("Enter a UK phone number, like 07700 900 982"))
        if not (self.email.data or "").strip():
            if not number:
                raise ValidationError(_l("Enter a mobile number or an email address: we send the offer of a place"))
            if normalise_mobile(number) is None:
                raise ValidationError(_l("Enter a mobile number, for a text message, or an email address"))

    def validate_email(self, field):
        if (field.data or "").strip() and not email_ok(field.data):
            raise ValidationError(gettext(EMAIL_FORMAT))


class JoinForm(FlaskForm):
    """The check page's button; for staff adding someone, their consent (the view asks for it)."""

    consent = BooleanField("They agree to us keeping these details to offer them a place", widget=GovCheckboxInput())
    submit = SubmitField(_l("Join the waiting list"), widget=GovSubmitInput())


class FindWaitingForm(FlaskForm):
    reference = StringField(
        _l("Your waiting list reference"),
        description=_l("It has 12 letters and numbers, for example K7QM-3XHP-RT9W"),
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter your waiting list reference")),
            Length(max=40, message=_l("Check your reference")),
        ],
    )
    contact = StringField(
        _l("The phone number or email address you gave"),
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter the phone number or email address you gave")),
            Length(max=254, message=_l("This must be 254 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Find my place on the list"), widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    submit = SubmitField(_l("Accept the place"), widget=GovSubmitInput())


class DeclineForm(FlaskForm):
    submit = SubmitField(_l("Decline the place"), widget=GovSubmitInput())


class LeaveForm(FlaskForm):
    submit = SubmitField(_l("Leave the waiting list"), widget=GovSubmitInput())
