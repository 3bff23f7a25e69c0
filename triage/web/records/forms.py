"""Forms for records: finding a plan to erase and confirming it, and the dates of an export."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from triage.web.counter.forms import FindPlanForm


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
        since, until = (
            date.fromisoformat(f.data.strip()) if f.data.strip() else None for f in (self.since, self.until)
        )
        return since, until

    def validate_until(self, field):
        since, until = (f.data.strip() for f in (self.since, self.until))
        if since and until and not self.since.errors and not field.errors and until < since:
            raise ValidationError("To must be the same as or after From")
