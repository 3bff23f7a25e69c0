"""The pieces every server-rendered SVG image shares (the ward map and the charts): colours, text, numbers, checks.

Pure: the standard library only. 1 SVG unit is 1 CSS px at an image's natural size, and the page lets
the image shrink, so text is sized for the narrowest display (`text_size`). Numbers are written to
0.1 unit, the precision of every coordinate and length the images use.
"""

from __future__ import annotations

import math
import re
from xml.sax.saxutils import escape

TEXT = "#0b0c0c"  # GOV.UK text colour, 19.6:1 against white
SECONDARY_TEXT = "#505a5f"  # GOV.UK secondary text colour, 7:1 against white
FONT_FAMILY = "Arial, sans-serif"  # no fonts are loaded: the system's Arial
NARROWEST_DISPLAY = 290  # CSS px: a 320 px screen less the GOV.UK page margins
MIN_TEXT_PX = 14

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def text_size(width: float) -> int:
    """SVG text size, in units, that is at least 14 CSS px when an image `width` units wide is shown 290 px wide."""
    return max(16, math.ceil(MIN_TEXT_PX * width / NARROWEST_DISPLAY))


def format_number(value: float) -> str:
    """12 → '12', 12.34 → '12.3', 1234 → '1,234'."""
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def number(value: float) -> str:
    """A coordinate or length to 0.1 unit, as short as it can be written: 12.0 → '12', 3.14 → '3.1'."""
    return tenths(round(value * 10))


def tenths(value: int) -> str:
    """A whole number of tenths written as units: 125 → '12.5', 120 → '12', -5 → '-0.5'."""
    whole, tenth = divmod(abs(value), 10)
    text = f"{whole}.{tenth}" if tenth else str(whole)
    return f"-{text}" if value < 0 else text


def finite(value: float) -> float:
    """The value as a float; ValueError for anything but a finite int or float (True is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    return float(value)


def check_id_prefix(id_prefix: str) -> None:
    """ValueError unless the prefix is safe as the start of an element id (it is written into attributes)."""
    if not _ID.match(id_prefix):
        raise ValueError("id_prefix must be letters, digits, '-' or '_', starting with a letter")


def escape_text(text: str) -> str:
    """Text for an element's content: &, < and > escaped."""
    return escape(text)


def escape_attribute(text: str) -> str:
    """Text for a double-quoted attribute value: &, <, > and " escaped."""
    return escape(text, {'"': "&quot;"})
