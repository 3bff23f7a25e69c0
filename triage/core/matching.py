"""Matching: turn fired routes into a plan's help, every need met where the directory can meet it.

Each route's candidates are ranked the way a Digital Champion would: help offered the way the person
asked for (a home visit, the phone, one-to-one, ...) comes first, whatever its coverage, and help that
comes to them and reaches their ward ranks as if it were there, not by distance. Then help that
covers their ward, the nearest help within NEARBY_KM, help for the whole borough or country and, only
when nothing else serves a need, local help up to FARTHEST_KM away. Within those, help in the
person's language, with the access features they need, and free help when money is tight come first.
The rules are set out in docs/plans.md.

Space is shared across routes: every route first gets its best suggestion, then routes take turns for
a second one until the plan holds TOTAL pieces of help. A route with more suitable help than the plan
shows is listed in `Matches.more`, so the plan can say so and point to the search. The DirectoryIndex
is built once per directory revision, and only active help goes into it, so closed or retired help is
never suggested and one match stays fast on a national-size directory (bench/score_and_match.py).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from triage.core import vocabulary
from triage.core.geography import Point, describe_distance, distance_km
from triage.core.questionnaire import BY_ID, as_list
from triage.core.routing import FiredRoute
from triage.core.scoring import has_money_worries
from triage.core.text import N_, Text

KINDS = vocabulary.codes(vocabulary.KINDS)
COVERAGES = vocabulary.codes(vocabulary.COVERAGES)
DELIVERY_MODES = vocabulary.codes(vocabulary.DELIVERY_MODES)
ACCESSIBILITY_FEATURES = vocabulary.codes(vocabulary.ACCESSIBILITY_FEATURES)
MATCHABLE_STATUS = "active"  # temporarily closed and retired help is never suggested

# How Q11's help preferences show up in a resource, in the order a reason names them: help that
# comes to the person first. "library_computer" is met by a library or by help that offers free
# computers, not by any drop-in.
PREFERENCE_MODES = {
    "home_visit": "home_visit",
    "phone": "phone",
    "self_learning": "online",
    "one_to_one": "one_to_one",
    "group": "group",
}
PREFERENCE_ORDER = ("home_visit", "phone", "self_learning", "one_to_one", "group", "library_computer")
COMES_TO_YOU = frozenset({"home_visit", "phone", "self_learning"})  # distance does not matter to these
COMES_TO_YOU_BITS = sum(1 << n for n, pref in enumerate(PREFERENCE_ORDER) if pref in COMES_TO_YOU)
PREFERENCE_REASONS = {
    "home_visit": N_("visits you at home, as you asked"),
    "phone": N_("helps you on the phone, as you asked"),
    "self_learning": N_("you can learn on your own online, as you asked"),
    "one_to_one": N_("one-to-one help, as you asked"),
    "group": N_("a group class, as you asked"),
    "library_computer": N_("free computers you can use, as you asked"),
}
# Which accessibility features help with which of Q10's barriers.
BARRIER_FEATURES = {
    "sight": {"large_print", "screen_reader"},
    "hearing": {"hearing_loop", "bsl"},
    "memory": {"easy_read", "quiet_space"},
    "reading": {"easy_read"},
    "anxiety": {"quiet_space"},
}
FEATURE_NAMES = {f.code: f.public for f in vocabulary.ACCESSIBILITY_FEATURES}  # as a reason names them
# Help for a particular group, offered only to people in it: an English class (ESOL) that also counts
# as a course is still for people whose first language is not English.
FOR_ROUTE_ONLY = frozenset({"esol"})
GROUPS = tuple(sorted(FOR_ROUTE_ONLY))

PER_ROUTE = 2  # suggestions a route can have
TOTAL = 10  # pieces of help in a plan, unless there are more routes than this (each still gets one)
NEARBY_KM = 12.0  # beyond this, local help is not "near" and borough-wide help comes first
FARTHEST_KM = 40.0  # when nothing else serves a need, the nearest help up to this far away
CELL_DEG = 0.05  # spatial index cell, about 5.5 km north-south

# Tiers: where a candidate is, as its first reason says.
WARD, NEARBY, WIDE, FARTHER = 0, 1, 2, 3


@dataclass(frozen=True)
class Resource:
    """The parts of a directory entry that matching needs."""

    id: int
    kind: str
    name: str
    needs: frozenset[str]
    coverage: str = "local"
    wards: frozenset[str] = frozenset()
    point: Point | None = None
    borough: str | None = None
    free: bool = True
    languages: frozenset[str] = frozenset({"en"})
    accessibility: frozenset[str] = frozenset()
    delivery_modes: frozenset[str] = frozenset()
    status: str = MATCHABLE_STATUS


@dataclass(frozen=True)
class Person:
    ward_code: str | None
    ward_name: str | None
    point: Point | None
    borough: str | None
    preferences: frozenset[str] = frozenset()
    language: str | None = None
    barriers: frozenset[str] = frozenset()
    money_worries: bool = False
    band: str = "low"
    district_name: str | None = None  # the district of `borough`, by name, for "for anyone in Blaby"

    @classmethod
    def from_answers(
        cls,
        answers: dict,
        ward_code: str | None,
        ward_name: str | None,
        point: Point | None,
        borough: str | None,
        band: str,
        district_name: str | None = None,
    ) -> Person:
        """The person as matching sees them, from validated answers and where they are."""
        return cls(
            ward_code=ward_code,
            ward_name=ward_name,
            point=point,
            borough=borough,
            preferences=frozenset(as_list(answers.get("help_preferences"))),
            language=answers.get("language"),
            barriers=frozenset(as_list(answers.get("barriers"))),
            money_worries=has_money_worries(answers),
            band=band,
            district_name=district_name,
        )


@dataclass
class Recommendation:
    resource_id: int
    routes: list[str]  # the routes it serves in this plan, the one it was chosen for first
    reasons: list[Text]  # where it is, why its first route fired, and how it suits the person
    distance_km: float | None
    tier: int


@dataclass(frozen=True)
class Matches:
    recommendations: list[Recommendation]
    more: frozenset[str]  # routes with more suitable help than the plan has room for

    @property
    def served(self) -> frozenset[str]:
        """The routes that have at least one suggestion."""
        return frozenset(code for rec in self.recommendations for code in rec.routes)


def _cell(point: Point) -> tuple[int, int]:
    return (math.floor(point.lat / CELL_DEG), math.floor(point.lon / CELL_DEG))


def _approx_km(a: Point, b: Point) -> float:
    """Equirectangular distance: only to pre-rank candidates; reported distances are geodesic."""
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    y = math.radians(b.lat - a.lat)
    return 6371.0 * math.hypot(x, y)


def _offers(r: Resource) -> int:
    """The help preferences a resource meets, as bits in PREFERENCE_ORDER."""
    bits = 0
    for n, pref in enumerate(PREFERENCE_ORDER):
        mode = PREFERENCE_MODES.get(pref)
        if (mode in r.delivery_modes) if mode else (r.kind == "library" or "free_computers" in r.needs):
            bits |= 1 << n
    return bits


def _bits(codes, vocabulary: tuple[str, ...]) -> int:
    return sum(1 << n for n, code in enumerate(vocabulary) if code in codes)


@dataclass
class DirectoryIndex:
    """Active resources indexed by route, then by ward, by map cell and by wide coverage.

    `traits` keeps, for each resource, what ranking reads as integers, so ranking a candidate costs a
    few integer operations (bench/score_and_match.py): (the preferences it meets, its access features,
    its languages, whether it is free, whether it visits at home, the groups it is only for), as bits
    of PREFERENCE_ORDER, ACCESSIBILITY_FEATURES, `languages` and FOR_ROUTE_ONLY.
    """

    resources: dict[int, Resource] = field(default_factory=dict)
    traits: dict[int, tuple[int, int, int, bool, bool, int]] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)  # each language code's bit
    by_ward: dict[str, dict[str, list[Resource]]] = field(default_factory=lambda: defaultdict(dict))
    by_cell: dict[str, dict[tuple[int, int], list[Resource]]] = field(default_factory=lambda: defaultdict(dict))
    national: dict[str, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    borough: dict[tuple[str, str | None], list[Resource]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, resources) -> DirectoryIndex:
        index = cls()
        for r in resources:
            if r.status != MATCHABLE_STATUS:
                continue
            index.resources[r.id] = r
            for code in r.languages:
                index.languages.setdefault(code, 1 << len(index.languages))
            index.traits[r.id] = (
                _offers(r),
                _bits(r.accessibility, ACCESSIBILITY_FEATURES),
                sum(index.languages[code] for code in r.languages),
                r.free,
                "home_visit" in r.delivery_modes,
                _bits(r.needs, GROUPS),
            )
            for need in r.needs:
                if r.coverage == "national":
                    index.national[need].append(r)
                elif r.coverage == "borough":
                    index.borough[(need, r.borough)].append(r)
                else:
                    for ward in r.wards:
                        index.by_ward[need].setdefault(ward, []).append(r)
                    if r.point is not None:
                        index.by_cell[need].setdefault(_cell(r.point), []).append(r)
        return index

    def has_local_help(self) -> bool:
        """Whether the council has added any local help of its own: an entry that is neither a library (which
        comes from the national library data) nor for anyone in the UK. A new council starts without."""
        return any(r.kind != "library" and r.coverage != "national" for r in self.resources.values())

    def nearby(self, need: str, point: Point, within_km: float = NEARBY_KM) -> list[tuple[float, Resource]]:
        """Local resources for a need within `within_km`, nearest first (approximate distance)."""
        cells = self.by_cell.get(need)
        if not cells:
            return []
        # The map cells that can hold a point within reach, with a little to spare for the approximation.
        dlat = within_km / 110.0
        dlon = within_km / (110.0 * max(math.cos(math.radians(abs(point.lat) + dlat)), 0.01))
        rows = range(math.floor((point.lat - dlat) / CELL_DEG), math.floor((point.lat + dlat) / CELL_DEG) + 1)
        columns = range(math.floor((point.lon - dlon) / CELL_DEG), math.floor((point.lon + dlon) / CELL_DEG) + 1)
        found: list[tuple[float, Resource]] = []
        for row in rows:
            for column in columns:
                for r in cells.get((row, column), ()):
                    assert r.point is not None  # by_cell holds only the resources with a point
                    km = _approx_km(point, r.point)
                    if km <= within_km:
                        found.append((km, r))
        found.sort(key=lambda f: (f[0], f[1].id))
        return found


def _features(codes: list[str]) -> Text:
    """'a hearing loop', 'a hearing loop and large print', 'a, b and c'."""
    names = [Text(FEATURE_NAMES[c]) for c in codes]
    joined = names[-1]
    if len(names) > 1:
        joined = Text.of(N_("{first} and {last}"), first=names[-2], last=names[-1])
    for name in reversed(names[:-2]):
        joined = Text.of(N_("{first}, {rest}"), first=name, rest=joined)
    return joined


@dataclass(frozen=True)
class _Wants:
    """What the person asked for, ready to test candidates against quickly."""

    preferences: int  # bits in PREFERENCE_ORDER
    language: str | None
    language_bit: int  # the language, as a bit of DirectoryIndex.languages (0: none, or no help in it)
    wanted_features: frozenset[str]  # access features that help with their barriers
    features: int  # the same, as bits in ACCESSIBILITY_FEATURES
    money_worries: bool
    home_visit_for_champion: bool  # very high priority: a champion who visits is worth offering

    @classmethod
    def of(cls, person: Person, index: DirectoryIndex) -> _Wants:
        features = frozenset().union(*(BARRIER_FEATURES.get(b, ()) for b in person.barriers))
        language = person.language if person.language and person.language != "other" else None
        return cls(
            preferences=_bits(person.preferences, PREFERENCE_ORDER),
            language=language,
            language_bit=index.languages.get(language, 0) if language else 0,
            wanted_features=features,
            features=_bits(features, ACCESSIBILITY_FEATURES),
            money_worries=person.money_worries,
            home_visit_for_champion=person.band == "very_high",
        )

    def honoured(self, offers: int) -> str | None:
        """The first of the person's help preferences, in PREFERENCE_ORDER, that a resource meets."""
        both = offers & self.preferences
        return PREFERENCE_ORDER[(both & -both).bit_length() - 1] if both else None

    def reasons(self, r: Resource, offers: int, route: str) -> list[Text]:
        """Why a chosen resource suits the person, in the words a resident reads."""
        out: list[Text] = []
        pref = self.honoured(offers)
        if pref:
            out.append(Text(PREFERENCE_REASONS[pref]))
        if self.home_visit_for_champion and route == "champion" and "home_visit" in r.delivery_modes:
            if pref != "home_visit":
                out.append(Text(N_("they can visit you at home")))
        if self.language is not None and self.language in r.languages:
            language = Text(BY_ID["language"].option(self.language).label)
            out.append(Text.of(N_("help in {language}, the language you asked for"), language=language))
        matched = sorted(self.wanted_features & r.accessibility)
        if matched:
            out.append(Text.of(N_("has {features}"), features=_features(matched)))
        if self.money_worries and r.free:
            out.append(Text(N_("free")))
        return out


