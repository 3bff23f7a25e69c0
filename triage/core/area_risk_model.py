"""The versioned definition of the ward area risk index: indicators, components, weights, gaps and caveats.

Every result carries AREA_RISK_VERSION, so a score can always be explained later. The definition
says what is scored (each indicator with its source, data year, licence and direction), how it is
weighted, and what is missing against GMCA's Digital Exclusion Risk Index (DERI) v1.6. To change a
weight or an indicator, add a new version rather than editing this one once it has been published.
The arithmetic is in area_risk; the method is in docs/area-risk.md and docs/triage-model.md section 4.1.
"""

from __future__ import annotations

from dataclasses import dataclass

AREA_RISK_VERSION = "2026.1"
SCORE_MAX = 10.0

# Ranks are taken on scores rounded as the pages show them (one decimal place), so wards that show the
# same score share a rank: differences smaller than that are well inside the data's own error.
RANK_DECIMALS = 1

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
