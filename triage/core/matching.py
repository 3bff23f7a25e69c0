"""Matching: turn fired routes into a short list of real help, each with the reasons it was chosen.

For each route, in priority order: help that covers the person's ward first, then the nearest help
by geodesic distance, then help for the whole borough or the whole country. Within each of those
tiers, help that fits how the person wants to learn, their language and their access needs comes
first. The DirectoryIndex is built once per directory revision, so one match stays fast on a
national-size directory (bench/score_and_match.py).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from .geography import Point, describe_distance, distance_km
from .questionnaire import BY_ID
from .routing import FiredRoute
from .text import N_, Text

KINDS = ("digital_champion", "library", "course", "device_scheme", "data_scheme", "partner_service")
COVERAGES = ("local", "borough", "national")
DELIVERY_MODES = ("one_to_one", "group", "home_visit", "phone", "drop_in", "online")
ACCESSIBILITY_FEATURES = (
    "step_free",
    "hearing_loop",
    "accessible_toilet",
    "large_print",
    "screen_reader",
    "bsl",
    "quiet_space",
    "easy_read",
)

# How Q11's help preferences show up in a resource.
PREFERENCE_MODES = {
    "one_to_one": {"one_to_one"},
    "group": {"group"},
    "home_visit": {"home_visit"},
    "phone": {"phone"},
    "self_learning": {"online"},
    "library_computer": {"drop_in"},
}
# Which accessibility features help with which of Q10's barriers.
BARRIER_FEATURES = {
    "sight": {"large_print", "screen_reader"},
    "hearing": {"hearing_loop", "bsl"},
    "memory": {"easy_read", "quiet_space"},
    "reading": {"easy_read"},
    "anxiety": {"quiet_space"},
}
FEATURE_NAMES = {
    "step_free": N_("step-free access"),
    "hearing_loop": N_("a hearing loop"),
    "accessible_toilet": N_("an accessible toilet"),
    "large_print": N_("large print"),
    "screen_reader": N_("screen readers"),
    "bsl": N_("British Sign Language"),
    "quiet_space": N_("a quiet space"),
    "easy_read": N_("easy-read guides"),
}

PER_ROUTE = 2
TOTAL = 10
NEARBY_KM = 12.0  # beyond this, local help is not "near" and borough-wide help comes first
CELL_DEG = 0.05  # spatial index cell, about 5.5 km north-south


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


@dataclass
class Recommendation:
    resource_id: int
    routes: list[str]
    reasons: list[Text]
    distance_km: float | None
    tier: int

    def to_dict(self) -> dict:
        return {
            "resource_id": self.resource_id,
            "routes": list(self.routes),
            "reasons": [r.to_json() for r in self.reasons],
            "distance_km": None if self.distance_km is None else round(self.distance_km, 2),
        }


def _cell(point: Point) -> tuple[int, int]:
    return (math.floor(point.lat / CELL_DEG), math.floor(point.lon / CELL_DEG))


def _approx_km(a: Point, b: Point) -> float:
    """Equirectangular distance: only to pre-rank candidates; reported distances are geodesic."""
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    y = math.radians(b.lat - a.lat)
    return 6371.0 * math.hypot(x, y)


@dataclass
class DirectoryIndex:
    """Resources indexed by route, then by ward, by map cell and by wide coverage."""

    resources: dict[int, Resource] = field(default_factory=dict)
    by_ward: dict[str, dict[str, list[Resource]]] = field(default_factory=lambda: defaultdict(dict))
    by_cell: dict[str, dict[tuple[int, int], list[Resource]]] = field(default_factory=lambda: defaultdict(dict))
    national: dict[str, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    borough: dict[tuple[str, str | None], list[Resource]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, resources) -> DirectoryIndex:
        index = cls()
        for r in resources:
            index.resources[r.id] = r
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

    def nearby(self, need: str, point: Point, wanted: int) -> list[tuple[float, Resource]]:
        """Local resources for a need within NEARBY_KM, nearest first (approximate distance)."""
        cells = self.by_cell.get(need)
        if not cells:
            return []
        centre = _cell(point)
        max_ring = math.ceil(NEARBY_KM / (CELL_DEG * 111)) + 1
        found: list[tuple[float, Resource]] = []
        for ring in range(max_ring + 1):
            for dy in range(-ring, ring + 1):
                for dx in range(-2 * ring, 2 * ring + 1):  # cells are about half as wide as tall here
                    if max(abs(dy), math.ceil(abs(dx) / 2)) != ring:
                        continue
                    for r in cells.get((centre[0] + dy, centre[1] + dx), ()):
                        km = _approx_km(point, r.point)
                        if km <= NEARBY_KM:
                            found.append((km, r))
            # Anything in a further ring is at least `ring` cells away, so stop once enough are closer.
            if len(found) >= wanted and sorted(found, key=lambda f: f[0])[wanted - 1][0] <= ring * CELL_DEG * 111:
                break
        found.sort(key=lambda f: f[0])
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


def _fit(r: Resource, person: Person, route: str) -> tuple[int, tuple[tuple, ...]]:
    """How well a resource suits the person, and why, as short keys (see _explain).

    Every candidate is scored, but only the chosen few are explained, so the reasons' sentences are
    built later: on a national directory that keeps matching fast.
    """
    points, why = 0, []
    for pref in sorted(person.preferences):
        if PREFERENCE_MODES.get(pref, set()) & r.delivery_modes or (pref == "library_computer" and r.kind == "library"):
            points += 2
            why.append(("preference", pref))
            break
    if route == "champion" and person.band == "very_high" and "home_visit" in r.delivery_modes:
        points += 1
        why.append(("home_visit",))
    if person.language and person.language != "other" and person.language in r.languages:
        points += 3
        why.append(("language", person.language))
    wanted = set().union(*(BARRIER_FEATURES.get(b, set()) for b in person.barriers)) if person.barriers else set()
    matched = sorted(wanted & r.accessibility)
    if matched:
        points += 1
        why.append(("features", tuple(matched)))
    if r.free and person.money_worries:
        points += 1
        why.append(("free",))
    return points, tuple(why)


def _explain(key: tuple) -> Text:
    """The sentence a resident reads for one of _fit's keys."""
    kind = key[0]
    if kind == "preference":
        choice = Text(BY_ID["help_preferences"].option(key[1]).label).quoted()
        return Text.of(N_("you said: {choice}"), choice=choice)
    if kind == "home_visit":
        return Text(N_("they can visit you at home"))
    if kind == "language":
        language = Text(BY_ID["language"].option(key[1]).label)
        return Text.of(N_("help in {language}, the language you asked for"), language=language)
    if kind == "features":
        return Text.of(N_("has {features}"), features=_features(list(key[1])))
    return Text(N_("free"))


