"""Ward boundaries: loaded from GeoJSON, projected onto an SVG plane and simplified, for the ward map.

Pure: the standard library only. The caller reads the GeoJSON file (the ONS ward boundaries in
`<slug>_wards_2025_bgc.geojson` of each area pack in seed_data/areas/) and passes the parsed dict to `load_wards`.

- Projection: equirectangular, longitudes scaled by the cosine of the latitude half-way between the
  map's most northerly and most southerly points (fine at borough scale), fitted to the given width.
- Size: coordinates are rounded to 0.1 SVG unit, repeated points dropped, and each stretch of
  boundary simplified by Douglas–Peucker (`tolerance`, in SVG units). Stretches shared by two wards
  are simplified once and used by both, so neighbouring wards still meet without gaps or slivers.
  Paths are written with relative coordinates.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from triage.core import svg

Position = tuple[float, float]  # (longitude, latitude), WGS84 degrees
Ring = tuple[Position, ...]
Polygon = tuple[Ring, ...]  # the outer ring, then any holes
XY = tuple[float, float]  # SVG units, to 0.1

_CODE_FIELD = re.compile(r"^WD\d\dCD$")
_NAME_FIELD = re.compile(r"^WD\d\dNM$")
_WGS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"}


# ----------------------------------------------------------------------------------------------
# Loading


@dataclass(frozen=True)
class Ward:
    code: str
    name: str
    polygons: tuple[Polygon, ...]  # longitude/latitude


def load_wards(
    geojson: Mapping[str, Any], *, code_field: str | None = None, name_field: str | None = None
) -> list[Ward]:
    """The wards of a GeoJSON FeatureCollection (WGS84), in file order.

    The code and name are read from the ONS fields (WD25CD and WD25NM, or another year's) unless
    `code_field` and `name_field` are given. Polygon and MultiPolygon geometries are accepted.
    """
    if geojson.get("type") != "FeatureCollection":
        raise ValueError("expected a GeoJSON FeatureCollection")
    crs = ((geojson.get("crs") or {}).get("properties") or {}).get("name")
    if crs is not None and crs not in _WGS84:
        raise ValueError(f"expected WGS84 longitude/latitude, not {crs}")
    features = geojson.get("features") or []
    if not features:
        raise ValueError("the GeoJSON has no features")
    first = features[0].get("properties") or {}
    code_field = code_field or _field(first, _CODE_FIELD, "ward code")
    name_field = name_field or _field(first, _NAME_FIELD, "ward name")
    wards: list[Ward] = []
    seen: set[str] = set()
    for feature in features:
        properties = feature.get("properties") or {}
        code, name = properties.get(code_field), properties.get(name_field)
        if not isinstance(code, str) or not code or not isinstance(name, str) or not name:
            raise ValueError(f"a feature has no {code_field} or {name_field}")
        if code in seen:
            raise ValueError(f"ward {code} appears more than once")
        seen.add(code)
        wards.append(Ward(code, name, _polygons(feature.get("geometry") or {}, code)))
    return wards


def _field(properties: Mapping[str, Any], pattern: re.Pattern[str], what: str) -> str:
    matches = sorted(key for key in properties if pattern.match(key))
    if len(matches) != 1:
        raise ValueError(f"cannot tell which property is the {what}: pass it by name")
    return matches[0]


def _polygons(geometry: Mapping[str, Any], code: str) -> tuple[Polygon, ...]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"ward {code}: unsupported geometry {kind!r} (Polygon or MultiPolygon only)")
    if coordinates is None:
        raise ValueError(f"ward {code}: the {kind} has no coordinates")
    parts = [coordinates] if kind == "Polygon" else coordinates
    polygons = []
    for part in parts:
        rings = tuple(tuple(_position(p, code) for p in ring) for ring in part)
        if not rings or any(len(ring) < 4 for ring in rings):
            raise ValueError(f"ward {code}: a ring has fewer than 4 positions")
        polygons.append(rings)
    return tuple(polygons)


def _position(position: Sequence[float], code: str) -> Position:
    lon, lat = float(position[0]), float(position[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"ward {code}: {position} is not a longitude/latitude")
    return lon, lat


# ----------------------------------------------------------------------------------------------
# Projecting and simplifying


@dataclass(frozen=True)
class ProjectedWard:
    code: str
    name: str
    rings: tuple[tuple[XY, ...], ...]  # open rings (no repeated closing point), every ring of every part

    def path_data(self) -> str:
        """The SVG path data: relative coordinates, one sub-path per ring (draw with fill-rule evenodd)."""
        return "".join(_ring_path(ring) for ring in self.rings)


@dataclass(frozen=True)
class ProjectedMap:
    width: float
    height: float
    wards: tuple[ProjectedWard, ...]


def project_wards(
    boundaries: Sequence[Ward], *, width: float = 400, padding: float = 2, tolerance: float = 0.5
) -> ProjectedMap:
    """Project the wards onto an SVG plane `width` units wide (y down), keeping their shapes' proportions.

    Coordinates are rounded to 0.1 unit; `tolerance` (SVG units, 0 for none) is the Douglas–Peucker
    tolerance. Rings that shrink to fewer than 3 points are left out.
    """
    if not boundaries:
        raise ValueError("no wards to draw")
    if width <= 2 * padding:
        raise ValueError("the width must be more than twice the padding")
    positions = [p for ward in boundaries for polygon in ward.polygons for ring in polygon for p in ring]
    west, east = min(p[0] for p in positions), max(p[0] for p in positions)
    south, north = min(p[1] for p in positions), max(p[1] for p in positions)
    x_factor = math.cos(math.radians((north + south) / 2))
    span = max((east - west) * x_factor, north - south)  # a single point or a line still fits
    if span == 0:
        raise ValueError("the wards have no extent")
    scale = (width - 2 * padding) / ((east - west) * x_factor or span)
    height = round((north - south) * scale + 2 * padding, 1)

    def tenths(p: Position) -> tuple[int, int]:
        x = ((p[0] - west) * x_factor * scale + padding) * 10
        y = ((north - p[1]) * scale + padding) * 10
        return round(x), round(y)

    rings_by_ward = [
        [_open_ring([tenths(p) for p in ring]) for polygon in ward.polygons for ring in polygon] for ward in boundaries
    ]
    simplified = _simplify_shared(rings_by_ward, tolerance * 10)
    wards = tuple(
        ProjectedWard(
            ward.code, ward.name, tuple(tuple((x / 10, y / 10) for x, y in ring) for ring in rings if len(ring) >= 3)
        )
        for ward, rings in zip(boundaries, simplified, strict=True)
    )
    return ProjectedMap(float(width), height, wards)


def _open_ring(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Consecutive repeats dropped, and the closing point (a repeat of the first) too."""
    ring: list[tuple[int, int]] = []
    for point in points:
        if not ring or ring[-1] != point:
            ring.append(point)
    while len(ring) > 1 and ring[-1] == ring[0]:
        ring.pop()
    return ring


def _simplify_shared(rings_by_ward: list[list[list[tuple[int, int]]]], tolerance: float) -> list[list[list]]:
    """Douglas–Peucker on each stretch of boundary between junctions, the same way for every ring sharing it.

    A junction is a point where the set of rings through it changes along some ring (where a border
    between two wards meets a third ward or the edge of the map). A ring with no junctions gets two: its
    smallest point and the point furthest from that.
    """
    if tolerance <= 0:
        return rings_by_ward
    rings = [ring for ward in rings_by_ward for ring in ward]
    members: dict[tuple[int, int], set[int]] = defaultdict(set)
    for index, ring in enumerate(rings):
        for point in ring:
            members[point].add(index)
    junctions: set[tuple[int, int]] = set()
    for ring in rings:
        for i, point in enumerate(ring):
            if members[point] != members[ring[i - 1]] or members[point] != members[ring[(i + 1) % len(ring)]]:
                junctions.add(point)
    cache: dict[tuple, list[tuple[int, int]]] = {}
    return [[_simplify_ring(ring, junctions, tolerance, cache) for ring in ward] for ward in rings_by_ward]


def _simplify_ring(ring: list[tuple[int, int]], junctions: set, tolerance: float, cache: dict) -> list:
    if len(ring) < 4:
        return ring
    stops = [i for i, point in enumerate(ring) if point in junctions]
    if not stops:
        first = min(range(len(ring)), key=lambda i: ring[i])
        far = max(range(len(ring)), key=lambda i: (_distance2(ring[i], ring[first]), [-c for c in ring[i]]))
        stops = sorted({first, far})
    result: list[tuple[int, int]] = []
    for n, start in enumerate(stops):
        end = stops[(n + 1) % len(stops)]
        stretch = ring[start : end + 1] if end > start else ring[start:] + ring[: end + 1]
        result.extend(_simplify_stretch(stretch, tolerance, cache)[:-1])
    return result


def _simplify_stretch(points: list[tuple[int, int]], tolerance: float, cache: dict) -> list[tuple[int, int]]:
    """Douglas–Peucker with fixed ends, run on the stretch in a canonical direction so both wards agree."""
    forward = points[0] < points[-1] or (points[0] == points[-1] and points[1] <= points[-2])
    key = tuple(points if forward else points[::-1])
    if key not in cache:
        cache[key] = _douglas_peucker(list(key), tolerance)
    kept = cache[key]
    return kept if forward else kept[::-1]


def _douglas_peucker(points: list[tuple[int, int]], tolerance: float) -> list[tuple[int, int]]:
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        furthest, index = 0.0, -1
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > furthest:
                furthest, index = d, i
        if index >= 0 and furthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _distance2(a: tuple[int, int], b: tuple[int, int]) -> int:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _segment_distance(p: tuple[int, int], a: tuple[int, int], b: tuple[int, int]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.sqrt(_distance2(p, a))
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _ring_path(ring: tuple[XY, ...]) -> str:
    points = [(round(x * 10), round(y * 10)) for x, y in ring]
    moves = [f"{svg.tenths(x1 - x0)},{svg.tenths(y1 - y0)}" for (x0, y0), (x1, y1) in pairwise(points)]
    return f"M{svg.tenths(points[0][0])},{svg.tenths(points[0][1])}l{' '.join(moves)}z"