def _local(
    index: DirectoryIndex, person: Person, need: str, allowed: Callable[[Resource], bool]
) -> list[tuple[int, float | None, Resource]]:
    """Local help the person can use for a need: covering their ward, then within NEARBY_KM, as
    (tier, approximate distance, resource)."""
    here = person.point
    local: dict[int, tuple[int, float | None, Resource]] = {}
    if person.ward_code:
        for r in index.by_ward.get(need, {}).get(person.ward_code, ()):
            if allowed(r):
                local[r.id] = (WARD, _approx_km(here, r.point) if here and r.point else None, r)
    if here is not None:
        for km, r in index.nearby(need, here):
            if r.id not in local and allowed(r):
                local[r.id] = (NEARBY, km, r)
    return list(local.values())


def _farther(
    index: DirectoryIndex, person: Person, need: str, allowed: Callable[[Resource], bool]
) -> list[tuple[int, float | None, Resource]]:
    """Local help up to FARTHEST_KM away, for when nothing nearer or wider serves a need."""
    if person.point is None:
        return []
    return [(FARTHER, km, r) for km, r in index.nearby(need, person.point, within_km=FARTHEST_KM) if allowed(r)]


# A ranked candidate: (rank, tier, resource, offers). `rank` orders candidates and is unique (it ends
# with the resource's id); `tier` is where the help is (its first reason), whatever place it ranks at;
# `offers` the preferences it meets, as bits. A plain tuple, because the matcher makes one for every
# candidate of every route and a named tuple costs five times as much (bench/score_and_match.py).
_Candidate = tuple[tuple, int, Resource, int]


