"""Forms for managing the directory: an entry (for admins and, with fewer fields, partners), a status
change, a decision on a proposal, and a CSV upload.

The entry form only collects values; triage.core.directory_rules decides what is acceptable, so the
form, partner proposals and the CSV import follow the same rules and give the same messages.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from triage.core.directory_rules import (
    COVERAGE_NAMES,
    ENTRY_STATUSES,
    FIELDS,
    KIND_NAMES,
    LANGUAGE_NAMES,
    MODE_NAMES,
    WEEKDAYS,
    describe_feature,
)
from triage.core.matching import ACCESSIBILITY_FEATURES
from triage.core.routing import ROUTES
from triage.web.assessments.places import ward_label

LIST_FIELDS = ("wards", "languages", "accessibility", "delivery_modes", "needs")
LABELS = {
    "id": "Id",
    "kind": "What kind of help is it?",
    "name": "Name",
    "organisation": "Organisation that runs it",
    "description": "Description",
    "coverage": "Who can use it?",
    "wards": "Areas (wards) it covers",
    "address": "Address",
    "postcode": "Postcode",
    "phone": "Phone number",
    "email": "Email address",
    "website": "Website",
    **dict(WEEKDAYS),
    "opening_notes": "Notes on opening times",
    "free": "Is it free?",
    "cost": "What it costs",
    "languages": "Languages help is given in",
    "accessibility": "Accessibility",
    "delivery_modes": "How help is given",
    "needs": "Needs it meets",
    "eligibility": "Who can get it",
    "status": "Status",
    "status_note": "Status note",
    "last_reviewed": "Last reviewed",
    "sample": "Sample data",
}


# On the form these are radios, so any problem means nothing (or nothing we offer) was chosen.
RADIO_MESSAGES = {
    "kind": "Select what kind of help it is",
    "coverage": "Select who can use it",
    "free": "Select yes if it is free",
    "status": "Select its status",
}


def _choices(names: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in names.items()]


def _many(field: str, choices: list[SelectChoice], hint: str = "") -> SelectMultipleField:
    return SelectMultipleField(
        LABELS[field], choices=choices, description=hint, widget=GovCheckboxesInput(), validate_choice=False
    )


def _text(field: str, hint: str = "") -> StringField:
    return StringField(LABELS[field], description=hint, widget=GovTextInput())


def _area(field: str, hint: str = "") -> TextAreaField:
    return TextAreaField(LABELS[field], description=hint, widget=GovTextArea())


class EntryForm(FlaskForm):
    kind = RadioField(LABELS["kind"], choices=_choices(KIND_NAMES), widget=GovRadioInput(), validate_choice=False)
    name = _text("name")
    organisation = _text("organisation", "Digital Champions and partners at this organisation can take referrals")
    description = _area("description", "What help it gives, in plain English")
    coverage = RadioField(
        LABELS["coverage"], choices=_choices(COVERAGE_NAMES), widget=GovRadioInput(), validate_choice=False
    )
    wards = _many("wards", [], "For help in particular areas. Help with a postcode also covers its own area.")
    address = _text("address")
    postcode = _text("postcode", "We look up its area and position from the postcode")
    phone = _text("phone")
    email = _text("email")
    website = _text("website")
    monday = _text("monday", "Times like 9:30-12:30, or two sessions like 9:30-12:30, 13:30-17:00. Blank if closed.")
    tuesday, wednesday, thursday, friday = _text("tuesday"), _text("wednesday"), _text("thursday"), _text("friday")
    saturday, sunday = _text("saturday"), _text("sunday")
    opening_notes = _area("opening_notes", "For example, closed on bank holidays, or booking needed")
    free = RadioField(
        LABELS["free"], choices=_choices({"yes": "Yes", "no": "No"}), widget=GovRadioInput(), validate_choice=False
    )
    cost = _text("cost", "If it is not free")
    languages = _many("languages", _choices(LANGUAGE_NAMES))
    accessibility = _many("accessibility", [SelectChoice(f, describe_feature(f)) for f in ACCESSIBILITY_FEATURES])
    delivery_modes = _many("delivery_modes", _choices(MODE_NAMES))
    needs = _many(
        "needs", [SelectChoice(r.code, r.title) for r in ROUTES], "Signpost suggests it to people with these needs"
    )
    eligibility = _area("eligibility", "For example, people who live in the area and are 18 or over")
    status = RadioField(
        LABELS["status"], choices=_choices(ENTRY_STATUSES), widget=GovRadioInput(), validate_choice=False
    )
    status_note = _text("status_note", "For example, closed for building work until 5 January")
    last_reviewed = _text("last_reviewed", "The date someone last checked this entry is right, like 2026-11-25")
    submit = SubmitField("Save", widget=GovSubmitInput())

    def entry(self) -> dict[str, str]:
        """The submitted values as a flat entry for triage.core.directory_rules."""
        values = {}
        for field in FIELDS:
            if field in self._fields:
                data = self[field].data
                values[field] = ";".join(data) if field in LIST_FIELDS else (data or "")
        return values

    def show_problems(self, problems: dict[str, str]) -> None:
        for field, problem in problems.items():
            target = self[field] if field in self._fields else self.name
            message = RADIO_MESSAGES.get(field) or form_message(LABELS.get(field, field), problem)
            target.errors = [message]


def form_message(label: str, problem: str) -> str:
    """'Name', 'must be 200 characters or fewer' → 'Name must be 200 characters or fewer'."""
    if problem.startswith(("must", "lists")):
        return f"{label} {problem}"
    if problem.startswith(tuple(name for _, name in WEEKDAYS)):
        return problem
    return problem[0].upper() + problem[1:]


def entry_form(wards: list, partner: bool = False, formdata=None, data=None) -> EntryForm:
    """An entry form with the council's wards; partners do not set the status or review date."""
    form = EntryForm(formdata=formdata, data=data)
    form.wards.choices = [SelectChoice(w.code, ward_label(w)) for w in wards]
    if partner:
        for field in ("status", "status_note", "last_reviewed", "organisation"):
            del form[field]
    return form


