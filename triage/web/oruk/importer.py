"""Loading an Open Referral UK 3.0 feed into the directory (`flask oruk-import PATH...`).

Services are matched to directory entries by their ORUK id (our own published ids, or "oruk-<id>" slugs
for entries an earlier import created), then created or updated, all in one transaction. A record that
cannot be an entry at all (no UUID id, no name, no status we know) stops the whole import, and nothing
is saved. Otherwise each service is mapped to a flat entry (mapping.py) and checked against the
directory rules, like an officer's edit or a CSV row: a value the rules refuse is left out, or, for
prose that is too long, cut at the end of a word, and the report says so, field by field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from triage.core.directory_rules import MAX_LENGTHS, Cleaned
from triage.web.directory.editing import check_entry, council_ward_codes, write_entry
from triage.web.extensions import db
from triage.web.models import Resource
from triage.web.oruk.feed import IMPORTED_PREFIX, service_id_for_slug
from triage.web.oruk.mapping import FEED_NAMES, Mapper
from triage.web.oruk.reading import FeedError, Record, read_feed, required_field_problems

# Prose an officer would rather have most of than none: cut to the rules' limit, not dropped. A cut
# email, web address, phone number, address or organisation name would be wrong, so those are dropped.
CUT_TO_FIT = ("description", "eligibility", "opening_notes", "status_note", "cost")
SHOWN_LENGTH = 80  # a refused value longer than this is not repeated in the report


@dataclass
class Outcome:
    feed_id: str
    name: str
    action: str = ""  # created, updated
    dropped: list[str] = field(default_factory=list)


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending at the end of a word (unless the first word is longer)."""
    if text[limit].isspace():
        return text[:limit].rstrip()
    head = text[:limit].rsplit(maxsplit=1)
    return (head[0] if len(head) > 1 else text[:limit]).rstrip()


def _within_rules(entry: dict[str, str], row: Resource | None, mapper: Mapper) -> Cleaned:
    """The entry checked by the directory rules, after leaving out (or cutting) every value they refuse.

    What the feed leaves unsaid (no description, no needs, no area) is not a refused value: ORUK allows
    it, so the entry is imported without it, for an officer to complete.
    """
    editing = row.id if row else None
    cleaned = check_entry({**entry, "_editing": editing}, mapper.ward_codes)
    refused = {f: problem for f, problem in cleaned.problems.items() if entry.get(f)}
    for name, problem in refused.items():
        value, where = entry[name], FEED_NAMES.get(name, name)
        if name in CUT_TO_FIT and len(value) > MAX_LENGTHS[name]:
            entry[name] = _cut(value, MAX_LENGTHS[name])
            why = f"cut to {len(entry[name])} characters, at the end of a word"
        else:
            entry[name] = ""
            why = f"{value!r} not kept" if len(value) <= SHOWN_LENGTH else "not kept"
        mapper.drop(where, f"{why} (the directory rules say: {problem})")
    return check_entry({**entry, "_editing": editing}, mapper.ward_codes) if refused else cleaned


def _import(record: Record, ward_codes: set[str], existing: dict[str, Resource], sample: bool) -> Outcome:
    feed_id = str(uuid.UUID(str(record.doc["id"])))
    source = f"Open Referral UK feed ({Path(record.path).name})"
    mapper = Mapper(ward_codes, source, sample)
    mapped = mapper.map(record.doc, record.locations)
    row = existing.get(feed_id)
    mapped.entry["id"] = row.slug if row else IMPORTED_PREFIX + feed_id
    cleaned = _within_rules(mapped.entry, row, mapper)
    outcome = Outcome(feed_id, cleaned.values["name"], "updated" if row else "created", mapper.dropped)
    if row is None:
        row = existing[feed_id] = Resource(slug=mapped.entry["id"])
    row.source = mapped.source
    write_entry(row, cleaned, "imported", note=source, borough_code=mapped.borough_code, point=mapped.point)
    return outcome


def import_feed(paths: list[str], sample: bool = False, dry_run: bool = False) -> list[Outcome]:
    """Check every record, then create or update them all in one transaction (or none, on any problem)."""
    records = read_feed(paths)
    problems = [p for record in records for p in required_field_problems(record)]
    if problems:
        raise FeedError(problems)
    ward_codes = council_ward_codes()
    existing = {service_id_for_slug(r.slug): r for r in db.session.execute(select(Resource)).scalars()}
    try:
        outcomes = [_import(record, ward_codes, existing, sample) for record in records]
        db.session.flush()
    except Exception:
        db.session.rollback()
        raise
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return outcomes
