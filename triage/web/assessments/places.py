"""Where a person is: postcode or chosen ward, looked up in the stored ONS/OS tables.

A place found from a postcode is measured from the postcode's own point, but the session (signed, not
encrypted) keeps neither the postcode nor that point, which would give the postcode away to anyone who looked
it up. It keeps the ward, the sector ("LE11 3") and a tag: a keyed hash of the postcode, which only this
service can match to one of the sector's postcodes, to find the point again when the plan is made.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from sqlalchemy import bindparam, func, select

from triage.core.geography import Lookup, Point, PostcodePlace, PostcodeResult, lookup_postcode, sector
from triage.web.areas import packs
from triage.web.areas.profiles import council
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
    postcode_tag: str | None = None  # postcode_tag() of the postcode it was found from

    def to_session(self) -> dict:
        return {
            "source": self.source,
            "ward_code": self.ward_code,
            "postcode_sector": self.postcode_sector,
            "postcode_tag": self.postcode_tag,
        }

    @classmethod
    def from_session(cls, data: dict | None) -> Place | None:
        if not data:
            return None
        ward = db.session.get(Ward, data["ward_code"]) if data.get("ward_code") else None
        tag, sector_ = data.get("postcode_tag"), data.get("postcode_sector")
        if data.get("lat") is not None:  # kept by a journey begun before the point left the session
            point: Point | None = Point(data["lat"], data["lon"])
        elif ward is None:
            point = None
        elif data["source"] == "postcode" and tag and sector_:
            # The ward's point only if the postcode has left the table since (a new postcode file loaded).
            point = _tagged_point(sector_, ward.code, tag) or Point(ward.lat, ward.lon)
        else:
            point = Point(ward.lat, ward.lon)
        return cls(data["source"], ward.code if ward else None, ward.name if ward else None, point, sector_, tag)


def postcode_tag(postcode: str) -> str:
    """A keyed hash of a postcode: the same for the same postcode, and without the service's secret key no
    way to tell which of a sector's few hundred postcodes it is."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"postcode {postcode}".encode(), hashlib.sha256).hexdigest()[:24]


def _tagged_point(sector_: str, ward_code: str, tag: str) -> Point | None:
    rows = db.session.execute(
        select(Postcode).where(Postcode.postcode.like(f"{sector_}%"), Postcode.ward_code == ward_code)
    ).scalars()
    return next((Point(r.lat, r.lon) for r in rows if hmac.compare_digest(postcode_tag(r.postcode), tag)), None)


# Built once: making the statement again for every look-up took longer than the database took to answer it.
_FOUND = (
    select(Postcode.ward_code, Postcode.lat, Postcode.lon, Ward.name)
    .join(Ward, Ward.code == Postcode.ward_code)
    .where(Postcode.postcode == bindparam("postcode"))
)


def _find(postcode: str) -> PostcodePlace | None:
    """The postcode's ward and point, with the ward's name: one query by the primary key and the ward's, so
    the resident journey's look-up is one round trip to the database (bench/area_scale.py)."""
    row = db.session.execute(_FOUND, {"postcode": postcode}).first()
    return PostcodePlace(postcode, row.ward_code, Point(row.lat, row.lon), row.name) if row else None


@lru_cache(maxsize=4)
def _districts(database_uri: str) -> frozenset[str]:
    del database_uri  # the cache key: one set of districts per database
    # The outward code is all but the last 4 characters of a stored postcode ("LE11 3DU"): the database finds
    # the distinct ones, where reading every postcode took 3 s at 1.7 million (bench/area_scale.py)
    outward = func.substr(Postcode.postcode, 1, func.length(Postcode.postcode) - 4)
    return frozenset(db.session.execute(select(outward).distinct()).scalars())


def covered_districts() -> frozenset[str]:
    return _districts(current_app.config["SQLALCHEMY_DATABASE_URI"])


def find_postcode(raw: str) -> PostcodeResult:
    return lookup_postcode(raw, _find, covered_districts())


def place_from_postcode(result: PostcodeResult) -> Place:
    """The place of a postcode find_postcode found (with its ward's name, read with it)."""
    assert result.outcome is Lookup.FOUND and result.place and result.postcode
    found, postcode = result.place, result.postcode
    return Place("postcode", found.ward_code, found.ward_name, found.point, sector(postcode), postcode_tag(postcode))


def place_from_ward(ward_code: str | None) -> Place | None:
    """A chosen ward (measured from its ONS reference point), or no ward at all for `None`."""
    if not ward_code:
        return Place("none")
    ward = db.session.get(Ward, ward_code)
    if ward is None or not council().serves(ward.lad_code):
        return None
    return Place("ward", ward.code, ward.name, Point(ward.lat, ward.lon))


@lru_cache(maxsize=4)
def _ward_districts(database_uri: str) -> dict[str, str]:
    del database_uri  # the cache key: one map per database
    return dict(db.session.execute(select(Ward.code, Ward.lad_code)).all())


def _ward_district(ward_code: str) -> str | None:
    """The ward's LAD, from every ward's read once per process and database (9,000 wards: a few ms), so a plan
    asks the database one query less (bench/area_scale.py). A ward code never moves to another LAD (a changed
    ward gets a new code), so the map stays true; a ward added since it was read is asked for and kept."""
    known = _ward_districts(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if ward_code not in known:
        lad = db.session.scalar(select(Ward.lad_code).where(Ward.code == ward_code))
        if lad is None:
            return None
        known[ward_code] = lad
    return known[ward_code]


def district_of(place: Place) -> str | None:
    """The district (LAD) of the place's ward, whose borough-wide help can reach the person; with no ward, the
    council's own district if it serves only one, else None (only help for anyone in the UK)."""
    lad = _ward_district(place.ward_code) if place.ward_code else None
    if lad is not None:
        return lad
    lads = council().lads
    return lads[0] if len(lads) == 1 else None


def ward_label(ward: Ward) -> str:
    """A ward's name, with its district's when the council serves several: "Kegworth (North West Leicestershire)"."""
    if len(council().lads) == 1:
        return ward.name
    return f"{ward.name} ({packs.district_name(ward.lad_code)})"


def council_wards() -> list[Ward]:
    lads = council().lads
    return list(db.session.execute(select(Ward).where(Ward.lad_code.in_(lads)).order_by(Ward.name)).scalars())


def likely_wards(sector_: str) -> list[Ward]:
    """For a postcode we do not have, the wards its sector's known postcodes are in, most first."""
    counts = (
        select(Postcode.ward_code, func.count().label("n"))
        .where(Postcode.postcode.like(f"{sector_}%"))
        .group_by(Postcode.ward_code)
        .subquery()
    )
    rows = db.session.execute(select(Ward).join(counts, Ward.code == counts.c.ward_code).order_by(counts.c.n.desc()))
    return list(rows.scalars())
