"""The rules of building an area pack (triage/core/area_build.py): the OSGB36 to WGS84 conversion against the
positions ONS publishes beside its grid references, the packs' postcode order, point in polygon, and the
best-fit ward's tie rule, which LSOAs the lookup gives a district, and which codes can be built."""

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


LOOKUP_ROWS = [
    "LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,CHGIND,LAD22CD,LAD22NM,LAD22NMW,ObjectId",
    "E01000001,A 001A,E01000001,A 001A,U,E07000001,A,,1",
    "E01000002,A 001B,E01033001,A 001E,S,E07000001,A,,2",  # split in two in 2021
    "E01000002,A 001B,E01033002,A 001F,S,E07000001,A,,3",
    "E01000003,B 001A,E01000003,B 001A,U,E07000002,B,,4",
    "E01000004,C 001A,E01000004,C 001A,U,E07000003,C,,5",
]


def test_the_lookup_gives_a_district_its_own_lsoas_and_a_newer_district_those_its_postcodes_are_in():
    def chosen(lad: str, placed: set[str]) -> list[str]:
        return [r["lsoa21cd"] for r in area_build.read_lookup("lookup.csv", LOOKUP_ROWS, lad, placed)]

    assert chosen("E07000001", {"E01000003"}) == ["E01000001", "E01033001", "E01033002"]  # its code comes first
    # A district made after 2022 from A and B: the LSOAs its postcodes are in, and the rest of a split one's
    assert chosen("E06000099", {"E01000001", "E01033001", "E01000003"}) == [
        "E01000001",
        "E01033001",
        "E01033002",
        "E01000003",
    ]
    assert chosen("E06000099", set()) == []


@given(st.text(max_size=12))
def test_only_an_english_districts_code_can_be_built(code):
    problem = area_build.lad_code_problem(code)
    assert (problem is None) == bool(area_build.area_packs.LAD_CODE.match(code))


def test_a_code_of_another_nation_is_refused_with_the_reason():
    for code in ("W06000015", "S12000036", "N09000003"):
        assert "IoD2019" in area_build.lad_code_problem(code) and "England only" in area_build.lad_code_problem(code)
    assert area_build.lad_code_problem("E07000130") is None and area_build.lad_code_problem("E06000066") is None
