"""The SVG pieces the ward map and the charts share: numbers, text size, checks and escaping."""

from __future__ import annotations

import math

import pytest

from triage.core.council_profile import contrast
from triage.core.svg import (
    SECONDARY_TEXT,
    TEXT,
    check_id_prefix,
    escape_attribute,
    escape_text,
    finite,
    format_number,
    number,
    tenths,
    text_size,
)


def test_format_number():
    assert [format_number(v) for v in (12, 12.34, 1234, 0.25, -3.0)] == ["12", "12.3", "1,234", "0.2", "-3"]


def test_numbers_are_written_to_a_tenth_as_briefly_as_possible():
    assert [tenths(v) for v in (125, 120, 0, -5, -120)] == ["12.5", "12", "0", "-0.5", "-12"]
    assert [number(v) for v in (12.0, 3.14, 0.04, -0.06, 1234.56)] == ["12", "3.1", "0", "-0.1", "1234.6"]


def test_text_is_at_least_14px_on_a_narrow_phone_and_never_below_16_units():
    assert [text_size(w) for w in (100, 290, 400, 800)] == [16, 16, 20, 39]
    assert all(text_size(w) * 290 / w >= 14 for w in range(100, 2000, 7))


def test_only_finite_numbers_pass():
    assert finite(3) == 3.0 and isinstance(finite(3), float)
    for bad in (math.nan, math.inf, True, "1", None):
        with pytest.raises(ValueError, match="finite"):
            finite(bad)


def test_id_prefixes_must_be_safe_in_an_attribute():
    check_id_prefix("ward-map_2")
    for bad in ("", "2maps", 'x" onload="y', "a b", "a<b"):
        with pytest.raises(ValueError, match="id_prefix"):
            check_id_prefix(bad)


def test_escaping():
    assert escape_text('a < b & "c" > d') == 'a &lt; b &amp; "c" &gt; d'
    assert escape_attribute('/w?a=1&b="2"') == "/w?a=1&amp;b=&quot;2&quot;"


def test_the_shared_colours_meet_the_text_contrast_target():
    assert contrast(TEXT, "#ffffff") >= 4.5
    assert contrast(SECONDARY_TEXT, "#ffffff") >= 4.5
