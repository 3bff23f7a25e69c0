"""The ward area risk index: a DERI-style score (0 to 10) from published open data, with its reasons.

The definition lives here, in one place, and is versioned (AREA_RISK_VERSION): the indicators (with
source, data year, licence and direction), the components and their weights, and what is missing
against GMCA's Digital Exclusion Risk Index (DERI) v1.6. To change a weight or an indicator, add a new
version rather than editing this one once it has been published.

Method (DERI v1.6, "local" base; see docs/area-risk.md and docs/triage-model.md section 4.1):
1. each indicator is scored 0 to 10 by min-max across the council's wards,
   10 x (x - min) / (max - min), or 10 x (max - x) / (max - min) where a lower value means more risk;
2. a component is the weighted mean of its indicator scores, sum(score x weight) / sum(weights), over
   the indicators the ward has a figure for (the corrected normalisation: the weights always sum to 1);
3. the overall score is the weighted mean of the component scores in the same way;
4. ranks: 1 = highest risk; wards whose scores are equal to one decimal place (as shown) share a rank
   (1, 2, 2, 4).

LSOA figures are brought to wards by `aggregate` (shares of residents, or population-weighted means),
using a best-fit LSOA-to-ward assignment the caller supplies. Pure: no Flask, no database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

AREA_RISK_VERSION = "2026.1"
SCORE_MAX = 10.0

# Direction: which end of an indicator means more risk.
HIGHER_IS_RISKIER = "higher_is_riskier"
LOWER_IS_RISKIER = "lower_is_riskier"
DIRECTIONS = (HIGHER_IS_RISKIER, LOWER_IS_RISKIER)

# Aggregation from LSOAs to a ward. For a share, the LSOA value is a count of residents; the ward value
# is 100 x sum(counts) / sum(residents). For a mean, the ward value is sum(value x residents) / sum(residents).
SHARE_OF_RESIDENTS = "share_of_residents"
POPULATION_WEIGHTED_MEAN = "population_weighted_mean"
AGGREGATIONS = (SHARE_OF_RESIDENTS, POPULATION_WEIGHTED_MEAN)

# How an indicator relates to the DERI v1.6 indicator it implements.
SAME = "same"  # the same measure (perhaps a newer edition)
CLOSE = "close"  # the same source in another form (IMD rank instead of IMD score)
STAND_IN = "stand_in"  # a different measure standing in for a DERI indicator we have no data for
RELATIONS = (SAME, CLOSE, STAND_IN)

PERCENT = "percent"
RANK = "rank"
IMD_LSOAS_IN_ENGLAND = 32_844

OGL = "Open Government Licence v3.0"
CENSUS_2021 = (
    "ONS Census 2021, table RM121 (sex by age), usual residents by LSOA (2021), from Nomis "
    "(via GreaterManchesterODA/Digital-Exclusion-Risk-Index)"
)
CENSUS_YEAR = "2021 (Census day, 21 March 2021)"
IOD_2019 = "English Indices of Deprivation 2019 (MHCLG), LSOA (2011)"
IOD_YEAR = "2019 (published September 2019; most underlying data from 2015 to 2017)"


@dataclass(frozen=True)
class Component:
    id: str
    label: str
    weight: float


@dataclass(frozen=True)
class DeriIndicator:
    """One of the 11 indicators of GMCA's DERI v1.6, with its default weight, for reference."""

    id: str
    label: str
    component: str
    weight: float
    v16_source: str


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str  # plain English, to start a sentence
    component: str
    weight: float  # within its component (the DERI v1.6 default of the DERI indicator it implements)
    direction: str
    unit: str  # PERCENT or RANK
    aggregation: str
    source: str
    data_year: str
    licence: str
    deri_id: str
    relation: str
    note: str


@dataclass(frozen=True)
class Gap:
    """A DERI v1.6 indicator we cannot measure as DERI does, why, and what (if anything) stands in."""

    deri_id: str
    why: str
    stand_in: str | None = None


