"""Where a person is: postcode or chosen ward, looked up in the stored ONS/OS tables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select

from triage.core.geography import Lookup, Point, PostcodePlace, PostcodeResult, lookup_postcode, sector
from triage.web.extensions import db
from triage.web.models import Postcode, Ward


@dataclass(frozen=True)
class Place:
    """A resolved location: ward (if known), a point to measure from, and how we got it."""

    source: str  # postcode, ward, none
    ward_code: str | None = None
    ward_name: str | None = None
    point: Point | None = None
    postcode_sector: str | None = None

    def to_session(self) -> dict:
        return {
            "source": self.source,
            "ward_code": self.ward_code,
            "postcode_sector": self.postcode_sector,
            "lat": self.point.lat if self.point else None,
            "lon": self.point.lon if self.point else None,
        }

    @classmethod
    def from_session(cls, data: dict | None) -> Place | None:
        if not data:
            return None
        ward = db.session.get(Ward, data["ward_code"]) if data.get("ward_code") else None
        point = Point(data["lat"], data["lon"]) if data.get("lat") is not None else None
        return cls(
            data["source"], ward.code if ward else None, ward.name if ward else None, point, data.get("postcode_sector")
        )


def _find(postcode: str) -> PostcodePlace | None:
    row = db.session.get(Postcode, postcode)
    return PostcodePlace(row.postcode, row.ward_code, Point(row.lat, row.lon)) if row else None


@lru_cache(maxsize=4)
def _districts(database_uri: str) -> frozenset[str]:
    del database_uri  # the cache key: one set of districts per database
    rows = db.session.execute(select(Postcode.postcode)).scalars()
    return frozenset(p.split(" ")[0] for p in rows)


def covered_districts() -> frozenset[str]:
    return _districts(current_app.config["SQLALCHEMY_DATABASE_URI"])


def find_postcode(raw: str) -> PostcodeResult:
    return lookup_postcode(raw, _find, covered_districts())


def place_from_postcode(result: PostcodeResult) -> Place:
    assert result.outcome is Lookup.FOUND and result.place and result.postcode
    ward = db.session.get_one(Ward, result.place.ward_code)  # postcode.ward_code is a foreign key to ward
    return Place("postcode", ward.code, ward.name, result.place.point, sector(result.postcode))


def place_from_ward(ward_code: str | None) -> Place | None:
    """A chosen ward (measured from its ONS reference point), or no ward at all for `None`."""
    if not ward_code:
        return Place("none")
    ward = db.session.get(Ward, ward_code)
    if ward is None or ward.lad_code != current_app.config["COUNCIL_LAD_CODE"]:
        return None
    return Place("ward", ward.code, ward.name, Point(ward.lat, ward.lon))


def council_wards() -> list[Ward]:
    lad = current_app.config["COUNCIL_LAD_CODE"]
    return list(db.session.execute(select(Ward).where(Ward.lad_code == lad).order_by(Ward.name)).scalars())


def likely_wards(postcode: str) -> list[Ward]:
    """For a postcode we do not have, the wards its sector's known postcodes are in, most first."""
    counts = (
        select(Postcode.ward_code, func.count().label("n"))
        .where(Postcode.postcode.like(f"{sector(postcode)}%"))
        .group_by(Postcode.ward_code)
        .subquery()
    )
    rows = db.session.execute(select(Ward).join(counts, Ward.code == counts.c.ward_code).order_by(counts.c.n.desc()))
    return list(rows.scalars())
