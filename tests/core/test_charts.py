"""The small trend charts: accessible names, scales, suppressed values, labels that do not overlap, escaping."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from triage.core.charts import CHAR_WIDTH, DATA, MARKER, bar_chart_svg
from triage.core.council_profile import contrast
from triage.core.svg import TEXT, text_size

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [f"{m} 2026" for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")]


def bars(root):
    return root.findall(f".//{SVG}g[@class='chart__bars']/{SVG}rect")


def texts(root, anchor=None):
    return [t.text for t in root.iter(f"{SVG}text") if anchor is None or t.get("text-anchor") == anchor]


def suppressed_markers(root):
    return [p for p in root.iter(f"{SVG}path") if p.get("class") == "chart__suppressed"]


def test_bar_chart_is_one_labelled_image():
    root = ET.fromstring(bar_chart_svg([("Jan", 10), ("Feb", 20)], title="Assessments", description="Per month"))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert (root.find(f"{SVG}title").get("id"), root.find(f"{SVG}title").text) == (title_id, "Assessments")
    assert (root.find(f"{SVG}desc").get("id"), root.find(f"{SVG}desc").text) == (desc_id, "Per month")
    assert root.findall(f".//{SVG}a") == []


def test_bar_heights_follow_the_values_on_a_round_scale():
    root = ET.fromstring(bar_chart_svg([("Jan", 10), ("Feb", 20), ("Mar", 37)], title="t", description="d"))
    # 0 to 37 in at most five steps of a round size: tens, so the axis runs 0 to 40
    assert texts(root, "end") == ["0", "10", "20", "30", "40"]
    heights = [float(r.get("height")) for r in bars(root)]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.1)
    assert heights[2] == pytest.approx(heights[1] * 37 / 20, abs=0.1)
    bottoms = {round(float(r.get("y")) + float(r.get("height")), 1) for r in bars(root)}
    assert len(bottoms) == 1  # all stand on the zero line
    assert [r.find(f"{SVG}title").text for r in bars(root)] == ["Jan: 10", "Feb: 20", "Mar: 37"]


@pytest.mark.parametrize(
    ("values", "ticks"),
    [
        ([1, 2], ["0", "1", "2"]),  # counts: whole-number steps only
        ([0, 0], ["0", "1"]),
        ([0.2, 0.9], ["0", "0.2", "0.4", "0.6", "0.8", "1"]),
        ([0.2, 2.4], ["0", "0.5", "1", "1.5", "2", "2.5"]),
        ([0.2, 1.2], ["0", "0.25", "0.5", "0.75", "1", "1.25"]),
        ([-15, 30], ["-20", "-10", "0", "10", "20", "30"]),
        ([1234, 4999], ["0", "1000", "2000", "3000", "4000", "5000"]),
    ],
)
def test_tick_values(values, ticks):
    points = [(str(n), v) for n, v in enumerate(values)]
    root = ET.fromstring(bar_chart_svg(points, title="t", description="d", value_label=lambda v: f"{v:g}"))
    assert texts(root, "end") == ticks


def test_a_negative_bar_hangs_below_zero():
    root = ET.fromstring(bar_chart_svg([("a", -10), ("b", 10)], title="t", description="d"))
    low, high = bars(root)
    assert float(low.get("y")) == pytest.approx(float(high.get("y")) + float(high.get("height")), abs=0.1)
    assert float(low.get("height")) == pytest.approx(float(high.get("height")), abs=0.1)


def test_suppressed_values_are_gaps_with_a_marker_and_a_note():
    points = [("Jan", 12), ("Feb", None), ("Mar", 8)]
    root = ET.fromstring(bar_chart_svg(points, title="t", description="d", suppress_below=10))
    assert len(bars(root)) == 2
    markers = suppressed_markers(root)
    assert [m.find(f"{SVG}title") is not None and m.find(f"{SVG}title").text for m in markers] == [
        "Feb: Fewer than 10, not shown",
        False,  # the key's marker, beside the note
    ]
    assert "Fewer than 10, not shown" in texts(root)
    assert all(m.get("stroke") == MARKER and m.get("fill") == "#fff" for m in markers)

    plain = ET.fromstring(bar_chart_svg([("Jan", 12), ("Mar", 8)], title="t", description="d"))
    assert suppressed_markers(plain) == []
    assert not any("not shown" in t for t in texts(plain))
    assert float(plain.get("height")) < float(root.get("height"))


def test_suppressed_note_can_be_replaced():
    svg = bar_chart_svg([("Jan", None)], title="t", description="d", suppressed_note="Too few to show")
    root = ET.fromstring(svg)
    assert "Too few to show" in texts(root)
    assert texts(root, "end") == ["0", "1"]


def test_category_labels_do_not_overlap_and_the_latest_is_always_shown():
    root = ET.fromstring(bar_chart_svg(list(zip(MONTHS, range(12), strict=True)), title="t", description="d"))
    labels = [t for t in root.iter(f"{SVG}text") if t.text in MONTHS]
    assert 2 <= len(labels) < 12
    assert labels[-1].text == "Dec 2026"
    size = float(root.find(f"{SVG}g").get("font-size"))
    edges = []
    for label in labels:
        x, width = float(label.get("x")), len(label.text) * size * CHAR_WIDTH
        start = {"start": x, "middle": x - width / 2, "end": x - width}[label.get("text-anchor")]
        assert 0 <= start and start + width <= float(root.get("width")) + 0.1
        edges.append((start, start + width))
    assert all(left[1] < right[0] for left, right in zip(edges, edges[1:], strict=False))

    short = ET.fromstring(bar_chart_svg([(m[:3], 1) for m in MONTHS[:4]], title="t", description="d"))
    assert [t.text for t in short.iter(f"{SVG}text") if t.get("text-anchor") == "middle"] == [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
    ]


def test_axis_label_and_text_size():
    for width in (320, 400, 640):
        root = ET.fromstring(bar_chart_svg([("a", 1)], title="t", description="d", y_label="Assessments", width=width))
        assert "Assessments" in texts(root)
        size = float(root.find(f"{SVG}g").get("font-size"))
        assert size == text_size(width) and size * 290 / width >= 14
        assert root.get("viewBox") == f"0 0 {width} {root.get('height')}"


def test_text_is_escaped():
    svg = bar_chart_svg(
        [("<Jan> & Feb", 1), ('"Mar"', None)],
        title="Cats & <dogs>",
        description='Say "hi" & <bye>',
        y_label="<y>",
        suppressed_note="< 5 & hidden",
    )
    assert "<dogs>" not in svg and "<Jan>" not in svg and "<y>" not in svg
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Cats & <dogs>"
    assert root.find(f"{SVG}desc").text == 'Say "hi" & <bye>'
    assert {"<Jan> & Feb", "<y>", "< 5 & hidden"} <= set(texts(root))


def test_charts_are_deterministic():
    points = list(zip(MONTHS, [3, None, 7.5, 10, 0, 2, 4, 6, 8, None, 1, 9], strict=True))
    assert bar_chart_svg(points, title="t", description="d") == bar_chart_svg(points, title="t", description="d")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"points": []}, "at least one point"),
        ({"points": [("a", math.nan)]}, "finite"),
        ({"points": [("a", math.inf)]}, "finite"),
        ({"points": [("a", 1)], "id_prefix": "1bad"}, "id_prefix"),
        ({"points": [("a", 1e12)], "width": 100}, "too narrow"),
    ],
)
def test_refusals(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bar_chart_svg(title="t", description="d", **kwargs)


def test_colours_meet_non_text_contrast():
    assert contrast(DATA, "#ffffff") >= 3
    assert contrast(MARKER, "#ffffff") >= 3
    assert contrast(TEXT, "#ffffff") >= 4.5