DERI_V16_COMPONENTS: tuple[Component, ...] = (
    Component("demography", "Demography", 3),
    Component("deprivation", "Deprivation", 3),
    Component("broadband", "Broadband", 3),
)

DERI_V16: tuple[DeriIndicator, ...] = (
    DeriIndicator("age_65_plus", "Percentage aged 65 and over", "demography", 5, "ONS mid-year estimates 2020"),
    DeriIndicator("age_75_plus", "Percentage aged 75 and over", "demography", 5, "ONS mid-year estimates 2020"),
    DeriIndicator("disability", "Percentage whose day-to-day activities are limited", "demography", 2, "Census 2011"),
    DeriIndicator("social_grade_de", "Percentage in social grade DE", "demography", 2, "Census 2011"),
    DeriIndicator(
        "no_qualifications", "Percentage of residents aged 16+ with no qualifications", "deprivation", 4, "Census 2011"
    ),
    DeriIndicator(
        "unemployment", "Unemployment rate (Alternative Claimant Count)", "deprivation", 2, "DWP Stat-Xplore, Aug 2022"
    ),
    DeriIndicator(
        "pension_credit",
        "Guarantee Pension Credit claimants per 1,000 residents aged 65+",
        "deprivation",
        2,
        "DWP Stat-Xplore, May 2022",
    ),
    DeriIndicator("imd_score", "Index of Multiple Deprivation 2019 score", "deprivation", 2, "mySociety GB IMD"),
    DeriIndicator(
        "below_10mbit", "Percentage of connections receiving under 10 Mbit/s", "broadband", 3, "Ofcom, May 2022"
    ),
    DeriIndicator(
        "below_30mbit", "Percentage of premises unable to receive 30 Mbit/s", "broadband", 3, "Ofcom, May 2022"
    ),
    DeriIndicator("download_speed", "Average download speed (lower is riskier)", "broadband", 3, "Ofcom, May 2022"),
)

