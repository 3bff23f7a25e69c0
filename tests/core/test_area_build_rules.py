"""The rules of building an area pack (triage/core/area_build.py): the OSGB36 to WGS84 conversion against the
positions ONS publishes beside its grid references, the packs' postcode order, point in polygon, and the
best-fit ward's tie rule."""

from __future__ import annotations

import csv
import math
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from triage.core import area_build

AREAS = Path(__file__).resolve().parents[2] / "seed_data" / "areas"


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    north = (lat1 - lat2) * 111_320
    east = (lon1 - lon2) * 111_320 * math.cos(math.radians(lat1))
    return math.hypot(north, east)


def test_grid_references_convert_to_the_positions_ons_gives_for_every_wards_reference_point():
    checked = 0
    for path in sorted(AREAS.glob("*/*_wards.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                lat, lon = area_build.osgb36_to_wgs84(float(row["ons_ref_easting"]), float(row["ons_ref_northing"]))
                expected = float(row["ons_ref_latitude"]), float(row["ons_ref_longitude"])
                # ONS rounds its positions to 5 or 6 decimal places (about 1 m); the Helmert transform is within 5 m
                assert _metres(lat, lon, *expected) < area_build.HELMERT_ACCURACY_M, (path.name, row["ward_code"])
                checked += 1
    assert checked > 200


def test_postcodes_sort_as_the_packs_do():
    given_order = ["LE67 9AA", "LE11 3DU", "LE4 3AB", "LE11 1AA", "LE4 3AA", "LE12 5FA", "DE74 2DA"]
    assert sorted(given_order, key=area_build.sort_key) == [
        "DE74 2DA",
        "LE4 3AA",
        "LE4 3AB",
        "LE11 1AA",
        "LE11 3DU",
        "LE12 5FA",
        "LE67 9AA",
    ]


SQUARE = ((0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0))
HOLE = ((1.0, 1.0), (1.0, 2.0), (2.0, 2.0), (2.0, 1.0), (1.0, 1.0))
AREA = area_build.Area("E01000001", "Square", ((SQUARE, HOLE),), (0.0, 0.0, 4.0, 4.0))
inside = st.floats(min_value=0.01, max_value=3.99)


@given(inside, inside)
def test_a_point_is_in_a_polygon_unless_it_is_in_its_hole(x, y):
    in_hole = 1 < x < 2 and 1 < y < 2
    on_hole_edge = x in (1.0, 2.0) or y in (1.0, 2.0)
    if not on_hole_edge:
        assert AREA.contains(x, y) is not in_hole


@given(st.floats(min_value=-10, max_value=10), st.floats(min_value=-10, max_value=10))
def test_a_point_outside_the_box_is_outside(x, y):
    if not (0 <= x <= 4 and 0 <= y <= 4):
        assert not AREA.contains(x, y)


def test_the_best_fit_ward_has_most_postcodes_and_ties_go_to_the_lower_code():
    assert area_build.best_fit(Counter({"E05000003": 4, "E05000001": 9, "E05000002": 9})) == "E05000001"
    assert area_build.best_fit(Counter()) == ""
    assert area_build.counts_text(Counter({"E05000003": 4, "E05000002": 9, "E05000001": 4})) == (
        "E05000002:9;E05000001:4;E05000003:4"
    )


def test_a_districts_name_becomes_its_slug():
    assert area_build.slug_of("North West Leicestershire") == "north_west_leicestershire"
    assert area_build.slug_of("Brighton & Hove") == "brighton_and_hove"
    assert area_build.slug_of("King's Lynn and West Norfolk") == "king_s_lynn_and_west_norfolk"
