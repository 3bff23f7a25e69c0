"""Matching, by example: how the person asked first, then ward, nearest, borough and national help;
every route served where the directory can serve it; reasons that say what was honoured."""

from __future__ import annotations

import random

import pytest

from triage.core.geography import Point, distance_km
from triage.core.matching import (
    FARTHEST_KM,
    NEARBY_KM,
    PER_ROUTE,
    TOTAL,
    DirectoryIndex,
    Person,
    Resource,
    match,
)
from triage.core.routing import FiredRoute
from triage.core.text import Text

HOME = Point(52.7700, -1.2000)  # Loughborough
CHAMPION = FiredRoute("champion", Text("you are still learning the first steps"))
DEVICE = FiredRoute("device", Text("you don't have a working device"))
COURSE = FiredRoute("course", Text("there are some everyday online tasks you could learn"))


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


def recs(index, who, routes):
    return match(index, who, routes).recommendations


def ids(recommendations) -> list[int]:
    return [r.resource_id for r in recommendations]


def test_tiers_ward_first_then_nearest_then_wide():
    index = DirectoryIndex.build(
        [
            res(1, coverage="national"),
            res(2, point=north(1)),  # near, but does not cover the ward
            res(3, point=north(6), wards=frozenset({"W1"})),  # covers the ward, further away
            res(4, coverage="borough", borough="B1"),
        ]
    )
    found = recs(index, person(), [CHAMPION])
    assert ids(found) == [3, 2]  # PER_ROUTE is 2
    assert str(found[0].reasons[0]).startswith("covers your area (Home ward)")
    assert str(found[1].reasons[0]) == "1.0 km away"


def test_wide_help_fills_in_when_nothing_is_local():
    index = DirectoryIndex.build([res(1, coverage="national"), res(2, coverage="borough", borough="B1")])
    found = recs(index, person(), [CHAMPION])
    assert sorted(ids(found)) == [1, 2]
    reasons = {r.resource_id: str(r.reasons[0]) for r in found}
    assert reasons == {1: "for anyone in the UK", 2: "for anyone in the council's area"}
    assert all(r.distance_km is None for r in found)
    named = {r.resource_id: str(r.reasons[0]) for r in recs(index, person(district_name="Blaby"), [CHAMPION])}
    assert named[2] == "for anyone in Blaby"


def test_another_boroughs_help_is_not_offered():
    index = DirectoryIndex.build([res(1, coverage="borough", borough="B2")])
    assert recs(index, person(), [CHAMPION]) == []


def test_nearby_help_comes_before_help_further_away_than_the_nearby_radius():
    index = DirectoryIndex.build([res(1, point=north(NEARBY_KM + 5)), res(2, point=north(NEARBY_KM - 5))])
    assert ids(recs(index, person(), [CHAMPION])) == [2]


def test_when_nothing_else_serves_a_need_the_nearest_help_further_away_is_offered_and_said_so():
    index = DirectoryIndex.build([res(1, point=north(NEARBY_KM + 8)), res(2, point=north(FARTHEST_KM + 5))])
    found = recs(index, person(), [CHAMPION])
    assert ids(found) == [1]
    assert said(found[0])[0] == "the nearest we know of, 20 km away"


def test_nearest_first_with_geodesic_distances():
    index = DirectoryIndex.build([res(i, point=north(km)) for i, km in ((1, 9), (2, 3), (3, 5))])
    found = recs(index, person(), [CHAMPION])
    assert ids(found) == [2, 3]
    assert found[0].distance_km == pytest.approx(distance_km(HOME, north(3)))


def test_a_resource_serving_two_routes_appears_once_and_serves_both():
    index = DirectoryIndex.build(
        [res(1, needs=("champion", "device"), point=north(1)), res(2, needs=("device",), point=north(2))]
    )
    found = recs(index, person(), [DEVICE, CHAMPION])
    assert ids(found) == [1, 2]
    assert found[0].routes == ["device", "champion"]
    assert DEVICE.why in found[0].reasons


def test_language_comes_first_within_a_tier_and_is_explained():
    index = DirectoryIndex.build(
        [res(1, point=north(1)), res(2, point=north(4), languages=frozenset({"en", "pl"})), res(3, point=north(2))]
    )
    found = recs(index, person(language="pl"), [CHAMPION])
    assert ids(found) == [2, 1]
    assert "help in Polish, the language you asked for" in said(found[0])