# The components this version scores: DERI's, less broadband (no data; see GAPS), with DERI's weights.
COMPONENTS: tuple[Component, ...] = tuple(c for c in DERI_V16_COMPONENTS if c.id != "broadband")

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="aged_65_plus",
        label="Residents aged 65 or over",
        component="demography",
        weight=5,
        direction=HIGHER_IS_RISKIER,
        unit=PERCENT,
        aggregation=SHARE_OF_RESIDENTS,
        source=CENSUS_2021,
        data_year=CENSUS_YEAR,
        licence=OGL,
        deri_id="age_65_plus",
        relation=SAME,
        note="DERI v1.6 used the ONS mid-2020 estimates; Census 2021 is the same measure a year later.",
    ),
    Indicator(
        id="aged_75_plus",
        label="Residents aged 75 or over",
        component="demography",
        weight=5,
        direction=HIGHER_IS_RISKIER,
        unit=PERCENT,
        aggregation=SHARE_OF_RESIDENTS,
        source=CENSUS_2021,
        data_year=CENSUS_YEAR,
        licence=OGL,
        deri_id="age_75_plus",
        relation=SAME,
        note="The 75-79, 80-84 and 85+ age bands added together. DERI v1.6 used the ONS mid-2020 estimates.",
    ),
    Indicator(
        id="health_deprivation",
        label="Health deprivation and disability (IMD 2019 domain)",
        component="demography",
        weight=2,
        direction=LOWER_IS_RISKIER,
        unit=RANK,
        aggregation=POPULATION_WEIGHTED_MEAN,
        source=f"{IOD_2019}, Health Deprivation and Disability domain rank",
        data_year=IOD_YEAR,
        licence=OGL,
        deri_id="disability",
        relation=STAND_IN,
        note=(
            "Stands in for DERI's share of residents whose day-to-day activities are limited (not in our data). "
            "The domain measures early death, illness and disability (including disability benefit claims) "
            "and mood and anxiety disorders. Population-weighted average rank; 1 = most deprived in England."
        ),
    ),
    Indicator(
        id="imd_overall",
        label="Index of Multiple Deprivation 2019 (overall)",
        component="deprivation",
        weight=2,
        direction=LOWER_IS_RISKIER,
        unit=RANK,
        aggregation=POPULATION_WEIGHTED_MEAN,
        source=f"{IOD_2019}, Index of Multiple Deprivation rank",
        data_year=IOD_YEAR,
        licence=OGL,
        deri_id="imd_score",
        relation=CLOSE,
        note=(
            "DERI uses the IMD score; our data hold only ranks, so this is the population-weighted average rank "
            "(as in MHCLG's own 'average rank' summary for larger areas). 1 = most deprived of 32,844 LSOAs."
        ),
    ),
    Indicator(
        id="education_deprivation",
        label="Education, skills and training deprivation (IMD 2019 domain)",
        component="deprivation",
        weight=4,
        direction=LOWER_IS_RISKIER,
        unit=RANK,
        aggregation=POPULATION_WEIGHTED_MEAN,
        source=f"{IOD_2019}, Education, Skills and Training domain rank",
        data_year=IOD_YEAR,
        licence=OGL,
        deri_id="no_qualifications",
        relation=STAND_IN,
        note=(
            "Stands in for DERI's share of residents aged 16+ with no qualifications (not in our data). The "
            "domain's adult skills part is the share of working-age adults with no or low qualifications "
            "(Census 2011) or who cannot speak English well; its other part is children's attainment."
        ),
    ),
    Indicator(
        id="employment_deprivation",
        label="Employment deprivation (IMD 2019 domain)",
        component="deprivation",
        weight=2,
        direction=LOWER_IS_RISKIER,
        unit=RANK,
        aggregation=POPULATION_WEIGHTED_MEAN,
        source=f"{IOD_2019}, Employment domain rank",
        data_year=IOD_YEAR,
        licence=OGL,
        deri_id="unemployment",
        relation=STAND_IN,
        note=(
            "Stands in for DERI's unemployment rate (DWP Alternative Claimant Count, not in our data). The "
            "domain is the share of working-age people out of work through unemployment, sickness, "
            "disability or caring, from benefit claims."
        ),
    ),
    Indicator(
        id="income_deprivation",
        label="Income deprivation (IMD 2019 domain)",
        component="deprivation",
        weight=2,
        direction=LOWER_IS_RISKIER,
        unit=RANK,
        aggregation=POPULATION_WEIGHTED_MEAN,
        source=f"{IOD_2019}, Income domain rank",
        data_year=IOD_YEAR,
        licence=OGL,
        deri_id="pension_credit",
        relation=STAND_IN,
        note=(
            "Stands in for DERI's Guarantee Pension Credit claimants per 1,000 aged 65+ (DWP, not in our data). "
            "The domain is the share of people of all ages on low incomes, counting Pension Credit (Guarantee) "
            "among other benefits; it is not specific to older people."
        ),
    ),
)

GAPS: tuple[Gap, ...] = (
    Gap(
        "disability",
        "Census 2021 disability (table TS038) is not in the project's data folder.",
        stand_in="health_deprivation",
    ),
    Gap(
        "social_grade_de",
        "Census social grade is not in the project's data folder, and no IMD domain measures occupation, so "
        "nothing stands in for it: the demography component weighs its other three indicators 5 : 5 : 2.",
    ),
    Gap(
        "no_qualifications",
        "Census 2021 qualifications (table TS067) are not in the project's data folder.",
        stand_in="education_deprivation",
    ),
    Gap(
        "unemployment",
        "The DWP Alternative Claimant Count needs a Stat-Xplore account and is not in the project's data folder.",
        stand_in="employment_deprivation",
    ),
    Gap(
        "pension_credit",
        "DWP Pension Credit caseload needs a Stat-Xplore account and is not in the project's data folder.",
        stand_in="income_deprivation",
    ),
    Gap(
        "below_10mbit",
        "Ofcom Connected Nations output-area data are not in the project's data folder, so the whole broadband "
        "component is left out: the overall score is demography and deprivation, weighted 3 : 3.",
    ),
    Gap("below_30mbit", "Ofcom Connected Nations data are not in the project's data folder (see above)."),
    Gap("download_speed", "Ofcom Connected Nations data are not in the project's data folder (see above)."),
)