def initial_data(entry: dict[str, str]) -> dict:
    return {f: [v for v in entry.get(f, "").split(";") if v] if f in LIST_FIELDS else entry.get(f, "") for f in FIELDS}


class StatusChangeForm(FlaskForm):
    status = RadioField(
        "Change the status to",
        choices=_choices(ENTRY_STATUSES),
        widget=GovRadioInput(),
        validators=[InputRequired("Select the new status")],
    )
    note = StringField(
        "Note",
        description="Why, and until when. Shown to staff, and to the public for a temporary closure.",
        widget=GovTextInput(),
        validators=[Length(max=300, message="The note must be 300 characters or fewer")],
    )
    submit = SubmitField("Change status", widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Your decision",
        choices=[SelectChoice("approve", "Approve and publish"), SelectChoice("reject", "Reject")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select approve or reject")],
    )
    note = TextAreaField(
        "Note to the partner",
        description="Needed if you reject it",
        widget=GovTextArea(),
        validators=[Length(max=500, message="The note must be 500 characters or fewer")],
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class DirectoryFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    kind = SelectField("Kind", choices=[SelectChoice("", "Any kind"), *_choices(KIND_NAMES)], widget=GovSelect())
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "Any status"), *_choices(ENTRY_STATUSES), SelectChoice("review", "Due for review")],
        widget=GovSelect(),
    )
    q = StringField("Name contains", widget=GovTextInput(), validators=[Length(max=100)])


class ImportForm(FlaskForm):
    file = FileField("CSV file", description="Nothing is saved until you have seen the check", widget=GovFileInput())
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ApplyImportForm(FlaskForm):
    """The checked file's text goes back with the confirmation, and is checked again before saving."""

    text = HiddenField(validators=[InputRequired()])
    submit = SubmitField("Import these entries", widget=GovSubmitInput())
