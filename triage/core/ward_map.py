"""A ward choropleth map as accessible, server-rendered SVG: no JavaScript, no map tiles, works offline.

Pure: the standard library only. The boundaries come from `geometry.load_wards` (which also projects
and simplifies them); the shared SVG pieces (colours, text size, numbers, escaping) from `svg`.

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

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from triage.core.geometry import Ward, project_wards
from triage.core.svg import (
    FONT_FAMILY,
    SECONDARY_TEXT,
    TEXT,
    check_id_prefix,
    escape_attribute,
    escape_text,
    finite,
    format_number,
    number,
    text_size,
)

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
BORDER = TEXT  # ward outlines
HATCH = SECONDARY_TEXT  # the stripes of a ward with no data


# ----------------------------------------------------------------------------------------------
# Classes


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
    known = sorted(finite(v) for v in values if v is not None)
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


# ----------------------------------------------------------------------------------------------
# Drawing


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
    check_id_prefix(id_prefix)
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
            f'<path d="{ward.path_data()}" fill="{fill}" data-ward="{escape_attribute(ward.code)}" '
            f'vector-effect="non-scaling-stroke"'
        )
        tip = f"<title>{escape_text(name)}</title>"
        if link is None:
            wards.append(f"{path}>{tip}</path>")
        else:
            wards.append(f'<a href="{escape_attribute(link(ward.code))}">{tip}{path}/></a>')

    entries = list(zip(fills, groups.labels(value_label), strict=True))
    if any(value is None for value in ward_values.values()):
        entries.append((no_data_fill, no_data_label))
    legend, legend_height = _legend(entries, legend_title, top=projected.height + size, size=size)
    height = round(projected.height + size + legend_height, 1)
    labelled = f"{id_prefix}-title {id_prefix}-desc"
    role = ' role="img"' if link is None else ""
    w, h = number(width), number(height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ward-map" viewBox="0 0 {w} {h}" '
        f'width="{w}" height="{h}"{role} aria-labelledby="{labelled}">'
        f'<title id="{id_prefix}-title">{escape_text(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape_text(description)}</desc>'
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
        parts.append(f'<text x="2" y="{number(y + size)}" font-weight="bold">{escape_text(heading)}</text>')
        y += row
    for fill, label in entries:
        parts.append(
            f'<rect x="2" y="{number(y)}" width="{size}" height="{size}" fill="{fill}" stroke="{BORDER}"/>'
            f'<text x="{number(2 + size * 1.5)}" y="{number(y + size * 0.85)}">{escape_text(label)}</text>'
        )
        y += row
    body = "".join(parts)
    group = f'<g class="ward-map__legend" font-family="{FONT_FAMILY}" font-size="{size}" fill="{TEXT}">{body}</g>'
    return group, y - top
