"""Loading the seed data: real ONS/OS geography and libraries, plus the marked sample directory.

Idempotent: running it again updates what changed and adds what is missing, keyed on ward code,
postcode and resource slug. Every directory record is checked by the directory rules and saved by
directory.editing.write_entry, as an officer's entry is; a record the rules refuse stops the seed.
Sources and licences are in seed_data/PROVENANCE.md.
"""

from __future__ import annotations

import csv
import json

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from triage.core import vocabulary
from triage.core.directory_rules import week_fields
from triage.core.geography import normalise_postcode
from triage.web.config import ROOT
from triage.web.directory.editing import check_entry, council_ward_codes, write_entry
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


def seed_wards() -> None:
    existing = {w.code: w for w in db.session.execute(select(Ward)).scalars()}
    for row in _rows("charnwood_wards.csv"):
        ward = existing.get(row["ward_code"]) or Ward(code=row["ward_code"])
        ward.name = row["ward_name"]
        ward.lad_code = row["lad_code"]
        ward.lat = float(row["ons_ref_latitude"])
        ward.lon = float(row["ons_ref_longitude"])
        db.session.add(ward)
    db.session.flush()


def load_postcodes() -> int:
    existing = {p.postcode: p for p in db.session.execute(select(Postcode)).scalars()}
    added = 0
    for row in _rows("charnwood_postcodes.csv"):
        postcode = normalise_postcode(row["postcode"])
        if postcode is None:
            raise SeedError(f"{row['postcode']!r} in charnwood_postcodes.csv is not a postcode")
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


def _entry(record: dict) -> dict[str, str]:
    """A seed record as the flat entry the directory rules check (a CSV row's form)."""
    try:
        week = week_fields(record["opening_times"])
    except ValueError as problem:
        raise SeedError(f"{record['id']}: {problem}") from problem
    text: tuple[str, ...] = ("id", "kind", "name", "organisation", "description", "coverage", "address", "postcode")
    text += ("phone", "email", "website", "opening_notes", "cost", "eligibility")
    lists = {"wards": "wards_covered", **{f: f for f in ("languages", "accessibility", "delivery_modes", "needs")}}
    return {
        **{f: record.get(f, "") for f in text},
        **{f: ";".join(record[key]) for f, key in lists.items()},
        **week,
        "free": "yes" if record["free"] else "no",
        "sample": "yes" if record["sample"] else "no",
        "status": "active",  # never closed, retired or reviewed by the council: those are officers' changes
    }


def upsert_resources(records: list[dict]) -> tuple[int, int]:
    """Check every record by the directory rules (one that fails stops the seed), then add or update the
    entries officers have not changed; how many were added and updated."""
    ward_codes = council_ward_codes()
    rows = db.session.execute(select(Resource).options(selectinload(Resource.wards))).scalars()
    existing = {r.slug: r for r in rows}
    changed_in_signpost = set(db.session.execute(select(ResourceChange.resource_id).distinct()).scalars())
    added = updated = 0
    for r in records:
        row = existing.get(r["id"])
        cleaned = check_entry({**_entry(r), "_editing": row.id if row else None}, ward_codes)
        if cleaned.problems:
            raise SeedError(f"{r['id']}: " + "; ".join(f"{f}: {p}" for f, p in cleaned.problems.items()))
        if row is not None and row.id in changed_in_signpost:
            continue  # officers have changed it since: their version wins over the seed file
        if row is None:
            row = Resource(slug=r["id"])
            added += 1
        else:
            updated += 1
        row.source = r["source"]
        write_entry(row, cleaned, None, borough_code=r["borough"])
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
    seed_wards()
    postcodes_added = load_postcodes()
    samples = sample_records(lad_code)
    added, updated = upsert_resources(library_records(lad_code) + samples)
    upsert_organisations(samples)
    db.session.commit()
    return {"postcodes_added": postcodes_added, "resources_added": added, "resources_updated": updated}
