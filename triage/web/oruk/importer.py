"""Loading an Open Referral UK 3.0 feed into the directory: `flask oruk-import PATH...`.

Each file is a page of services or of services at locations (GET /services, /service_at_locations), one
service or service-at-location document, or a JSON list of them. Services are matched to directory
entries by their ORUK id (our own published ids, or "oruk-<id>" slugs for entries an earlier import
created), then created or updated. Everything is checked first: a record without a UUID id, a name or
a valid status stops the whole import, and nothing is saved. Anything that Signpost cannot keep is
reported, field by field and record by record. docs/oruk.md lists what is mapped and what is dropped.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import click
from flask import Blueprint, current_app
from sqlalchemy import select

from triage.core.directory_rules import FIELDS, LANGUAGE_NAMES, changes_between
from triage.core.geography import normalise_postcode
from triage.core.taxonomy import BY_KEY, TERM_BY_ID
from triage.web.directory.editing import entry_of
from triage.web.extensions import db
from triage.web.models import Organisation, Postcode, Resource, ResourceChange, Ward
from triage.web.oruk.feed import DAY_CODES, GEOGRAPHY, IMPORTED_PREFIX, SAMPLE_NOTE, service_id_for_slug

STATUSES = {"active": "active", "temporarily closed": "temporarily_closed", "inactive": "retired", "defunct": "retired"}
DAYS = {code: day for day, code in DAY_CODES.items()}
WARD_CODE = re.compile(r"^(E05|W05|S13|N08)[0-9]{6}$")
BOROUGH_CODE = re.compile(r"^(E06|E07|E08|E09|W06|S12|N09)[0-9]{6}$")
NATIONAL_CODES = {"K02000001", "K03000001", "K04000001", "E92000001", "W92000004", "S92000003", "N92000002"}
TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])(:00)?$")
# Service fields that are mapped below, or that we make ourselves and so need not keep.
SERVICE_FIELDS = {
    "id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "cost_options",
    "alert",
    "assured_date",
    "organization",
    "organization_id",
    "schedules",
    "service_areas",
    "service_at_locations",
    "languages",
    "attributes",
    "eligibility_description",
    "phones",
    "sample_data",
    "source",
    "last_modified",
    "ward_codes",
}
LOCATION_FIELDS = {"id", "location_type", "name", "latitude", "longitude", "addresses", "accessibility"}
ADDRESS_FIELDS = {"id", "location_id", "address_1", "city", "state_province", "postal_code", "country", "address_type"}
ACCESSIBILITY_FIELDS = {"id", "location_id", "description", "accessibility", "attributes"}
SCHEDULE_FIELDS = {"id", "service_id", "freq", "interval", "byday", "opens_at", "closes_at", "notes"}
LIMITS = {
    "name": 200,
    "organisation": 200,
    "address": 300,
    "phone": 40,
    "email": 200,
    "website": 300,
    "cost": 200,
    "source": 300,
    "status_note": 300,
}
TRACKED = set(FIELDS) - {"id", "sample"}  # what a directory entry's history records, as in directory_editing
EMPTY = (None, "", [], {})


class FeedError(ValueError):
    """The feed cannot be imported; `problems` says why, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Record:
    """One service gathered from the files, with the places found for it."""

    path: str
    where: str
    doc: dict
    locations: list[dict] = field(default_factory=list)


@dataclass
class Outcome:
    feed_id: str
    name: str
    action: str = ""  # created, updated
    dropped: list[str] = field(default_factory=list)