CAVEATS: tuple[str, ...] = (
    "Indicative only. It shows where people are more likely to be at risk of digital exclusion, from area "
    "statistics; it does not say who is excluded. Many people in a low-scoring ward need help too.",
    "Do not set targets on it, and do not read a change between versions or years as progress: the scores "
    "are relative (one ward's score falls only if another's rises), and populations move (GMCA's guidance "
    "for the DERI).",
    "Do not fund or cut a service on the score alone: investigate locally first (what support is already "
    "there, what residents and partners say).",
    "Scores are scaled across this council's wards only (DERI's 'local' base): 0 is the lowest ward and 10 the "
    "highest on each indicator, so a score says nothing about other councils.",
    "With only a couple of dozen wards, min-max scaling is sensitive to outliers: one extreme ward stretches "
    "the scale and squeezes the rest together. The ranks are shown as well for this reason.",
    "LSOAs do not fit inside wards. Each LSOA is given wholly to one best-fit ward (the ward holding most of "
    "its postcodes), which is an approximation, not the official ONS lookup; some ward figures cover "
    "noticeably more or fewer residents than the ward really has.",
    "Not the DERI itself: broadband speeds and social grade are missing, and four DERI indicators are stood in "
    "for by IMD 2019 domains (listed in the method). Scores are not comparable with published DERI scores.",
    "The IMD 2019 figures describe LSOAs as they were in 2011, with data mostly from 2015 to 2017; an LSOA "
    "that was split in 2021 passes its 2011 rank to both halves.",
)


# ---- results -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WardIndicators:
    """One ward's raw indicator values (indicator id -> value, None when there is no figure)."""

    ward_code: str
    ward_name: str
    values: Mapping[str, float | None]
    residents: int | None = None  # Census 2021 usual residents of the ward's best-fit LSOAs
    lsoa_codes: tuple[str, ...] = ()  # the best-fit LSOAs (2021) the values were built from

    def __post_init__(self):
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))


@dataclass(frozen=True)
class LsoaInputs:
    """One LSOA's inputs for `aggregate`: a count of residents for a share, a value for a mean."""

    lsoa_code: str
    ward_code: str  # the best-fit ward
    residents: int
    values: Mapping[str, float | None]

    def __post_init__(self):
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))


@dataclass(frozen=True)
class IndicatorScore:
    """One reason: an indicator's value for the ward, its 0-10 score, and what it adds to the overall score."""

    indicator_id: str
    label: str
    component: str
    value: float | None
    score: float | None  # 0 to 10; None when the ward has no figure
    weight: float  # the indicator's weight within its component
    share_of_component: float  # weight / sum of the weights the ward has figures for in the component
    share_of_score: float  # the part of the overall score it carries (0 when missing)
    contribution: float  # score x share_of_score: the contributions add up to the overall score
    rank: int | None  # among the wards on this indicator, 1 = highest risk
    text: str
    note: str = ""  # said when every ward has the same value, or the ward has no figure


@dataclass(frozen=True)
class ComponentScore:
    component_id: str
    label: str
    score: float | None  # 0 to 10; None when the ward has no figure for any of its indicators
    weight: float
    share_of_score: float
    rank: int | None
    indicators: tuple[IndicatorScore, ...]


