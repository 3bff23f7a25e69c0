"""Loading the seed data: real ONS/OS geography and libraries, plus the marked sample directory.

Idempotent: running it again updates what changed and adds what is missing, keyed on ward code,
postcode and resource slug. Sources and licences are in seed_data/PROVENANCE.md.
"""

from __future__ import annotations

import csv
import json

from sqlalchemy import select

from triage.core import vocabulary
from triage.core.geography import normalise_postcode
from triage.core.matching import ACCESSIBILITY_FEATURES, COVERAGES, DELIVERY_MODES, KINDS
from triage.core.routing import ROUTE_INFO
from triage.web.config import ROOT
from triage.web.extensions import db
from triage.web.models import Organisation, Postcode, Resource, ResourceChange, Ward

SEED = ROOT / "seed_data"
DAY_NAMES = vocabulary.codes(vocabulary.DAYS)
DAYS = tuple(day[:3] for day in DAY_NAMES)  # how the libraries file starts its columns: mon_hours_...
LIBRARY_SOURCE = "Arts Council England public libraries dataset 2023, via Libraries Hacked"


class SeedError(ValueError):
    pass


def _rows(name: str) -> list[dict]:
    with open(SEED / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_wards() -> int:
    existing = {w.code: w for w in db.session.execute(select(Ward)).scalars()}
    for row in _rows("charnwood_wards.csv"):
        ward = existing.get(row["ward_code"]) or Ward(code=row["ward_code"])
        ward.name = row["ward_name"]
        ward.lad_code = row["lad_code"]
        ward.lat = float(row["ons_ref_latitude"])
        ward.lon = float(row["ons_ref_longitude"])
        db.session.add(ward)
    db.session.flush()
    return len(existing)


def load_postcodes() -> int:
    existing = {p.postcode: p for p in db.session.execute(select(Postcode)).scalars()}
    added = 0
    for row in _rows("charnwood_postcodes.csv"):
        postcode = normalise_postcode(row["postcode"])
        values = {"ward_code": row["ward_code"], "lat": float(row["latitude"]), "lon": float(row["longitude"])}
        current = existing.get(postcode)
        if current is None:
            db.session.add(Postcode(postcode=postcode, **values))
            added += 1
        else:
            for key, value in values.items():
                setattr(current, key, value)
    db.session.flush()
    return added


def _hours(text: str) -> tuple[str, str] | None:
    if not text.strip():
        return None
    opens, closes = text.strip().split("-")
    return opens, closes


def library_records(lad_code: str) -> list[dict]:
    """The real libraries, from the Arts Council England 2023 dataset (see PROVENANCE.md)."""
    records = []
    for row in _rows("charnwood_libraries.csv"):
        sessions = []
        for short, day in zip(DAYS, DAY_NAMES, strict=True):
            hours = _hours(row[f"{short}_hours_librarieshacked"])
            if hours:
                sessions.append({"day": day, "opens": hours[0], "closes": hours[1]})
        council_run = row["operation_2023"] == "LA"
        run_by = "Leicestershire County Council" if council_run else "volunteers in the community"
        address = ", ".join(p.strip() for p in (row["address1"], row["address2"]) if p.strip())
        records.append(
            {
                "id": "library-" + row["library_name"].lower().replace(" ", "-"),
                "kind": "library",
                "name": f"{row['library_name']} Library",
                "organisation": "Leicestershire County Council" if council_run else "Community library",
                "description": (
                    f"A public library run by {run_by}. Libraries usually have free computers and wifi "
                    "you can use. Contact the library to check what they have before you go."
                ),
                "sample": False,
                "source": LIBRARY_SOURCE,
                "coverage": "local",
                "borough": lad_code,
                "wards_covered": [row["ward_code"]],
                "address": address,
                "postcode": row["postcode"],
                "phone": "",
                "email": row["email"],
                "website": row["url_librarieshacked"],
                "opening_times": sessions,
                "opening_notes": "Opening times as recorded in 2023. Please check with the library before you go.",
                "free": True,
                "cost": "",
                "languages": ["en"],
                "accessibility": [],
                "delivery_modes": ["drop_in"],
                "eligibility": "Anyone can visit a public library.",
                "needs": ["free_computers"],
            }
        )
    return records


def sample_records(lad_code: str) -> list[dict]:
    data = json.loads((SEED / "sample_directory.json").read_text(encoding="utf-8"))
    records = data["resources"]
    for r in records:
        if r.get("sample") is not True:
            raise SeedError(f'{r.get("id")}: every record in sample_directory.json must say "sample": true')
        r.setdefault("source", "Sample data made up for demonstration (seed_data/SAMPLE_DATA.md)")
        r.setdefault("borough", lad_code)
    return records


def validate_record(r: dict, wards: set[str], postcodes: dict[str, Postcode]) -> None:
    """Refuse a directory record that the service could not show or match correctly."""
    problems = []
    if r["kind"] not in KINDS:
        problems.append(f"kind {r['kind']!r}")
    if r["coverage"] not in COVERAGES:
        problems.append(f"coverage {r['coverage']!r}")
    problems += [f"route {n!r}" for n in r["needs"] if n not in ROUTE_INFO]
    problems += [f"delivery mode {m!r}" for m in r["delivery_modes"] if m not in DELIVERY_MODES]
    problems += [f"accessibility feature {a!r}" for a in r["accessibility"] if a not in ACCESSIBILITY_FEATURES]
    problems += [f"ward {w!r}" for w in r["wards_covered"] if w not in wards]
    if r["postcode"] and normalise_postcode(r["postcode"]) not in postcodes:
        problems.append(f"postcode {r['postcode']!r} (not in the postcode table)")
    for s in r["opening_times"]:
        if s.get("day") not in DAY_NAMES:
            problems.append(f"opening day {s.get('day')!r}")
    if problems:
        raise SeedError(f"{r['id']}: unknown " + "; ".join(problems))


def upsert_resources(records: list[dict]) -> tuple[int, int]:
    wards = {w.code: w for w in db.session.execute(select(Ward)).scalars()}
    postcodes = {p.postcode: p for p in db.session.execute(select(Postcode)).scalars()}
    existing = {r.slug: r for r in db.session.execute(select(Resource)).scalars()}
    changed_in_signpost = set(db.session.execute(select(ResourceChange.resource_id).distinct()).scalars())
    added = updated = 0
    for r in records:
        validate_record(r, set(wards), postcodes)
        row = existing.get(r["id"])
        if row is not None and row.id in changed_in_signpost:
            continue  # officers have changed it since: their version wins over the seed file
        if row is None:
            row = Resource(slug=r["id"])
            db.session.add(row)
            added += 1
        else:
            updated += 1
        place = postcodes.get(normalise_postcode(r["postcode"])) if r["postcode"] else None
        row.kind, row.name, row.organisation = r["kind"], r["name"], r.get("organisation", "")
        row.description, row.is_sample, row.source = r["description"], r["sample"], r["source"]
        row.coverage = r["coverage"]
        row.borough_code = r["borough"] if r["coverage"] != "national" else None
        row.address = r.get("address", "")
        row.postcode = place.postcode if place else None
        row.lat, row.lon = (place.lat, place.lon) if place else (None, None)
        row.ward_code = place.ward_code if place else None
        row.phone, row.email, row.website = r.get("phone", ""), r.get("email", ""), r.get("website", "")
        row.opening_times, row.opening_notes = r["opening_times"], r.get("opening_notes", "")
        row.free, row.cost = r["free"], r.get("cost", "")
        row.languages, row.accessibility = r["languages"], r["accessibility"]
        row.delivery_modes, row.needs = r["delivery_modes"], r["needs"]
        row.eligibility = r.get("eligibility", "")
        row.status, row.status_note, row.last_reviewed_on = "active", "", None  # never checked by the council
        row.wards = [wards[w] for w in r["wards_covered"]]
    db.session.flush()
    return added, updated


def upsert_organisations(records: list[dict]) -> None:
    """The organisations behind the sample champions and partner services, with the wards they serve,
    linked to the directory entries they run (so those entries can take referrals)."""
    wards = {w.code: w for w in db.session.execute(select(Ward)).scalars()}
    existing = {o.name: o for o in db.session.execute(select(Organisation)).scalars()}
    covered: dict[str, set[str]] = {}
    for r in records:
        if r["kind"] in ("digital_champion", "partner_service") and r.get("organisation"):
            covered.setdefault(r["organisation"], set()).update(r["wards_covered"])
    for name, codes in covered.items():
        organisation = existing.get(name) or Organisation(name=name, is_sample=True)
        organisation.wards = [wards[c] for c in sorted(codes)]
        db.session.add(organisation)
        existing[name] = organisation
    db.session.flush()
    changed_in_signpost = select(ResourceChange.resource_id)
    for resource in db.session.execute(select(Resource).where(Resource.id.not_in(changed_in_signpost))).scalars():
        match = existing.get(resource.organisation) if resource.kind != "library" else None
        resource.organisation_id = match.id if match else None
    db.session.flush()


def seed_all(lad_code: str) -> dict[str, int]:
    load_wards()
    postcodes_added = load_postcodes()
    samples = sample_records(lad_code)
    added, updated = upsert_resources(library_records(lad_code) + samples)
    upsert_organisations(samples)
    db.session.commit()
    return {"postcodes_added": postcodes_added, "resources_added": added, "resources_updated": updated}