def _items(path: str) -> list[tuple[str, dict]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as problem:
        raise FeedError([f"{path}: cannot be read ({problem.strerror})"]) from problem
    except UnicodeDecodeError as problem:
        raise FeedError([f"{path}: this is not UTF-8 text ({problem.reason})"]) from problem
    except json.JSONDecodeError as problem:
        raise FeedError(
            [f"{path}: this is not valid JSON ({problem.msg} at line {problem.lineno}, column {problem.colno})"]
        ) from problem
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items, label = data["contents"], "contents"
    elif isinstance(data, list):
        items, label = data, ""
    else:
        items, label = [data], None
    found = []
    for n, item in enumerate(items):
        where = f"{path}, {label}[{n}]" if label is not None else path
        if not isinstance(item, dict):
            raise FeedError([f"{where}: a service or service at location must be a JSON object"])
        found.append((where, item))
    return found


def read_feed(paths: list[str]) -> list[Record]:
    """The services in the files, one record per service id (later documents fill what earlier ones left out)."""
    records: dict[str, Record] = {}
    order = []
    for path in paths:
        for where, item in _items(path):
            service, locations = item, []
            if isinstance(item.get("service"), dict):  # a service at location: its service and its place
                service = item["service"]
                locations = [item["location"]] if isinstance(item.get("location"), dict) else []
            nested = service.get("service_at_locations")
            for sal in nested if isinstance(nested, list) else []:
                if isinstance(sal, dict) and isinstance(sal.get("location"), dict):
                    locations.append(sal["location"])
            key = _canonical(service.get("id")) or f"(no id) {where}"
            if key not in records:
                records[key] = Record(path, where, dict(service))
                order.append(key)
            record = records[key]
            for name, value in service.items():
                if record.doc.get(name) in EMPTY:
                    record.doc[name] = value
            known = {str(place.get("id")) for place in record.locations if place.get("id")}
            record.locations += [place for place in locations if not place.get("id") or str(place["id"]) not in known]
    return [records[key] for key in order]


def _canonical(feed_id) -> str:
    try:
        return str(uuid.UUID(str(feed_id)))
    except ValueError:
        return str(feed_id or "").strip().lower()


def _required(record: Record) -> list[str]:
    doc, problems = record.doc, []
    try:
        uuid.UUID(str(doc.get("id")))
    except ValueError:
        problems.append(f"{record.where}: the id must be a UUID (it is {doc.get('id')!r})")
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{record.where}: the name is missing")
    elif len(name.strip()) > LIMITS["name"]:
        problems.append(f"{record.where}: the name is longer than {LIMITS['name']} characters")
    if not isinstance(doc.get("status"), str) or doc["status"] not in STATUSES:
        problems.append(
            f"{record.where}: the status must be one of {', '.join(STATUSES)} (it is {doc.get('status')!r})"
        )
    return problems


class _Mapper:
    """Turns one ORUK service into the values of a directory entry, noting everything it cannot keep."""

    def __init__(self, wards: dict[str, Ward], council_lad: str, source: str, sample: bool):
        self.wards, self.council_lad, self.source, self.sample = wards, council_lad, source, sample
        self.dropped: list[str] = []

    def drop(self, where: str, why: str) -> None:
        self.dropped.append(f"{where}: {why}")

    def drop_unknown(self, doc: dict, known: set[str], where: str) -> None:
        extras = sorted(k for k in set(doc) - known if doc[k] not in EMPTY)
        if extras:
            self.drop(where, f"{', '.join(extras)} not kept")

    def items(self, doc: dict, key: str, where: str | None = None) -> list:
        """A list field's items (objects only), noting a value that is not a list or items that are not objects."""
        value = doc.get(key)
        if value in EMPTY:
            return []
        if not isinstance(value, list):
            self.drop(where or key, "not a list, not kept")
            return []
        for n, item in enumerate(value):
            if not isinstance(item, dict):
                self.drop(f"{where or key}[{n}]", "not an object, not kept")
        return [item if isinstance(item, dict) else {} for item in value]

    def text(self, doc: dict, key: str, limit: int | None = None, where: str | None = None) -> str:
        value = doc.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.drop(where or key, "not text, not kept")
            return ""
        if limit and len(value.strip()) > limit:
            self.drop(where or key, f"longer than {limit} characters, not kept")
            return ""
        return value.strip()

    def map(self, doc: dict, locations: list[dict]) -> dict:
        values: dict = {"name": doc["name"].strip(), "status": STATUSES[doc["status"]]}
        description = self.text(doc, "description")
        values["is_sample"] = self.sample or doc.get("sample_data") is True or description.startswith(SAMPLE_NOTE)
        values["description"] = description.removeprefix(SAMPLE_NOTE).strip()
        values["source"] = self.text(doc, "source", LIMITS["source"]) or self.source
        website = self.text(doc, "url", LIMITS["website"])
        if website and not re.match(r"^https?://[^\s/]+", website):
            self.drop("url", f"{website!r} is not a web address, not kept")
            website = ""
        values["website"] = website
        email = self.text(doc, "email", LIMITS["email"])
        if email and "@" not in email:
            self.drop("email", f"{email!r} is not an email address, not kept")
            email = ""
        values["email"] = email
        values["eligibility"] = self.text(doc, "eligibility_description")
        values["status_note"] = self.text(doc, "alert", LIMITS["status_note"])
        values["last_reviewed_on"] = self._date(doc, "assured_date")
        values["organisation"] = self._organisation(doc)
        values["phone"] = self._phone(self.items(doc, "phones"))
        values.update(self._cost(doc))
        values.update(self._schedules(self.items(doc, "schedules")))
        values["languages"] = self._languages(self.items(doc, "languages"))
        values.update(self._terms(doc))
        self.items(doc, "service_at_locations")  # their locations were gathered by read_feed: only report bad shapes
        values.update(self._place(locations, values))
        values.update(self._areas(self.items(doc, "service_areas"), values.get("ward_code")))
        for key in sorted(set(doc) - SERVICE_FIELDS):
            if doc[key] not in EMPTY:
                self.drop(key, "Signpost has no place for this, not kept")
        return values

    def _date(self, doc: dict, key: str) -> date | None:
        text = self.text(doc, key)
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            self.drop(key, f"{text!r} is not a date (YYYY-MM-DD), not kept")
            return None

    def _organisation(self, doc: dict) -> str:
        organisation = doc.get("organization")
        if isinstance(organisation, dict):
            return self.text(organisation, "name", LIMITS["organisation"], "organization.name")
        if doc.get("organization_id"):
            self.drop("organization_id", "no organisation name given with it, not kept")
        return ""

    def _phone(self, phones: list[dict]) -> str:
        for n in range(1, len(phones)):
            self.drop(f"phones[{n}]", "Signpost keeps one phone number, not kept")
        return self.text(phones[0], "number", LIMITS["phone"], "phones[0].number") if phones else ""

    def _cost(self, doc: dict) -> dict:
        fees = self.text(doc, "fees", LIMITS["cost"])
        free = fees.lower() == "free"
        for n, option in enumerate(self.items(doc, "cost_options")):
            if type(option.get("amount")) in (int, float) and option["amount"] == 0:
                free = True
            else:
                self.drop(f"cost_options[{n}]", "only free (amount 0) options are kept; the fees text is kept")
        return {"free": free, "cost": "" if fees.lower() == "free" else fees}

    def _schedules(self, schedules: list[dict]) -> dict:
        sessions, notes = [], []
        for n, schedule in enumerate(schedules):
            where = f"schedules[{n}]"
            note = self.text(schedule, "notes", where=f"{where}.notes")
            if note and note not in notes:
                notes.append(note)
            extras = sorted(k for k in set(schedule) - SCHEDULE_FIELDS if schedule[k] not in EMPTY)
            if schedule.get("interval") not in (None, 1):
                extras.append("interval")
            if extras:
                self.drop(where, f"{', '.join(extras)} not kept (Signpost keeps weekly opening times)")
            if not any(schedule.get(k) for k in ("freq", "byday", "opens_at", "closes_at")):
                continue  # notes only
            days = [DAYS.get(d.strip().upper()) for d in str(schedule.get("byday") or "").split(",")]
            opens, closes = (TIME.match(str(schedule.get(k) or "")) for k in ("opens_at", "closes_at"))
            if schedule.get("freq") != "WEEKLY" or not days or None in days or not opens or not closes:
                self.drop(where, "not a weekly session with days and opening and closing times, not kept")
                continue
            sessions += [{"day": day, "opens": opens.group(0)[:5], "closes": closes.group(0)[:5]} for day in days]
        return {"opening_times": sessions, "opening_notes": " ".join(notes)}

    def _languages(self, languages: list[dict]) -> list[str]:
        codes = []
        names = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
        for n, language in enumerate(languages):
            code = str(language.get("code") or "").strip().lower()
            code = code if code in LANGUAGE_NAMES else names.get(str(language.get("name") or "").strip().lower())
            if code is None:
                self.drop(f"languages[{n}]", "no name or code of a language Signpost knows, not kept")
            elif code not in codes:
                codes.append(code)
        return codes

    def _term_codes(self, doc: dict, where: str) -> list[tuple[str, str]]:
        found = []
        for n, attribute in enumerate(self.items(doc, "attributes", where)):
            nested = attribute.get("taxonomy_term") if isinstance(attribute.get("taxonomy_term"), dict) else {}
            term = TERM_BY_ID.get(str(attribute.get("taxonomy_term_id") or nested.get("id") or "").lower())
            if term is None:
                self.drop(f"{where}[{n}]", "not a term of Signpost's taxonomies, not kept")
            else:
                found.append((term.taxonomy_key, term.code))
        return found

    def _terms(self, doc: dict) -> dict:
        values: dict[str, list[str]] = {"kind": [], "needs": [], "delivery_modes": [], "accessibility": []}
        for key, code in self._term_codes(doc, "attributes"):
            codes = values[BY_KEY[key].field]
            if code not in codes:
                codes.append(code)
        kinds = values.pop("kind")
        if not kinds:
            self.drop("attributes", "no help type term: entered as a support service (partner_service)")
        for extra in kinds[1:]:
            self.drop("attributes", f"a second help type ({extra}), not kept")
        if not values["needs"]:
            self.drop("attributes", "no needs term: it will not be offered in plans until its needs are set")
        return {"kind": kinds[0] if kinds else "partner_service", **values}

    def _place(self, locations: list[dict], values: dict) -> dict:
        place = {"address": "", "postcode": None, "lat": None, "lon": None, "ward_code": None}
        for n, location in enumerate(locations):
            where = f"location {location.get('id') or n}"
            if place["lat"] is not None:
                self.drop(where, "Signpost keeps one place for each entry, not kept")
                continue
            found = self._location(location, where)
            if found:
                place.update(found)
                values["accessibility"] += [
                    a for a in self._accessibility(location, where) if a not in values["accessibility"]
                ]
        return place

    def _location(self, location: dict, where: str) -> dict | None:
        self.drop_unknown(location, LOCATION_FIELDS, where)
        addresses = self.items(location, "addresses", f"{where}.addresses")
        address = addresses[0] if addresses else {}
        self.drop_unknown(address, ADDRESS_FIELDS, f"{where}.addresses[0]")
        if len(addresses) > 1:
            self.drop(where, "Signpost keeps one address, the first")
        found = {}
        postcode = normalise_postcode(str(address.get("postal_code") or ""))
        row = db.session.get(Postcode, postcode) if postcode else None
        if row is not None:
            found = {"postcode": row.postcode, "lat": row.lat, "lon": row.lon, "ward_code": row.ward_code}
        else:
            if address.get("postal_code"):
                self.drop(f"{where}.postal_code", f"{address['postal_code']!r} is not in the postcode table, not kept")
            lat, lon = location.get("latitude"), location.get("longitude")
            numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
            if not numbers or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                self.drop(
                    where,
                    "no known postcode and no valid latitude or longitude: the location and its accessibility not kept",
                )
                return None
            found = {"lat": float(lat), "lon": float(lon)}
        name = self.text(location, "name", where=f"{where}.name")
        first_line = self.text(address, "address_1", where=f"{where}.address_1")
        town = self.text(address, "city", where=f"{where}.city")
        if name and (not first_line or first_line in name):
            text = name  # our own feeds: the location's name is the whole address line
        else:
            text = ", ".join(part for part in (name, first_line, town) if part)
        if len(text) > LIMITS["address"]:
            self.drop(f"{where}.address", f"longer than {LIMITS['address']} characters, not kept")
            text = ""
        return {**found, "address": text}

    def _accessibility(self, location: dict, where: str) -> list[str]:
        names = {term.name.lower(): term.code for term in BY_KEY["accessibility"].terms}
        codes = []
        for n, item in enumerate(self.items(location, "accessibility", f"{where}.accessibility")):
            self.drop_unknown(item, ACCESSIBILITY_FIELDS, f"{where}.accessibility[{n}]")
            terms = [c for _, c in self._term_codes(item, f"{where}.accessibility[{n}].attributes")]
            by_name = names.get(str(item.get("description") or item.get("accessibility") or "").strip().lower())
            if not terms and by_name is None:
                self.drop(f"{where}.accessibility[{n}]", "not one of Signpost's accessibility features, not kept")
            codes += terms or [by_name]
        return [c for c in codes if c]

    def _areas(self, areas: list[dict], location_ward: str | None) -> dict:
        wards, boroughs, national = [], [], False
        for n, area in enumerate(areas):
            uri = str(area.get("uri") or "")
            code = uri.removeprefix(GEOGRAPHY) if uri.startswith(GEOGRAPHY) else ""
            if code in NATIONAL_CODES:
                national = True
            elif BOROUGH_CODE.match(code):
                boroughs.append(code)
            elif WARD_CODE.match(code) and code in self.wards:
                wards += [code] if code not in wards else []
            elif WARD_CODE.match(code):
                self.drop(f"service_areas[{n}]", f"ward {code} is not in the ward table, not kept")
            else:
                self.drop(f"service_areas[{n}]", f"no ward, borough or country code in the uri {uri!r}, not kept")
        if national:
            if wards or boroughs:
                self.drop("service_areas", "national help: its wards and boroughs are not kept")
            return {"coverage": "national", "borough_code": None, "wards": []}
        if boroughs:
            if wards or len(boroughs) > 1:
                self.drop("service_areas", f"help for the whole of {boroughs[0]}: other areas are not kept")
            return {"coverage": "borough", "borough_code": boroughs[0], "wards": []}
        home = self.wards.get(wards[0] if wards else location_ward or "")
        return {"coverage": "local", "borough_code": home.lad_code if home else self.council_lad, "wards": wards}


def _existing() -> dict[str, Resource]:
    return {service_id_for_slug(r.slug): r for r in db.session.execute(select(Resource)).scalars()}


def import_feed(paths: list[str], sample: bool = False, dry_run: bool = False) -> list[Outcome]:
    """Check every record, then create or update them all in one transaction (or none, on any problem)."""
    records = read_feed(paths)
    problems = [p for record in records for p in _required(record)]
    if problems:
        raise FeedError(problems)
    wards = {w.code: w for w in db.session.execute(select(Ward)).scalars()}
    organisations = {o.name: o.id for o in db.session.execute(select(Organisation)).scalars()}
    existing = _existing()
    lad = current_app.config["COUNCIL_LAD_CODE"]
    outcomes = []
    try:
        for record in records:
            feed_id = str(uuid.UUID(str(record.doc["id"])))
            source = f"Open Referral UK feed ({Path(record.path).name})"
            mapper = _Mapper(wards, lad, source, sample)
            values = mapper.map(record.doc, record.locations)
            row = existing.get(feed_id)
            outcome = Outcome(feed_id, values["name"], "updated" if row else "created", mapper.dropped)
            before = entry_of(row) if row else {}
            if row is None:
                row = Resource(slug=IMPORTED_PREFIX + feed_id)
                db.session.add(row)
                existing[feed_id] = row
            values["wards"] = [wards[code] for code in values["wards"]]
            values["organisation_id"] = organisations.get(values["organisation"])
            for name, value in values.items():
                setattr(row, name, value)
            db.session.flush()
            changes = {f: change for f, change in changes_between(before, entry_of(row)).items() if f in TRACKED}
            if changes:
                db.session.add(ResourceChange(resource_id=row.id, action="imported", changes=changes, note=source))
                row.updated_at = datetime.now(UTC)  # the matcher's index notices even ward-only changes
            outcomes.append(outcome)
        db.session.flush()
    except Exception:
        db.session.rollback()
        raise
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return outcomes


def register(bp: Blueprint) -> None:
    @bp.cli.command("oruk-import")
    @click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
    @click.option("--sample", is_flag=True, help="Mark every imported entry as sample data.")
    @click.option("--dry-run", is_flag=True, help="Check the feed and report, but save nothing.")
    def oruk_import_command(paths: tuple[str, ...], sample: bool, dry_run: bool) -> None:
        """Create or update directory entries from Open Referral UK 3.0 JSON files (all of them, or none)."""
        try:
            outcomes = import_feed(list(paths), sample=sample, dry_run=dry_run)
        except FeedError as problem:
            raise click.ClickException("Nothing was imported:\n" + "\n".join(problem.problems)) from problem
        for outcome in outcomes:
            click.echo(f"{outcome.action} {outcome.feed_id} {outcome.name}")
            for line in outcome.dropped:
                click.echo(f"  {line}")
        created = sum(o.action == "created" for o in outcomes)
        verb = "Would import" if dry_run else "Imported"
        click.echo(f"{verb} {len(outcomes)} services: {created} created, {len(outcomes) - created} updated.")
