"""The ward area risk index (DERI-style): scaling, weights, ranks and reasons on hand-checked inputs, the
LSOA-to-ward aggregation, and the real Charnwood files in seed_data/.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from flask import Flask

from triage.core import area_risk
from triage.core import area_risk_model as model
from triage.core.area_risk import (
    LsoaInputs,
    WardIndicators,
    aggregate,
    compute,
    min_max_scores,
    rank_descending,
    weighted_mean,
)
from triage.core.area_risk_model import (
    COMPONENTS,
    DERI_V16,
    DERI_V16_COMPONENTS,
    GAPS,
    INDICATORS,
    Component,
    Indicator,
)
from triage.web.areas import packs, profiles
from triage.web.insight import area_data

CHARNWOOD = "E07000130"
LOUGHBOROUGH_EAST = "E05014673"


def indicator(id_, component, weight, direction=model.HIGHER_IS_RISKIER, aggregation=model.SHARE_OF_RESIDENTS):
    return Indicator(
        id=id_,
        label=id_.upper(),
        component=component,
        weight=weight,
        direction=direction,
        unit=model.PERCENT,
        aggregation=aggregation,
        source="test",
        data_year="2026",
        licence="test",
        deri_id=id_,
        relation=model.SAME,
        note="",
    )


# A small definition to check by hand: component A (weight 3) holds x (weight 5, higher = riskier) and
# y (weight 2, lower = riskier); component B (weight 1) holds z (weight 1, higher = riskier).
SMALL_INDICATORS = (
    indicator("x", "a", 5),
    indicator("y", "a", 2, direction=model.LOWER_IS_RISKIER),
    indicator("z", "b", 1),
)
SMALL_COMPONENTS = (Component("a", "A", 3), Component("b", "B", 1))


def ward(code, **values):
    return WardIndicators(code, f"Ward {code}", values)


def small(*wards):
    return {r.ward_code: r for r in compute(list(wards), SMALL_INDICATORS, SMALL_COMPONENTS)}


def small_def():
    return SMALL_INDICATORS, SMALL_COMPONENTS


# ---- the building blocks --------------------------------------------------------------------------------


def test_min_max_scores_both_directions_and_missing():
    values = {"a": 10.0, "b": 15.0, "c": 20.0, "d": None}
    # (15 - 10) / (20 - 10) = 0.5, so b scores 5 either way; a and c swap ends when lower is riskier.
    assert min_max_scores(values, model.HIGHER_IS_RISKIER) == {"a": 0.0, "b": 5.0, "c": 10.0, "d": None}
    assert min_max_scores(values, model.LOWER_IS_RISKIER) == {"a": 10.0, "b": 5.0, "c": 0.0, "d": None}
    # 12 is a fifth of the way from 10 to 20: 10 x 2 / 10 = 2.
    assert min_max_scores({"a": 10.0, "b": 12.0, "c": 20.0}, model.HIGHER_IS_RISKIER)["b"] == pytest.approx(2.0)


def test_min_max_scores_all_equal_score_zero_and_none_stays_none():
    assert min_max_scores({"a": 4.0, "b": 4.0, "c": None}, model.HIGHER_IS_RISKIER) == {
        "a": 0.0,
        "b": 0.0,
        "c": None,
    }
    assert min_max_scores({"a": None}, model.LOWER_IS_RISKIER) == {"a": None}
    with pytest.raises(ValueError, match="direction"):
        min_max_scores({"a": 1.0}, "sideways")


def test_rank_descending_shares_ranks_for_ties_and_skips_after_them():
    assert rank_descending({"a": 9.0, "b": 7.0, "c": 7.0, "d": 3.0, "e": None}) == {
        "a": 1,
        "b": 2,
        "c": 2,
        "d": 4,
        "e": None,
    }
    # Scores are compared as shown, to one decimal place: 5.14 and 5.13 both show 5.1 and tie; 5.16 shows 5.2.
    assert rank_descending({"a": 5.14, "b": 5.13, "c": 5.16}) == {"a": 2, "b": 2, "c": 1}
    assert rank_descending({"a": 5.14, "b": 5.13}, decimals=2) == {"a": 1, "b": 2}
    assert rank_descending({"a": 0.1 + 0.2, "b": 0.3}, decimals=9) == {"a": 1, "b": 1}


def test_weighted_mean_leaves_out_missing_scores():
    # (2 x 5 + 8 x 1) / (5 + 1) = 18 / 6 = 3; the missing one's weight 100 is not counted.
    assert weighted_mean([(2.0, 5), (8.0, 1), (None, 100)]) == pytest.approx(3.0)
    assert weighted_mean([(None, 1)]) is None
    assert weighted_mean([]) is None


# ---- compute on hand-checked inputs ---------------------------------------------------------------------


def test_compute_on_three_wards_by_hand():
    r = small(ward("W1", x=10, y=100, z=0), ward("W2", x=20, y=300, z=5), ward("W3", x=30, y=200, z=10))
    # x, higher riskier, 10..30:  W1 0, W2 5, W3 10.
    # y, lower riskier, 100..300: W1 10 (lowest value), W2 0, W3 5.
    # z, higher riskier, 0..10:   W1 0, W2 5, W3 10.
    assert [r[c].indicator("y").score for c in ("W1", "W2", "W3")] == [10.0, 0.0, 5.0]
    # A = (5x + 2y) / 7:  W1 (0 + 20) / 7 = 2.857;  W2 (25 + 0) / 7 = 3.571;  W3 (50 + 10) / 7 = 8.571.
    assert r["W1"].component("a").score == pytest.approx(20 / 7)
    assert r["W2"].component("a").score == pytest.approx(25 / 7)
    assert r["W3"].component("a").score == pytest.approx(60 / 7)
    # Overall = (3A + 1B) / 4:  W1 (60/7 + 0) / 4 = 15/7 = 2.143;  W2 (75/7 + 5) / 4 = 55/14 = 3.929;
    # W3 (180/7 + 10) / 4 = 125/14 = 8.929.
    assert r["W1"].score == pytest.approx(15 / 7)
    assert r["W2"].score == pytest.approx(55 / 14)
    assert r["W3"].score == pytest.approx(125 / 14)
    assert [r[c].rank for c in ("W3", "W2", "W1")] == [1, 2, 3]
    # Component ranks: A 8.571 > 3.571 > 2.857; B 10 > 5 > 0.
    assert [r[c].component("a").rank for c in ("W1", "W2", "W3")] == [3, 2, 1]
    assert [r[c].component("b").rank for c in ("W1", "W2", "W3")] == [3, 2, 1]


def test_reasons_carry_value_score_weight_and_add_up_to_the_score():
    r = small(ward("W1", x=10, y=100, z=0), ward("W2", x=20, y=300, z=5), ward("W3", x=30, y=200, z=10))["W3"]
    x, y, z = (r.indicator(i) for i in ("x", "y", "z"))
    assert (x.value, x.score, x.weight, x.rank) == (30, 10.0, 5, 1)
    assert (y.value, y.score, y.weight, y.rank) == (200, 5.0, 2, 2)
    # Shares: x is 5/7 of A, and A is 3/4 of the score: 15/28. y: 2/7 x 3/4 = 6/28. z: 1 x 1/4 = 7/28.
    assert x.share_of_score == pytest.approx(15 / 28)
    assert y.share_of_score == pytest.approx(6 / 28)
    assert z.share_of_score == pytest.approx(7 / 28)
    # Contributions: 10 x 15/28 = 5.357, 5 x 6/28 = 1.071, 10 x 7/28 = 2.5; total 250/28 = 8.929, the score.
    assert x.contribution == pytest.approx(150 / 28)
    assert sum(i.contribution for i in r.reasons) == pytest.approx(r.score)
    assert x.text.startswith("X: 30.0% of residents. Scores 10.0 out of 10 (rank 1 of 3 wards); weight 5, 71% of")
    assert r.ward_count == 3 and r.version == model.AREA_RISK_VERSION
    assert r.notes == ()


def test_a_missing_value_is_left_out_of_that_wards_mean_and_said():
    r = small(ward("W1", x=10, y=100, z=0), ward("W2", x=20, y=None, z=5), ward("W3", x=30, y=200, z=10))
    # y now spans 100..200 over W1 and W3 only: W1 10, W3 0; W2 has no score.
    assert r["W1"].indicator("y").score == 10.0
    assert r["W3"].indicator("y").score == 0.0
    w2_y = r["W2"].indicator("y")
    assert (w2_y.score, w2_y.share_of_component, w2_y.contribution, w2_y.rank) == (None, 0.0, 0.0, None)
    assert "no figure for this ward" in w2_y.text
    # W2's A is x alone (weight 5 of 5): 5.0. Overall (3 x 5 + 1 x 5) / 4 = 5.0.
    assert r["W2"].indicator("x").share_of_component == 1.0
    assert r["W2"].component("a").score == pytest.approx(5.0)
    assert r["W2"].score == pytest.approx(5.0)
    assert any(n.startswith("Y: no figure for this ward") for n in r["W2"].notes)
    # W1's A = (5 x 0 + 2 x 10) / 7 = 20/7; W3's A = (5 x 10 + 2 x 0) / 7 = 50/7.
    assert r["W1"].component("a").score == pytest.approx(20 / 7)
    assert r["W3"].component("a").score == pytest.approx(50 / 7)
    assert r["W1"].notes == ()


def test_an_indicator_equal_in_every_ward_scores_zero_for_all_and_says_so():
    r = small(ward("W1", x=10, y=100, z=4), ward("W2", x=20, y=300, z=4))
    for code in ("W1", "W2"):
        z = r[code].indicator("z")
        assert (z.score, z.rank, z.contribution) == (0.0, 1, 0.0)
        assert "scores 0 for all of them" in z.note and z.note in z.text
        assert any(n.startswith("Z: every ward with a figure has the same value") for n in r[code].notes)
    # It still counts in the weighted mean: W2's A = (5 x 10 + 2 x 0) / 7 = 50/7, B = 0,
    # overall (3 x 50/7 + 0) / 4 = 150/28 = 5.357.
    assert r["W2"].score == pytest.approx(150 / 28)


def test_an_indicator_no_ward_has_is_left_out_everywhere():
    r = small(ward("W1", x=10, y=100), ward("W2", x=20, y=300))
    # B has no figures anywhere: the overall score is A alone. W2's A = (5 x 10 + 2 x 0) / 7 = 50/7.
    assert r["W2"].component("b").score is None and r["W2"].component("b").share_of_score == 0.0
    assert r["W2"].score == pytest.approx(50 / 7)
    assert any(n.startswith("Z: no ward has a figure") for n in r["W2"].notes)
    assert any(n.startswith("B: no figures for this ward") for n in r["W2"].notes)


def test_a_ward_with_no_figures_has_no_score_or_rank_and_comes_last():
    results = compute([ward("W9"), ward("W1", x=10, y=100, z=0), ward("W2", x=20, y=300, z=5)], *small_def())
    assert [r.ward_code for r in results] == ["W2", "W1", "W9"]
    assert (results[-1].score, results[-1].rank) == (None, None)


def test_ties_share_a_rank_and_are_listed_by_name():
    one = (indicator("x", "a", 1),)
    comps = (Component("a", "A", 1),)
    # x: 0, 10, 10, 20 scale to 0, 5, 5, 10: ranks 4, 2, 2, 1.
    wards = [ward("D", x=0), ward("C", x=10), ward("B", x=10), ward("A", x=20)]
    results = compute(wards, one, comps)
    assert [(r.ward_code, r.score, r.rank) for r in results] == [
        ("A", 10.0, 1),
        ("B", 5.0, 2),
        ("C", 5.0, 2),
        ("D", 0.0, 4),
    ]


def test_one_ward_scores_zero_and_an_empty_council_gives_nothing():
    (only,) = compute([ward("W1", x=1, y=2, z=3)], *small_def())
    assert (only.score, only.rank) == (0.0, 1)
    assert compute([], *small_def()) == []


@pytest.mark.parametrize(
    ("wards", "indicators", "components", "message"),
    [
        ([ward("W1", x=1), ward("W1", x=2)], SMALL_INDICATORS, SMALL_COMPONENTS, "unique"),
        ([ward("W1", q=1)], SMALL_INDICATORS, SMALL_COMPONENTS, "unknown indicators"),
        ([ward("W1", x=float("nan"))], SMALL_INDICATORS, SMALL_COMPONENTS, "number or None"),
        ([ward("W1", x=1)], (indicator("x", "a", 0),), (Component("a", "A", 1),), "positive"),
        ([ward("W1", x=1)], (indicator("x", "a", 1),), (Component("a", "A", -1),), "positive"),
        ([ward("W1", x=1)], (indicator("x", "a", 1),), SMALL_COMPONENTS, "no indicators"),
        ([ward("W1", x=1)], (indicator("x", "c", 1),), (Component("a", "A", 1),), "no indicators"),
        ([ward("W1", x=1)], (indicator("x", "a", 1), indicator("x", "a", 1)), (Component("a", "A", 1),), "unique"),
        ([ward("W1")], (), (), "at least one component"),
    ],
)
def test_bad_inputs_are_refused(wards, indicators, components, message):
    with pytest.raises(ValueError, match=message):
        compute(wards, indicators, components)


def test_ward_indicator_values_cannot_be_changed_after_the_fact():
    w = ward("W1", x=1)
    with pytest.raises(TypeError):
        w.values["x"] = 2


# ---- the definition: DERI v1.6 weights, corrected normalisation, and what is missing ------------------


def test_deri_v16_default_weights_as_published():
    weights = {d.id: d.weight for d in DERI_V16}
    assert weights == {
        "age_65_plus": 5,
        "age_75_plus": 5,
        "disability": 2,
        "social_grade_de": 2,
        "no_qualifications": 4,
        "unemployment": 2,
        "pension_credit": 2,
        "imd_score": 2,
        "below_10mbit": 3,
        "below_30mbit": 3,
        "download_speed": 3,
    }
    assert {c.id: c.weight for c in DERI_V16_COMPONENTS} == {"demography": 3, "deprivation": 3, "broadband": 3}
    # The corrected demography normalisation divides every weight by the same total, 5 + 5 + 2 + 2 = 14.
    demography = [d.weight for d in DERI_V16 if d.component == "demography"]
    assert sum(demography) == 14 and sum(w / sum(demography) for w in demography) == pytest.approx(1.0)


def test_each_indicator_takes_the_deri_weight_of_what_it_measures_or_stands_in_for():
    deri = {d.id: d for d in DERI_V16}
    for ind in INDICATORS:
        assert ind.weight == deri[ind.deri_id].weight, ind.id
        assert ind.component == deri[ind.deri_id].component, ind.id
        assert ind.label and ind.source and ind.data_year and ind.licence and ind.note, ind.id
    assert {c.id: c.weight for c in COMPONENTS} == {"demography": 3, "deprivation": 3}


def test_every_deri_indicator_is_measured_or_listed_as_missing_with_its_stand_in():
    measured = {i.deri_id for i in INDICATORS if i.relation != model.STAND_IN}
    missing = {g.deri_id for g in GAPS}
    assert measured | missing == {d.id for d in DERI_V16}
    assert not measured & missing
    stand_ins = {i.deri_id: i.id for i in INDICATORS if i.relation == model.STAND_IN}
    assert {g.deri_id: g.stand_in for g in GAPS if g.stand_in} == stand_ins
    # Broadband and social grade have no stand-in at all.
    assert {g.deri_id for g in GAPS if g.stand_in is None} == {
        "social_grade_de",
        "below_10mbit",
        "below_30mbit",
        "download_speed",
    }


def test_weights_within_each_component_and_across_components_sum_to_one():
    method = area_risk.describe()
    shares = {}
    for ind in method["indicators"]:
        shares[ind["component"]] = shares.get(ind["component"], 0) + ind["share_of_component"]
    assert shares == pytest.approx({"demography": 1.0, "deprivation": 1.0})
    # Demography without social grade: 5/12, 5/12, 2/12. Deprivation: 4/10, 2/10, 2/10, 2/10.
    by_id = {i["id"]: i["share_of_component"] for i in method["indicators"]}
    assert by_id["aged_65_plus"] == pytest.approx(5 / 12)
    assert by_id["health_deprivation"] == pytest.approx(2 / 12)
    assert by_id["education_deprivation"] == pytest.approx(4 / 10)
    assert [c["share_of_score"] for c in method["components"]] == [0.5, 0.5]
    assert len(method["missing_from_deri"]) == 8 and method["caveats"]


def test_the_core_module_imports_no_flask_or_sqlalchemy():
    code = (
        "import sys, triage.core.area_risk; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'sqlalchemy', 'werkzeug', 'jinja2'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---- from LSOAs to wards --------------------------------------------------------------------------------

TWO = tuple(i for i in INDICATORS if i.id in {"aged_65_plus", "imd_overall"})


def test_aggregate_shares_and_population_weighted_means_by_hand():
    lsoas = [
        LsoaInputs("L1", "A", 1000, {"aged_65_plus": 200, "imd_overall": 1000}),
        LsoaInputs("L2", "A", 3000, {"aged_65_plus": 300, "imd_overall": 5000}),
        LsoaInputs("L3", "B", 2000, {"aged_65_plus": 500, "imd_overall": None}),
    ]
    a, b, c = aggregate(lsoas, [("A", "Ward A"), ("B", "Ward B"), ("C", "Ward C")], TWO)
    # A: 65+ = 100 x (200 + 300) / (1000 + 3000) = 12.5%; IMD = (1000 x 1000 + 5000 x 3000) / 4000 = 4000.
    assert a.values == {"aged_65_plus": 12.5, "imd_overall": 4000.0}
    assert (a.residents, a.lsoa_codes) == (4000, ("L1", "L2"))
    # B: 100 x 500 / 2000 = 25%; no IMD figure. C: no LSOA at all, so no figures.
    assert b.values == {"aged_65_plus": 25.0, "imd_overall": None}
    assert c.values == {"aged_65_plus": None, "imd_overall": None}
    assert (c.residents, c.lsoa_codes) == (0, ())


def test_aggregate_refuses_an_lsoa_outside_the_wards_or_given_twice():
    one = LsoaInputs("L1", "A", 10, {})
    with pytest.raises(ValueError, match="not one of the council's wards"):
        aggregate([one], [("B", "Ward B")], TWO)
    with pytest.raises(ValueError, match="twice"):
        aggregate([one, one], [("A", "Ward A")], TWO)


def imd_row(code, rank, population):
    return {"lsoa11_code": code, "population_mid2015": str(population)} | dict.fromkeys(
        area_data.IMD_COLUMNS.values(), str(rank)
    )


def test_imd_passes_to_2021_lsoas_split_and_merged():
    lookup = [
        {"lsoa11_code": "P1", "lsoa21_code": "C1"},  # P1 split into C1 and C2
        {"lsoa11_code": "P1", "lsoa21_code": "C2"},
        {"lsoa11_code": "P2", "lsoa21_code": "C3"},  # P2 and P3 merged into C3
        {"lsoa11_code": "P3", "lsoa21_code": "C3"},
        {"lsoa11_code": "P4", "lsoa21_code": "C4"},  # P4 has no IMD row
    ]
    imd = area_data.imd_by_lsoa21(
        lookup, [imd_row("P1", 100, 1500), imd_row("P2", 1000, 1000), imd_row("P3", 4000, 3000)]
    )
    assert imd["C1"]["imd_overall"] == imd["C2"]["imd_overall"] == 100
    # C3: (1000 x 1000 + 4000 x 3000) / (1000 + 3000) = 13,000,000 / 4000 = 3250.
    assert imd["C3"]["income_deprivation"] == pytest.approx(3250)
    assert imd["C4"]["imd_overall"] is None


# ---- the real Charnwood files ---------------------------------------------------------------------------


def seed_rows(part):
    with open(packs.pack(CHARNWOOD).path(part), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def charnwood():
    return area_data.compute_for((CHARNWOOD,))


def test_charnwood_has_24_wards_scored_0_to_10_and_ranked_1_to_24(charnwood):
    wards = {r["ward_code"] for r in seed_rows("wards")}
    assert len(charnwood) == 24 and {r.ward_code for r in charnwood} == wards
    for r in charnwood:
        assert 0 <= r.score <= 10
        assert all(0 <= c.score <= 10 for c in r.components)
        assert all(i.score is not None and 0 <= i.score <= 10 for i in r.reasons)
        assert sum(i.contribution for i in r.reasons) == pytest.approx(r.score)
        assert len(r.reasons) == len(INDICATORS) and r.notes == ()
        # Competition ranking: one more than the number of wards with a strictly higher score.
        shown = model.RANK_DECIMALS
        assert r.rank == 1 + sum(round(o.score, shown) > round(r.score, shown) for o in charnwood)
    assert [r.rank for r in charnwood] == sorted(r.rank for r in charnwood)
    assert charnwood[0].rank == 1 and max(r.rank for r in charnwood) <= 24
    # Min-max: on every indicator some ward scores 10 and some ward scores 0.
    for ind in INDICATORS:
        scores = [r.indicator(ind.id).score for r in charnwood]
        assert max(scores) == pytest.approx(10.0) and min(scores) == 0.0, ind.id


def test_every_charnwood_lsoa_is_counted_once_and_the_census_totals_hold():
    wards = area_data.load_ward_indicators((CHARNWOOD,))
    lsoas = [code for w in wards for code in w.lsoa_codes]
    assert len(lsoas) == len(set(lsoas)) == 102
    # Charnwood totals from the Census file (seed_data/PROVENANCE.md): 183,941 residents, 34,616 aged 65+.
    assert sum(w.residents for w in wards) == 183_941
    aged = sum(w.values["aged_65_plus"] * w.residents / 100 for w in wards)
    assert aged == pytest.approx(34_616)
    assert all(w.lsoa_codes for w in wards)


def test_charnwood_ages_match_the_separately_derived_ward_file():
    derived = {r["ward_code"]: r for r in seed_rows("ward_indicators")}
    for w in area_data.load_ward_indicators((CHARNWOOD,)):
        row = derived[w.ward_code]
        assert w.residents == int(row["census2021_usual_residents"]), w.ward_name
        assert w.values["aged_65_plus"] == pytest.approx(float(row["census2021_pct_aged_65_plus"]), abs=0.05)
        assert 0 < w.values["aged_75_plus"] < w.values["aged_65_plus"]


def test_split_2011_lsoas_give_their_imd_rank_to_both_2021_halves():
    imd = {r["lsoa11_code"]: r for r in seed_rows("imd")}
    inputs = {x.lsoa_code: x for x in area_data.lsoa_inputs(CHARNWOOD)}
    splits = [r for r in seed_rows("lsoa_lookup") if r["change_indicator"] == "S"]
    assert len(splits) == 6
    for row in splits:
        parent = imd[row["lsoa11_code"]]
        child = inputs[row["lsoa21_code"]].values
        assert child["imd_overall"] == float(parent["imd2019_rank"])
        assert child["education_deprivation"] == float(parent["education_skills_training_rank"])


def test_the_ward_with_charnwoods_most_deprived_lsoa_tops_the_deprivation_component(charnwood):
    most_deprived = min(seed_rows("imd"), key=lambda r: int(r["imd2019_rank"]))
    assert most_deprived["lsoa11_code"] == "E01025699" and most_deprived["imd2019_decile"] == "1"
    (home,) = [r for r in charnwood if most_deprived["lsoa11_code"] in r.lsoa_codes]
    assert home.ward_code == LOUGHBOROUGH_EAST
    assert home.component("deprivation").rank == 1
    assert home.indicator("imd_overall").rank == 1 and home.indicator("imd_overall").score == 10.0
    assert home.rank <= 8  # high overall, though its young population keeps demography low (rank 22)
    assert home.component("demography").rank >= 20


def test_charnwood_oldest_and_youngest_wards_sit_at_the_ends_of_the_age_scale(charnwood):
    by_code = {r.ward_code: r for r in charnwood}
    oldest = max(charnwood, key=lambda r: r.indicator("aged_65_plus").value)
    youngest = min(charnwood, key=lambda r: r.indicator("aged_65_plus").value)
    assert oldest.ward_name == "Forest Bradgate" and oldest.indicator("aged_65_plus").score == 10.0
    assert youngest.ward_name == "Loughborough Woodthorpe" and youngest.indicator("aged_65_plus").score == 0.0
    assert by_code[youngest.ward_code].component("demography").rank == 24


def test_ward_risks_and_method_read_the_configured_council():
    app = Flask("area-risk-test")
    app.extensions["council"] = profiles.load("charnwood")
    with app.app_context():
        risks = area_data.ward_risks()
        method = area_data.method()
    assert len(risks) == 24 and list(risks.values())[0].rank == 1
    assert risks[LOUGHBOROUGH_EAST].ward_name == "Loughborough East"
    assert method["version"] == model.AREA_RISK_VERSION
    assert (method["council_lad_codes"], method["ward_count"], method["lsoa_count"]) == ([CHARNWOOD], 24, 102)
    assert [i["id"] for i in method["indicators"]] == [i.id for i in INDICATORS]
    assert {f["file"] for f in method["files"]} <= {p.name for p in packs.pack(CHARNWOOD).folder.iterdir()}
    json.dumps(method)  # plain data, ready for a page or an API

    assert area_data.compute_for(("E07000999",)) == ()  # no pack for it