@dataclass(frozen=True)
class WardRisk:
    ward_code: str
    ward_name: str
    score: float | None  # 0 to 10; None only when the ward has no figures at all
    rank: int | None  # 1 = highest risk; tied wards share a rank
    components: tuple[ComponentScore, ...]
    notes: tuple[str, ...]
    residents: int | None = None
    lsoa_codes: tuple[str, ...] = ()
    version: str = AREA_RISK_VERSION
    ward_count: int = 0

    @property
    def reasons(self) -> tuple[IndicatorScore, ...]:
        """Every indicator, in definition order, with its value, score, weight and contribution."""
        return tuple(i for c in self.components for i in c.indicators)

    def component(self, component_id: str) -> ComponentScore:
        return next(c for c in self.components if c.component_id == component_id)

    def indicator(self, indicator_id: str) -> IndicatorScore:
        return next(i for i in self.reasons if i.indicator_id == indicator_id)


# ---- the arithmetic ------------------------------------------------------------------------------------

# Ranks are taken on scores rounded as the pages show them (one decimal place), so wards that show the
# same score share a rank: differences smaller than that are well inside the data's own error.
RANK_DECIMALS = 1


def min_max_scores(values: Mapping[str, float | None], direction: str) -> dict[str, float | None]:
    """Each key's value scaled 0-10 across all keys; None stays None; all equal gives 0 for every key."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}")
    present = [v for v in values.values() if v is not None]
    if not present:
        return dict.fromkeys(values)
    low, high = min(present), max(present)
    if high == low:
        return {k: (None if v is None else 0.0) for k, v in values.items()}
    span = high - low
    if direction == HIGHER_IS_RISKIER:
        return {k: (None if v is None else SCORE_MAX * (v - low) / span) for k, v in values.items()}
    return {k: (None if v is None else SCORE_MAX * (high - v) / span) for k, v in values.items()}


def rank_descending(scores: Mapping[str, float | None], decimals: int = RANK_DECIMALS) -> dict[str, int | None]:
    """Competition ranks, highest score first: 9, 7, 7, 3 rank 1, 2, 2, 4. None has no rank.

    Scores are compared rounded to `decimals` places, so 5.14 and 5.13 tie (both show as 5.1).
    """
    keyed = {k: round(v, decimals) for k, v in scores.items() if v is not None}
    ordered = sorted(keyed.values(), reverse=True)
    first = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {k: (first[keyed[k]] if k in keyed else None) for k in scores}


def weighted_mean(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """sum(score x weight) / sum(weights) over the pairs with a score; None when none has one."""
    present = [(s, w) for s, w in pairs if s is not None]
    total = sum(w for _, w in present)
    if not present or total <= 0:
        return None
    return sum(s * w for s, w in present) / total


def _check_definition(indicators: Sequence[Indicator], components: Sequence[Component]) -> None:
    component_ids = [c.id for c in components]
    if len(set(component_ids)) != len(component_ids):
        raise ValueError("component ids must be unique")
    ids = [i.id for i in indicators]
    if len(set(ids)) != len(ids):
        raise ValueError("indicator ids must be unique")
    for c in components:
        if not (math.isfinite(c.weight) and c.weight > 0):
            raise ValueError(f"component {c.id}: the weight must be a positive number")
        if not any(i.component == c.id for i in indicators):
            raise ValueError(f"component {c.id} has no indicators")
    for i in indicators:
        if i.component not in component_ids:
            raise ValueError(f"indicator {i.id}: unknown component {i.component!r}")
        if not (math.isfinite(i.weight) and i.weight > 0):
            raise ValueError(f"indicator {i.id}: the weight must be a positive number")
        if i.direction not in DIRECTIONS or i.aggregation not in AGGREGATIONS or i.relation not in RELATIONS:
            raise ValueError(f"indicator {i.id}: unknown direction, aggregation or relation")


def _check_wards(wards: Sequence[WardIndicators], indicators: Sequence[Indicator]) -> None:
    codes = [w.ward_code for w in wards]
    if len(set(codes)) != len(codes):
        raise ValueError("ward codes must be unique")
    known = {i.id for i in indicators}
    for w in wards:
        unknown = set(w.values) - known
        if unknown:
            raise ValueError(f"ward {w.ward_code}: unknown indicators {sorted(unknown)}")
        for key, value in w.values.items():
            if value is not None and not math.isfinite(value):
                raise ValueError(f"ward {w.ward_code}: {key} must be a number or None, not {value!r}")


def format_value(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return "no figure"
    if indicator.unit == PERCENT:
        return f"{value:.1f}% of residents"
    return f"average rank {value:,.0f} of {IMD_LSOAS_IN_ENGLAND:,} in England (1 = most deprived)"


def _rank_text(rank: int | None, count: int) -> str:
    return f"rank {rank} of {count} wards" if rank is not None else "not ranked"


@dataclass(frozen=True)
class _Scaled:
    """One indicator across all wards: scores, ranks, and a note for the whole council (if any)."""

    indicator: Indicator
    scores: dict[str, float | None]
    ranks: dict[str, int | None]
    council_note: str


def _scale_all(wards: Sequence[WardIndicators], indicators: Sequence[Indicator]) -> list[_Scaled]:
    scaled = []
    for ind in indicators:
        values = {w.ward_code: w.values.get(ind.id) for w in wards}
        scores = min_max_scores(values, ind.direction)
        present = {v for v in values.values() if v is not None}
        if not present:
            note = f"{ind.label}: no ward has a figure, so it is left out for every ward."
        elif len(present) == 1 and len(wards) > 1:
            note = (
                f"{ind.label}: every ward with a figure has the same value, so it scores 0 for all of them "
                "and does not tell the wards apart."
            )
        else:
            note = ""
        scaled.append(_Scaled(ind, scores, rank_descending(scores), note))
    return scaled


def _indicator_text(ind: Indicator, value: float | None, score: float | None, rank: str, share: float) -> str:
    if score is None:
        return f"{ind.label}: no figure for this ward, so it is left out of this ward's {ind.component} score."
    return (
        f"{ind.label}: {format_value(ind, value)}. Scores {score:.1f} out of 10 ({rank}); "
        f"weight {ind.weight:g}, {share:.0%} of the {ind.component} score."
    )


def _reason(s: _Scaled, ward: WardIndicators, comp_share: float, weight_total: float, count: int) -> IndicatorScore:
    ind, score, rank = s.indicator, s.scores[ward.ward_code], s.ranks[ward.ward_code]
    in_comp = ind.weight / weight_total if score is not None else 0.0
    value = ward.values.get(ind.id)
    note = s.council_note or ("" if score is not None else "No figure for this ward.")
    text = _indicator_text(ind, value, score, _rank_text(rank, count), in_comp)
    return IndicatorScore(
        indicator_id=ind.id,
        label=ind.label,
        component=ind.component,
        value=value,
        score=score,
        weight=ind.weight,
        share_of_component=in_comp,
        share_of_score=in_comp * comp_share,
        contribution=(score or 0.0) * in_comp * comp_share,
        rank=rank,
        text=f"{text} {s.council_note}" if s.council_note else text,
        note=note,
    )


def _ward_components(
    ward: WardIndicators, scaled: Sequence[_Scaled], components: Sequence[Component]
) -> tuple[list[tuple[Component, float | None, list[_Scaled]]], list[str]]:
    """Per component: its score for this ward and its indicators; plus notes for missing figures."""
    out, notes = [], []
    for comp in components:
        members = [s for s in scaled if s.indicator.component == comp.id]
        score = weighted_mean((s.scores[ward.ward_code], s.indicator.weight) for s in members)
        for s in members:
            if s.council_note:
                notes.append(s.council_note)
            elif s.scores[ward.ward_code] is None:
                notes.append(
                    f"{s.indicator.label}: no figure for this ward, so it is left out of the {comp.label} score "
                    "and the other indicators there are weighed without it."
                )
        if score is None:
            notes.append(f"{comp.label}: no figures for this ward, so the overall score leaves it out.")
        out.append((comp, score, members))
    return out, notes


def _ward_risk(
    ward: WardIndicators,
    scaled: Sequence[_Scaled],
    components: Sequence[Component],
    component_ranks: Mapping[str, Mapping[str, int | None]],
) -> WardRisk:
    code, count = ward.ward_code, len(component_ranks[components[0].id])
    parts, notes = _ward_components(ward, scaled, components)
    overall = weighted_mean((score, comp.weight) for comp, score, _ in parts)
    component_total = sum(comp.weight for comp, score, _ in parts if score is not None)
    built = []
    for comp, score, members in parts:
        comp_share = comp.weight / component_total if score is not None else 0.0
        weight_total = sum(s.indicator.weight for s in members if s.scores[code] is not None)
        reasons = tuple(_reason(s, ward, comp_share, weight_total, count) for s in members)
        rank = component_ranks[comp.id][code]
        built.append(ComponentScore(comp.id, comp.label, score, comp.weight, comp_share, rank, reasons))
    return WardRisk(
        ward_code=code,
        ward_name=ward.ward_name,
        score=overall,
        rank=None,  # filled in by compute, once every ward is scored
        components=tuple(built),
        notes=tuple(dict.fromkeys(notes)),
        residents=ward.residents,
        lsoa_codes=ward.lsoa_codes,
        ward_count=count,
    )


def compute(
    wards: Sequence[WardIndicators],
    indicators: Sequence[Indicator] = INDICATORS,
    components: Sequence[Component] = COMPONENTS,
) -> list[WardRisk]:
    """Score every ward 0-10 across the wards given, with ranks and reasons; highest risk first.

    Wards tied on score are ordered by name. A ward with no figure for an indicator is scored on the
    others (and its notes say so). Raises ValueError for a bad definition or duplicate/unknown inputs.
    """
    _check_definition(indicators, components)
    _check_wards(wards, indicators)
    if not wards:
        return []
    scaled = _scale_all(wards, indicators)
    component_scores = {
        comp.id: {
            w.ward_code: weighted_mean(
                (s.scores[w.ward_code], s.indicator.weight) for s in scaled if s.indicator.component == comp.id
            )
            for w in wards
        }
        for comp in components
    }
    component_ranks = {cid: rank_descending(scores) for cid, scores in component_scores.items()}
    risks = [_ward_risk(w, scaled, components, component_ranks) for w in wards]
    ranks = rank_descending({r.ward_code: r.score for r in risks})
    ranked = [replace(r, rank=ranks[r.ward_code]) for r in risks]
    return sorted(ranked, key=lambda r: (r.rank is None, r.rank or 0, r.ward_name))


# ---- from LSOAs to wards -------------------------------------------------------------------------------


def _ward_value(indicator: Indicator, lsoas: Sequence[LsoaInputs]) -> float | None:
    pairs = [(lsoa.values.get(indicator.id), lsoa.residents) for lsoa in lsoas]
    pairs = [(v, n) for v, n in pairs if v is not None and n > 0]
    residents = sum(n for _, n in pairs)
    if not pairs or residents <= 0:
        return None
    if indicator.aggregation == SHARE_OF_RESIDENTS:
        return 100.0 * sum(v for v, _ in pairs) / residents
    return sum(v * n for v, n in pairs) / residents


def aggregate(
    lsoas: Iterable[LsoaInputs],
    wards: Sequence[tuple[str, str]],
    indicators: Sequence[Indicator] = INDICATORS,
) -> list[WardIndicators]:
    """Ward values from LSOA inputs, each LSOA counted wholly in its best-fit ward.

    `wards` is (code, name) for every ward of the council, in the order wanted; a ward with no LSOA gets
    no figures (None). A share is 100 x sum(counts) / sum(residents) over the LSOAs with a count; a mean
    is sum(value x residents) / sum(residents) over the LSOAs with a value. Raises ValueError for an LSOA
    in a ward not listed, or an LSOA given twice.
    """
    by_ward: dict[str, list[LsoaInputs]] = {code: [] for code, _ in wards}
    seen = set()
    for lsoa in lsoas:
        if lsoa.lsoa_code in seen:
            raise ValueError(f"LSOA {lsoa.lsoa_code} is given twice")
        seen.add(lsoa.lsoa_code)
        if lsoa.ward_code not in by_ward:
            raise ValueError(f"LSOA {lsoa.lsoa_code}: ward {lsoa.ward_code} is not one of the council's wards")
        by_ward[lsoa.ward_code].append(lsoa)
    result = []
    for code, name in wards:
        members = sorted(by_ward[code], key=lambda x: x.lsoa_code)
        result.append(
            WardIndicators(
                ward_code=code,
                ward_name=name,
                values={ind.id: _ward_value(ind, members) for ind in indicators},
                residents=sum(m.residents for m in members),
                lsoa_codes=tuple(m.lsoa_code for m in members),
            )
        )
    return result


# ---- the definition, for the method page and the docs --------------------------------------------------


def describe(indicators: Sequence[Indicator] = INDICATORS, components: Sequence[Component] = COMPONENTS) -> dict:
    """The whole definition as plain data (JSON-ready): what is scored, how, from what, and what is missing."""
    component_total = sum(c.weight for c in components)
    deri = {d.id: d for d in DERI_V16}
    return {
        "version": AREA_RISK_VERSION,
        "name": "Area digital exclusion risk (DERI-style)",
        "based_on": "GMCA Digital Exclusion Risk Index (DERI) v1.6, November 2022 (Open Government Licence v3.0)",
        "scale": "0 (lowest risk among the council's wards) to 10 (highest)",
        "scaling": (
            "Each indicator: 10 x (value - lowest ward) / (highest ward - lowest ward), reversed where a lower "
            "value means more risk (DERI's 'local' base). If every ward has the same value, every ward scores 0."
        ),
        "combining": (
            "A component is sum(score x weight) / sum(weights) over the indicators the ward has figures for; "
            "the overall score combines the components the same way. A missing figure is left out of that "
            "ward's mean, and the other weights are re-scaled."
        ),
        "ranking": (
            "1 = highest risk. Scores are compared to one decimal place, as shown, and wards that show the same "
            "score share a rank (1, 2, 2, 4)."
        ),
        "rank_decimals": RANK_DECIMALS,
        "components": [
            {
                "id": c.id,
                "label": c.label,
                "weight": c.weight,
                "share_of_score": c.weight / component_total,
                "indicators": [i.id for i in indicators if i.component == c.id],
            }
            for c in components
        ],
        "indicators": [
            {
                "id": i.id,
                "label": i.label,
                "component": i.component,
                "weight": i.weight,
                "share_of_component": i.weight / sum(j.weight for j in indicators if j.component == i.component),
                "direction": i.direction,
                "unit": i.unit,
                "aggregation": i.aggregation,
                "source": i.source,
                "data_year": i.data_year,
                "licence": i.licence,
                "deri_indicator": deri[i.deri_id].label if i.deri_id in deri else i.deri_id,
                "relation": i.relation,
                "note": i.note,
            }
            for i in indicators
        ],
        "missing_from_deri": [
            {
                "deri_indicator": deri[g.deri_id].label,
                "component": deri[g.deri_id].component,
                "deri_weight": deri[g.deri_id].weight,
                "deri_v16_source": deri[g.deri_id].v16_source,
                "why": g.why,
                "stand_in": g.stand_in,
            }
            for g in GAPS
        ],
        "caveats": list(CAVEATS),
    }


__all__ = [
    "AREA_RISK_VERSION",
    "CAVEATS",
    "COMPONENTS",
    "DERI_V16",
    "DERI_V16_COMPONENTS",
    "GAPS",
    "INDICATORS",
    "Component",
    "ComponentScore",
    "DeriIndicator",
    "Gap",
    "Indicator",
    "IndicatorScore",
    "LsoaInputs",
    "WardIndicators",
    "WardRisk",
    "aggregate",
    "compute",
    "describe",
    "format_value",
    "min_max_scores",
    "rank_descending",
    "weighted_mean",
]