def _candidates(index: DirectoryIndex, person: Person, need: str) -> list[tuple[int, float | None, Resource]]:
    out: dict[int, tuple[int, float | None, Resource]] = {}
    if person.ward_code:
        for r in index.by_ward.get(need, {}).get(person.ward_code, ()):
            out[r.id] = (0, None, r)
    if person.point is not None:
        for km, r in index.nearby(need, person.point, PER_ROUTE * 3):
            if r.id not in out:
                out[r.id] = (1, km, r)
    for r in index.borough.get((need, person.borough), ()):
        out.setdefault(r.id, (2, None, r))
    for r in index.national.get(need, ()):
        out.setdefault(r.id, (2, None, r))
    return list(out.values())


def _where(tier: int, km: float | None, r: Resource, person: Person) -> Text:
    if tier == 0:
        if person.ward_name and km is not None:
            return Text.of(
                N_("covers your area ({ward}), {distance} away"), ward=person.ward_name, distance=describe_distance(km)
            )
        if person.ward_name:
            return Text.of(N_("covers your area ({ward})"), ward=person.ward_name)
        if km is not None:
            return Text.of(N_("covers your area, {distance} away"), distance=describe_distance(km))
        return Text(N_("covers your area"))
    if tier == 1:
        return Text.of(N_("{distance} away"), distance=describe_distance(km))
    return Text(N_("for anyone in the UK")) if r.coverage == "national" else Text(N_("for anyone in the borough"))


def match(index: DirectoryIndex, person: Person, routes: list[FiredRoute]) -> list[Recommendation]:
    """Pick up to PER_ROUTE resources for each route (TOTAL at most), each with its reasons."""
    chosen: dict[int, Recommendation] = {}
    for route in routes:
        ranked = []
        for tier, km, r in _candidates(index, person, route.code):
            points, why = _fit(r, person, route.code)
            ranked.append((tier, -points, km if km is not None else math.inf, r.name, r, why))
        ranked.sort(key=lambda c: c[:4])
        taken = 0
        for tier, _, _, _, r, why in ranked:
            if taken == PER_ROUTE:
                break
            if r.id in chosen:
                existing = chosen[r.id]
                existing.routes.append(route.code)
                existing.reasons.append(route.why)
                continue
            if len(chosen) >= TOTAL:
                break
            km = distance_km(person.point, r.point) if person.point and r.point else None
            reasons = [_where(tier, km, r, person), route.why, *(_explain(key) for key in why)]
            chosen[r.id] = Recommendation(r.id, [route.code], reasons, km, tier)
            taken += 1
    return list(chosen.values())
