"""The ward choropleth map: loading, projection and simplification (core.geometry), classes, and the accessible SVG."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from triage.core.council_profile import contrast, luminance
from triage.core.geometry import load_wards, project_wards
from triage.core.svg import TEXT, text_size
from triage.core.ward_map import BORDER, HATCH, PALETTES, Classes, class_breaks, ward_map_svg
from triage.web.areas import packs

SVG = "{http://www.w3.org/2000/svg}"
GEOJSON = packs.pack("E07000130").path("ward_boundaries")
CHARNWOOD_CODES = {f"E05014{n}" for n in range(666, 690)}


def feature(code, name, geometry):
    return {"type": "Feature", "properties": {"WD25CD": code, "WD25NM": name}, "geometry": geometry}


def square(west, south, east, north):
    return [[west, north], [east, north], [east, south], [west, south], [west, north]]


def collection(*features, crs="urn:ogc:def:crs:OGC:1.3:CRS84"):
    return {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": crs}}, "features": features}


# Two 1° squares side by side, centred on latitude 60° (cos 60° = 1/2): the pair is 1 unit wide and 1 tall
# before scaling, so at width 104 with padding 2 each degree of latitude is 100 SVG units.
TWO_SQUARES = collection(
    feature("A1", "West & <Left>", {"type": "Polygon", "coordinates": [square(0, 59.5, 1, 60.5)]}),
    feature("B2", "East", {"type": "Polygon", "coordinates": [square(1, 59.5, 2, 60.5)]}),
)


def two_squares():
    return load_wards(TWO_SQUARES)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_load_reads_the_ons_code_and_name_fields_and_both_geometry_types():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [[square(0, 0, 1, 1), square(0.25, 0.25, 0.75, 0.75)], [square(2, 0, 3, 1)]],
    }
    wards = load_wards(collection(feature("E1", "One", multi), TWO_SQUARES["features"][1]))
    assert [(w.code, w.name) for w in wards] == [("E1", "One"), ("B2", "East")]
    assert len(wards[0].polygons) == 2
    assert len(wards[0].polygons[0]) == 2  # the outer ring and its hole
    assert wards[0].polygons[1][0][0] == (2.0, 1.0)


def test_load_takes_named_fields():
    data = collection(
        {
            "type": "Feature",
            "properties": {"code": "X", "label": "Ex"},
            "geometry": TWO_SQUARES["features"][0]["geometry"],
        }
    )
    with pytest.raises(ValueError, match="ward code"):
        load_wards(data)
    assert load_wards(data, code_field="code", name_field="label")[0].name == "Ex"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (collection(feature("A", "A", {"type": "Point", "coordinates": [0, 0]})), "unsupported geometry"),
        (collection(*TWO_SQUARES["features"], TWO_SQUARES["features"][0]), "more than once"),
        (collection(*TWO_SQUARES["features"], crs="urn:ogc:def:crs:EPSG::27700"), "WGS84"),
        (
            collection(feature("A", "A", {"type": "Polygon", "coordinates": [square(454690, 0, 454700, 1)]})),
            "longitude",
        ),
        (collection(feature("A", "A", {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]})), "fewer than 4"),
        (collection(), "no features"),
        ({"type": "Feature"}, "FeatureCollection"),
    ],
)
def test_load_refuses_what_it_cannot_draw(data, message):
    with pytest.raises(ValueError, match=message):
        load_wards(data)


# -- projection and simplification ---------------------------------------------------------------


def test_projection_of_two_squares_checked_by_hand():
    projected = project_wards(two_squares(), width=104, padding=2, tolerance=0)
    assert (projected.width, projected.height) == (104.0, 104.0)
    west, east = projected.wards
    assert west.rings == (((2.0, 2.0), (52.0, 2.0), (52.0, 102.0), (2.0, 102.0)),)
    assert east.rings == (((52.0, 2.0), (102.0, 2.0), (102.0, 102.0), (52.0, 102.0)),)
    assert west.path_data() == "M2,2l50,0 0,100 -50,0z"


def test_projection_keeps_the_aspect_ratio_at_other_widths():
    projected = project_wards(two_squares(), width=400, padding=0, tolerance=0)
    assert projected.height == 400.0  # 2° of longitude at 60° are as long as 1° of latitude
    assert projected.wards[1].rings[0][1] == (400.0, 0.0)


def test_coordinates_are_rounded_to_a_tenth_and_repeats_dropped():
    ring = [[0, 60.5], [0.0004, 60.5], [0.5, 60.5], [1, 60.5], [1, 59.5], [0, 59.5], [0, 60.5]]
    wards = load_wards(collection(feature("A", "A", {"type": "Polygon", "coordinates": [ring]})))
    # 1° of longitude at 60° is 50 units: 0.0004° is 0.02 units, rounded onto the first point
    (projected,) = project_wards(wards, width=54, padding=2, tolerance=0).wards
    assert projected.rings == (((2.0, 2.0), (27.0, 2.0), (52.0, 2.0), (52.0, 102.0), (2.0, 102.0)),)


def test_douglas_peucker_drops_a_small_bump_and_keeps_a_large_one():
    def with_bump(depth_degrees):
        ring = [[0, 60.5], [0.5, 60.5 - depth_degrees], [1, 60.5], [1, 59.5], [0, 59.5], [0, 60.5]]
        return load_wards(collection(feature("A", "A", {"type": "Polygon", "coordinates": [ring]})))

    small, large = with_bump(0.002), with_bump(0.01)  # 0.2 and 1 SVG units at 100 units a degree
    assert project_wards(small, width=54, tolerance=0).wards[0].rings[0][1] == (27.0, 2.2)
    assert len(project_wards(small, width=54, tolerance=0.5).wards[0].rings[0]) == 4
    assert project_wards(large, width=54, tolerance=0.5).wards[0].rings[0][1] == (27.0, 3.0)


def test_a_shared_border_is_simplified_the_same_way_for_both_wards():
    # The border between the squares has a notch whose two outer points are equally far (1 unit) from
    # the straight border: Douglas–Peucker keeps whichever comes first, so each ward walking the border
    # its own way would keep a different one and leave a sliver between them.
    notch = [[1, 60.02], [1.02, 60.01], [1.02, 60.0], [1, 59.99]]  # (52, 50), (53, 51), (53, 52), (52, 53)
    west = [[0, 60.5], [1, 60.5], *notch, [1, 59.5], [0, 59.5], [0, 60.5]]
    east = [[1, 60.5], [2, 60.5], [2, 59.5], [1, 59.5], *notch[::-1], [1, 60.5]]
    wards = load_wards(
        collection(
            feature("W", "West", {"type": "Polygon", "coordinates": [west]}),
            feature("E", "East", {"type": "Polygon", "coordinates": [east]}),
        )
    )
    exact = project_wards(wards, width=104, tolerance=0).wards[0].rings[0]
    assert exact[2:6] == ((52.0, 50.0), (53.0, 51.0), (53.0, 52.0), (52.0, 53.0))
    a, b = (set(w.rings[0]) for w in project_wards(wards, width=104, tolerance=0.5).wards)
    border = {p for p in exact if p[0] in (52.0, 53.0)}
    assert a & border == b & border
    assert len(a & border) == 5  # the corners, (52, 50), one of the notch's outer points, and (52, 53)


def test_a_multipolygon_with_a_hole_is_drawn_with_one_sub_path_per_ring():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [[square(0, 59.5, 1, 60.5), square(0.25, 59.75, 0.75, 60.25)], [square(1.5, 59.5, 2, 60)]],
    }
    svg = ward_map_svg(load_wards(collection(feature("M", "Many", multi))), {"M": 1.0}, title="t", description="d")
    (path,) = parse(svg).findall(f".//{SVG}path[@data-ward]")
    assert path.get("d").count("M") == 3
    assert parse(svg).find(f"{SVG}g[@class='ward-map__wards']").get("fill-rule") == "evenodd"


# -- classes -------------------------------------------------------------------------------------


def test_quantile_breaks_by_hand():
    classes = class_breaks(range(1, 11))
    # inclusive quantiles of 1..10: positions 1.8, 3.6, 5.4 and 7.2 between the sorted values
    assert classes.method == "quantiles"
    assert classes.breaks == pytest.approx((1, 2.8, 4.6, 6.4, 8.2, 10))
    assert [classes.class_of(v) for v in (1, 2, 2.8, 3, 8.2, 9, 10)] == [0, 0, 1, 1, 4, 4, 4]
    assert classes.labels() == ["1 to 2.8", "2.8 to 4.6", "4.6 to 6.4", "6.4 to 8.2", "8.2 to 10"]
    assert classes.colours() == PALETTES[5]


def test_equal_intervals_when_quantiles_collapse():
    classes = class_breaks([0, 0, 0, 0, 0, 0, 0, 1, 2, 4, None])
    assert classes.method == "equal intervals"
    assert classes.breaks == (0, 1, 2, 3, 4)  # four distinct values: four classes
    assert [classes.class_of(v) for v in (0, 1, 2, 4)] == [0, 1, 2, 3]


def test_no_more_classes_than_distinct_values():
    assert class_breaks([1, 2, 2], classes=5).breaks == (1, 1.5, 2)
    one = class_breaks([3, 3, None])
    assert (one.method, one.breaks, one.count, one.class_of(3), one.labels()) == ("one value", (3, 3), 1, 0, ["3"])
    none = class_breaks([None, None])
    assert (none.method, none.count, none.class_of(None), none.colours()) == ("no values", 0, None, ())


def test_class_checks():
    with pytest.raises(ValueError, match="outside"):
        class_breaks([1, 2, 3]).class_of(4)
    with pytest.raises(ValueError, match="finite"):
        class_breaks([1, math.nan])
    with pytest.raises(ValueError, match="from 1 to 7"):
        class_breaks([1, 2], classes=8)
    assert Classes((0.0, 5.0, 10.0), "quantiles").labels(lambda v: f"{v:.0f}%") == ["0% to 5%", "5% to 10%"]


def test_colours_meet_the_contrast_targets():
    assert contrast(BORDER, "#ffffff") >= 3  # every ward's outline, WCAG 1.4.11
    assert contrast(HATCH, "#ffffff") >= 3
    assert contrast(TEXT, "#ffffff") >= 4.5
    for count, palette in PALETTES.items():
        assert len(palette) == count
        steps = [contrast(a, b) for a, b in zip(palette, palette[1:], strict=False)]
        assert all(step >= (1.8 if count <= 5 else 1.45) for step in steps), (count, steps)
        assert [luminance(c) for c in palette] == sorted((luminance(c) for c in palette), reverse=True)


# -- the SVG -------------------------------------------------------------------------------------


def test_links_are_named_and_the_map_is_not_a_single_image():
    svg = ward_map_svg(
        two_squares(), {"A1": 10.0, "B2": 30.0}, title="Share", description="Darker is higher", link=lambda c: f"/w/{c}"
    )
    root = parse(svg)
    assert root.get("role") is None
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    links = root.findall(f".//{SVG}a")
    assert [a.get("href") for a in links] == ["/w/A1", "/w/B2"]
    assert [a.find(f"{SVG}title").text for a in links] == ["West & <Left>: 10", "East: 30"]
    assert [a.find(f"{SVG}path").get("fill") for a in links] == [PALETTES[2][0], PALETTES[2][1]]


def test_without_links_the_map_is_one_image_with_tooltips():
    root = parse(ward_map_svg(two_squares(), {"A1": 1.0, "B2": 2.0}, title="t", description="d"))
    assert root.get("role") == "img"
    assert root.findall(f".//{SVG}a") == []
    assert [p.find(f"{SVG}title").text for p in root.iter(f"{SVG}path") if p.get("data-ward")] == [
        "West & <Left>: 1",
        "East: 2",
    ]


def legend_texts(root):
    return [t.text for t in root.find(f"{SVG}g[@class='ward-map__legend']").iter(f"{SVG}text")]


def test_wards_without_a_value_are_hatched_and_the_legend_says_no_data():
    root = parse(
        ward_map_svg(
            two_squares(),
            {"A1": 5.0},
            title="t",
            description="d",
            value_label=lambda v: f"{v:.0f}%",
            legend_title="Key",
        )
    )
    fills = {p.get("data-ward"): p.get("fill") for p in root.iter(f"{SVG}path") if p.get("data-ward")}
    assert fills == {"A1": PALETTES[1][0], "B2": "url(#ward-map-no-data)"}
    assert root.find(f".//{SVG}pattern").get("id") == "ward-map-no-data"
    assert legend_texts(root) == ["Key", "5%", "No data"]
    # with a value for every ward there is no "No data" entry
    root = parse(
        ward_map_svg(two_squares(), {"A1": 5.0, "B2": None}, title="t", description="d", no_data_label="Hidden")
    )
    assert legend_texts(root) == ["5", "Hidden"]
    assert legend_texts(parse(ward_map_svg(two_squares(), {"A1": 5.0, "B2": 6.0}, title="t", description="d"))) == [
        "5 to 5.5",
        "5.5 to 6",
    ]


def test_the_legend_lists_each_class_range_in_its_colour():
    boundaries = load_wards(
        collection(*TWO_SQUARES["features"], feature("C3", "C", TWO_SQUARES["features"][0]["geometry"]))
    )
    root = parse(ward_map_svg(boundaries, {"A1": 0.0, "B2": 50.0, "C3": 100.0}, title="t", description="d", classes=2))
    legend = root.find(f"{SVG}g[@class='ward-map__legend']")
    assert [r.get("fill") for r in legend.iter(f"{SVG}rect")] == list(PALETTES[2])
    assert legend_texts(root) == ["0 to 50", "50 to 100"]
    assert [p.get("fill") for p in root.iter(f"{SVG}path") if p.get("data-ward")] == [
        PALETTES[2][0],
        PALETTES[2][1],
        PALETTES[2][1],
    ]


def test_all_text_is_escaped():
    svg = ward_map_svg(
        two_squares(),
        {"A1": 1.0, "B2": 2.0},
        title='Share of "at risk" & <others>',
        description="a < b & c > d",
        link=lambda c: f'/w?code={c}&x="1"',
        legend_title="<Key>",
        value_label=lambda v: f"<{v:g}>",
    )
    assert "<Left>" not in svg and "<others>" not in svg and "<Key>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == 'Share of "at risk" & <others>'
    assert root.find(f"{SVG}desc").text == "a < b & c > d"
    assert root.find(f".//{SVG}a").get("href") == '/w?code=A1&x="1"'
    assert legend_texts(root)[:2] == ["<Key>", "<1> to <1.5>"]


def test_refuses_codes_not_on_the_map_and_bad_ids():
    with pytest.raises(ValueError, match="E05000001"):
        ward_map_svg(two_squares(), {"A1": 1.0, "E05000001": 2.0}, title="t", description="d")
    with pytest.raises(ValueError, match="id_prefix"):
        ward_map_svg(two_squares(), {}, title="t", description="d", id_prefix='x" onload="y')


def test_id_prefix_keeps_two_maps_apart():
    root = parse(ward_map_svg(two_squares(), {"B2": 1.0}, title="t", description="d", id_prefix="map-2"))
    assert root.get("aria-labelledby") == "map-2-title map-2-desc"
    assert root.find(f".//{SVG}path[@data-ward='A1']").get("fill") == "url(#map-2-no-data)"


def test_legend_text_is_at_least_14px_on_a_narrow_phone():
    for width in (300, 400, 600, 800):
        root = parse(ward_map_svg(two_squares(), {"A1": 1.0}, title="t", description="d", width=width))
        size = float(root.find(f"{SVG}g[@class='ward-map__legend']").get("font-size"))
        assert size == text_size(width)
        assert size * 290 / width >= 14
        assert root.get("viewBox") == f"0 0 {width} {root.get('height')}" and root.get("width") == str(width)


# -- the real Charnwood wards --------------------------------------------------------------------


@pytest.fixture(scope="module")
def charnwood():
    return load_wards(json.loads(GEOJSON.read_text(encoding="utf-8")))


def test_charnwood_map(charnwood):
    values = {ward.code: None if n % 5 == 0 else n * 1.5 for n, ward in enumerate(charnwood)}
    svg = ward_map_svg(
        charnwood,
        values,
        title="Share of assessments at high risk, by ward",
        description="Darker wards have a higher share.",
        link=lambda code: f"/staff/insight/wards/{code}",
        value_label=lambda v: f"{v:.0f}%",
    )
    assert len(svg.encode()) < 25_000
    root = parse(svg)
    links = root.findall(f".//{SVG}a")
    codes = [a.find(f"{SVG}path").get("data-ward") for a in links]
    assert sorted(codes) == sorted(CHARNWOOD_CODES) and len(codes) == 24
    assert [a.get("href") for a in links] == [f"/staff/insight/wards/{code}" for code in codes]
    assert all(re.fullmatch(r"(M[-\d.,]+l[-\d., ]+z)+", a.find(f"{SVG}path").get("d")) for a in links)
    names = {a.find(f"{SVG}title").text for a in links}
    assert "Birstall East & Wanlip: 3%" in names and "Anstey: No data" in names
    assert svg == ward_map_svg(  # deterministic
        charnwood,
        values,
        title="Share of assessments at high risk, by ward",
        description="Darker wards have a higher share.",
        link=lambda code: f"/staff/insight/wards/{code}",
        value_label=lambda v: f"{v:.0f}%",
    )


def test_charnwood_projection_keeps_the_boroughs_proportions(charnwood):
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    positions = [p for f in data["features"] for ring in f["geometry"]["coordinates"] for p in ring]
    lons, lats = [p[0] for p in positions], [p[1] for p in positions]
    ratio = (max(lats) - min(lats)) / ((max(lons) - min(lons)) * math.cos(math.radians((max(lats) + min(lats)) / 2)))
    projected = project_wards(charnwood, width=400, padding=0, tolerance=0)
    assert projected.height / projected.width == pytest.approx(ratio, abs=0.001)
    xs = [x for w in projected.wards for ring in w.rings for x, _ in ring]
    ys = [y for w in projected.wards for ring in w.rings for _, y in ring]
    assert (min(xs), max(xs), min(ys)) == (0.0, 400.0, 0.0)
    assert max(ys) == pytest.approx(projected.height, abs=0.1)


def test_charnwood_simplification_keeps_shared_borders_shared(charnwood):
    exact = project_wards(charnwood, tolerance=0)
    simple = project_wards(charnwood, tolerance=0.5)
    before = {w.code: {p for ring in w.rings for p in ring} for w in exact.wards}
    after = {w.code: {p for ring in w.rings for p in ring} for w in simple.wards}
    assert sum(map(len, after.values())) < 0.85 * sum(map(len, before.values()))
    assert all(after[code] <= before[code] for code in before)  # points are kept, never moved
    shared = 0
    for a in before:
        for b in before:
            if a < b:
                for point in before[a] & before[b]:
                    shared += 1
                    assert (point in after[a]) == (point in after[b]), (a, b, point)
    assert shared > 500


def test_the_modules_need_only_the_standard_library():
    code = (
        "import sys; before = set(sys.modules); "
        "import triage.core.ward_map, triage.core.charts, triage.core.geometry, triage.core.svg; "
        "added = {m.split('.')[0] for m in set(sys.modules) - before}; "
        "print(sorted(added - set(sys.stdlib_module_names)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['triage']"
