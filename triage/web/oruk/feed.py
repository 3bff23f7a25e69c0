"""The directory of help as Open Referral UK 3.0 documents: the only place our model meets ORUK's.

Ids: a directory entry's service id is uuid5(core.taxonomy.NAMESPACE, "service/" + its slug), or, for an
entry imported from an ORUK feed (slug "oruk-<id>"), the feed's own id. Every other id (service at
location, location, schedule, area, language, attribute...) is a uuid5 of the service id and what it
is, and an organisation's is a uuid5 of its name, so every id stays the same from one request, export
or database to the next. Empty values are left out (prune), as ORUK asks. docs/oruk.md has the mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from triage.core import vocabulary
from triage.core.directory_rules import LANGUAGE_NAMES
from triage.core.taxonomy import BY_KEY, TAXONOMIES, TERM_BY_CODE, VERSION, Taxonomy, Term, stable_id
from triage.web.models import Resource, as_utc

IMPORTED_PREFIX = "oruk-"  # the slug of an entry imported from a feed: this prefix and the feed's id
GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
UNITED_KINGDOM = "K02000001"  # the ONS code of the whole UK: the area of "national" help
SAMPLE_NOTE = "This is sample data for testing. It is not a real service: check with the council before you rely on it."
DAY_CODES = {day.code: day.oruk_byday for day in vocabulary.DAYS}
# Retired help is never published.
ORUK_STATUS_OUT = {status.code: status.oruk_status for status in vocabulary.ENTRY_STATUSES if status.oruk_status}
API_DETAILS = {
    "version": "HSDS-UK-3.0",
    "profile": "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md",
    "openapi_url": "https://openreferraluk.org/specifications/3.0/openapi.json",
}


@dataclass(frozen=True)
class Context:
    """What the mapping needs besides the entry itself."""

    council_area: str  # the profile's area: names the council's area in descriptions and addresses
    districts: dict[str, str]  # LAD code -> name of each district the council serves, its own first
    sample_organisations: frozenset[int]  # ids of Organisation rows that are sample data


def prune(value):
    """Drop None, empty strings, empty lists and empty objects at every depth (ORUK: never send nulls)."""
    if isinstance(value, dict):
        pruned = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (prune(v) for v in value) if v not in (None, "", [], {})]
    return value


def service_id_for_slug(slug: str) -> str:
    if slug.startswith(IMPORTED_PREFIX):
        return slug[len(IMPORTED_PREFIX) :]
    return stable_id("service", slug)


def service_id(resource: Resource) -> str:
    return service_id_for_slug(resource.slug)


def service_at_location_id(sid: str) -> str:
    return stable_id("service_at_location", sid)


def organisation_id(name: str) -> str:
    return stable_id("organization", name)


def _web_address(url: str) -> str | None:
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _timestamp(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return as_utc(moment).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _organisation(resource: Resource, context: Context) -> dict | None:
    if not resource.organisation:
        return None
    if resource.is_sample or resource.organisation_id in context.sample_organisations:
        description = "Named in sample data for testing: check with the council before you rely on it."
    else:
        description = f"Runs help listed in the {context.council_area} digital inclusion directory."
    return {"id": organisation_id(resource.organisation), "name": resource.organisation, "description": description}


def service_summary(resource: Resource, context: Context) -> dict:
    """A service's one-to-one fields: an item of GET /services and the service in a service-at-location list."""
    sid = service_id(resource)
    organisation = _organisation(resource, context)
    description = f"{SAMPLE_NOTE} {resource.description}".strip() if resource.is_sample else resource.description
    return prune(
        {
            "id": sid,
            "organization_id": organisation["id"] if organisation else None,
            "name": resource.name,
            "description": description,
            "url": _web_address(resource.website),
            "email": resource.email.strip() if "@" in resource.email else None,
            "status": ORUK_STATUS_OUT[resource.status],
            "fees": resource.cost or ("Free" if resource.free else None),
            "assured_date": resource.last_reviewed_on.isoformat() if resource.last_reviewed_on else None,
            # Only a closure is news to the public: any other note is the directory team's own.
            "alert": resource.status_note if resource.status == "temporarily_closed" else None,
            "last_modified": _timestamp(resource.updated_at),
            "organization": organisation,
            # Not in ORUK 3.0 (extra fields are allowed): whether this is sample data, and where the facts come from.
            "sample_data": True if resource.is_sample else None,
            "source": resource.source,
        }
    )


def _schedules(resource: Resource, sid: str) -> list[dict]:
    schedules = [
        {
            "id": stable_id("schedule", sid, str(n)),
            "freq": "WEEKLY",
            "byday": DAY_CODES[session["day"]],
            "opens_at": session["opens"],
            "closes_at": session["closes"],
            "notes": resource.opening_notes,
        }
        for n, session in enumerate(resource.opening_times or [])
        if session.get("day") in DAY_CODES
    ]
    if not schedules and resource.opening_notes:
        schedules.append({"id": stable_id("schedule", sid, "notes"), "notes": resource.opening_notes})
    return schedules


def _area(sid: str, code: str, name: str, extent: bool) -> dict:
    return {
        "id": stable_id("service_area", sid, code),
        "name": name,
        "service_area": name,
        "extent": name if extent else None,
        "extent_type": "text" if extent else None,
        "uri": GEOGRAPHY + code,
    }


def _service_areas(resource: Resource, sid: str, context: Context) -> list[dict]:
    if resource.coverage == "national":
        return [_area(sid, UNITED_KINGDOM, "United Kingdom", extent=True)]
    if resource.coverage == "borough":
        code = resource.borough_code or next(iter(context.districts))
        return [_area(sid, code, context.districts.get(code, code), extent=True)]
    return [_area(sid, ward.code, ward.name, extent=False) for ward in resource.wards]


