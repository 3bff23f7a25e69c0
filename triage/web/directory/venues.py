"""An organisation's venues: its own active directory entries with an address, where its Digital Champions
meet people (a walk-in's channel, a help session's place)."""

from __future__ import annotations

from sqlalchemy import select

from triage.web.extensions import db
from triage.web.models import Resource


def venues_of(organisation_id: int | None) -> list[Resource]:
    """The organisation's entries with an address, by name; none for no organisation."""
    if organisation_id is None:
        return []
    query = select(Resource).where(
        Resource.organisation_id == organisation_id, Resource.address != "", Resource.status == "active"
    )
    return list(db.session.execute(query.order_by(Resource.name, Resource.id)).scalars())
