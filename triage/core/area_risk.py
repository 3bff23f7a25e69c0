"""The ward area risk index: a DERI-style score (0 to 10) from published open data, with its reasons.

The definition (indicators, components, weights, gaps, caveats) and its version are in area_risk_model;
this module is the arithmetic on it, and `describe`, which gives the definition as plain data.

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

from triage.core import area_risk_model as m
from triage.core.area_risk_model import Component, Indicator

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
    version: str = m.AREA_RISK_VERSION
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


def min_max_scores(values: Mapping[str, float | None], direction: str) -> dict[str, float | None]:
    """Each key's value scaled 0-10 across all keys; None stays None; all equal gives 0 for every key."""
    if direction not in m.DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}")
    present = [v for v in values.values() if v is not None]
    if not present:
        return dict.fromkeys(values)
    low, high = min(present), max(present)
    if high == low:
        return {k: (None if v is None else 0.0) for k, v in values.items()}
    span = high - low
    if direction == m.HIGHER_IS_RISKIER:
        return {k: (None if v is None else m.SCORE_MAX * (v - low) / span) for k, v in values.items()}
    return {k: (None if v is None else m.SCORE_MAX * (high - v) / span) for k, v in values.items()}


def rank_descending(scores: Mapping[str, float | None], decimals: int = m.RANK_DECIMALS) -> dict[str, int | None]:
    """Competition ranks, highest score first: 9, 7, 7, 3 rank 1, 2, 2, 4. None has no rank.

    Scores are compared rounded to `decimals` places, so 5.14 and 5.13 tie (both show as 5.1).
    """
    keyed = {k: round(v, decimals) for k, v in scores.items() if v is not None}
    ordered = sorted(keyed.values(), reverse=True)
    first: dict[float, int] = {}
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
    if not components:
        raise ValueError("a definition needs at least one component")
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
        if i.direction not in m.DIRECTIONS or i.aggregation not in m.AGGREGATIONS or i.relation not in m.RELATIONS:
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
    if indicator.unit == m.PERCENT:
        return f"{value:.1f}% of residents"
    return f"average rank {value:,.0f} of {m.IMD_LSOAS_IN_ENGLAND:,} in England (1 = most deprived)"


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


@dataclass(frozen=True)
class _Combined:
    """One component across all wards: its indicators, each ward's component score, and the ranks."""

    component: Component
    members: tuple[_Scaled, ...]
    scores: dict[str, float | None]
    ranks: dict[str, int | None]


def _combine_all(
    wards: Sequence[WardIndicators], scaled: Sequence[_Scaled], components: Sequence[Component]
) -> list[_Combined]:
    combined = []
    for comp in components:
        members = tuple(s for s in scaled if s.indicator.component == comp.id)
        scores = {
            w.ward_code: weighted_mean((s.scores[w.ward_code], s.indicator.weight) for s in members) for w in wards
        }
        combined.append(_Combined(comp, members, scores, rank_descending(scores)))
    return combined


def _missing_notes(ward: WardIndicators, combined: Sequence[_Combined]) -> list[str]:
    """The notes for the figures this ward (or every ward) has no value for."""
    code, notes = ward.ward_code, []
    for c in combined:
        for s in c.members:
            if s.council_note:
                notes.append(s.council_note)
            elif s.scores[code] is None:
                notes.append(
                    f"{s.indicator.label}: no figure for this ward, so it is left out of the {c.component.label} "
                    "score and the other indicators there are weighed without it."
                )
        if c.scores[code] is None:
            notes.append(f"{c.component.label}: no figures for this ward, so the overall score leaves it out.")
    return notes


def _ward_risk(ward: WardIndicators, combined: Sequence[_Combined], count: int) -> WardRisk:
    code = ward.ward_code
    overall = weighted_mean((c.scores[code], c.component.weight) for c in combined)
    component_total = sum(c.component.weight for c in combined if c.scores[code] is not None)
    built = []
    for c in combined:
        score = c.scores[code]
        comp_share = c.component.weight / component_total if score is not None else 0.0
        weight_total = sum(s.indicator.weight for s in c.members if s.scores[code] is not None)
        reasons = tuple(_reason(s, ward, comp_share, weight_total, count) for s in c.members)
        built.append(
            ComponentScore(
                c.component.id, c.component.label, score, c.component.weight, comp_share, c.ranks[code], reasons
            )
        )
    return WardRisk(
        ward_code=code,
        ward_name=ward.ward_name,
        score=overall,
        rank=None,  # filled in by compute, once every ward is scored
        components=tuple(built),
        notes=tuple(dict.fromkeys(_missing_notes(ward, combined))),
        residents=ward.residents,
        lsoa_codes=ward.lsoa_codes,
        ward_count=count,
    )


def compute(
    wards: Sequence[WardIndicators],
    indicators: Sequence[Indicator] = m.INDICATORS,
    components: Sequence[Component] = m.COMPONENTS,
) -> list[WardRisk]:
    """Score every ward 0-10 across the wards given, with ranks and reasons; highest risk first.

    Wards tied on score are ordered by name. A ward with no figure for an indicator is scored on the
    others (and its notes say so). Raises ValueError for a bad definition or duplicate/unknown inputs.
    """
    _check_definition(indicators, components)
    _check_wards(wards, indicators)
    if not wards:
        return []
    combined = _combine_all(wards, _scale_all(wards, indicators), components)
    risks = [_ward_risk(w, combined, len(wards)) for w in wards]
    ranks = rank_descending({r.ward_code: r.score for r in risks})
    ranked = [replace(r, rank=ranks[r.ward_code]) for r in risks]
    return sorted(ranked, key=lambda r: (r.rank is None, r.rank or 0, r.ward_name))


# ---- from LSOAs to wards -------------------------------------------------------------------------------


def _ward_value(indicator: Indicator, lsoas: Sequence[LsoaInputs]) -> float | None:
    values = [(lsoa.values.get(indicator.id), lsoa.residents) for lsoa in lsoas]
    pairs = [(v, n) for v, n in values if v is not None and n > 0]
    residents = sum(n for _, n in pairs)
    if not pairs or residents <= 0:
        return None
    if indicator.aggregation == m.SHARE_OF_RESIDENTS:
        return 100.0 * sum(v for v, _ in pairs) / residents
    return sum(v * n for v, n in pairs) / residents


def aggregate(
    lsoas: Iterable[LsoaInputs],
    wards: Sequence[tuple[str, str]],
    indicators: Sequence[Indicator] = m.INDICATORS,
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


def describe(indicators: Sequence[Indicator] = m.INDICATORS, components: Sequence[Component] = m.COMPONENTS) -> dict:
    """The whole definition as plain data (JSON-ready): what is scored, how, from what, and what is missing."""
    component_total = sum(c.weight for c in components)
    deri = {d.id: d for d in m.DERI_V16}
    return {
        "version": m.AREA_RISK_VERSION,
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
        "rank_decimals": m.RANK_DECIMALS,
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
            for g in m.GAPS
        ],
        "caveats": list(m.CAVEATS),
    }


__all__ = [
    "ComponentScore",
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
