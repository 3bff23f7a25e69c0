"""Searching the directory, for the public "find help near you" pages: filter, then distance order.

Help with a place comes first, nearest first, within SEARCH_KM of the person (or anywhere in their
ward's coverage); help for the whole borough or country follows, as it is available wherever they are.
Exact distances are measured only for help that a cheap box around the person lets by.
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.core.geography import Point, distance_km, within_reach
from triage.core.matching import Resource

SEARCH_KM = 15.0


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    need: str | None = None  # a route code: help for one kind of need, as a plan links to
    free_only: bool = False
    language: str | None = None
    accessibility: str | None = None

    def allows(self, r: Resource) -> bool:
        return (
            (self.kind is None or r.kind == self.kind)
            and (self.need is None or self.need in r.needs)
            and (not self.free_only or r.free)
            and (self.language is None or self.language in r.languages)
            and (self.accessibility is None or self.accessibility in r.accessibility)
        )


@dataclass(frozen=True)
class Found:
    resource: Resource
    distance_km: float | None
    covers_ward: bool


def search(resources, point: Point | None, ward_code: str | None, filters: Filters) -> list[Found]:
    """Help that fits the filters near a point or ward: placed help by distance, then wide coverage."""
    placed: list[Found] = []
    wide: list[Found] = []
    in_reach = within_reach(point, SEARCH_KM) if point is not None else None
    for r in resources:
        if not filters.allows(r):
            continue
        covers = ward_code is not None and ward_code in r.wards
        if r.coverage in ("borough", "national"):
            wide.append(Found(r, None, covers))
            continue
        km = None
        if in_reach is not None and point is not None and r.point is not None and (covers or in_reach(r.point)):
            km = distance_km(point, r.point)
        if covers or (km is not None and km <= SEARCH_KM):
            placed.append(Found(r, km, covers))
    placed.sort(key=lambda f: (f.distance_km is None, f.distance_km or 0.0, f.resource.name))
    wide.sort(key=lambda f: (f.resource.coverage != "borough", f.resource.name))
    return placed + wide
