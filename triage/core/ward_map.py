"""A ward choropleth map as accessible, server-rendered SVG: no JavaScript, no map tiles, works offline.

Pure: the standard library only. The caller reads the GeoJSON file (the ONS ward boundaries in
`seed_data/charnwood_wards_2025_bgc.geojson`) and passes the parsed dict to `load_wards`.

- Projection: equirectangular, longitudes scaled by the cosine of the latitude half-way between the
  map's most northerly and most southerly points (fine at borough scale), fitted to the given width.
- Size: coordinates are rounded to 0.1 SVG unit, repeated points dropped, and each stretch of
  boundary simplified by Douglas–Peucker (`tolerance`, in SVG units). Stretches shared by two wards
  are simplified once and used by both, so neighbouring wards still meet without gaps or slivers.
  Paths are written with relative coordinates.
- Colours: classes by quantiles (equal intervals when quantiles collapse), on a sequential blue
  palette whose adjacent classes differ by a contrast ratio of at least 1.8 (5 classes; 1.48 at 7),
  with near-black ward borders (19.6:1 against white, WCAG 1.4.11). Wards without a value are hatched
  and listed as "No data" (or `no_data_label`) in the legend.
- Accessibility: when wards are links, the `<svg>` has no role="img" (that would hide the links), is
  labelled by its `<title>` and `<desc>` (aria-labelledby), and each link is named by a `<title>`
  ("Anstey: 12%"). Without links it is a single image (role="img"). The legend is SVG text inside the
  image, sized so that it is at least 14 CSS px when the map is shown only 290 px wide (a 320 px
  phone screen), and 1 SVG unit is 1 CSS px at the natural size (the `width` and `height` attributes).

The page should let the map shrink (`.ward-map { max-width: 100%; height: auto }`), give focused and
hovered links a visible style (for example `.ward-map a:focus path { fill: #ffdd00; stroke-width: 3px }`;
the service's CSP blocks inline styles, so the SVG carries presentation attributes only) and show the
same figures in a table. `class_breaks(values.values())` gives the classes the map uses.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from xml.sax.saxutils import escape

Position = tuple[float, float]  # (longitude, latitude), WGS84 degrees
Ring = tuple[Position, ...]
Polygon = tuple[Ring, ...]  # the outer ring, then any holes
XY = tuple[float, float]  # SVG units, to 0.1

# Sequential blues, light to dark, with equal contrast-ratio steps between adjacent classes.
PALETTES: dict[int, tuple[str, ...]] = {
    1: ("#3989c1",),
    2: ("#eaf2fa", "#08306b"),
    3: ("#eaf2fa", "#3989c1", "#08306b"),
    4: ("#eaf2fa", "#66abd4", "#1b6aaf", "#08306b"),
    5: ("#eaf2fa", "#84bcdb", "#3989c1", "#0f5aa3", "#08306b"),
    6: ("#eaf2fa", "#97c6df", "#519dcc", "#2676b7", "#08519c", "#08306b"),
    7: ("#eaf2fa", "#a4cde3", "#66abd4", "#3989c1", "#1b6aaf", "#084c94", "#08306b"),
}
MAX_CLASSES = max(PALETTES)
BORDER = "#0b0c0c"  # GOV.UK text colour
TEXT = "#0b0c0c"
HATCH = "#505a5f"  # GOV.UK secondary text colour, 7:1 against white
FONT_FAMILY = "Arial, sans-serif"
NARROWEST_DISPLAY = 290  # CSS px: a 320 px screen less the GOV.UK page margins
MIN_TEXT_PX = 14

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
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
    if kind == "Polygon":
        parts = [coordinates]
    elif kind == "MultiPolygon":
        parts = coordinates
    else:
        raise ValueError(f"ward {code}: unsupported geometry {kind!r} (Polygon or MultiPolygon only)")
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
    moves = [f"{_tenths(x1 - x0)},{_tenths(y1 - y0)}" for (x0, y0), (x1, y1) in pairwise(points)]
    return f"M{_tenths(points[0][0])},{_tenths(points[0][1])}l{' '.join(moves)}z"


def _tenths(value: int) -> str:
    whole, tenth = divmod(abs(value), 10)
    text = f"{whole}.{tenth}" if tenth else str(whole)
    return f"-{text}" if value < 0 else text


# ----------------------------------------------------------------------------------------------
# Classes


def format_number(value: float) -> str:
    """12 → '12', 12.34 → '12.3', 1234 → '1,234'."""
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class Classes:
    """Class i holds breaks[i] <= value < breaks[i + 1]; the last class also holds its top, breaks[-1]."""

    breaks: tuple[float, ...]  # ascending; one more than the number of classes (none when no values)
    method: str  # "quantiles", "equal intervals", "one value" or "no values"

    @property
    def count(self) -> int:
        return max(len(self.breaks) - 1, 0)

    def ranges(self) -> list[tuple[float, float]]:
        return list(pairwise(self.breaks))

    def class_of(self, value: float | None) -> int | None:
        """The class (0 is the lowest) of a value, or None for no value."""
        if value is None:
            return None
        if not self.breaks or not self.breaks[0] <= value <= self.breaks[-1]:
            raise ValueError(f"{value} is outside the classes")
        for index in range(self.count - 1):
            if value < self.breaks[index + 1]:
                return index
        return self.count - 1

    def labels(self, value_label: Callable[[float], str] = format_number) -> list[str]:
        """Each class's range in words, e.g. '10% to 20%' (a single value when the class is one value)."""
        return [
            value_label(low) if low == high else f"{value_label(low)} to {value_label(high)}"
            for low, high in self.ranges()
        ]

    def colours(self) -> tuple[str, ...]:
        return PALETTES[self.count] if self.count else ()


