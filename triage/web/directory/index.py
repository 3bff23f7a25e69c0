"""The directory of help as the matcher sees it: database rows turned into a cached DirectoryIndex.

The index is rebuilt only when the directory changes (directory/revision.py), so each assessment
and each search matches against memory, not the database.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from triage.core.geography import Point
from triage.core.matching import MATCHABLE_STATUS, DirectoryIndex
from triage.core.matching import Resource as MatchResource
from triage.web.directory.revision import per_revision
from triage.web.extensions import db
from triage.web.models import Resource


def to_match_resource(row: Resource) -> MatchResource:
    return MatchResource(
        id=row.id,
        kind=row.kind,
        name=row.name,
        needs=frozenset(row.needs or ()),
        coverage=row.coverage,
        wards=frozenset(w.code for w in row.wards),
        point=Point(row.lat, row.lon) if row.lat is not None and row.lon is not None else None,
        borough=row.borough_code,
        free=row.free,
        languages=frozenset(row.languages or ("en",)),
        accessibility=frozenset(row.accessibility or ()),
        delivery_modes=frozenset(row.delivery_modes or ()),
        status=row.status,
    )


def _build() -> DirectoryIndex:
    rows = db.session.execute(
        select(Resource).where(Resource.status == MATCHABLE_STATUS).options(selectinload(Resource.wards))
    ).scalars()
    return DirectoryIndex.build(to_match_resource(r) for r in rows)


def current_index() -> DirectoryIndex:
    """The index for the directory as it is now; only matchable (active) resources are loaded."""
    return per_revision("matcher index", _build)
