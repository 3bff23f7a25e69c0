"""One Open Referral UK 3.0 service as a flat directory entry, for `flask oruk-import`.

`Mapper.map` turns a service (and the places read_feed found for it) into the flat entry of strings
that the directory rules check (triage.core.directory_rules), noting everything it cannot keep. It
judges only ORUK's side: shapes, taxonomy terms, areas, places. Whether a value is good enough for the
directory is the rules' to say, in the importer. docs/oruk.md lists what is mapped and what is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from sqlalchemy import String

from triage.core.directory_rules import LANGUAGE_NAMES, WEEKDAYS, format_sessions
from triage.core.geography import normalise_postcode
from triage.core.taxonomy import BY_KEY, TERM_BY_ID
from triage.web.extensions import db
from triage.web.models import Postcode, Resource
from triage.web.oruk.feed import DAY_CODES, GEOGRAPHY, SAMPLE_NOTE
from triage.web.oruk.reading import EMPTY, ORUK_STATUS_IN

DAYS = {code: day for day, code in DAY_CODES.items()}
WARD_CODE = re.compile(r"^(E05|W05|S13|N08)[0-9]{6}$")
BOROUGH_CODE = re.compile(r"^(E06|E07|E08|E09|W06|S12|N09)[0-9]{6}$")
NATIONAL_CODES = {"K02000001", "K03000001", "K04000001", "E92000001", "W92000004", "S92000003", "N92000002"}
TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])(:00)?$")
# Not a field of the entry: only the column, a String, limits it.
SOURCE_LENGTH = cast(String, Resource.__table__.c.source.type).length
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
# Where each field of the entry comes from in the feed, to name it in the import report.
FEED_NAMES = {
    "website": "url",
    "phone": "phones[0].number",
    "organisation": "organization.name",
    "cost": "fees",
    "status_note": "alert",
    "eligibility": "eligibility_description",
    "last_reviewed": "assured_date",
    "opening_notes": "schedules[].notes",
    "address": "location address",
    **{day: "schedules" for day, _ in WEEKDAYS},
}


@dataclass
class Mapped:
    """A service as a flat directory entry, with what such an entry has no field for."""

    entry: dict[str, str]
    source: str
    borough_code: str | None  # for borough-wide help: the borough the feed names
    point: tuple[float, float] | None  # a place's coordinates, when the feed gives no postcode we know


class Mapper:
    """Turns one ORUK service into a flat directory entry, noting everything it cannot keep."""

    def __init__(self, ward_codes: set[str], source: str, sample: bool) -> None:
        self.ward_codes, self.source, self.sample = ward_codes, source, sample
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

    def map(self, doc: dict, locations: list[dict]) -> Mapped:
        description = self.text(doc, "description")
        sample = self.sample or doc.get("sample_data") is True or description.startswith(SAMPLE_NOTE)
        entry = {
            "name": doc["name"].strip(),
            "status": ORUK_STATUS_IN[doc["status"]],
            "sample": "yes" if sample else "no",
            "description": description.removeprefix(SAMPLE_NOTE).strip(),
            "website": self.text(doc, "url"),
            "email": self.text(doc, "email"),
            "eligibility": self.text(doc, "eligibility_description"),
            "status_note": self.text(doc, "alert"),
            "last_reviewed": self.text(doc, "assured_date"),
            "organisation": self._organisation(doc),
            "phone": self._phone(self.items(doc, "phones")),
            **self._cost(doc),
            **self._schedules(self.items(doc, "schedules")),
            "languages": ";".join(self._languages(self.items(doc, "languages"))),
        }
        terms = self._terms(doc)
        self.items(doc, "service_at_locations")  # their locations were gathered by read_feed: only report bad shapes
        address, postcode, point = self._place(locations, terms["accessibility"])
        coverage, wards, borough_code = self._areas(self.items(doc, "service_areas"))
        entry |= {k: ";".join(v) if isinstance(v, list) else v for k, v in terms.items()}
        entry |= {"address": address, "postcode": postcode, "coverage": coverage, "wards": ";".join(wards)}
        for key in sorted(set(doc) - SERVICE_FIELDS):
            if doc[key] not in EMPTY:
                self.drop(key, "Signpost has no place for this, not kept")
        source = self.text(doc, "source", SOURCE_LENGTH) or self.source
        return Mapped(entry, source, borough_code, point)

    def _organisation(self, doc: dict) -> str:
        organisation = doc.get("organization")
        if isinstance(organisation, dict):
            return self.text(organisation, "name", where="organization.name")
        if doc.get("organization_id"):
            self.drop("organization_id", "no organisation name given with it, not kept")
        return ""

    def _phone(self, phones: list[dict]) -> str:
        for n in range(1, len(phones)):
            self.drop(f"phones[{n}]", "Signpost keeps one phone number, not kept")
        return self.text(phones[0], "number", where="phones[0].number") if phones else ""

    def _cost(self, doc: dict) -> dict[str, str]:
        fees = self.text(doc, "fees")
        free = fees.lower() == "free"
        for n, option in enumerate(self.items(doc, "cost_options")):
            if type(option.get("amount")) in (int, float) and option["amount"] == 0:
                free = True
            else:
                self.drop(f"cost_options[{n}]", "only free (amount 0) options are kept; the fees text is kept")
        return {"free": "yes" if free else "no", "cost": "" if fees.lower() == "free" else fees}

    def _schedules(self, schedules: list[dict]) -> dict[str, str]:
        """Each weekday's sessions (in order of opening, as the rules ask) and the schedules' notes."""
        sessions: dict[str, set[tuple[str, str]]] = {day: set() for day, _ in WEEKDAYS}
        notes: list[str] = []
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
            byday = [d.strip().upper() for d in str(schedule.get("byday") or "").split(",")]
            days = [DAYS[d] for d in byday if d in DAYS]
            opens, closes = (TIME.match(str(schedule.get(k) or "")) for k in ("opens_at", "closes_at"))
            if schedule.get("freq") != "WEEKLY" or not days or len(days) < len(byday) or not opens or not closes:
                self.drop(where, "not a weekly session with days and opening and closing times, not kept")
                continue
            for day in days:
                sessions[day].add((opens.group(0)[:5], closes.group(0)[:5]))
        return {
            **{day: format_sessions(sorted(times)) for day, times in sessions.items()},
            "opening_notes": " ".join(notes),
        }

    def _languages(self, languages: list[dict]) -> list[str]:
        codes = []
        names = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
        for n, language in enumerate(languages):
            given = str(language.get("code") or "").strip().lower()
            code = given if given in LANGUAGE_NAMES else names.get(str(language.get("name") or "").strip().lower())
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

    def _place(self, locations: list[dict], accessibility: list[str]) -> tuple[str, str, tuple[float, float] | None]:
        """The first usable location's address line, postcode and (without a postcode) coordinates; its
        accessibility features are added to `accessibility`."""
        place = None
        for n, location in enumerate(locations):
            where = f"location {location.get('id') or n}"
            if place is not None:
                self.drop(where, "Signpost keeps one place for each entry, not kept")
                continue
            place = self._location(location, where)
            if place is not None:
                accessibility += [a for a in self._accessibility(location, where) if a not in accessibility]
        return place or ("", "", None)

    def _location(self, location: dict, where: str) -> tuple[str, str, tuple[float, float] | None] | None:
        self.drop_unknown(location, LOCATION_FIELDS, where)
        addresses = self.items(location, "addresses", f"{where}.addresses")
        address = addresses[0] if addresses else {}
        self.drop_unknown(address, ADDRESS_FIELDS, f"{where}.addresses[0]")
        if len(addresses) > 1:
            self.drop(where, "Signpost keeps one address, the first")
        postcode = normalise_postcode(str(address.get("postal_code") or ""))
        point = None
        if not postcode or db.session.get(Postcode, postcode) is None:
            if address.get("postal_code"):
                self.drop(f"{where}.postal_code", f"{address['postal_code']!r} is not in the postcode table, not kept")
            lat, lon = _number(location.get("latitude")), _number(location.get("longitude"))
            if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                self.drop(
                    where,
                    "no known postcode and no valid latitude or longitude: the location and its accessibility not kept",
                )
                return None
            postcode, point = "", (lat, lon)
        name = self.text(location, "name", where=f"{where}.name")
        first_line = self.text(address, "address_1", where=f"{where}.address_1")
        town = self.text(address, "city", where=f"{where}.city")
        if name and (not first_line or first_line in name):
            text = name  # our own feeds: the location's name is the whole address line
        else:
            text = ", ".join(part for part in (name, first_line, town) if part)
        return text, postcode, point

    def _accessibility(self, location: dict, where: str) -> list[str]:
        names = {term.name.lower(): term.code for term in BY_KEY["accessibility"].terms}
        codes: list[str | None] = []
        for n, item in enumerate(self.items(location, "accessibility", f"{where}.accessibility")):
            self.drop_unknown(item, ACCESSIBILITY_FIELDS, f"{where}.accessibility[{n}]")
            terms = [c for _, c in self._term_codes(item, f"{where}.accessibility[{n}].attributes")]
            by_name = names.get(str(item.get("description") or item.get("accessibility") or "").strip().lower())
            if not terms and by_name is None:
                self.drop(f"{where}.accessibility[{n}]", "not one of Signpost's accessibility features, not kept")
            codes += terms or [by_name]
        return [c for c in codes if c]

    def _areas(self, areas: list[dict]) -> tuple[str, list[str], str | None]:
        """Coverage, its wards, and the borough of borough-wide help."""
        wards, boroughs, national = [], [], False
        for n, area in enumerate(areas):
            uri = str(area.get("uri") or "")
            code = uri.removeprefix(GEOGRAPHY) if uri.startswith(GEOGRAPHY) else ""
            if code in NATIONAL_CODES:
                national = True
            elif BOROUGH_CODE.match(code):
                boroughs.append(code)
            elif WARD_CODE.match(code) and code in self.ward_codes:
                wards += [code] if code not in wards else []
            elif WARD_CODE.match(code):
                self.drop(f"service_areas[{n}]", f"ward {code} is not in the ward table, not kept")
            else:
                self.drop(f"service_areas[{n}]", f"no ward, borough or country code in the uri {uri!r}, not kept")
        if national:
            if wards or boroughs:
                self.drop("service_areas", "national help: its wards and boroughs are not kept")
            return "national", [], None
        if boroughs:
            if wards or len(boroughs) > 1:
                self.drop("service_areas", f"help for the whole of {boroughs[0]}: other areas are not kept")
            return "borough", [], boroughs[0]
        return "local", wards, None


def _number(value: object) -> float | None:
    """A JSON number (not a boolean) as a float; None for anything else."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
