"""Properties of a plan over the whole answer space, on the seed directory and on generated ones.

Hypothesis draws every valid combination the questionnaire allows (exclusive answers, choice limits,
follow-ups), people anywhere in and around the area, and directories with every coverage, status,
mode, language and access feature. The examples in test_matching_rules.py show single cases.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from test_scoring_rules import BASE

from triage.core import routing, scoring, vocabulary
from triage.core.geography import Point, distance_km
from triage.core.matching import (
    ACCESSIBILITY_FEATURES,
    COVERAGES,
    DELIVERY_MODES,
    FARTHEST_KM,
    FOR_ROUTE_ONLY,
    KINDS,
    MATCHABLE_STATUS,
    DirectoryIndex,
    Person,
    Resource,
    match,
)
from triage.core.questionnaire import ANSWER_QUESTIONS, BY_ID, NONE, is_asked, validate_answers
from triage.core.routing import ROUTES
from triage.core.scoring_model import BANDS, DOMAINS

ROUTE_CODES = [r.code for r in ROUTES]
ENTRY_STATUSES = vocabulary.codes(vocabulary.ENTRY_STATUSES)
CENTRE = Point(52.75, -1.2)
WARDS = [f"W{n}" for n in range(6)]
BOROUGHS = ("B1", "B2")
BARRIERS = [o.code for o in BY_ID["barriers"].options if o.code not in (NONE, "tools_work")]
SKILLS = ("foundation_skills", "life_skills")
EDGE_KM = 0.5  # the matcher pre-ranks with an approximate distance: judge only clear cases near a radius


def answer_strategy(q) -> st.SearchStrategy:
    """Any answer the questionnaire accepts for one question."""
    if q.kind == "text":
        return st.text(min_size=1, max_size=q.max_length).filter(str.strip)
    if q.kind == "single":
        return st.sampled_from(q.codes)
    plain = [o.code for o in q.options if not o.exclusive]
    exclusive = [o.code for o in q.options if o.exclusive]
    pick = st.lists(st.sampled_from(plain), min_size=1, max_size=q.max_choices or len(plain), unique=True)
    return pick | st.sampled_from(exclusive).map(lambda code: [code]) if exclusive else pick


ANSWERS = {q.id: answer_strategy(q) for q in ANSWER_QUESTIONS}


@st.composite
def answer_sets(draw) -> dict:
    """A complete, valid set of answers: any the questionnaire allows, follow-ups where they are asked."""
    answers: dict = {}
    for q in ANSWER_QUESTIONS:
        if is_asked(q, answers):
            answers[q.id] = draw(ANSWERS[q.id])
    return validate_answers(answers)


def near(point: Point, km: float) -> st.SearchStrategy[Point]:
    spread = km / 111.0
    return st.builds(
        Point,
        st.floats(point.lat - spread, point.lat + spread),
        st.floats(point.lon - spread * 1.6, point.lon + spread * 1.6),
    )


# Built once: strategies made inside a composite are rebuilt for every draw, which is slow.
KIND = st.sampled_from(KINDS)
NEEDS = st.frozensets(st.sampled_from(ROUTE_CODES), min_size=1, max_size=3)
COVERAGE = st.sampled_from(COVERAGES)
LOCAL_WARDS = st.frozensets(st.sampled_from(WARDS), max_size=2)
LOCAL_POINT = st.none() | near(CENTRE, 60)
BOROUGH = st.sampled_from(BOROUGHS)
LANGUAGES = st.frozensets(st.sampled_from(["pl", "gu", "ur", "pa"]), max_size=2).map(lambda extra: extra | {"en"})
FEATURES = st.frozensets(st.sampled_from(ACCESSIBILITY_FEATURES), max_size=3)
MODES = st.frozensets(st.sampled_from(DELIVERY_MODES), min_size=1, max_size=3)
STATUS = st.sampled_from(ENTRY_STATUSES)


@st.composite
def directories(draw) -> list[Resource]:
    items = []
    for n in range(draw(st.integers(0, 30))):
        local = (coverage := draw(COVERAGE)) == "local"
        items.append(
            Resource(
                id=n,
                kind=draw(KIND),
                name=f"Help {n}",
                needs=draw(NEEDS),
                coverage=coverage,
                wards=draw(LOCAL_WARDS) if local else frozenset(),
                point=draw(LOCAL_POINT) if local else None,
                borough=draw(BOROUGH),
                free=draw(st.booleans()),
                languages=draw(LANGUAGES),
                accessibility=draw(FEATURES),
                delivery_modes=draw(MODES),
                status=draw(STATUS),
            )
        )
    return items


@st.composite
def places(draw) -> tuple[str | None, Point | None, str]:
    ward = draw(st.none() | st.sampled_from(WARDS))
    point = draw(st.none() | near(CENTRE, 50))
    return ward, point, draw(st.sampled_from(BOROUGHS))


def plan_for(index: DirectoryIndex, answers: dict, ward: str | None, point: Point | None, borough: str | None):
    result = scoring.score(answers)
    routes = routing.routes_for(answers, result)
    person = Person.from_answers(answers, ward, ward, point, borough, result.band)
    return result, routes, person, match(index, person, routes)


def distances(items: list[Resource], person: Person) -> dict[int, float]:
    if person.point is None:
        return {}
    return {r.id: distance_km(person.point, r.point) for r in items if r.point is not None}


def reachable(r: Resource, person: Person, need: str, fired: set[str], km: dict[int, float], margin: float) -> bool:
    """Whether a resource can serve a need for a person, by the rules as a resident would state them."""
    if r.status != MATCHABLE_STATUS or need not in r.needs or r.needs & (FOR_ROUTE_ONLY - fired):
        return False
    if r.coverage == "national" or (r.coverage == "borough" and r.borough == person.borough):
        return True
    if r.coverage != "local":
        return False
    if person.ward_code is not None and person.ward_code in r.wards:
        return True
    return r.id in km and km[r.id] < margin


def check_plan(items: list[Resource], index: DirectoryIndex, answers: dict, ward, point, borough) -> None:
    result, routes, person, matches = plan_for(index, answers, ward, point, borough)
    fired = {r.code for r in routes}
    by_id = {r.id: r for r in items}
    suggested = [rec.resource_id for rec in matches.recommendations]

    assert len(suggested) == len(set(suggested)), "an entry is suggested twice"
    for rec in matches.recommendations:
        r = by_id[rec.resource_id]
        assert r.status == MATCHABLE_STATUS, f"{r.name} is {r.status} but was suggested"
        assert rec.reasons and all(str(reason).strip() for reason in rec.reasons), f"{r.name} has no reason"
        assert set(rec.routes) <= fired and set(rec.routes) <= r.needs
    served = matches.served
    km = distances(items, person)
    for rec in matches.recommendations:
        for code in rec.routes:
            assert reachable(by_id[rec.resource_id], person, code, fired, km, FARTHEST_KM + EDGE_KM), "out of reach"
    for code in fired:
        could = [r for r in items if reachable(r, person, code, fired, km, FARTHEST_KM - EDGE_KM)]
        if could:
            assert code in served, f"{code} has no suggestion, but {could[0].name} serves it"
        if code in matches.more:
            assert code in served
    first = routing.first_step(answers, routes, served)
    assert (first is None) == (not routes)
    if served:
        assert first in served, "the first step has no help while another step has some"
    if result.band == "low":
        assert "course" not in fired, "a low-priority person is sent to a beginner course"


SEED_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def seed(app):
    """The seed directory as the service loads it, and every postcode in the area."""
    from triage.web.directory.index import current_index
    from triage.web.extensions import db
    from triage.web.models import Postcode, Resource

    with app.app_context():
        index = current_index()
        items = [index.resources[r.id] for r in db.session.query(Resource) if r.id in index.resources]
        postcodes = [(p.ward_code, Point(p.lat, p.lon)) for p in db.session.query(Postcode)]
        return items, index, postcodes, app.extensions["council"].lads[0]


@SEED_SETTINGS
@given(answers=answer_sets(), data=st.data())
def test_plans_on_the_seed_directory_keep_every_promise(seed, answers, data):
    items, index, postcodes, borough = seed
    ward, point = data.draw(st.sampled_from(postcodes) | st.just((None, None)))
    check_plan(items, index, answers, ward, point, borough)


LEARNER = validate_answers({**BASE, "life_skills": ["messages"]})  # fires a course, not English classes
ESOL_NEARBY_COURSE_FAR = [
    Resource(1, "course", "English class", frozenset({"esol", "course"}), point=Point(CENTRE.lat + 0.03, CENTRE.lon)),
    Resource(2, "course", "Course", frozenset({"course"}), point=Point(CENTRE.lat + 0.25, CENTRE.lon)),
]


@settings(max_examples=400, deadline=None)
@given(answers=answer_sets(), items=directories(), place=places())
@example(answers=LEARNER, items=ESOL_NEARBY_COURSE_FAR, place=(None, CENTRE, "B1"))
def test_plans_on_generated_directories_keep_every_promise(answers, items, place):
    check_plan(items, DirectoryIndex.build(items), answers, *place)


@settings(max_examples=300, deadline=None)
@given(answers=answer_sets(), items=directories(), place=places())
def test_help_offered_as_the_person_asked_is_suggested_when_it_exists(answers, items, place):
    index = DirectoryIndex.build(items)
    _, routes, person, matches = plan_for(index, answers, *place)
    fired = {r.code for r in routes}
    modes = {"one_to_one": "one_to_one", "group": "group", "home_visit": "home_visit", "phone": "phone"}
    wanted = {modes[p] for p in person.preferences if p in modes}
    wanted |= {"online"} if "self_learning" in person.preferences else set()
    library = "library_computer" in person.preferences

    def as_asked(r: Resource) -> bool:
        return bool(wanted & r.delivery_modes) or library and (r.kind == "library" or "free_computers" in r.needs)

    by_id = {r.id: r for r in items}
    for code in fired:
        offered = [r for r in items if as_asked(r) and reachable(r, person, code, fired, {}, 0.0)]
        if offered:
            chosen = [by_id[rec.resource_id] for rec in matches.recommendations if code in rec.routes]
            assert any(as_asked(r) for r in chosen), f"{code}: {offered[0].name} is as asked"


def with_barrier(answers: dict, barrier: str) -> dict:
    given_ = [b for b in answers["barriers"] if b != NONE]
    changed = {**answers, "barriers": sorted({*given_, barrier})}
    if barrier == "english" and "language" not in answers:
        changed["language"] = "pl"
    return validate_answers(changed)


def without_skill(answers: dict, question: str, skill: str) -> dict:
    left = [s for s in answers[question] if s != skill]
    return validate_answers({**answers, question: left or [NONE]})


def assert_no_better(before: scoring.Result, after: scoring.Result) -> None:
    for domain, _ in DOMAINS:
        assert after.score(domain) >= before.score(domain), domain
    assert BANDS.index(after.band) >= BANDS.index(before.band)


@settings(max_examples=300, deadline=None)
@given(answers=answer_sets(), barrier=st.sampled_from(BARRIERS))
def test_adding_a_barrier_never_lowers_a_score_or_the_band(answers, barrier):
    assert_no_better(scoring.score(answers), scoring.score(with_barrier(answers, barrier)))


@settings(max_examples=300, deadline=None)
@given(answers=answer_sets(), data=st.data())
def test_removing_a_skill_never_lowers_a_score_or_the_band(answers, data):
    question = data.draw(st.sampled_from(SKILLS))
    skills = [s for s in answers[question] if s != NONE]
    assume(skills)
    skill = data.draw(st.sampled_from(skills))
    assert_no_better(scoring.score(answers), scoring.score(without_skill(answers, question, skill)))
