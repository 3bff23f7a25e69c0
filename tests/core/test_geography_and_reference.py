"""Postcode normalising and lookup, distances, and plan reference codes."""

from __future__ import annotations

import pytest
from geopy.distance import geodesic
from hypothesis import given
from hypothesis import strategies as st

from triage.core.geography import (
    Lookup,
    Point,
    PostcodePlace,
    describe_distance,
    distance_km,
    lookup_postcode,
    normalise_postcode,
    outward_code,
    sector,
    within_reach,
)
from triage.core.reference import ALPHABET, new_reference, normalise_reference


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("LE11 3DU", "LE11 3DU"),
        ("le113du", "LE11 3DU"),
        ("  le11   3du ", "LE11 3DU"),
        ("Le11-3Du", "LE11 3DU"),
        ("le7 7au", "LE7 7AU"),
        ("SW1A1AA", "SW1A 1AA"),
        ("m1 1ae", "M1 1AE"),
        ("HELLO", None),
        ("", None),
        ("LE11", None),
        ("LE11 3D", None),
        ("12345", None),
        ("L" * 21, None),
        ("QE11 3DU", None),  # Q cannot start a postcode
    ],
)
def test_normalise_postcode(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize("not_text", [None, 12345, ["LE11 3DU"], {"postcode": "LE11 3DU"}])
def test_normalise_postcode_refuses_non_text(not_text):
    assert normalise_postcode(not_text) is None


def test_outward_code_and_sector():
    assert outward_code("LE11 3DU") == "LE11"
    assert sector("LE11 3DU") == "LE11 3"
    assert sector("LE7 7AU") == "LE7 7"


TABLE = {"LE11 3DU": PostcodePlace("LE11 3DU", "E05014676", Point(52.7707, -1.2046))}
DISTRICTS = frozenset({"LE11", "LE12", "LE7"})


@pytest.mark.parametrize(
    ("raw", "outcome", "postcode"),
    [
        ("le11 3du", Lookup.FOUND, "LE11 3DU"),
        ("LE11 1ZZ", Lookup.NOT_FOUND, "LE11 1ZZ"),
        ("SW1A 1AA", Lookup.OUTSIDE, "SW1A 1AA"),
        ("nonsense", Lookup.INVALID, None),
    ],
)
def test_lookup_postcode_outcomes(raw, outcome, postcode):
    result = lookup_postcode(raw, TABLE.get, DISTRICTS)
    assert result.outcome is outcome
    assert result.postcode == postcode
    assert (result.place is not None) == (outcome is Lookup.FOUND)


def test_geodesic_distance_of_one_degree_of_latitude():
    assert distance_km(Point(52.0, -1.2), Point(53.0, -1.2)) == pytest.approx(111.25, abs=0.1)
    assert distance_km(Point(52.77, -1.2), Point(52.77, -1.2)) == 0


LATITUDES = st.floats(min_value=-89.5, max_value=89.5)
LONGITUDES = st.floats(min_value=-180, max_value=180)


@given(LATITUDES, LONGITUDES, LATITUDES, LONGITUDES, st.floats(min_value=0.1, max_value=500))
def test_the_cheap_reach_test_never_leaves_out_a_point_within_reach(lat, lon, other_lat, other_lon, km):
    centre, point = Point(lat, lon), Point(other_lat, other_lon)
    if distance_km(centre, point) <= km:
        assert within_reach(centre, km)(point)


@given(
    LATITUDES,
    LONGITUDES,
    st.floats(min_value=0, max_value=360),
    st.floats(min_value=0.1, max_value=500),
    st.floats(min_value=0, max_value=0.001),
)
def test_the_cheap_reach_test_lets_by_a_point_just_within_reach(lat, lon, bearing, km, margin):
    # Points at the very edge of the reach, in every direction, where a loose bound would show.
    centre = Point(lat, lon)
    edge = geodesic(kilometers=km).destination((lat, lon), bearing)
    assert within_reach(centre, km * (1 + margin))(Point(edge.latitude, edge.longitude))


def test_the_cheap_reach_test_leaves_out_far_places():
    loughborough = Point(52.7721, -1.2062)
    assert within_reach(loughborough, 15)(Point(52.80, -1.20))
    assert not within_reach(loughborough, 15)(Point(53.5, -1.2))  # Sheffield
    assert not within_reach(loughborough, 15)(Point(52.7721, -1.6))


@pytest.mark.parametrize(
    ("km", "text"),
    [(0.0, "50 metres"), (0.42, "400 metres"), (0.98, "1.0 km"), (1.0, "1.0 km"), (4.26, "4.3 km"), (12.6, "13 km")],
)
def test_describe_distance(km, text):
    assert str(describe_distance(km)) == text


def test_references_are_three_groups_of_four_from_the_unambiguous_alphabet():
    for _ in range(200):
        ref = new_reference()
        groups = ref.split("-")
        assert [len(g) for g in groups] == [4, 4, 4]
        assert all(c in ALPHABET for c in "".join(groups))
    assert not set("01ILOSUV5") & set(ALPHABET)


def test_references_do_not_repeat():
    refs = {new_reference() for _ in range(20_000)}
    assert len(refs) == 20_000


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("K7QM-3XHP-RT9W", "K7QM-3XHP-RT9W"),
        ("k7qm 3xhp rt9w", "K7QM-3XHP-RT9W"),
        ("K7QM3XHPRT9W", "K7QM-3XHP-RT9W"),
        (" k7qm–3xhp–rt9w ", "K7QM-3XHP-RT9W"),
        ("K7QM-3XHP-RT9", None),
        ("K7QM-3XHP-RT9WW", None),
        ("O7QM-3XHP-RT9W", None),  # O is never used
        ("17QM-3XHP-RT9W", None),
        ("", None),
        (None, None),
        ("K" * 50, None),
    ],
)
def test_normalise_reference(typed, expected):
    assert normalise_reference(typed) == expected