def test_help_offered_the_way_the_person_asked_comes_first_whatever_its_coverage():
    index = DirectoryIndex.build(
        [
            res(1, point=north(0.1), wards=frozenset({"W1"}), delivery_modes=frozenset({"drop_in"})),
            res(2, coverage="borough", borough="B1", delivery_modes=frozenset({"home_visit", "phone"})),
            res(3, coverage="national", delivery_modes=frozenset({"phone"})),
        ]
    )
    found = recs(index, person(preferences=frozenset({"home_visit", "phone"})), [CHAMPION])
    assert ids(found) == [2, 3]
    assert "visits you at home, as you asked" in said(found[0])
    assert "helps you on the phone, as you asked" in said(found[1])


def test_distance_orders_only_the_help_a_person_travels_to():
    """Among help that comes to the person, nearer is not better; among help they go to, it is."""
    group = frozenset({"group"})
    index = DirectoryIndex.build(
        [
            res(1, point=north(8), delivery_modes=group),
            res(2, point=north(2), delivery_modes=group),
            res(3, point=north(1), delivery_modes=frozenset({"one_to_one"})),
        ]
    )
    assert ids(recs(index, person(preferences=frozenset({"group"})), [CHAMPION])) == [2, 1]


def test_a_library_computer_means_a_library_or_free_computers_not_any_drop_in():
    drop_in = frozenset({"drop_in"})
    index = DirectoryIndex.build(
        [
            res(1, needs=("champion",), point=north(1), delivery_modes=drop_in),
            Resource(2, "library", "A library", frozenset({"champion"}), point=north(3), delivery_modes=drop_in),
        ]
    )
    found = recs(index, person(preferences=frozenset({"library_computer"})), [CHAMPION])
    assert ids(found) == [2, 1]
    assert "free computers you can use, as you asked" in said(found[0])
    assert not any("as you asked" in reason for reason in said(found[1]))


def test_a_very_high_priority_person_is_offered_a_champion_who_visits():
    index = DirectoryIndex.build(
        [res(1, point=north(1)), res(2, point=north(2), delivery_modes=frozenset({"home_visit"}))]
    )
    found = recs(index, person(band="very_high"), [CHAMPION])
    assert ids(found) == [2, 1]
    assert "they can visit you at home" in said(found[0])


def test_access_features_and_free_help_are_explained():
    index = DirectoryIndex.build([res(1, point=north(1), accessibility=frozenset({"hearing_loop", "step_free"}))])
    found = recs(index, person(barriers=frozenset({"hearing"}), money_worries=True), [CHAMPION])
    assert "has a hearing loop" in said(found[0]) and "free" in said(found[0])


def test_every_route_gets_help_before_any_route_gets_a_second():
    codes = ("device", "free_computers", "data_sim", "champion", "course", "esol", "accessibility", "literacy")
    routes = [FiredRoute(c, Text("why")) for c in codes]
    index = DirectoryIndex.build(
        [res(n * 10 + i, needs=(r.code,), point=north(i + 1)) for n, r in enumerate(routes) for i in range(3)]
    )
    matches = match(index, person(), routes)
    assert len(matches.recommendations) == TOTAL
    per_route = {c: sum(1 for rec in matches.recommendations if c in rec.routes) for c in codes}
    assert min(per_route.values()) == 1 and max(per_route.values()) == PER_ROUTE
    assert [c for c in codes if per_route[c] == PER_ROUTE] == list(codes[: TOTAL - len(codes)])
    assert matches.more == frozenset(codes)  # each had a third entry the plan has no room for


def test_routes_beyond_the_total_still_get_one_each():
    codes = [f"need{n}" for n in range(TOTAL + 3)]
    index = DirectoryIndex.build([res(n, needs=(c,), point=north(1)) for n, c in enumerate(codes)])
    matches = match(index, person(), [FiredRoute(c, Text("why")) for c in codes])
    assert sorted(ids(matches.recommendations)) == list(range(len(codes)))
    assert matches.more == frozenset()


def test_a_full_plan_still_shares_help_it_already_has():
    routes = [FiredRoute(f"need{n}", Text("why")) for n in range(TOTAL)] + [CHAMPION]
    shared = res(99, needs=("need0", "champion"), point=north(5))
    index = DirectoryIndex.build(
        [shared, res(98, needs=("champion",), point=north(1))]
        + [res(n, needs=(f"need{n}",), point=north(1)) for n in range(1, TOTAL)]
    )
    found = recs(index, person(), routes)
    by_id = {r.resource_id: r for r in found}
    assert by_id[98].routes == ["champion"]
    assert by_id[99].routes == ["need0", "champion"]  # shared into the full plan: no extra space needed


def test_closed_and_retired_help_is_never_indexed():
    index = DirectoryIndex.build(
        [res(1, point=north(1), status="temporarily_closed"), res(2, point=north(2), status="retired")]
    )
    assert index.resources == {} and recs(index, person(), [CHAMPION]) == []


