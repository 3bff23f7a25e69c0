"""Bookings in figures: made, attended, did not come, cancelled and still booked (or not yet marked), with the
attendance and no-show rates, in all and by month, ward or organisation, suppressed like every other count.

A table of parts (a month's bookings by status, each month a row) is suppressed in both directions, since both the
rows' totals (bookings made that month) and the columns' (all the period's attended, ...) are shown: a small count
is hidden (insight.suppressed), then, while any row or column has exactly one hidden count, the next smallest
shown non-zero one in it is hidden too (insight.protect's secondary suppression, applied until nothing changes;
a row's group includes its total and a column's the sum of the rows, each hidden last), and a row whose total is
hidden shows none of its parts. A rate is shown only when both counts it is made of are,
and insight.share would show it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from triage.core.booking_slots import ACTIVE, ATTENDED, CANCELLED, NO_SHOW
from triage.core.insight import share, suppressed

PARTS = (ATTENDED, NO_SHOW, CANCELLED, ACTIVE)
PART_NAMES = {ATTENDED: "attended", NO_SHOW: "no_show", CANCELLED: "cancelled", ACTIVE: "booked"}


@dataclass(frozen=True)
class Counts:
    """Bookings by status (booking_slots.STATUSES codes); an unknown status counts as still booked."""

    by_status: Mapping[str, int]

    @property
    def made(self) -> int:
        return sum(self.by_status.values())

    def part(self, status: str) -> int:
        if status == ACTIVE:
            return self.made - sum(self.by_status.get(s, 0) for s in PARTS if s != ACTIVE)
        return self.by_status.get(status, 0)

    def __add__(self, other: Counts) -> Counts:
        keys = set(self.by_status) | set(other.by_status)
        return Counts({k: self.by_status.get(k, 0) + other.by_status.get(k, 0) for k in keys})


NONE = Counts({})
ALL = "all"  # the key of a table's sum of its rows


@dataclass(frozen=True)
class Shown:
    """What a page or export may show (None: hidden)."""

    made: int | None
    parts: dict[str, int | None]  # by PARTS code
    attendance_rate: float | None  # attended, of those marked attended or did not come, as a percentage
    no_show_rate: float | None

    def part(self, status: str) -> int | None:
        return self.parts[status]


def _rates(counts: Counts, parts: Mapping[str, int | None], threshold: int) -> tuple[float | None, float | None]:
    if parts[ATTENDED] is None or parts[NO_SHOW] is None:
        return None, None
    came, missed = counts.part(ATTENDED), counts.part(NO_SHOW)
    return share(came, came + missed, threshold), share(missed, came + missed, threshold)


def table(rows: Mapping[Hashable, Counts], threshold: int) -> dict[Hashable, Shown]:
    """Each row's counts, suppressed across its statuses and, for each status and the total, across the rows and
    their sum, which is under the key ALL."""
    rows = dict(rows) | {ALL: sum(rows.values(), NONE)}
    cells: dict[tuple[Hashable, str], int] = {}
    for key, counts in rows.items():
        cells |= {(key, status): counts.part(status) for status in PARTS}
        cells[(key, "made")] = counts.made
    hidden = {cell for cell, n in cells.items() if suppressed(n, threshold) is None}
    columns = (*PARTS, "made")
    changed = True
    while changed:
        changed = False
        for key in rows:
            if (key, "made") in hidden and any((key, s) not in hidden and cells[(key, s)] for s in PARTS):
                hidden |= {(key, s) for s in PARTS if cells[(key, s)]}
                changed = True
        # a row's group includes its total, and a column's the sum of the rows: each is hidden last, when no
        # other count is left to hide with a single hidden one
        groups = [[(key, c) for c in columns] for key in rows] + [[(key, c) for key in rows] for c in columns]
        for group in groups:
            changed |= _hide_one_more(group, cells, hidden)
    return {
        key: _shown(counts, {s: None if (key, s) in hidden else cells[(key, s)] for s in PARTS}, hidden, key, threshold)
        for key, counts in rows.items()
    }


def _shown(counts: Counts, parts: dict[str, int | None], hidden: set, key: Hashable, threshold: int) -> Shown:
    made = None if (key, "made") in hidden else counts.made
    return Shown(made, parts, *_rates(counts, parts, threshold))


def _hide_one_more(group: Iterable[tuple[Hashable, str]], cells: Mapping, hidden: set) -> bool:
    """If exactly one count in the group is hidden, hide the smallest shown non-zero one too; whether it did."""
    group = list(group)
    if sum(cell in hidden for cell in group) != 1:
        return False
    others = sorted((cells[cell], str(cell)) for cell in group if cell not in hidden and cells[cell])
    if not others:
        return False
    smallest = next(cell for cell in group if str(cell) == others[0][1])
    hidden.add(smallest)
    return True
