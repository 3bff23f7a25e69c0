"""The whole directory as CSV, and importing a CSV: a dry run that reports every row's problems by row
number and column, and an all-or-nothing apply.

The columns are triage.core.directory_rules.FIELDS. A row whose `id` matches an entry updates it; a row
with a new or blank id adds one. Exported cells that could start a spreadsheet formula carry a leading
apostrophe, which the import removes again (triage.core.spreadsheet_cells), so export → import changes
nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from triage.core.directory_rules import FIELDS
from triage.core.spreadsheet_cells import unescape
from triage.core.storable_text import WHAT_IS_WRONG, storable
from triage.web.directory.editing import check_entry, council_ward_codes, entry_of, save_entry
from triage.web.extensions import db
from triage.web.models import Resource, StaffUser
from triage.web.records.exports import csv_text

REQUIRED_COLUMNS = ("kind", "name", "description", "coverage", "needs")
MAX_ROWS = 5000


def directory_csv() -> str:
    rows = db.session.execute(select(Resource).options(selectinload(Resource.wards)).order_by(Resource.slug)).scalars()
    return csv_text(list(FIELDS), ([entry_of(r)[f] for f in FIELDS] for r in rows))


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, column, message)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_rows(text: str, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    """The data rows with their spreadsheet row numbers (the header is row 1). Lines may end in CR LF, LF,
    or CR alone (as older Mac spreadsheets save them); a row with a cell no database can store is reported."""
    reader = csv.DictReader(io.StringIO(text, newline=""))  # newline="": every line ending, kept inside quotes
    try:
        header = reader.fieldnames or []
    except csv.Error as error:  # a cell over csv.field_size_limit(), say
        report.problems.append((1, "", f"the header cannot be read as CSV ({error})"))
        return []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in FIELDS]
    if missing:
        report.problems.append((1, ", ".join(missing), "these columns are missing"))
    if unknown:
        report.problems.append((1, ", ".join(unknown), f"unknown columns; use only: {', '.join(FIELDS)}"))
    if report.problems:
        return []
    rows, read = [], 0
    for number, row in _records(reader, report):
        read += 1
        unstorable = [column for column, cell in row.items() if isinstance(cell, str) and not storable(cell)]
        report.problems += [(number, column, WHAT_IS_WRONG) for column in unstorable]
        if None in row:
            report.problems.append((number, "", "this row has more cells than the header"))
        elif not unstorable:
            rows.append((number, {k: unescape(v or "") for k, v in row.items()}))
        if len(rows) > MAX_ROWS:
            report.problems.append((number, "", f"a file can hold at most {MAX_ROWS} rows"))
            return []
    if not read and not report.problems:
        report.problems.append((2, "", "the file has no rows under the header"))
    return rows


def _records(reader: csv.DictReader, report: ImportReport) -> Iterator[tuple[int, dict]]:
    """The rows under the header with their numbers, until one cannot be read."""
    number = 2
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            report.problems.append((number, "", f"this row cannot be read as CSV ({error})"))
            return
        yield number, row
        number += 1


def _existing(raw: dict[str, str]) -> Resource | None:
    if not raw.get("id"):
        return None
    return db.session.execute(select(Resource).where(Resource.slug == raw["id"])).scalar_one_or_none()


def check_import(text: str) -> tuple[ImportReport, list[tuple[Resource | None, dict]]]:
    """The dry run: every row checked, nothing saved."""
    report = ImportReport()
    plan: list[tuple[Resource | None, dict]] = []
    seen: dict[str, int] = {}
    ward_codes = council_ward_codes()
    for number, raw in read_rows(text, report):
        resource = _existing(raw)
        cleaned = check_entry({**raw, "_editing": resource.id if resource else None}, ward_codes)
        for column, message in cleaned.problems.items():
            report.problems.append((number, column, message))
        if raw.get("id"):
            if raw["id"] in seen:
                report.problems.append((number, "id", f"the same id is on row {seen[raw['id']]}"))
            seen[raw["id"]] = number
        if resource:
            report.updated += 1
        else:
            report.added += 1
        plan.append((resource, raw))
    return report, plan


def apply_import(text: str, by: StaffUser) -> ImportReport:
    """Check again, then save every row or none."""
    report, plan = check_import(text)
    if not report.ok:
        return report
    plan.sort(key=lambda item: not item[1].get("id"))  # rows with their own ids first, so new ids never clash
    try:
        for resource, raw in plan:
            merged = {**entry_of(resource), **raw} if resource else {"status": "active", **raw}
            cleaned = save_entry(resource, merged, by, action="imported")
            if cleaned.problems:  # checked above, so only a race with another change gets here
                raise ValueError(cleaned.problems)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report
