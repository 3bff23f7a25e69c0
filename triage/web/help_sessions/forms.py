"""The one-page session log form. Its fields read what was sent as plain values (nothing is refused here);
triage.core.help_sessions.problems says what is wrong, field by field."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from sqlalchemy import Row
from wtforms import DateField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice

from triage.core.help_sessions import (
    DEVICES,
    GIVEN,
    INDEPENDENCE,
    KINDS,
    LENGTH_PRESETS,
    PLACES,
    TASKS,
    VENUE,
    Entry,
)
from triage.web.models import Resource

OTHER_LENGTH = "other"
NUMBER = re.compile(r"[0-9]{1,6}")


class DayMonthYearField(DateField):
    """GOV.UK's day, month and year boxes: always three values to show again, and no date (None) when they
    are not one."""

    def process_formdata(self, valuelist):
        self.raw_data = [*valuelist[:3], *[""] * (3 - len(valuelist[:3]))]
        try:
            self.data = datetime.strptime(" ".join(part.strip() for part in self.raw_data), "%d %m %Y").date()
        except ValueError:
            self.data = None


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]


def _number(text: str | None) -> int | None:
    cleaned = (text or "").replace(",", "").strip()
    return int(cleaned) if NUMBER.fullmatch(cleaned) else None


class HelpSessionForm(FlaskForm):
    session_date = DayMonthYearField("Date of the session", description="For example, 27 3 2026", widget=GovDateInput())
    length = RadioField(
        "How long was it?",
        choices=[
            *(SelectChoice(str(m), f"{m} minutes") for m in LENGTH_PRESETS),
            SelectChoice(OTHER_LENGTH, "Another length"),
        ],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    other_minutes = StringField(
        "Another length, in minutes", description="From 1 to 480 minutes", widget=GovTextInput()
    )
    kind = RadioField("One-to-one or a group?", choices=_choices(KINDS), widget=GovRadioInput(), validate_choice=False)
    headcount = StringField(
        "How many people were in the group?", description="A number from 2 to 200. No names", widget=GovTextInput()
    )
    place = RadioField("Where was it?", widget=GovRadioInput(), validate_choice=False)
    tasks = SelectMultipleField(
        "What did they work on?",
        description="Select all that apply",
        choices=_choices(TASKS),
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    device = RadioField("Which device?", choices=_choices(DEVICES), widget=GovRadioInput(), validate_choice=False)
    independence = RadioField(
        "By the end, how did they do it?", choices=_choices(INDEPENDENCE), widget=GovRadioInput(), validate_choice=False
    )
    given = SelectMultipleField(
        "Did you give them anything?",
        description="Select all that apply, or none",
        choices=_choices(GIVEN),
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    onward = SelectField("Did you refer them on? (optional)", widget=GovSelect(), validate_choice=False)
    first_visit = RadioField(
        "Was this their first visit?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    postcode = StringField(
        "Their postcode (optional)",
        description="Only to find their ward: the postcode is not kept",
        widget=GovTextInput(),
    )
    submit = SubmitField("Save the session", widget=GovSubmitInput())

    def offer(self, venues: list[Resource], directory: Sequence[Row[int, str]]) -> None:
        """Set the choices that depend on the organisation (its venues) and the directory (onward help: the
        ids and names of its entries)."""
        self.venue_ids = frozenset(v.id for v in venues)
        self.directory_ids = frozenset(r.id for r in directory)
        venue_choices = [SelectChoice(f"{VENUE}-{v.id}", f"At {v.name}") for v in venues]
        self.place.choices = [*venue_choices, *_choices({k: v for k, v in PLACES.items() if k != VENUE})]
        self.onward.choices = [SelectChoice("", "No, or not through the directory")] + [
            SelectChoice(str(r.id), r.name) for r in directory
        ]

    def show_problems(self, found: dict[str, str]) -> None:
        """Put each problem beside its field: the length's beside the radios, or the number typed."""
        for name, problem in found.items():
            if name == "minutes":
                name = "other_minutes" if self.length.data == OTHER_LENGTH else "length"
            getattr(self, name).errors = [problem]

    def minutes(self) -> int | None:
        if self.length.data == OTHER_LENGTH:
            return _number(self.other_minutes.data)
        return _number(self.length.data)

    def place_and_venue(self) -> tuple[str | None, int | None]:
        chosen = self.place.data or ""
        if chosen.startswith(f"{VENUE}-"):
            return VENUE, _number(chosen.removeprefix(f"{VENUE}-"))
        return chosen or None, None

    def first_visit_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.first_visit.data or "")

    def entry(self) -> Entry:
        place, venue_id = self.place_and_venue()
        return Entry(
            session_date=self.session_date.data,
            minutes=self.minutes(),
            kind=self.kind.data,
            headcount=_number(self.headcount.data),
            place=place,
            venue_id=venue_id,
            tasks=tuple(self.tasks.data or ()),
            device=self.device.data,
            independence=self.independence.data,
            given=tuple(self.given.data or ()),
            onward_id=_number(self.onward.data) if self.onward.data else None,
            first_visit=self.first_visit_value(),
        )

    def fill_from(self, log) -> None:
        """Show a saved log's values, to correct it."""
        self.session_date.data = log.session_date
        preset = log.minutes in LENGTH_PRESETS
        self.length.data = str(log.minutes) if preset else OTHER_LENGTH
        self.other_minutes.data = "" if preset else str(log.minutes)
        self.kind.data = log.kind
        self.headcount.data = str(log.headcount) if log.kind == "group" else ""
        self.place.data = f"{VENUE}-{log.venue_id}" if log.place == VENUE else log.place
        self.tasks.data = list(log.tasks)
        self.device.data = log.device
        self.independence.data = log.independence
        self.given.data = list(log.given)
        self.onward.data = str(log.onward_resource_id) if log.onward_resource_id else ""
        self.first_visit.data = "yes" if log.first_visit else "no"
