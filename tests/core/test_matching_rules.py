"""Matching: ward first, then nearest, then borough and national help, fitted to the person."""

from __future__ import annotations

import random

import pytest

from triage.core.geography import Point, distance_km
from triage.core.matching import NEARBY_KM, PER_ROUTE, TOTAL, DirectoryIndex, Person, Resource, match
from triage.core.routing import FiredRoute

HOME = Point(52.7700, -1.2000)  # Loughborough
CHAMPION = FiredRoute("champion", "you are still learning the first steps")
DEVICE = FiredRoute("device", "you don't have a working device")


def said(rec) -> list[str]:
    """A recommendation's reasons as the English a resident reads."""
    return [str(r) for r in rec.reasons]


def north(km: float) -> Point:
    return Point(HOME.lat + km / 111.2, HOME.lon)


def person(**kw) -> Person:
    defaults = {"ward_code": "W1", "ward_name": "Home ward", "point": HOME, "borough": "B1"}
    return Person(**{**defaults, **kw})


def res(id, needs=("champion",), **kw) -> Resource:
    return Resource(id=id, kind="digital_champion", name=f"R{id}", needs=frozenset(needs), **kw)


def ids(recs) -> list[int]:
    return [r.resource_id for r in recs]


def test_tiers_ward_first_then_nearest_then_wide():
    index = DirectoryIndex.build(
        [
            res(1, coverage="national"),
            res(2, point=north(1)),  # near, but does not cover the ward
            res(3, point=north(6), wards=frozenset({"W1"})),  # covers the ward, further away
            res(4, coverage="borough", borough="B1"),
        ]
    )
    recs = match(index, person(), [CHAMPION])
    assert ids(recs) == [3, 2]  # PER_ROUTE is 2
    assert str(recs[0].reasons[0]).startswith("covers your area (Home ward)")
    assert str(recs[1].reasons[0]) == "1.0 km away"


def test_wide_help_fills_in_when_nothing_is_local():
    index = DirectoryIndex.build([res(1, coverage="national"), res(2, coverage="borough", borough="B1")])
    recs = match(index, person(), [CHAMPION])
    assert sorted(ids(recs)) == [1, 2]
    reasons = {r.resource_id: str(r.reasons[0]) for r in recs}
    assert reasons == {1: "for anyone in the UK", 2: "for anyone in the borough"}
    assert all(r.distance_km is None for r in recs)


def test_another_boroughs_help_is_not_offered():
    index = DirectoryIndex.build([res(1, coverage="borough", borough="B2")])
    assert match(index, person(), [CHAMPION]) == []


def test_help_beyond_the_nearby_radius_is_not_offered_as_nearby():
    index = DirectoryIndex.build([res(1, point=north(NEARBY_KM + 5)), res(2, point=north(NEARBY_KM - 5))])
    assert ids(match(index, person(), [CHAMPION])) == [2]


def test_nearest_first_with_geodesic_distances():
    index = DirectoryIndex.build([res(i, point=north(km)) for i, km in ((1, 9), (2, 3), (3, 5))])
    recs = match(index, person(), [CHAMPION])
    assert ids(recs) == [2, 3]
    assert recs[0].distance_km == pytest.approx(distance_km(HOME, north(3)))


def test_a_resource_serving_two_routes_appears_once_with_both_reasons():
    index = DirectoryIndex.build(
        [res(1, needs=("champion", "device"), point=north(1)), res(2, needs=("device",), point=north(2))]
    )
    recs = match(index, person(), [DEVICE, CHAMPION])
    assert ids(recs) == [1, 2]
    first = recs[0]
    assert first.routes == ["device", "champion"]
    assert DEVICE.why in first.reasons and CHAMPION.why in first.reasons


def test_language_comes_first_within_a_tier_and_is_explained():
    index = DirectoryIndex.build(
        [res(1, point=north(1)), res(2, point=north(4), languages=frozenset({"en", "pl"})), res(3, point=north(2))]
    )
    recs = match(index, person(language="pl"), [CHAMPION])
    assert ids(recs) == [2, 1]
    assert "help in Polish, the language you asked for" in said(recs[0])


def test_how_the_person_wants_help_orders_and_explains():
    index = DirectoryIndex.build(
        [
            res(1, point=north(1), delivery_modes=frozenset({"group"})),
            res(2, point=north(3), delivery_modes=frozenset({"home_visit"})),
        ]
    )
    recs = match(index, person(preferences=frozenset({"home_visit"})), [CHAMPION])
    assert ids(recs)[0] == 2
    assert "you said: someone visits me at home" in said(recs[0])


def test_access_features_and_free_help_are_explained():
    index = DirectoryIndex.build([res(1, point=north(1), accessibility=frozenset({"hearing_loop", "step_free"}))])
    recs = match(index, person(barriers=frozenset({"hearing"}), money_worries=True), [CHAMPION])
    assert "has a hearing loop" in said(recs[0]) and "free" in said(recs[0])


def test_totals_are_capped():
    routes = [FiredRoute(c, "why") for c in ("device", "free_computers", "data_sim", "champion", "course", "esol")]
    index = DirectoryIndex.build(
        [res(n * 10 + i, needs=(r.code,), point=north(i + 1)) for n, r in enumerate(routes) for i in range(3)]
    )
    recs = match(index, person(), routes)
    assert len(recs) == TOTAL
    for r in routes[: TOTAL // PER_ROUTE]:
        assert sum(1 for rec in recs if r.code in rec.routes) == PER_ROUTE


def test_nearest_matches_brute_force_on_a_random_directory():
    rng = random.Random(7)
    items = [
        res(i, point=Point(HOME.lat + rng.uniform(-0.3, 0.3), HOME.lon + rng.uniform(-0.5, 0.5))) for i in range(3000)
    ]
    index = DirectoryIndex.build(items)
    for _ in range(20):
        here = Point(HOME.lat + rng.uniform(-0.2, 0.2), HOME.lon + rng.uniform(-0.3, 0.3))
        recs = match(index, person(ward_code=None, point=here), [CHAMPION])
        brute = sorted(items, key=lambda r: distance_km(here, r.point))[:PER_ROUTE]
        assert ids(recs) == [r.id for r in brute]


def test_no_location_still_gets_wide_help():
    index = DirectoryIndex.build([res(1, point=north(1)), res(2, coverage="national")])
    assert ids(match(index, person(ward_code=None, ward_name=None, point=None), [CHAMPION])) == [2]
