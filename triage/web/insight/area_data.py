"""The council's ward area risk index, computed from the open data files of its area packs (seed_data/areas/).

Reads CSV files only (never the database) and caches the result per set of districts, so the page
costs nothing after the first call. The index itself is defined in triage/core/area_risk_model.py
(indicators, weights) and computed by triage/core/area_risk.py (scaling, ranks); this module only
turns the files into its inputs:

- Census 2021 (LSOA 2021): residents, aged 65+ and aged 75+ (the 75-79, 80-84 and 85+ bands);
- IMD 2019 (LSOA 2011): the overall rank and the income, employment, education and health domain ranks,
  passed to the 2021 LSOAs through the ONS LSOA11-to-LSOA21 lookup (an LSOA split in 2021 gives its rank
  to both halves; one made by merging takes its parents' mean, weighted by their mid-2015 population);
- each 2021 LSOA counted wholly in its derived best-fit ward, weighted by its Census 2021 residents.

A council over several districts (a county) has one index over all their wards, scaled across them all.
Sources and licences: each pack's PROVENANCE.md. Method and caveats: docs/area-risk.md.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from triage.core import area_risk
from triage.core.area_risk import LsoaInputs, WardIndicators, WardRisk
from triage.core.area_risk_model import OGL
from triage.web.areas import packs
from triage.web.areas.profiles import council

# Indicator id -> column of the IMD 2019 file (ranks: 1 = most deprived LSOA in England).
IMD_COLUMNS = {
    "imd_overall": "imd2019_rank",
    "income_deprivation": "income_rank",
    "employment_deprivation": "employment_rank",
    "education_deprivation": "education_skills_training_rank",
    "health_deprivation": "health_disability_rank",
}
AGE_75_PLUS_COLUMNS = ("aged_75_79", "aged_80_84", "aged_85_plus")

FILES = (
    {
        "part": "wards",
        "what": "The council's electoral wards (codes and names)",
        "source": "ONS Wards May 2025 (WD25)",
        "year": "2025",
        "licence": OGL,
    },
    {
        "part": "census",
        "what": "Usual residents and residents by age band (65 and over) for each LSOA (2021), with a derived "
        "best-fit ward",
        "source": "ONS Census 2021, table RM121, from Nomis (via GMCA's DERI repository)",
        "year": "2021",
        "licence": OGL,
    },
    {
        "part": "imd",
        "what": "IMD 2019 rank and domain ranks for each LSOA (2011)",
        "source": "English Indices of Deprivation 2019 (MHCLG)",
        "year": "2019",
        "licence": OGL,
    },
    {
        "part": "lsoa_lookup",
        "what": "Which 2021 LSOAs each 2011 LSOA became",
        "source": "ONS LSOA (2011) to LSOA (2021) to LAD (2022) exact-fit lookup",
        "year": "2022",
        "licence": OGL,
    },
)

GEOGRAPHY = (
    "Wards are built from Census 2021 LSOAs. LSOAs do not fit inside wards, so each LSOA is counted wholly in "
    "its best-fit ward: the ward holding most of the LSOA's postcodes (OS Code-Point Open, October 2025). "
    "This is derived by the project, not the official ONS best-fit lookup (which weighs Output Area "
    "populations). Shares of residents are summed counts over summed residents; IMD ranks are averaged "
    "weighted by Census 2021 residents. IMD 2019 is on 2011 LSOAs and reaches 2021 LSOAs through the ONS "
    "exact-fit lookup (a split LSOA gives its rank to both halves)."
)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _number(text: str) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def imd_by_lsoa21(lookup_rows: list[dict[str, str]], imd_rows: list[dict[str, str]]) -> dict[str, dict]:
    """IMD 2019 ranks for each 2021 LSOA, by indicator id, from its 2011 parent(s).

    One parent (unchanged or split): the parent's ranks. Several parents (merged): their mean, weighted by
    mid-2015 population. A parent missing from the IMD rows is skipped; with none left, the LSOA gets None.
    """
    imd = {r["lsoa11_code"]: r for r in imd_rows}
    parents: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in lookup_rows:
        if row["lsoa11_code"] in imd:
            parents[row["lsoa21_code"]].append(imd[row["lsoa11_code"]])
        else:
            parents.setdefault(row["lsoa21_code"], [])
    result = {}
    for lsoa21, rows in parents.items():
        values = {}
        for indicator_id, column in IMD_COLUMNS.items():
            pairs = [(_number(r[column]), _number(r["population_mid2015"]) or 0.0) for r in rows]
            pairs = [(v, w) for v, w in pairs if v is not None]
            if len(pairs) == 1:
                values[indicator_id] = pairs[0][0]
            else:
                values[indicator_id] = area_risk.weighted_mean(pairs)
        result[lsoa21] = values
    return result


def lsoa_inputs(lad_code: str) -> list[LsoaInputs]:
    """Each of a district's 2021 LSOAs: best-fit ward, Census 2021 residents, 65+ and 75+ counts, IMD ranks."""
    pack = packs.pack(lad_code)
    lookup = [r for r in _rows(pack.path("lsoa_lookup")) if r["lad22_code"] == lad_code]
    imd = imd_by_lsoa21(lookup, [r for r in _rows(pack.path("imd")) if r["lad_code"] == lad_code])
    no_imd = dict.fromkeys(IMD_COLUMNS)
    result = []
    for row in _rows(pack.path("census")):
        if row["lad_code"] != lad_code:
            continue
        values = {
            "aged_65_plus": _number(row["aged_65_plus"]),
            "aged_75_plus": sum(int(row[c]) for c in AGE_75_PLUS_COLUMNS),
            **imd.get(row["lsoa21_code"], no_imd),
        }
        result.append(
            LsoaInputs(row["lsoa21_code"], row["bestfit_ward_code"], int(row["usual_residents_total"]), values)
        )
    return result


