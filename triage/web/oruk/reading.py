"""Reading an Open Referral UK 3.0 feed from JSON files, for `flask oruk-import`.

Each file is a page of services or of services at locations (GET /services, /service_at_locations), one
service or service-at-location document, or a JSON list of them. The documents about one service id
become one record, with the places found for it. A record without a UUID id, a name or a status we
know cannot be imported at all: `required_field_problems` says why.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from triage.core.directory_rules import MAX_LENGTHS

ORUK_STATUS_IN = {
    "active": "active",
    "temporarily closed": "temporarily_closed",
    "inactive": "retired",
    "defunct": "retired",
}
EMPTY: tuple[object, ...] = (None, "", [], {})  # values that say nothing


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


def required_field_problems(record: Record) -> list[str]:
    """Why the record cannot become a directory entry at all: no UUID id, no usable name, or no status we know."""
    doc, problems = record.doc, []
    try:
        uuid.UUID(str(doc.get("id")))
    except ValueError:
        problems.append(f"{record.where}: the id must be a UUID (it is {doc.get('id')!r})")
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{record.where}: the name is missing")
    elif len(name.strip()) > MAX_LENGTHS["name"]:
        problems.append(f"{record.where}: the name is longer than {MAX_LENGTHS['name']} characters")
    if not isinstance(doc.get("status"), str) or doc["status"] not in ORUK_STATUS_IN:
        problems.append(
            f"{record.where}: the status must be one of {', '.join(ORUK_STATUS_IN)} (it is {doc.get('status')!r})"
        )
    return problems
