"""Changing the directory: saving a checked entry onto a Resource with its history, retiring and
restoring, closing for a while, marking as reviewed, and partner proposals with admin approval.

The rules an entry must meet are in triage.core.directory_rules; this module adds what needs the
database (the postcode exists, the organisation) and keeps the history. Its functions flush and never
commit: the caller commits once, so a change and its history (and any audit entry) are saved together.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, or_, select

from triage.core.directory_rules import (
    FIELDS,
    Cleaned,
    changes_between,
    clean_entry,
    review_cutoff,
    review_due,
    slug_for,
    week_fields,
)
from triage.web.areas.profiles import council
from triage.web.booking import changes as booking_changes
from triage.web.extensions import db
from triage.web.models import Organisation, Postcode, Proposal, Resource, ResourceChange, StaffUser, Ward

_TRACKED = tuple(f for f in FIELDS if f not in ("id", "sample"))  # what the history records


def entry_of(resource: Resource) -> dict[str, str]:
    """A resource as a flat entry of strings: the form's starting values, a CSV row, a history snapshot."""
    return {
        "id": resource.slug,
        "kind": resource.kind,
        "name": resource.name,
        "organisation": resource.organisation or "",
        "description": resource.description or "",
        "coverage": resource.coverage,
        "wards": ";".join(w.code for w in resource.wards),
        "address": resource.address or "",
        "postcode": resource.postcode or "",
        "phone": resource.phone or "",
        "email": resource.email or "",
        "website": resource.website or "",
        **week_fields(resource.opening_times or []),
        "opening_notes": resource.opening_notes or "",
        "free": "yes" if resource.free else "no",
        "cost": resource.cost or "",
        "languages": ";".join(resource.languages or []),
        "accessibility": ";".join(resource.accessibility or []),
        "delivery_modes": ";".join(resource.delivery_modes or []),
        "needs": ";".join(resource.needs or []),
        "eligibility": resource.eligibility or "",
        "status": resource.status,
        "status_note": resource.status_note or "",
        "last_reviewed": resource.last_reviewed_on.isoformat() if resource.last_reviewed_on else "",
        "sample": "yes" if resource.is_sample else "no",
    }


def council_ward_codes() -> set[str]:
    return set(db.session.execute(select(Ward.code)).scalars())


def check_entry(raw: dict, ward_codes: set[str] | None = None) -> Cleaned:
    """Check an entry against the rules and the database; problems are keyed by field.

    `ward_codes` are the council's wards (council_ward_codes), for a caller checking many entries at once.
    """
    cleaned = clean_entry(raw, council_ward_codes() if ward_codes is None else ward_codes)
    if cleaned.values["postcode"] and "postcode" not in cleaned.problems:
        if db.session.get(Postcode, cleaned.values["postcode"]) is None:
            cleaned.problems["postcode"] = "we do not know this postcode; check it, or leave it blank"
    if cleaned.values["id"]:
        clash = db.session.execute(select(Resource).where(Resource.slug == cleaned.values["id"])).scalar_one_or_none()
        if clash is not None and raw.get("_editing") != clash.id:
            cleaned.problems["id"] = "another entry already has this id"
    return cleaned


def _organisation(name: str, sample: bool) -> Organisation | None:
    if not name:
        return None
    found = db.session.execute(select(Organisation).where(Organisation.name == name)).scalar_one_or_none()
    if found is None:
        found = Organisation(name=name, is_sample=sample)
        db.session.add(found)
        db.session.flush()
    return found


def _unique_slug(name: str) -> str:
    n = 1
    while db.session.execute(select(Resource.id).where(Resource.slug == slug_for(name, n))).first():
        n += 1
    return slug_for(name, n)


def _district(place: Postcode | None) -> str:
    """The district an entry serves: its postcode's, else the council's first (a county lists its districts)."""
    ward = db.session.get(Ward, place.ward_code) if place else None
    return ward.lad_code if ward is not None else council().lads[0]