def _ranked(index: DirectoryIndex, person: Person, wants: _Wants, route: str, not_for_them: int) -> list[_Candidate]:
    """A route's candidates, best first: as the person asked, then where, then fit, then distance.

    Candidates are local help, help for the person's borough and national help; only when there is
    none of those, local help up to FARTHEST_KM. Help for a group the person is not in
    (`not_for_them`, bits of GROUPS) is never a candidate. Help that comes to the person (a home
    visit, the phone, online, as they asked) and reaches their ward (covers it, or the whole borough
    or country) ranks as if it were there, and distance does not order it. Fit points: their
    language 3, an access feature they need 1, free help when money is tight 1, and a champion who
    visits someone at very high priority 1.

    This is the matcher's inner loop, run for every candidate of every route: it works on the
    integers in DirectoryIndex.traits and keeps to plain operations.
    """
    traits, asked, features_wanted = index.traits, wants.preferences, wants.features
    language, money = wants.language_bit, wants.money_worries
    visits = wants.home_visit_for_champion and route == "champion"

    def allowed(r: Resource) -> bool:
        return not traits[r.id][5] & not_for_them

    candidates: list[tuple[int, float | None, Resource]] = [
        (WIDE, None, r)
        for wide in (index.borough.get((route, person.borough), ()), index.national.get(route, ()))
        for r in wide
        if allowed(r)
    ]
    candidates += _local(index, person, route, allowed)
    if not candidates:
        candidates = _farther(index, person, route, allowed)
    ranked: list[_Candidate] = []
    for tier, km, r in candidates:
        offers, features, languages, free, home, _ = traits[r.id]
        met = offers & asked
        points = (
            (languages & language and 3) + (features & features_wanted and 1) + (free and money) + (home and visits)
        )
        comes = met & COMES_TO_YOU_BITS and tier in (WARD, WIDE)
        place = WARD if comes else tier
        distance = math.inf if km is None or comes else km
        ranked.append(((not met, place, -points, distance, r.name, r.id), tier, r, offers))
    ranked.sort()
    return ranked


