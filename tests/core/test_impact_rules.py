"""The help-given figures from session logs, with hand-worked numbers, and their small-number suppression.
The logs are counted one by one with tests/counting_by_hand.py."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from counting_by_hand import APRIL, MAY, combine, grouped, of, people_by_hand, session
from hypothesis import given
from hypothesis import strategies as st

from triage.core.impact import (
    CONNECTING,
    NO_PLANS,
    Tally,
    by_ward,
    figures,
    hours_for_priority,
    shown_parts,
    shown_total,
    tally_spans,
)
from triage.core.insight import add_months


def test_people_are_distinct_plans_walk_ins_and_group_headcounts():
    sessions = [
        session(plan_id=1),
        session(plan_id=1),  # the same person again: still one
        session(plan_id=2),
        session(),  # two walk-ins without a plan: one each
        session(),
        session(kind="group", headcount=12),
        session(kind="group", headcount=12, plan_id=3),  # a group counts its headcount, not the plan
    ]
    assert of(sessions).people == people_by_hand(sessions) == 2 + 2 + 24


def test_every_figure_by_hand():
    sessions = [
        session(minutes=45, first_visit=True, given=frozenset({"data_sim"}), tasks=2, independence="on_own"),
        session(minutes=90, kind="group", headcount=6, first_visit=True, tasks=3),
        session(minutes=15, given=frozenset({"loaned_device", "gifted_device", "social_tariff"}), tasks=4),
        session(minutes=30, tasks=1, independence="on_own"),
    ]
    f = of(sessions)
    assert (f.people, f.sessions, f.minutes, f.hours) == (1 + 6 + 1 + 1, 4, 180, 3.0)
    assert (f.first_visits, f.sims, f.devices, f.tasks_on_their_own) == (1 + 6, 1, 2, 2 + 1)


def test_no_sessions_no_figures():
    assert combine([]) == (Tally(), NO_PLANS)
    f = figures(Tally())
    assert (f.people, f.sessions, f.hours, f.first_visits, f.sims, f.devices, f.tasks_on_their_own) == (0,) * 7


def test_grouped_by_month_and_ward_in_order():
    sessions = [session(month=MAY), session(month=APRIL, ward="Hastings"), session(month=APRIL, minutes=60)]
    by_month = grouped(sessions, lambda s: s.month)
    assert list(by_month) == [APRIL, MAY]
    assert (by_month[APRIL].sessions, by_month[APRIL].minutes) == (2, 90)
    assert {ward: f.sessions for ward, f in grouped(sessions, lambda s: s.ward).items()} == {"Hastings": 1,
                                                                                            "Lemyngton": 2}  # fmt: skip


def test_a_plan_seen_in_two_months_is_one_person_in_each_and_once_in_all():
    sessions = [session(plan_id=9, month=APRIL), session(plan_id=9, month=MAY)]
    assert [f.people for f in grouped(sessions, lambda s: s.month).values()] == [1, 1]
    assert of(sessions).people == 1


def test_small_counts_are_hidden_with_another_so_none_can_be_worked_back():
    # Wards with 2, 7 and 9 one-to-one walk-ins (threshold 5): 2 is hidden, and the next smallest, 7, too.
    sessions = [session(ward="A")] * 2 + [session(ward="B")] * 7 + [session(ward="C")] * 9
    shown = shown_parts(grouped(sessions, lambda s: s.ward), threshold=5)
    assert [shown[w].people for w in "ABC"] == [None, None, 9]
    assert [shown[w].sessions for w in "ABC"] == [None, None, 9]
    assert [shown[w].hours for w in "ABC"] == [None, None, 4.5]  # hours go with the sessions beside them
    assert shown["C"].sims == 0  # nothing given is no one to point to


def test_a_small_total_is_hidden_too():
    total = shown_total(of([session(given=frozenset({"data_sim"}))] * 3), threshold=5)
    assert (total.people, total.sessions, total.hours, total.sims) == (None, None, None, None)
    assert shown_total(of([session()] * 5), threshold=5).hours == 2.5


SESSIONS = st.lists(
    st.builds(
        session,
        ward=st.sampled_from("ABCD"),
        kind=st.sampled_from(["one_to_one", "group"]),
        headcount=st.integers(2, 200),
        plan_id=st.none() | st.integers(1, 5),
        minutes=st.integers(1, 480),
        given=st.frozensets(st.sampled_from(sorted(CONNECTING))),
        independence=st.sampled_from(["full_help", "some_help", "on_own"]),
    ),
    max_size=40,
)


@given(SESSIONS, SESSIONS)
def test_tallies_add_and_plans_count_once(first, second):
    t1, t2 = combine(first)[0], combine(second)[0]
    assert t1 + t2 == combine(first + second)[0]
    assert t1 + t2 + -t2 == t1  # a deleted log is taken away
    assert of(first).people == people_by_hand(first)
    assert of([s for s in first if s.independence == "on_own"]).people == people_by_hand(
        s for s in first if s.independence == "on_own"
    )


@given(SESSIONS)
def test_parts_add_up_and_no_lone_small_count_is_shown(sessions):
    parts = grouped(sessions, lambda s: s.ward)
    assert sum(f.sessions for f in parts.values()) == of(sessions).sessions
    assert sum(f.minutes for f in parts.values()) == of(sessions).minutes
    assert of(sessions).people <= sum(f.people for f in parts.values())  # a plan can be in two wards
    shown = shown_parts(parts, threshold=5)
    for ward, f in parts.items():
        assert shown[ward].sessions in (None, f.sessions)
        assert shown[ward].sessions is not None or shown[ward].hours is None
        assert not (shown[ward].people is not None and 0 < shown[ward].people < 5)
    if [s.people for s in shown.values()].count(None) == 1:  # then nothing else shown could give it away
        assert all(s.people == 0 for s in shown.values() if s.people is not None)


def test_help_delivered_by_ward_is_suppressed_across_wards():
    sessions = [session(ward="A", minutes=60) for _ in range(6)]
    sessions += [session(ward="B", minutes=30) for _ in range(5)]
    sessions += [session(ward="C"), session(ward=None, minutes=90)]
    shown = by_ward(grouped(sessions, lambda s: s.ward or ""), threshold=5)
    assert set(shown) == {"A", "B", "C"}  # the unknown ward takes part in the suppression but is not returned
    assert (shown["A"].people, shown["A"].sessions, shown["A"].hours) == (6, 6, 6.0)
    # C (1) and the unknown ward (1) are hidden: two hidden, so B (5) can stay.
    assert (shown["B"].sessions, shown["B"].hours) == (5, 2.5)
    assert (shown["C"].sessions, shown["C"].hours) == (None, None)
    assert hours_for_priority(shown) == {"A": 6.0, "B": 2.5, "C": 0.0}  # hidden hours count as none


def test_one_hidden_ward_hides_the_next_smallest():
    sessions = [session(ward="A") for _ in range(6)] + [session(ward="B") for _ in range(7)]
    shown = by_ward(grouped([*sessions, session(ward="C")], lambda s: s.ward), threshold=5)
    assert [shown[w].sessions for w in "ABC"] == [None, 7, None]
    assert hours_for_priority(shown) == {"A": 0.0, "B": 3.5, "C": 0.0}


def test_one_hidden_ward_in_a_district_hides_another_of_that_district():
    """C alone would be hidden in district Y, whose total (C and D) is shown on its own page, so D goes with it;
    across the council, C is the only ward hidden before that, and A, the smallest, is not needed."""
    sessions = [session(ward="A") for _ in range(6)] + [session(ward="B") for _ in range(7)]
    sessions += [session(ward="C")] + [session(ward="D") for _ in range(9)]
    parts = grouped(sessions, lambda s: s.ward)
    assert [by_ward(parts, threshold=5)[w].sessions for w in "ABCD"] == [None, 7, None, 9]  # D = Y's 10 less C
    shown = by_ward(parts, threshold=5, districts={"A": "X", "B": "X", "C": "Y", "D": "Y"})
    assert [shown[w].sessions for w in "ABCD"] == [6, 7, None, None]


def test_a_date_range_is_its_whole_months_and_the_days_either_side():
    assert tally_spans(date(2025, 4, 1), date(2026, 3, 31)) == [("month", date(2025, 4, 1), date(2026, 3, 1))]
    assert tally_spans(date(2025, 4, 10), date(2025, 6, 3)) == [
        ("day", date(2025, 4, 10), date(2025, 4, 30)),
        ("month", date(2025, 5, 1), date(2025, 5, 1)),
        ("day", date(2025, 6, 1), date(2025, 6, 3)),
    ]
    assert tally_spans(date(2025, 4, 10), date(2025, 5, 3)) == [("day", date(2025, 4, 10), date(2025, 5, 3))]
    assert tally_spans(date(9999, 12, 2), date(9999, 12, 31)) == [("day", date(9999, 12, 2), date(9999, 12, 31))]


@given(st.dates(), st.integers(0, 800))
def test_the_spans_cover_every_day_once(since, days):
    until = date.fromordinal(min(since.toordinal() + days, date.max.toordinal()))
    covered: list[date] = []
    for span, first, last in tally_spans(since, until):
        if span == "day":
            covered += [date.fromordinal(d) for d in range(first.toordinal(), last.toordinal() + 1)]
        else:
            assert first.day == last.day == 1
            month = first
            while month <= last:
                covered += [month.replace(day=d) for d in range(1, monthrange(month.year, month.month)[1] + 1)]
                month = add_months(month, 1) if month < date(9999, 12, 1) else date.max
    assert sorted(covered) == covered and len(set(covered)) == len(covered)
    assert covered[0] == since and covered[-1] == until and len(covered) == (until - since).days + 1