def write_entry(
    resource: Resource,
    cleaned: Cleaned,
    action: str | None,
    by: StaffUser | None = None,
    *,
    note: str = "",
    borough_code: str | None = None,
    point: tuple[float, float] | None = None,
) -> None:
    """Put a checked entry's values onto `resource` (adding it, if new) and record what changed in its
    history as `action`, with `note` (the seed passes None: its entries keep no history, so that an
    officer's change is never undone by seeding again).

    Every way an entry arrives ends here: the editor, proposals, the CSV and ORUK imports and the seed.
    The caller has checked the entry (check_entry) and chosen which of its problems it accepts. Two facts
    a flat entry cannot hold come only from a feed or the seed files: `borough_code`, the borough it
    serves when that is not its postcode's district, and `point`, the coordinates of a place whose postcode
    we do not know.
    """
    values = cleaned.values
    before = entry_of(resource) if resource.id is not None else {}
    with db.session.no_autoflush:  # a new entry must not be written half-filled by a lookup below
        place = db.session.get(Postcode, values["postcode"]) if values["postcode"] else None
        organisation = select(Organisation.id).where(Organisation.name == values["organisation"])
        if values["id"]:
            resource.slug = values["id"]
        resource.kind, resource.name = values["kind"], values["name"]
        resource.organisation = values["organisation"]
        resource.organisation_id = db.session.execute(organisation).scalar_one_or_none()
        resource.description, resource.coverage = values["description"], values["coverage"]
        borough_code = borough_code or _district(place)
        resource.borough_code = borough_code if values["coverage"] != "national" else None
        resource.wards = [db.session.get_one(Ward, code) for code in values["wards"]]  # known wards only
        resource.address = values["address"]
        resource.postcode = place.postcode if place else None
        resource.lat, resource.lon = (place.lat, place.lon) if place else point or (None, None)
        resource.ward_code = place.ward_code if place else None
        resource.phone, resource.email, resource.website = values["phone"], values["email"], values["website"]
        resource.opening_times, resource.opening_notes = values["opening_times"], values["opening_notes"]
        resource.free, resource.cost = values["free"], values["cost"]
        resource.languages, resource.accessibility = values["languages"], values["accessibility"]
        resource.delivery_modes, resource.needs = values["delivery_modes"], values["needs"]
        resource.eligibility = values["eligibility"]
        resource.status, resource.status_note = values["status"], values["status_note"]
        resource.last_reviewed_on = values["last_reviewed"]
        resource.is_sample = values["sample"]
    db.session.add(resource)
    db.session.flush()
    changed = {f: v for f, v in changes_between(before, entry_of(resource)).items() if f in _TRACKED}
    if changed:
        resource.updated_at = datetime.now(UTC)  # the matcher's index notices even ward-only changes
        if action:
            db.session.add(ResourceChange(resource_id=resource.id, action=action, changes=changed, by=by, note=note))
    if before and before["status"] == "active":  # closed or retired by an edit, a proposal or an import
        booking_changes.for_entry_closing(resource)


def _record(resource: Resource, action: str, before: dict, by: StaffUser, note: str = "") -> None:
    """A change of status or a review: always in the history, even when nothing else changed."""
    changes = {f: v for f, v in changes_between(before, entry_of(resource)).items() if f in _TRACKED}
    db.session.add(ResourceChange(resource_id=resource.id, action=action, changes=changes, by=by, note=note))
    resource.updated_at = datetime.now(UTC)


def save_entry(resource: Resource | None, raw: dict, by: StaffUser | None, action: str = "") -> Cleaned:
    """Check and save an entry (a new one when `resource` is None); nothing is saved if there are problems.

    An officer's or partner's entry may name an organisation Signpost does not have yet: it is added,
    so that partners there can be given accounts and take referrals.
    """
    cleaned = check_entry({**raw, "_editing": resource.id if resource else None})
    if cleaned.problems:
        return cleaned
    _organisation(cleaned.values["organisation"], cleaned.values["sample"])
    if resource is None:
        resource = Resource(slug=cleaned.values["id"] or _unique_slug(cleaned.values["name"]), source="Added by staff")
        action = action or "created"
    write_entry(resource, cleaned, action or "edited", by)
    cleaned.values["resource"] = resource
    return cleaned