@lru_cache(maxsize=8)
def load_ward_indicators(lad_codes: tuple[str, ...]) -> tuple[WardIndicators, ...]:
    """The wards of these districts (each pack's ward file in order) with their raw indicator values."""
    inputs: list[LsoaInputs] = []
    wards: list[tuple[str, str]] = []
    for lad in lad_codes:
        if packs.has_pack(lad):
            inputs += lsoa_inputs(lad)
            wards += [(w.code, w.name) for w in packs.wards(lad)]
    return tuple(area_risk.aggregate(inputs, wards))


@lru_cache(maxsize=8)
def compute_for(lad_codes: tuple[str, ...]) -> tuple[WardRisk, ...]:
    """The index over these districts' wards, scaled across them all, highest risk first (empty for districts
    with no pack)."""
    return tuple(area_risk.compute(load_ward_indicators(lad_codes)))


def ward_risks(lads: tuple[str, ...] | None = None) -> dict[str, WardRisk]:
    """Ward code -> WardRisk for these districts (by default all the council's), scaled across their wards
    only, highest risk first."""
    return {r.ward_code: r for r in compute_for(lads or council().lads)}


def method(lads: tuple[str, ...] | None = None) -> dict:
    """Everything the method page and the docs need: definition, sources, data years, geography, caveats,
    for the index over these districts (by default all the council's)."""
    lads = lads or council().lads
    wards = load_ward_indicators(lads)
    files = [{**f, "file": ", ".join(packs.pack(lad).path(f["part"]).name for lad in lads)} for f in FILES]
    return {
        **area_risk.describe(),
        "council_lad_codes": list(lads),
        "district_names": [packs.district_name(lad) for lad in lads],
        "one_district_of_several": len(lads) == 1 < len(council().lads),
        "ward_count": len(wards),
        "lsoa_count": sum(len(w.lsoa_codes) for w in wards),
        "files": files,
        "geography": GEOGRAPHY,
        "provenance": "the PROVENANCE.md of each folder in seed_data/areas/",
        "documentation": "docs/area-risk.md",
    }
