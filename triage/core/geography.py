"""Geography: postcode normalising and checking, postcode-to-ward lookup and distances.

Distances use geopy's geodesic (pure geographiclib, no network). Lookups read a table passed in by
the caller (the database in the web shell, a dict in tests), so this module stays pure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from geopy.distance import geodesic

from triage.core.text import N_, Text

# The UK postcode format (BS 7666 shape, including the GIR 0AA special case).
_POSTCODE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?[0-9][ABD-HJLNP-UW-Z]{2})$"
)
MAX_POSTCODE_INPUT = 20


def normalise_postcode(raw: str) -> str | None:
    """'le113du', ' LE11  3DU ' and 'le11 3du' all become 'LE11 3DU'; anything else gives None."""
    if not isinstance(raw, str) or len(raw) > MAX_POSTCODE_INPUT:
        return None
    compact = re.sub(r"[\s\-]", "", raw).upper()
    if not _POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def outward_code(postcode: str) -> str:
    return postcode.split(" ")[0]


def sector(postcode: str) -> str:
    """The postcode sector, e.g. 'LE11 3': kept instead of the full postcode, for privacy."""
    outward, inward = postcode.split(" ")
    return f"{outward} {inward[0]}"


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class PostcodePlace:
    postcode: str
    ward_code: str
    point: Point
    ward_name: str = ""  # given when the table has it at hand (the web shell reads both in one query)


class Lookup(Enum):
    FOUND = "found"
    INVALID = "invalid"  # not a postcode at all
    NOT_FOUND = "not_found"  # looks like one of our districts, but we don't have it (new or mistyped)
    OUTSIDE = "outside"  # a real-looking postcode outside the area we cover


@dataclass(frozen=True)
class PostcodeResult:
    outcome: Lookup
    postcode: str | None = None
    place: PostcodePlace | None = None


def lookup_postcode(
    raw: str, find: Callable[[str], PostcodePlace | None], covered_districts: frozenset[str]
) -> PostcodeResult:
    """Normalise, check the format, then look the postcode up with `find`."""
    postcode = normalise_postcode(raw)
    if postcode is None:
        return PostcodeResult(Lookup.INVALID)
    place = find(postcode)
    if place is not None:
        return PostcodeResult(Lookup.FOUND, postcode, place)
    if outward_code(postcode) in covered_districts:
        return PostcodeResult(Lookup.NOT_FOUND, postcode)
    return PostcodeResult(Lookup.OUTSIDE, postcode)


# One measurer for the process: geopy builds its WGS-84 geodesic once here, instead of on every call
# as geodesic(a, b) does, which was most of the cost of a distance (bench/score_and_match.py).
_GEODESIC = geodesic()


def distance_km(a: Point, b: Point) -> float:
    return _GEODESIC.measure((a.lat, a.lon), (b.lat, b.lon))


# WGS-84's shortest degrees, in km: a degree of latitude is shortest at the equator, and a degree of
# longitude is never shorter than the equatorial radius's degree times the cosine of the latitude.
_KM_PER_DEGREE_LATITUDE = 110.574
_KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.319


def within_reach(centre: Point, km: float) -> Callable[[Point], bool]:
    """A cheap test that is False only for points certainly more than `km` from `centre` (a box of
    latitude and longitude around it), so the exact distance is measured only for the points it lets by."""
    lat_reach = km / _KM_PER_DEGREE_LATITUDE
    furthest_lat = abs(centre.lat) + lat_reach  # a shorter path cannot leave this band of latitude
    lon_reach = (
        180.0
        if furthest_lat >= 90
        else km / (_KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(furthest_lat)))
    )

    def could_be_within(point: Point) -> bool:
        lon_apart = abs(point.lon - centre.lon) % 360
        return abs(point.lat - centre.lat) <= lat_reach and min(lon_apart, 360 - lon_apart) <= lon_reach

    return could_be_within


def describe_distance(km: float) -> Text:
    """Distances the way people say them: metres under 1 km, one decimal under 10 km."""
    metres = round(km * 1000 / 50) * 50
    if metres < 1000:
        return Text.of(N_("{metres} metres"), metres=max(50, metres))
    if km < 10:
        return Text.of(N_("{km} km"), km=round(km, 1))
    return Text.of(N_("{km} km"), km=round(km))