def set_status(resource: Resource, status: str, note: str, by: StaffUser) -> booking_changes.Told:
    """Retire, restore, close for a while or reopen; a closed or retired entry is never matched, and its bookings
    still to come are cancelled, the people booked told (what that did is returned, for the page).

    The note says why and until when: an entry open again has no status note (the public would still see
    "closed until March"), and the note given for reopening is kept in the history only."""
    before = entry_of(resource)
    resource.status, resource.status_note = status, "" if status == "active" else note.strip()
    action = {"retired": "retired", "temporarily_closed": "closed for now", "active": "reopened"}[status]
    if before["status"] == "retired" and status == "active":
        action = "restored"
    _record(resource, action, before, by, note.strip())
    db.session.flush()
    return booking_changes.for_entry_closing(resource)


def mark_reviewed(resource: Resource, by: StaffUser, today: date | None = None) -> None:
    before = entry_of(resource)
    resource.last_reviewed_on = today or datetime.now(UTC).date()
    _record(resource, "reviewed", before, by)
    db.session.flush()


def is_due_for_review(resource: Resource, today: date | None = None) -> bool:
    """Whether an entry still in use has not been checked for REVIEW_AFTER_MONTHS months (or ever)."""
    today = today or datetime.now(UTC).date()
    months = current_app.config["REVIEW_AFTER_MONTHS"]
    return resource.status != "retired" and review_due(resource.last_reviewed_on, today, months)


def _due(today: date | None) -> ColumnElement[bool]:
    """is_due_for_review as SQL (tests/directory/test_review_due.py checks that the two agree)."""
    cutoff = review_cutoff(today or datetime.now(UTC).date(), current_app.config["REVIEW_AFTER_MONTHS"])
    reviewed = Resource.last_reviewed_on
    return and_(Resource.status != "retired", or_(reviewed.is_(None), reviewed < cutoff))


def due_for_review(today: date | None = None) -> list[Resource]:
    """Entries still in use that nobody has checked for REVIEW_AFTER_MONTHS months, oldest first."""
    rows = db.session.execute(select(Resource).where(_due(today))).scalars()
    return sorted(rows, key=lambda r: (r.last_reviewed_on or date.min, r.name))


def count_due_for_review(today: date | None = None) -> int:
    return db.session.scalar(select(func.count(Resource.id)).where(_due(today))) or 0


def history(resource: Resource) -> list[ResourceChange]:
    query = select(ResourceChange).where(ResourceChange.resource_id == resource.id)
    return list(db.session.execute(query.order_by(ResourceChange.id.desc())).scalars())


# Partner proposals


OFFICER_ONLY = frozenset({"id", "status", "status_note", "last_reviewed"})


def propose(organisation: Organisation, resource: Resource | None, raw: dict, by: StaffUser) -> Cleaned:
    """A partner proposes a new entry or an edit to one of its own; checked now, public only once approved."""
    cleaned = check_entry({**raw, "_editing": resource.id if resource else None})
    if cleaned.problems:
        return cleaned
    # the officer decides status and review; a proposal carries only what the partner can change
    entry = {k: v for k, v in raw.items() if not k.startswith("_") and k not in OFFICER_ONLY}
    entry["organisation"] = organisation.name  # a partner proposes for its own organisation only
    entry["sample"] = "yes" if organisation.is_sample else "no"
    db.session.add(Proposal(organisation=organisation, resource=resource, entry=entry, proposed_by=by))
    db.session.flush()
    return cleaned


def proposal_changes(proposal: Proposal) -> dict[str, list]:
    before = entry_of(proposal.resource) if proposal.resource else {}
    return {f: v for f, v in changes_between(before, proposal.entry).items() if f in _TRACKED}


def decide(proposal: Proposal, approve: bool, note: str, by: StaffUser) -> Cleaned | None:
    """Approve (the entry is checked again, as the directory may have moved on) or reject a proposal."""
    if approve:
        current = entry_of(proposal.resource) if proposal.resource else {"status": "active"}
        cleaned = save_entry(proposal.resource, {**current, **proposal.entry}, by, action="approved proposal")
        if cleaned.problems:  # nothing was changed
            return cleaned
        proposal.resource = cleaned.values["resource"]
    proposal.status = "approved" if approve else "rejected"
    proposal.decided_by, proposal.decided_at, proposal.decision_note = by, datetime.now(UTC), note.strip()
    db.session.flush()
    return None