def class_breaks(values: Iterable[float | None], classes: int = 5) -> Classes:
    """Quantile classes of the values (None ignored), or equal intervals when quantiles would repeat a break.

    There are never more classes than distinct values. Quantiles are by linear interpolation between
    the sorted values (statistics.quantiles' "inclusive" method, as a spreadsheet's PERCENTILE.INC).
    """
    if not 1 <= classes <= MAX_CLASSES:
        raise ValueError(f"classes must be from 1 to {MAX_CLASSES}")
    known = sorted(_checked(v) for v in values if v is not None)
    if not known:
        return Classes((), "no values")
    low, high = known[0], known[-1]
    classes = min(classes, len(set(known)))
    if classes == 1:
        return Classes((low, high), "one value")
    cuts = statistics.quantiles(known, n=classes, method="inclusive")
    breaks = (low, *cuts, high)
    if all(a < b for a, b in pairwise(breaks)):
        return Classes(breaks, "quantiles")
    step = (high - low) / classes
    return Classes((low, *(low + step * i for i in range(1, classes)), high), "equal intervals")


def _checked(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    return float(value)


# ----------------------------------------------------------------------------------------------
# Drawing


def text_size(width: float) -> int:
    """SVG text size, in units, that is at least 14 CSS px when an image `width` units wide is shown 290 px wide."""
    return max(16, math.ceil(MIN_TEXT_PX * width / NARROWEST_DISPLAY))


def ward_map_svg(
    boundaries: Sequence[Ward],
    values: Mapping[str, float | None],
    *,
    title: str,
    description: str,
    classes: int = 5,
    link: Callable[[str], str] | None = None,
    value_label: Callable[[float], str] = format_number,
    no_data_label: str = "No data",
    legend_title: str | None = None,
    width: float = 400,
    tolerance: float = 0.5,
    id_prefix: str = "ward-map",
) -> str:
    """The choropleth as an SVG element (a string to put in the page unescaped, e.g. with Markup).

    `values` maps ward codes to values; a ward missing from it, or mapped to None, has no data. A code
    that is not on the map is an error. `link(code)` gives each ward's link; `id_prefix` keeps the
    element ids unique when a page has more than one map.
    """
    if not _ID.match(id_prefix):
        raise ValueError("id_prefix must be letters, digits, '-' or '_', starting with a letter")
    unknown = sorted(set(values) - {ward.code for ward in boundaries})
    if unknown:
        raise ValueError(f"not wards on this map: {', '.join(unknown)}")
    ward_values = {ward.code: values.get(ward.code) for ward in boundaries}
    groups = class_breaks(ward_values.values(), classes)
    projected = project_wards(boundaries, width=width, tolerance=tolerance)
    size = text_size(width)
    fills = groups.colours()
    no_data_fill = f"url(#{id_prefix}-no-data)"

    wards = []
    for ward in projected.wards:
        value = ward_values[ward.code]
        group = groups.class_of(value)
        fill = no_data_fill if group is None else fills[group]
        name = f"{ward.name}: {no_data_label if value is None else value_label(value)}"
        path = (
            f'<path d="{ward.path_data()}" fill="{fill}" data-ward="{_attr(ward.code)}" '
            f'vector-effect="non-scaling-stroke"'
        )
        if link is None:
            wards.append(f"{path}><title>{escape(name)}</title></path>")
        else:
            wards.append(f'<a href="{_attr(link(ward.code))}"><title>{escape(name)}</title>{path}/></a>')

    entries = list(zip(fills, groups.labels(value_label), strict=True))
    if any(value is None for value in ward_values.values()):
        entries.append((no_data_fill, no_data_label))
    legend, legend_height = _legend(entries, legend_title, top=projected.height + size, size=size)
    height = round(projected.height + size + legend_height, 1)
    labelled = f"{id_prefix}-title {id_prefix}-desc"
    role = ' role="img"' if link is None else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ward-map" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}"{role} aria-labelledby="{labelled}">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>'
        f'<defs><pattern id="{id_prefix}-no-data" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        f'<path d="M0,0V6" stroke="{HATCH}" stroke-width="3"/></pattern></defs>'
        f'<g class="ward-map__wards" stroke="{BORDER}" stroke-width="1" stroke-linejoin="round" fill-rule="evenodd">'
        f"{''.join(wards)}</g>{legend}</svg>"
    )


def _legend(entries: list[tuple[str, str]], heading: str | None, *, top: float, size: int) -> tuple[str, float]:
    row = round(size * 1.5)
    parts, y = [], top
    if heading:
        parts.append(f'<text x="2" y="{_num(y + size)}" font-weight="bold">{escape(heading)}</text>')
        y += row
    for fill, label in entries:
        parts.append(
            f'<rect x="2" y="{_num(y)}" width="{size}" height="{size}" fill="{fill}" stroke="{BORDER}"/>'
            f'<text x="{_num(2 + size * 1.5)}" y="{_num(y + size * 0.85)}">{escape(label)}</text>'
        )
        y += row
    body = "".join(parts)
    group = f'<g class="ward-map__legend" font-family="{FONT_FAMILY}" font-size="{size}" fill="{TEXT}">{body}</g>'
    return group, y - top


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _num(value: float) -> str:
    return _tenths(round(value * 10))