def test_help_covering_the_ward_is_nearest_first():
    index = DirectoryIndex.build(
        [
            Resource(1, "course", "Alpha", frozenset({"champion"}), wards=frozenset({"W1"}), point=north(11)),
            Resource(2, "course", "Zeta", frozenset({"champion"}), wards=frozenset({"W1"}), point=north(0.5)),
        ]
    )
    assert ids(recs(index, person(), [CHAMPION])) == [2, 1]


def test_help_that_comes_to_the_person_is_not_ordered_by_distance():
    visits = frozenset({"home_visit"})
    index = DirectoryIndex.build(
        [
            Resource(1, "digital_champion", "Zeta visits", frozenset({"champion"}), wards=frozenset({"W1"}),
                     point=north(0.5), delivery_modes=visits),
            Resource(2, "digital_champion", "Alpha visits", frozenset({"champion"}), coverage="borough",
                     borough="B1", delivery_modes=visits),
        ]
    )  # fmt: skip
    assert ids(recs(index, person(preferences=frozenset({"home_visit"})), [CHAMPION])) == [2, 1]  # by name


def test_help_for_english_learners_is_not_offered_as_a_course_to_others():
    esol_class = res(1, needs=("esol", "course"), point=north(1))
    index = DirectoryIndex.build([esol_class, res(2, needs=("course",), point=north(6))])
    assert ids(recs(index, person(), [COURSE])) == [2]
    esol = FiredRoute("esol", Text("English is not your first language"))
    assert ids(recs(index, person(), [COURSE, esol])) == [1, 2]


def test_when_the_only_nearby_course_is_for_english_learners_a_course_further_away_is_offered():
    index = DirectoryIndex.build(
        [res(1, needs=("esol", "course"), point=north(3)), res(2, needs=("course",), point=north(25))]
    )
    found = recs(index, person(), [COURSE])
    assert ids(found) == [2] and said(found[0])[0] == "the nearest we know of, 25 km away"


def test_further_away_help_offered_as_the_person_asked_comes_first():
    index = DirectoryIndex.build(
        [
            res(1, point=north(20), delivery_modes=frozenset({"group"})),
            res(2, point=north(21), delivery_modes=frozenset({"group"})),
            res(3, point=north(30), delivery_modes=frozenset({"phone"})),
        ]
    )
    matches = match(index, person(preferences=frozenset({"phone"})), [CHAMPION])
    assert ids(matches.recommendations) == [3, 1]
    assert matches.more == {"champion"}


def test_nearest_matches_brute_force_on_a_random_directory():
    rng = random.Random(7)
    items = [
        res(i, point=Point(HOME.lat + rng.uniform(-0.3, 0.3), HOME.lon + rng.uniform(-0.5, 0.5))) for i in range(3000)
    ]
    index = DirectoryIndex.build(items)
    for _ in range(20):
        here = Point(HOME.lat + rng.uniform(-0.2, 0.2), HOME.lon + rng.uniform(-0.3, 0.3))
        found = recs(index, person(ward_code=None, point=here), [CHAMPION])
        brute = sorted(items, key=lambda r: distance_km(here, r.point))[:PER_ROUTE]
        assert ids(found) == [r.id for r in brute]


def test_no_location_still_gets_wide_help():
    index = DirectoryIndex.build([res(1, point=north(1)), res(2, coverage="national")])
    assert ids(recs(index, person(ward_code=None, ward_name=None, point=None), [CHAMPION])) == [2]


def test_the_person_is_read_from_the_answers():
    answers = {
        "help_preferences": ["phone"],
        "barriers": ["english"],
        "language": "ur",
        "money": ["food_or_heating"],
    }
    who = Person.from_answers(answers, "W1", "Home ward", HOME, "B1", "high")
    assert who.preferences == {"phone"} and who.language == "ur" and who.money_worries and who.band == "high"
    assert not Person.from_answers({**answers, "money": ["benefits"]}, None, None, None, None, "low").money_worries


def test_a_council_has_local_help_once_it_adds_any_but_a_library_or_national_help():
    library = Resource(id=1, kind="library", name="Library", needs=frozenset({"champion"}), wards=frozenset({"W1"}))
    national = res(2, coverage="national")
    assert not DirectoryIndex.build([library, national]).has_local_help()
    assert DirectoryIndex.build([library, national, res(3, coverage="borough", borough="B1")]).has_local_help()
    assert DirectoryIndex.build([library, res(4, wards=frozenset({"W1"}))]).has_local_help()
    closed = res(5, wards=frozenset({"W1"}), status="closed")
    assert not DirectoryIndex.build([library, closed]).has_local_help()