def _where(tier: int, km: float | None, r: Resource, person: Person) -> Text:
    if tier == WARD:
        if person.ward_name and km is not None:
            return Text.of(
                N_("covers your area ({ward}), {distance} away"), ward=person.ward_name, distance=describe_distance(km)
            )
        if person.ward_name:
            return Text.of(N_("covers your area ({ward})"), ward=person.ward_name)
        if km is not None:
            return Text.of(N_("covers your area, {distance} away"), distance=describe_distance(km))
        return Text(N_("covers your area"))
    if tier == NEARBY and km is not None:
        return Text.of(N_("{distance} away"), distance=describe_distance(km))
    if tier == FARTHER and km is not None:
        return Text.of(N_("the nearest we know of, {distance} away"), distance=describe_distance(km))
    if r.coverage == "national":
        return Text(N_("for anyone in the UK"))
    if person.district_name:  # the district's own name reads right for a borough, a district or a unitary
        return Text.of(N_("for anyone in {district}"), district=person.district_name)
    return Text(N_("for anyone in the council's area"))


def match(index: DirectoryIndex, person: Person, routes: list[FiredRoute]) -> Matches:
    """Help for each route, each with its reasons: every route that can be served gets a suggestion.

    First every route, in priority order, gets its best candidate (shared if an earlier route already
    chose it). Then routes take turns for up to PER_ROUTE each while the plan has fewer than TOTAL
    pieces of help; once it is full, a route can still share help the plan already has.
    """
    wants = _Wants.of(person, index)
    not_for_them = _bits(FOR_ROUTE_ONLY - {route.code for route in routes}, GROUPS)
    ranked = {route.code: _ranked(index, person, wants, route.code, not_for_them) for route in routes}
    chosen: dict[int, Recommendation] = {}
    shown: dict[str, list[int]] = {route.code: [] for route in routes}

    def take(route: FiredRoute, candidate: _Candidate) -> None:
        _, tier, r, offers = candidate
        rec = chosen.get(r.id)
        if rec is None:
            km = distance_km(person.point, r.point) if person.point and r.point else None
            reasons = [_where(tier, km, r, person), route.why, *wants.reasons(r, offers, route.code)]
            chosen[r.id] = Recommendation(r.id, [route.code], reasons, km, tier)
        else:
            rec.routes.append(route.code)  # the plan says so at that route's step
        shown[route.code].append(r.id)

    for route in routes:
        if ranked[route.code]:
            take(route, ranked[route.code][0])
    for turn in range(1, PER_ROUTE):
        for route in routes:
            if len(shown[route.code]) > turn:
                continue
            options = (c for c in ranked[route.code] if c[2].id not in shown[route.code])
            if len(chosen) >= TOTAL:
                options = (c for c in options if c[2].id in chosen)
            candidate = next(options, None)
            if candidate is not None:
                take(route, candidate)
    more = frozenset(code for code, candidates in ranked.items() if len(candidates) > len(shown[code]))
    return Matches(list(chosen.values()), more)
