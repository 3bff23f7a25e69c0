"""The rules for directory entries and the public search, tested without Flask."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.core.directory_rules import (
    SLUG,
    SessionError,
    changes_between,
    clean_entry,
    parse_sessions,
    review_due,
    slug_for,
    week_fields,
)
from triage.core.geography import Point
from triage.core.matching import Resource
from triage.core.search import Filters, search

WARDS = {"E05014676", "E05014666"}
GOOD = {
    "kind": "digital_champion",
    "name": "Help at the Hub",
    "description": "Friendly help with phones",
    "coverage": "local",
    "wards": "E05014676",
    "monday": "9:30-12:30, 1pm-5pm",
    "free": "yes",
    "needs": "champion; staying_safe",
    "languages": "en;pl",
}


@pytest.mark.parametrize(
    ("text", "sessions"),
    [
        ("", []),
        ("9:30-12:30", [("09:30", "12:30")]),
        ("9.30 to 12.30, 1pm-5pm", [("09:30", "12:30"), ("13:00", "17:00")]),
        ("12pm-1pm", [("12:00", "13:00")]),
        ("10am – 2pm", [("10:00", "14:00")]),
    ],
)
def test_opening_sessions_are_read_the_way_people_write_them(text, sessions):
    assert parse_sessions(text) == sessions


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9:30", "as opening and closing times"),
        ("5pm-9am", "closes before it opens"),
        ("9-12, 11-13", "must not overlap"),
        ("25:00-26:00", "is not a time"),
        ("9-10, 10-11, 11-12, 12-13, 13-14", "no more than 4 sessions"),
        ("noon-1", "is not a time"),
    ],
)
def test_impossible_sessions_are_explained(text, message):
    with pytest.raises(SessionError, match=message):
        parse_sessions(text)


def test_a_good_entry_is_cleaned_into_typed_values():
    cleaned = clean_entry(GOOD, WARDS)
    assert cleaned.problems == {}
    values = cleaned.values
    assert values["opening_times"] == [
        {"day": "monday", "opens": "09:30", "closes": "12:30"},
        {"day": "monday", "opens": "13:00", "closes": "17:00"},
    ]
    assert values["needs"] == ["champion", "staying_safe"] and values["languages"] == ["en", "pl"]
    assert values["free"] is True and values["status"] == "active" and values["wards"] == ["E05014676"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "enter a name"),
        ({"name": "x" * 201}, "name", "must be 200 characters or fewer"),
        ({"kind": "pub"}, "kind", "must be one of"),
        ({"coverage": "galaxy"}, "coverage", "must be one of"),
        ({"wards": "E05999999"}, "wards", "not one of the council's wards"),
        ({"wards": ""}, "wards", "choose the areas it covers"),
        ({"postcode": "not a postcode"}, "postcode", "enter a real postcode"),
        ({"tuesday": "late"}, "tuesday", "Tuesday: write 'late' as opening and closing times"),
        ({"free": "maybe"}, "free", "must be yes or no"),
        ({"free": "no"}, "cost", "say what it costs"),
        ({"languages": "klingon"}, "languages", "'klingon' is not one of"),
        ({"accessibility": "lift"}, "accessibility", "'lift' is not one of"),
        ({"needs": ""}, "needs", "choose at least one need"),
        ({"email": "nobody"}, "email", "enter an email address"),
        ({"website": "www.example.org"}, "website", "starting with https://"),
        ({"status": "gone"}, "status", "must be one of"),
        ({"last_reviewed": "yesterday"}, "last_reviewed", "must be a date"),
        ({"id": "Bad Id!"}, "id", "lower-case letters"),
    ],
)
def test_every_problem_is_named_by_field(change, field, message):
    problems = clean_entry({**GOOD, **change}, WARDS).problems
    assert message in problems[field], problems


def test_review_is_due_after_the_set_time_or_if_never_reviewed():
    today = date(2026, 11, 25)
    assert review_due(None, today, 6)
    assert review_due(date(2026, 5, 1), today, 6)
    assert not review_due(date(2026, 6, 1), today, 6)


def test_changes_name_each_field_that_differs():
    assert changes_between({"name": "A", "phone": "1"}, {"name": "B", "phone": "1"}) == {"name": ["A", "B"]}
    assert changes_between({}, {"name": "B"}) == {"name": [None, "B"]}


def _resource(n, kind="library", point=None, coverage="local", wards=(), free=True, languages=("en",), access=()):
    return Resource(
        id=n,
        kind=kind,
        name=f"R{n}",
        needs=frozenset({"champion"}),
        coverage=coverage,
        wards=frozenset(wards),
        point=point,
        borough="E07000130",
        free=free,
        languages=frozenset(languages),
        accessibility=frozenset(access),
    )


def test_search_puts_placed_help_in_distance_order_then_wide_coverage():
    here = Point(52.7721, -1.2062)
    far = _resource(1, point=Point(52.80, -1.20))
    near = _resource(2, point=Point(52.773, -1.206))
    too_far = _resource(3, point=Point(53.5, -1.2))
    ward_only = _resource(4, wards=("E05014676",))
    national = _resource(5, coverage="national")
    borough = _resource(6, coverage="borough")
    found = search([far, near, too_far, ward_only, national, borough], here, "E05014676", Filters())
    assert [f.resource.id for f in found] == [2, 1, 4, 6, 5]
    assert found[0].distance_km < found[1].distance_km and found[2].covers_ward


def test_search_filters_by_kind_cost_language_and_access():
    here = Point(52.7721, -1.2062)
    items = [
        _resource(1, kind="course", point=here, free=False),
        _resource(2, kind="course", point=here, languages=("en", "pl"), access=("step_free",)),
        _resource(3, kind="library", point=here),
    ]
    assert [f.resource.id for f in search(items, here, None, Filters(kind="course"))] == [1, 2]
    assert [f.resource.id for f in search(items, here, None, Filters(free_only=True, kind="course"))] == [2]
    assert [f.resource.id for f in search(items, here, None, Filters(language="pl"))] == [2]
    assert [f.resource.id for f in search(items, here, None, Filters(accessibility="step_free"))] == [2]


@given(st.text(max_size=200), st.integers(min_value=1, max_value=10**6))
def test_a_new_entrys_id_always_meets_the_rules(name, n):
    slug = slug_for(name, n)
    assert SLUG.match(slug), slug
    assert slug_for(name, n) == slug and (n == 1 or slug != slug_for(name, 1))


def test_ids_from_names_read_as_the_name():
    assert slug_for("Café club") == "cafe-club"
    assert slug_for("A") == "entry-a" and slug_for("") == "entry" and slug_for("日本") == "entry"
    assert slug_for("Loughborough Library", 3) == "loughborough-library-3"


def test_stored_opening_times_become_every_day_of_the_week():
    week = week_fields([
        {"day": "tuesday", "opens": "14:00", "closes": "16:00"},
        {"day": "monday", "opens": "09:30", "closes": "12:30"},
        {"day": "monday", "opens": "13:00", "closes": "17:00"},
    ])  # fmt: skip
    assert list(week) == ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    assert week["monday"] == "09:30-12:30, 13:00-17:00" and week["tuesday"] == "14:00-16:00" and week["sunday"] == ""
    with pytest.raises(ValueError, match="'someday' is not a day of the week"):
        week_fields([{"day": "someday", "opens": "09:00", "closes": "10:00"}])