def _term(term: Term, taxonomy: Taxonomy) -> dict:
    return {
        "id": term.id,
        "name": term.name,
        "description": term.description,
        "taxonomy": taxonomy.name,
        "taxonomy_id": taxonomy.id,
        "term": term.code,
    }


def _attribute(sid: str, taxonomy: Taxonomy, code: str) -> dict:
    term = TERM_BY_CODE[(taxonomy.key, code)]
    return {
        "id": stable_id("attribute", sid, term.id),
        "link_id": sid,
        "link_type": taxonomy.key,
        "taxonomy_term_id": term.id,
        "taxonomy_term": _term(term, taxonomy),
    }


def _attributes(resource: Resource, sid: str) -> list[dict]:
    attributes = []
    for taxonomy in TAXONOMIES:
        codes = [resource.kind] if taxonomy.field == "kind" else getattr(resource, taxonomy.field) or []
        attributes += [_attribute(sid, taxonomy, code) for code in codes if (taxonomy.key, code) in TERM_BY_CODE]
    return attributes


def _address_lines(address: str, council_area: str) -> tuple[str, str]:
    """Our one address line as ORUK's first line and town: the town is the part after the last comma."""
    before, comma, after = address.rpartition(",")
    if comma and before.strip() and after.strip():
        return before.strip(), after.strip()
    return address.strip(), council_area


def location(resource: Resource, sid: str, context: Context, full: bool) -> dict | None:
    """Where the help is, if it has a place; `full` adds the address and accessibility features."""
    if resource.lat is None or resource.lon is None:
        return None
    location_id = stable_id("location", sid)
    place = {
        "id": location_id,
        "location_type": "physical",
        "name": resource.address,
        "latitude": resource.lat,
        "longitude": resource.lon,
    }
    if not full:
        return place
    if resource.address and resource.postcode:
        first_line, town = _address_lines(resource.address, context.council_area)
        place["addresses"] = [
            {
                "id": stable_id("address", sid),
                "location_id": location_id,
                "address_1": first_line,
                "city": town,
                "state_province": context.council_area,
                "postal_code": resource.postcode,
                "country": "GB",
                "address_type": "physical",
            }
        ]
    taxonomy = BY_KEY["accessibility"]
    place["accessibility"] = [
        {
            "id": stable_id("accessibility", sid, code),
            "location_id": location_id,
            "description": TERM_BY_CODE[(taxonomy.key, code)].name,
            "accessibility": TERM_BY_CODE[(taxonomy.key, code)].name,
            "attributes": [_attribute(sid, taxonomy, code)],
        }
        for code in resource.accessibility or []
        if (taxonomy.key, code) in TERM_BY_CODE
    ]
    return place


def service_full(resource: Resource, context: Context, with_locations: bool = True) -> dict:
    """GET /services/{id}: the service with everything nested (without its locations inside a service at location)."""
    sid = service_id(resource)
    doc = service_summary(resource, context)
    doc.update(
        {
            "schedules": _schedules(resource, sid),
            "service_areas": _service_areas(resource, sid, context),
            "languages": [
                {"id": stable_id("language", sid, code), "name": LANGUAGE_NAMES.get(code, code), "code": code}
                for code in resource.languages or []
            ],
            "cost_options": [{"id": stable_id("cost_option", sid, "free"), "option": "Free", "amount": 0}]
            if resource.free
            else [],
            "attributes": _attributes(resource, sid),
            # Not in ORUK 3.0: HSDS 3.0's eligibility_description and phones, and the wards covered by ONS code.
            "eligibility_description": resource.eligibility,
            "phones": [{"id": stable_id("phone", sid), "number": resource.phone}] if resource.phone else [],
            "ward_codes": [ward.code for ward in resource.wards] if resource.coverage == "local" else [],
        }
    )
    if with_locations:
        place = location(resource, sid, context, full=True)
        doc["service_at_locations"] = [
            {
                "id": service_at_location_id(sid),
                "service_id": sid,
                "location_id": place["id"] if place else None,
                "location": place,
            }
        ]
    return prune(doc)


def service_at_location_summary(resource: Resource, context: Context, distance_m: float | None = None) -> dict:
    """An item of GET /service_at_locations: one per entry, with its place if it has one."""
    sid = service_id(resource)
    place = location(resource, sid, context, full=False)
    return prune(
        {
            "id": service_at_location_id(sid),
            "service_id": sid,
            "location_id": place["id"] if place else None,
            "location": place,
            "service": service_summary(resource, context),
            "distance": round(distance_m) if distance_m is not None else None,  # metres from the postcode
        }
    )


def service_at_location_full(resource: Resource, context: Context) -> dict:
    """GET /service_at_locations/{id}. The ORUK OpenAPI gives compiled/service.json as this response's schema,
    while compiled/service_at_location.json describes it: with the service's name and status at the top as
    well, the document passes both."""
    sid = service_id(resource)
    place = location(resource, sid, context, full=True)
    return prune(
        {
            "id": service_at_location_id(sid),
            "name": resource.name,
            "status": ORUK_STATUS_OUT[resource.status],
            "service_id": sid,
            "location_id": place["id"] if place else None,
            "location": place,
            "service": service_full(resource, context, with_locations=False),
        }
    )


def taxonomy_doc(taxonomy: Taxonomy, with_terms: bool) -> dict:
    doc: dict[str, object] = {
        "id": taxonomy.id,
        "name": taxonomy.name,
        "description": taxonomy.description,
        "version": VERSION,
    }
    if with_terms:
        doc["taxonomy_terms"] = [_term(term, taxonomy) for term in taxonomy.terms]
    return doc


def term_doc(term: Term) -> dict:
    return _term(term, BY_KEY[term.taxonomy_key])
