"""Loading the seed data: real ONS/OS geography and libraries, plus the marked sample directory.

Idempotent: running it again updates what changed and adds what is missing, keyed on ward code,
postcode and resource slug. Every directory record is checked by the directory rules and saved by
directory.editing.write_entry, as an officer's entry is; a record the rules refuse stops the seed.
Sources and licences are in seed_data/PROVENANCE.md and each area pack's PROVENANCE.md.
"""

from __future__ import annotations

import json
import re

from sqlalchemy import insert, select, update
from sqlalchemy.orm import selectinload

from triage.core import area_packs, vocabulary
from triage.core.council_profile import Profile
from triage.core.directory_rules import week_fields
from triage.web.areas import packs
from triage.web.config import ROOT
from triage.web.directory.editing import check_entry, council_ward_codes, write_entry
from triage.web.extensions import db
from triage.web.models import Organisation, Postcode, Resource, ResourceChange, Ward

SEED = ROOT / "seed_data"
DAY_NAMES = vocabulary.codes(vocabulary.DAYS)
BATCH = 10_000  # rows per executemany when loading wards and postcodes
LIBRARY_SOURCE = "Arts Council England public libraries dataset 2023, via Libraries Hacked"


class SeedError(ValueError):
    pass


def _write(model: type[Ward] | type[Postcode], new: list[dict], changed: list[dict]) -> None:
    """Rows added and changed, BATCH at a time in one executemany each (a national postcode file has 1.7
    million rows: ORM objects one by one would take most of an hour)."""
    for rows, statement in ((new, insert(model)), (changed, update(model))):
        for start in range(0, len(rows), BATCH):
            db.session.execute(statement, rows[start : start + BATCH])


def seed_wards(profile: Profile) -> None:
    columns = (Ward.code, Ward.name, Ward.lad_code, Ward.lat, Ward.lon)
    existing = {code: tuple(rest) for code, *rest in db.session.execute(select(*columns))}
    new: list[dict] = []
    changed: list[dict] = []
    for lad in profile.lads:
        for row in packs.wards(lad):
            values = (row.name, row.lad_code, row.lat, row.lon)
            if existing.get(row.code) != values:
                keyed = {"code": row.code, **dict(zip(("name", "lad_code", "lat", "lon"), values, strict=True))}
                (new if row.code not in existing else changed).append(keyed)
    _write(Ward, new, changed)


def stored_postcodes() -> dict[str, tuple]:
    """Every stored postcode's ward and position, to tell new and changed rows from the rest."""
    columns = (Postcode.postcode, Postcode.ward_code, Postcode.lat, Postcode.lon)
    return {postcode: tuple(rest) for postcode, *rest in db.session.execute(select(*columns))}


def load_postcodes(lad: str, existing: dict[str, tuple]) -> int:
    """Add the district's postcodes, and update those whose ward or position changed; how many were added."""
    new: list[dict] = []
    changed: list[dict] = []
    for row in packs.postcodes(lad):
        values = (row.ward_code, row.lat, row.lon)
        if existing.get(row.postcode) != values:
            keyed = {"postcode": row.postcode, "ward_code": row.ward_code, "lat": row.lat, "lon": row.lon}
            (new if row.postcode not in existing else changed).append(keyed)
    _write(Postcode, new, changed)
    return len(new)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def library_records(profile: Profile, lads: tuple[str, ...] | None = None) -> list[dict]:
    """The real libraries residents can visit in every district of the council (or those of `lads`), from the
    Arts Council England 2023 dataset (see each pack's PROVENANCE.md)."""
    records = []
    for lad in lads or profile.lads:
        for library in packs.libraries(lad):
            sessions = []
            for short, day in zip(area_packs.DAYS, DAY_NAMES, strict=True):
                if short in library.hours:
                    opens, closes = library.hours[short].split("-")
                    sessions.append({"day": day, "opens": opens, "closes": closes})
            run_by = profile.library_authority if library.council_run else "volunteers in the community"
            name = library.name if library.name.endswith("Library") else f"{library.name} Library"
            records.append(
                {
                    "id": "library-" + _slug(library.name),
                    "kind": "library",
                    "name": name,
                    "organisation": profile.library_authority if library.council_run else "Community library",
                    "description": (
                        f"A public library run by {run_by}. Libraries usually have free computers and wifi "
                        "you can use. Contact the library to check what they have before you go."
                    ),
                    "sample": False,
                    "source": LIBRARY_SOURCE,
                    "coverage": "local",
                    "borough": lad,
                    "wards_covered": [library.ward_code],
                    "address": library.address,
                    "postcode": library.postcode,
                    "phone": "",
                    "email": library.email,
                    "website": library.website,
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


def sample_records(profile: Profile) -> list[dict]:
    """The sample directory (seed_data/SAMPLE_DATA.md): its national schemes for every council, its local
    and borough-wide entries, made up for Charnwood, only for a profile that asks for them."""
    data = json.loads((SEED / "sample_directory.json").read_text(encoding="utf-8"))
    records = []
    for r in data["resources"]:
        if r.get("sample") is not True:
            raise SeedError(f'{r.get("id")}: every record in sample_directory.json must say "sample": true')
        if r["coverage"] != "national" and not profile.sample_local_help:
            continue
        r.setdefault("source", "Sample data made up for demonstration (seed_data/SAMPLE_DATA.md)")
        r.setdefault("borough", profile.lads[0])
        records.append(r)
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


def seed_all(profile: Profile) -> dict[str, int]:
    """Load the geography and libraries of every district the council serves, and its sample directory."""
    seed_wards(profile)
    existing = stored_postcodes()
    postcodes_added, libraries = 0, []
    for lad in profile.lads:  # each district's libraries are placed while its parsed postcodes are still cached
        postcodes_added += load_postcodes(lad, existing)
        libraries += library_records(profile, (lad,))
    samples = sample_records(profile)
    added, updated = upsert_resources(libraries + samples)
    upsert_organisations(samples)
    db.session.commit()
    return {"postcodes_added": postcodes_added, "resources_added": added, "resources_updated": updated}
