"""Ward insight rules: what each assessment adds, suppression, and the priority ranking (no Flask)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.core.insight import (
    add_months,
    chosen_measure,
    chosen_year,
    financial_year,
    last_day,
    month_of,
    months_shown,
    priorities,
    protect,
    scale,
    share,
    shrunk_share,
    suppressed,
    tallies,
    year_months,
    years_with_counts,
)


def test_each_assessment_adds_its_band_routes_goals_and_scores():
    scores = {"access": 10, "affordability": 6, "skills": 9, "confidence": 7, "accessibility": 3}
    rows = tallies("very_high", ["device", "champion", "device"], ["health", "none"], scores)
    assert ("assessments", "", 1) in rows and ("band", "very_high", 1) in rows
    assert [r for r in rows if r[0] == "route"] == [("route", "device", 1), ("route", "champion", 1)]
    assert [r for r in rows if r[0] == "goal"] == [("goal", "health", 1)]
    assert ("score_sum", "access", 10) in rows and len([r for r in rows if r[0] == "score_sum"]) == 5
    assert month_of(date(2026, 11, 25)) == date(2026, 11, 1)


def test_periods_are_financial_years():
    assert financial_year(date(2026, 3, 31)) == 2025 and financial_year(date(2026, 4, 1)) == 2026
    assert year_months(2026) == (date(2026, 4, 1), date(2027, 3, 1))


@pytest.mark.parametrize(("n", "shown"), [(0, 0), (1, None), (4, None), (5, 5), (120, 120), (None, None)])
def test_small_counts_are_suppressed(n, shown):
    assert suppressed(n, 5) == shown


def test_one_hidden_part_takes_another_with_it():
    assert protect({"low": 1, "medium": 0, "high": 9, "very_high": 6}, 5) == {
        "low": None,
        "medium": 0,
        "high": 9,
        "very_high": None,
    }
    assert protect({"a": 2, "b": 3, "c": 9}, 5) == {"a": None, "b": None, "c": 9}  # two hidden: the sum only
    assert protect({"a": 6, "b": 9}, 5) == {"a": 6, "b": 9}


def test_shares_are_hidden_when_either_count_could_identify_someone():
    assert share(3, 40, 5) is None  # the part is small
    assert share(4, 4, 5) is None  # the whole is small
    assert share(0, 40, 5) == 0.0
    assert share(10, 40, 5) == 25.0
    assert share(38, 40, 5) is None  # the other 2 would be known


def test_few_assessments_are_pulled_towards_the_borough_share():
    assert shrunk_share(30, 30, 0.2) == 1.0  # 30 or more: the ward's own share
    assert shrunk_share(3, 3, 0.2) == pytest.approx(0.1 * 1.0 + 0.9 * 0.2)  # 3 of 30: mostly the borough's
    assert shrunk_share(0, 0, 0.2) == 0.2


def test_scaling_is_min_max_to_ten():
    assert scale({"a": 1.0, "b": 3.0, "c": 2.0, "d": None}) == {"a": 0.0, "b": 10.0, "c": 5.0, "d": None}
    assert scale({"a": 2.0, "b": 2.0}) == {"a": 0.0, "b": 0.0}


def test_priority_weighs_risk_need_and_gap_and_ranks_highest_first():
    # Risk: A 10, B 0, C 5. Need (all 30+ assessments, so unshrunk): A 10/30, B 30/30, C 0/30 → scaled 3.33, 10, 0.
    # Gap: 65+ per (support points + 1): A 900/(2+1) = 300, B 100/(0+1) = 100, C 500/(0+1) = 500 → 5, 0, 10.
    ranked = priorities(
        risk={"A": 10.0, "B": 0.0, "C": 5.0},
        at_risk={"A": 10, "B": 30, "C": 0},
        totals={"A": 30, "B": 30, "C": 30},
        people_65_plus={"A": 900, "B": 100, "C": 500},
        support={"A": 2, "B": 0, "C": 0},
    )
    by_ward = {p.ward_code: p for p in ranked}
    assert by_ward["A"].need == pytest.approx(10 / 3) and by_ward["A"].gap == pytest.approx(5.0)
    # A: 0.5×10 + 0.3×3.33 + 0.2×5 = 7.0; B: 0 + 3 + 0 = 3.0; C: 2.5 + 0 + 2 = 4.5
    assert [(p.ward_code, round(p.score, 2), p.rank) for p in ranked] == [("A", 7.0, 1), ("C", 4.5, 2), ("B", 3.0, 3)]


def test_a_ward_without_a_risk_score_is_ranked_on_what_is_known():
    ranked = priorities(
        risk={"A": None, "B": 4.0},
        at_risk={},
        totals={},
        people_65_plus={"A": 100, "B": 100},
        support={"A": 0, "B": 0},
    )
    assert {p.ward_code: p.score for p in ranked} == {"A": 0.0, "B": pytest.approx((0.5 * 4.0) / 1.0)}


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)), st.integers(-1200, 1200))
def test_adding_months_lands_on_the_first_and_undoes_itself(day, n):
    month = month_of(day)
    later = add_months(month, n)
    assert later.day == 1 and add_months(later, -n) == month
    assert (later.year - month.year) * 12 + later.month - month.month == n
    assert last_day(month) < add_months(month, 1) and (add_months(month, 1) - last_day(month)).days == 1


def test_months_shown_stop_at_this_month():
    since, until = year_months(2026)
    assert months_shown(since, until, date(2026, 6, 15)) == [date(2026, m, 1) for m in (4, 5, 6)]
    assert len(months_shown(since, until, date(2030, 1, 1))) == 12
    assert months_shown(since, until, date(2026, 3, 31)) == []


def test_the_years_to_choose_run_from_the_first_count_to_this_year():
    assert years_with_counts(None, date(2026, 12, 3)) == [2026]
    assert years_with_counts(date(2024, 5, 1), date(2026, 12, 3)) == [2026, 2025, 2024]
    assert years_with_counts(date(2027, 5, 1), date(2026, 12, 3)) == [2026]  # a clock set wrong never hides this year
    assert chosen_year("", [2026, 2025]) == (2026, None)
    assert chosen_year("2025", [2026, 2025]) == (2025, None)
    for asked in ("2024", "abc", "20255"):
        assert chosen_year(asked, [2026, 2025]) == (2026, "Choose a year from the list")


def test_the_gap_can_be_measured_by_hours_of_help_delivered():
    # Gap: 65+ per (hours + 1): A 900/(8+1) = 100, B 100/(0+1) = 100, C 500/(0.25+1) = 400 → 0, 0, 10.
    ranked = priorities(
        risk={"A": 0.0, "B": 0.0, "C": 0.0},
        at_risk={},
        totals={},
        people_65_plus={"A": 900, "B": 100, "C": 500},
        support={"A": 8.0, "B": 0.0, "C": 0.25},
    )
    assert {p.ward_code: p.gap for p in ranked} == {"A": 0.0, "B": 0.0, "C": 10.0}
    assert ranked[0].ward_code == "C" and ranked[0].score == pytest.approx(0.2 * 10 / 1.0)


def test_the_gap_measure_is_listed_help_unless_delivered_is_chosen():
    assert chosen_measure("") == ("listed", None)
    assert chosen_measure("delivered") == ("delivered", None)
    assert chosen_measure("hours") == ("listed", "Choose listed help or help delivered")


def test_a_ward_hidden_in_the_council_view_stays_hidden_against_a_districts_total():
    """The reviewer's example: with A1 and A2 in district X and B1 and B2 in Y, A1 alone would be hidden in X, so
    A2 goes with it (else X's total 23 less A2's 20 is A1); two are then hidden across the council too, so B1
    and B2 can stay."""
    parts = {"A1": 3, "A2": 20, "B1": 12, "B2": 30}
    districts = {"A1": "X", "A2": "X", "B1": "Y", "B2": "Y"}
    assert protect(parts, 10) == {"A1": None, "A2": 20, "B1": None, "B2": 30}  # A2 = 23 - 20 gives A1 away
    assert protect(parts, 10, districts) == {"A1": None, "A2": None, "B1": 12, "B2": 30}
    # One small ward alone in its district: the district's total is the ward and hidden as small.
    assert protect({"A1": 3, "B1": 12, "B2": 30}, 10, districts) == {"A1": None, "B1": None, "B2": None}


@given(
    st.lists(st.tuples(st.sampled_from("XYZ"), st.integers(0, 30)), max_size=12),
    st.integers(0, 15),
    st.integers(1, 12),
)
def test_no_hidden_ward_can_be_worked_back_across_the_council_and_district_views(wards, unknown, threshold):
    """Invariant, for ward counts in districts (and help with no known ward, which is in no district): the
    council view protects every ward with the district grouping, and a district's view shows its wards' cells
    from that same result, so for every district the hidden cells of that district are the same set in both
    views; and that set is empty, or has at least two cells, or the district's total is itself hidden, or (the
    one case ward cells cannot solve) the council's own rule had to hide a ward when every ward still shown was
    the only non-zero one of its district, so whichever it hid is its district's total. Outside that case no
    hidden cell equals a shown total (council or district) less the shown cells beside it, in either view."""
    parts = {f"W{i}": n for i, (_, n) in enumerate(wards)} | {"": unknown}
    districts = {f"W{i}": d for i, (d, _) in enumerate(wards)}
    council = protect(parts, threshold, districts)
    assert all(council[k] in {None, n} for k, n in parts.items())  # shown cells are the true counts
    assert all(council[k] is None for k, n in parts.items() if 0 < n < threshold)
    hidden = [k for k, v in council.items() if v is None]
    assert len(hidden) != 1 or suppressed(sum(parts.values()), threshold) is None
    own = {d: [k for k in parts if districts.get(k) == d] for d in set(districts.values())}
    views = {d: {k: council[k] for k in keys} for d, keys in own.items()}  # a district's page: the same cells
    exposed = {
        d
        for d, view in views.items()
        if [v for v in view.values() if v is None] == [None] and suppressed(sum(parts[k] for k in own[d]), threshold)
    }
    for d in exposed:
        (ward,) = (k for k, v in views[d].items() if v is None)
        assert parts[ward] >= threshold and all(parts[k] == 0 for k in own[d] if k != ward)
        assert all(sum(1 for k in own[e] if council[k] or k == ward) <= 1 for e in own)  # every one alone
