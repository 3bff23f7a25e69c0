"""Small accessible SVG charts for trends (a column chart of counts per month), server-rendered.

Pure: the standard library only (and `svg`, for what it shares with the ward map). Each chart is one
image (role="img", labelled by its `<title>` and `<desc>`); the page shows the same figures in a table
next to it, so the chart stays simple. A value of None is a suppressed figure (too few to publish): it
is left as a gap with a hollow diamond on the axis, explained below the chart ("Fewer than 5, not shown").

The SVG has a viewBox and its natural size in the `width` and `height` attributes (1 unit = 1 CSS px);
the page lets it shrink with `max-width: 100%; height: auto`. Text is sized so that it is at least
14 CSS px when the chart is shown 290 px wide (a 320 px phone screen). Colours: GOV.UK blue data
(5.2:1 against white), near-black axes and text, and the secondary text colour for the marker (7:1).
No fonts are loaded: the text is in the system's Arial.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import pairwise

from triage.core.svg import (
    FONT_FAMILY,
    SECONDARY_TEXT,
    TEXT,
    check_id_prefix,
    escape_text,
    finite,
    format_number,
    number,
    text_size,
)

DATA = "#1d70b8"  # GOV.UK blue
MARKER = SECONDARY_TEXT
GRID = "#b1b4b6"  # decorative: the values are in the tick labels and the table
CHAR_WIDTH = 0.6  # a generous average Arial character width, in ems, to keep labels from overlapping

Points = Sequence[tuple[str, float | None]]


def bar_chart_svg(
    points: Points,
    *,
    title: str,
    description: str,
    value_label: Callable[[float], str] = format_number,
    suppress_below: int = 5,
    suppressed_note: str | None = None,
    y_label: str | None = None,
    width: float = 400,
    id_prefix: str = "bar-chart",
) -> str:
    """A column chart, e.g. assessments per month: one column per point, in the order given.

    `suppress_below` is the threshold behind the None values (INSIGHT_SUPPRESS_BELOW), for the note
    "Fewer than 5, not shown"; `suppressed_note` replaces that note.
    """
    frame = _Frame(points, width=width, y_label=y_label, value_label=value_label)
    note = suppressed_note or f"Fewer than {suppress_below}, not shown"
    band = frame.slot * 0.7
    marks = []
    for index, (label, value) in enumerate(points):
        centre = frame.x(index)
        if value is None:
            marks.append(_marker(centre, frame.y(0), frame.size, f"{label}: {note}"))
            continue
        top, bottom = sorted((frame.y(value), frame.y(0)))
        marks.append(
            f'<rect x="{number(centre - band / 2)}" y="{number(top)}" '
            f'width="{number(band)}" height="{number(bottom - top)}">'
            f"<title>{escape_text(f'{label}: {value_label(value)}')}</title></rect>"
        )
    body = f'<g class="chart__bars" fill="{DATA}">{"".join(marks)}</g>'
    return frame.svg(body, title=title, description=description, note=note, id_prefix=id_prefix)


class _Frame:
    """The axes, gridlines, labels and note of a chart, and the mapping from values to the plane."""

    def __init__(
        self,
        points: Points,
        *,
        width: float,
        y_label: str | None,
        value_label: Callable[[float], str],
    ) -> None:
        if not points:
            raise ValueError("a chart needs at least one point")
        values = [finite(value) for _, value in points if value is not None]
        self.points = points
        self.width = width
        self.size = size = text_size(width)
        self.y_label = y_label
        self.suppressed = len(values) < len(points)
        whole = all(v.is_integer() for v in values)
        self.ticks = _ticks(min([0.0, *values]), max([0.0, *values]), whole)
        self.low, self.high = self.ticks[0], self.ticks[-1]
        self.tick_labels = [value_label(t) for t in self.ticks]
        self.left = max(_text_width(t, size) for t in self.tick_labels) + size * 0.5
        if self.left + size * 2 > width:
            raise ValueError("the chart is too narrow for its tick labels")
        self.top = size * 2 if y_label else size * 0.75
        self.plot_height = round(width * 0.45)
        self.bottom = self.top + self.plot_height
        self.slot = (width - self.left - size * 0.5) / len(points)

    def x(self, index: int) -> float:
        return self.left + self.slot * (index + 0.5)

    def y(self, value: float) -> float:
        return self.bottom - (value - self.low) / (self.high - self.low) * self.plot_height

    def svg(self, body: str, *, title: str, description: str, note: str, id_prefix: str) -> str:
        check_id_prefix(id_prefix)
        size = self.size
        parts = [self._grid(), body, self._x_labels()]
        height = self.bottom + size * 1.6
        if self.suppressed:
            middle = height + size * 0.5
            parts.append(_marker(size * 0.5, middle, size, None))
            parts.append(
                f'<text x="{number(size * 1.25)}" y="{number(middle + size * 0.35)}">{escape_text(note)}</text>'
            )
            height += size * 1.5
        if self.y_label:
            parts.insert(0, f'<text x="0" y="{number(size)}">{escape_text(self.y_label)}</text>')
        height = math.ceil(height + size * 0.25)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {number(self.width)} {height}" '
            f'width="{number(self.width)}" height="{height}" role="img" '
            f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">'
            f'<title id="{id_prefix}-title">{escape_text(title)}</title>'
            f'<desc id="{id_prefix}-desc">{escape_text(description)}</desc>'
            f'<g font-family="{FONT_FAMILY}" font-size="{size}" fill="{TEXT}">{"".join(parts)}</g></svg>'
        )

    def _grid(self) -> str:
        right = self.width - self.size * 0.5
        lines, labels = [], []
        for tick, label in zip(self.ticks, self.tick_labels, strict=True):
            y = number(self.y(tick))
            colour = TEXT if tick == 0 or tick == self.low else GRID
            lines.append(f'<path d="M{number(self.left)},{y}H{number(right)}" stroke="{colour}"/>')
            labels.append(
                f'<text x="{number(self.left - self.size * 0.3)}" y="{number(self.y(tick) + self.size * 0.35)}" '
                f'text-anchor="end">{escape_text(label)}</text>'
            )
        axis = f'<path d="M{number(self.left)},{number(self.top)}V{number(self.bottom)}" stroke="{TEXT}"/>'
        return f'<g class="chart__grid" fill="none">{"".join(lines)}{axis}</g>{"".join(labels)}'

    def _x_labels(self) -> str:
        """The category labels, every k-th one when they would overlap, always including the last (latest)."""
        last = len(self.points) - 1
        for every in range(1, len(self.points) + 1):
            placed = [self._place(index) for index in range(last, -1, -every)]
            # placed runs right to left: each label must end half a character before the next one starts
            if all(left[1] + self.size * 0.5 <= right[0] for right, left in pairwise(placed)):
                break
        y = number(self.bottom + self.size * 1.2)
        return "".join(
            f'<text x="{number(x)}" y="{y}" text-anchor="{anchor}">{escape_text(label)}</text>'
            for _, _, x, anchor, label in reversed(placed)
        )

    def _place(self, index: int) -> tuple[float, float, float, str, str]:
        """A category label's left and right edges, x and text-anchor: centred, unless that runs off the image."""
        label = self.points[index][0]
        centre, text_width = self.x(index), _text_width(label, self.size)
        if centre + text_width / 2 > self.width:
            return self.width - text_width, self.width, self.width, "end", label
        if centre - text_width / 2 < 0:
            return 0.0, text_width, 0.0, "start", label
        return centre - text_width / 2, centre + text_width / 2, centre, "middle", label


def _ticks(low: float, high: float, whole: bool) -> list[float]:
    """Round tick values from a multiple of the step at or below `low` to one at or above `high`, 3 to 5 steps."""
    if high == low:
        high = low + 1
    raw = (high - low) / 5
    power = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(s * power for s in steps if s * power >= raw)
    if whole:
        step = max(step, 1)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def _marker(x: float, y: float, size: int, title: str | None) -> str:
    r = size * 0.35
    tip = f"<title>{escape_text(title)}</title>" if title else ""
    return (
        f'<path class="chart__suppressed" d="M{number(x)},{number(y - r)}'
        f'l{number(r)},{number(r)} -{number(r)},{number(r)} -{number(r)},-{number(r)}z" '
        f'fill="#fff" stroke="{MARKER}" stroke-width="2">{tip}</path>'
    )


def _text_width(text: str, size: int) -> float:
    return len(text) * size * CHAR_WIDTH
