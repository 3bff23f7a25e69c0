"""Building an area pack (seed_data/areas/README.md, the format owned by area_packs) for one local authority
district from the files an officer downloads from the ONS Open Geography Portal, MHCLG and Nomis, in their
official layouts:

- postcodes: the ONS National Statistics Postcode Lookup (NSPL) CSV, or OS Code-Point Open CSV files (one per
  postcode area, with or without their header), whose OSGB36 eastings and northings are converted to WGS84 by
  the OS seven-parameter Helmert transform (osgb36_to_wgs84: within about 5 m of OSTN15, the OS's own);
- ward boundaries: the ONS Wards (BGC) GeoJSON, WGS84, properties WDyyCD, WDyyNM, BNG_E, BNG_N, LONG, LAT;
- IoD2019 File 1 (IMD) and File 2 (domains), and optionally File 6 (population denominators), MHCLG's CSVs;
- Census 2021 RM121 "Sex by age" for LSOAs (2021), as Nomis downloads it (title lines, then the table);
- the ONS LSOA (2011) to LSOA (2021) to LAD (2022) lookup CSV (LSOA11CD, LSOA21CD, CHGIND, LAD22CD, ...), which
  gives the district's LSOAs (by LAD22CD; for a district made after 2022, those the NSPL puts its postcodes in:
  read_lookup), never IoD2019's district column, whose codes are 2019's;
- the ONS LSOA (2021) BGC boundaries GeoJSON (LSOA21CD, LSOA21NM);
- optionally the Arts Council England public libraries dataset (2023) CSV, as Libraries Hacked stores it.

The derivations are the packs' own (each pack's PROVENANCE.md): a postcode's sector and district from the
postcode; each LSOA's best-fit ward by counting postcode points inside its polygon, by ward (ties to the lower
code); a 2011 LSOA counts the postcodes of the 2021 LSOAs it became (unchanged or split; a merged one shares its
2021 LSOA's counts); ward indicators summed over best-fit LSOAs; sector summaries.

Only an English district's pack can be built (lad_code_problem): IoD2019 covers England only.

Pure: the shell opens the files and passes their lines (or parsed JSON) in; every problem is an InputError
naming the file and the line.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.core import area_packs, geometry
from triage.core.geography import normalise_postcode, outward_code, sector

# ----------------------------------------------------------------------------------------------
# Problems


class InputError(area_packs.PackError):
    """A downloaded file the build cannot use: the message names the file and the line (0: the whole file)."""


def _csv_rows(file: str, lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(lines)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        raise InputError(file, reader.line_num, f"this is not CSV: {error}") from None


def _header_index(file: str, line: int, header: list[str], wanted: Mapping[str, re.Pattern[str]]) -> dict[str, int]:
    """Which column holds each wanted field, matched by name (case-insensitive); the first match wins."""
    names = [h.strip().lower() for h in header]
    index = {}
    missing = []
    for key, pattern in wanted.items():
        found = next((i for i, name in enumerate(names) if pattern.fullmatch(name)), None)
        if found is None:
            missing.append(pattern.pattern)
        else:
            index[key] = found
    if missing:
        raise InputError(file, line, f"the header has no column {', '.join(missing)}")
    return index


def _int(file: str, line: int, value: str, what: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise InputError(file, line, f"{what} {value!r} is not a whole number") from None


def _float(file: str, line: int, value: str, what: str) -> float:
    try:
        number = float(value.strip())
    except ValueError:
        raise InputError(file, line, f"{what} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise InputError(file, line, f"{what} {value!r} is not a number")
    return number


# ----------------------------------------------------------------------------------------------
# OSGB36 grid references to WGS84

# Airy 1830 ellipsoid and the National Grid's projection (OS, "A guide to coordinate systems in Great Britain").
_AIRY = (6377563.396, 6356256.909)
_GRS80 = (6378137.000, 6356752.3141)
_F0, _LAT0, _LON0, _E0, _N0 = 0.9996012717, math.radians(49), math.radians(-2), 400000.0, -100000.0
# OSGB36 to WGS84: translations (m), scale (ppm), rotations (arc seconds). The OS gives its accuracy as about 5 m.
_HELMERT = (446.448, -125.157, 542.060, -20.4894, 0.1502, 0.2470, 0.8421)
HELMERT_ACCURACY_M = 5


def _grid_to_airy(easting: float, northing: float) -> tuple[float, float]:
    a, b = _AIRY
    e2 = 1 - (b * b) / (a * a)
    n = (a - b) / (a + b)
    lat, m = _LAT0, 0.0
    while True:
        lat = (northing - _N0 - m) / (a * _F0) + lat
        d, s = lat - _LAT0, lat + _LAT0
        m = (
            b
            * _F0
            * (
                (1 + n + 1.25 * n**2 + 1.25 * n**3) * d
                - (3 * n + 3 * n**2 + 2.625 * n**3) * math.sin(d) * math.cos(s)
                + (1.875 * n**2 + 1.875 * n**3) * math.sin(2 * d) * math.cos(2 * s)
                - (35 / 24) * n**3 * math.sin(3 * d) * math.cos(3 * s)
            )
        )
        if abs(northing - _N0 - m) < 0.00001:
            break
    sin, cos, tan = math.sin(lat), math.cos(lat), math.tan(lat)
    nu = a * _F0 / math.sqrt(1 - e2 * sin * sin)
    rho = a * _F0 * (1 - e2) / (1 - e2 * sin * sin) ** 1.5
    eta2 = nu / rho - 1
    sec = 1 / cos
    vii = tan / (2 * rho * nu)
    viii = tan / (24 * rho * nu**3) * (5 + 3 * tan**2 + eta2 - 9 * tan**2 * eta2)
    ix = tan / (720 * rho * nu**5) * (61 + 90 * tan**2 + 45 * tan**4)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * tan**2)
    xii = sec / (120 * nu**5) * (5 + 28 * tan**2 + 24 * tan**4)
    xiia = sec / (5040 * nu**7) * (61 + 662 * tan**2 + 1320 * tan**4 + 720 * tan**6)
    de = easting - _E0
    return (
        lat - vii * de**2 + viii * de**4 - ix * de**6,
        _LON0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7,
    )


def osgb36_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """A National Grid easting/northing (metres) as WGS84 latitude and longitude (degrees), by the Helmert
    transform: within about HELMERT_ACCURACY_M metres of the OS's OSTN15 (which needs its grid file)."""
    lat, lon = _grid_to_airy(easting, northing)
    a, b = _AIRY
    e2 = 1 - (b * b) / (a * a)
    nu = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    x = nu * math.cos(lat) * math.cos(lon)
    y = nu * math.cos(lat) * math.sin(lon)
    z = (1 - e2) * nu * math.sin(lat)
    tx, ty, tz, s, rx, ry, rz = _HELMERT
    s, rx, ry, rz = s * 1e-6, *(math.radians(r / 3600) for r in (rx, ry, rz))
    x2 = tx + (1 + s) * x - rz * y + ry * z
    y2 = ty + rz * x + (1 + s) * y - rx * z
    z2 = tz - ry * x + rx * y + (1 + s) * z
    a, b = _GRS80
    e2 = 1 - (b * b) / (a * a)
    p = math.hypot(x2, y2)
    lat = math.atan2(z2, p * (1 - e2))
    for _ in range(10):
        nu = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
        lat = math.atan2(z2 + e2 * nu * math.sin(lat), p)
    return math.degrees(lat), math.degrees(math.atan2(y2, x2))


# ----------------------------------------------------------------------------------------------
# Postcodes: NSPL or Code-Point Open

_NO_COUNTY = {"", "E99999999", "W99999999", "S99999999"}  # the pseudo code a unitary authority has


@dataclass(frozen=True)
class PostcodeRow:
    postcode: str
    ward_code: str
    county_code: str  # "" in a unitary authority
    easting: str
    northing: str
    positional_quality: str  # Code-Point's positional quality indicator; "" from the NSPL
    lat: float
    lon: float
    nspl: bool  # lat/lon are the NSPL's own
    line: int = field(default=0, compare=False)  # where the postcode file gives it
    lsoa21: str = ""  # the NSPL's LSOA (2021) of the postcode; "" from Code-Point Open, which has none


_NSPL = {
    "postcode": re.compile(r"pcds"),
    "doterm": re.compile(r"doterm"),
    "lad": re.compile(r"laua|lad|lad\d\dcd"),
    "ward": re.compile(r"ward|wd\d\dcd"),
    "county": re.compile(r"cty|cty\d\dcd"),
    "east": re.compile(r"oseast1m|east1m"),
    "north": re.compile(r"osnrth1m|north1m"),
    "lat": re.compile(r"lat"),
    "lon": re.compile(r"long"),
}
_NSPL_LSOA21 = re.compile(r"lsoa21cd|lsoa21")  # optional: older editions have the 2011 LSOAs only
# Code-Point Open's columns (its Doc/Code-Point_Open_Column_Headers.csv); its data files have no header.
CODEPOINT_COLUMNS = (
    "Postcode",
    "Positional_quality_indicator",
    "Eastings",
    "Northings",
    "Country_code",
    "NHS_regional_HA_code",
    "NHS_HA_code",
    "Admin_county_code",
    "Admin_district_code",
    "Admin_ward_code",
)


@dataclass
class PostcodeCount:
    """What reading the postcode files found, for PROVENANCE.md."""

    rows: int = 0
    kept: int = 0
    terminated: int = 0
    no_position: int = 0


def read_postcodes(file: str, lines: Iterable[str], lad_code: str, count: PostcodeCount) -> Iterator[PostcodeRow]:
    """The live postcodes of the LAD in an NSPL or Code-Point Open file (told apart by the first row)."""
    rows = _csv_rows(file, lines)
    first = next(rows, None)
    if first is None:
        raise InputError(file, 0, "the file is empty")
    line, header = first
    lowered = [h.strip().lower() for h in header]
    if "pcds" in lowered:
        yield from _nspl(file, line, header, rows, lad_code, count)
        return
    if lowered and lowered[0] == "postcode":
        _header_index(file, line, header, {c: re.compile(c.lower()) for c in CODEPOINT_COLUMNS})
        body: Iterable[tuple[int, list[str]]] = rows
    elif len(header) == len(CODEPOINT_COLUMNS) and normalise_postcode(header[0]):
        body = _chain(first, rows)
    else:
        raise InputError(
            file, line, "this is neither the NSPL (a header with pcds) nor Code-Point Open (10 columns, postcode first)"
        )
    for line, row in body:
        count.rows += 1
        if len(row) != len(CODEPOINT_COLUMNS):
            raise InputError(
                file, line, f"this row has {len(row)} fields; Code-Point Open has {len(CODEPOINT_COLUMNS)}"
            )
        if row[8] != lad_code:
            continue
        postcode = _postcode(file, line, row[0])
        easting, northing = (_int(file, line, v, what) for v, what in ((row[2], "Eastings"), (row[3], "Northings")))
        if easting == 0 and northing == 0:
            count.no_position += 1
            continue
        lat, lon = osgb36_to_wgs84(easting, northing)
        county = "" if row[7] in _NO_COUNTY else row[7]
        count.kept += 1
        yield PostcodeRow(postcode, row[9], county, str(easting), str(northing), row[1], lat, lon, False, line)


def _chain(first: tuple[int, list[str]], rest: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    yield first
    yield from rest


def _postcode(file: str, line: int, raw: str) -> str:
    postcode = normalise_postcode(raw)
    if postcode is None:
        raise InputError(file, line, f"{raw!r} is not a postcode")
    return postcode


def _nspl(
    file: str,
    header_line: int,
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    lad_code: str,
    count: PostcodeCount,
) -> Iterator[PostcodeRow]:
    at = _header_index(file, header_line, header, _NSPL)
    lsoa = next((i for i, h in enumerate(header) if _NSPL_LSOA21.fullmatch(h.strip().lower())), None)
    for line, row in rows:
        count.rows += 1
        if len(row) != len(header):
            raise InputError(file, line, f"this row has {len(row)} fields, not {len(header)} as the header has")
        if row[at["lad"]] != lad_code:
            continue
        if row[at["doterm"]].strip():
            count.terminated += 1
            continue
        postcode = _postcode(file, line, row[at["postcode"]])
        lat, lon = (_float(file, line, row[at[k]], k) for k in ("lat", "lon"))
        if lat > 90:  # the NSPL's 99.999999 for a postcode with no grid reference
            count.no_position += 1
            continue
        county = "" if row[at["county"]] in _NO_COUNTY else row[at["county"]]
        count.kept += 1
        lsoa21 = "" if lsoa is None else row[lsoa].strip()
        yield PostcodeRow(
            postcode, row[at["ward"]], county, row[at["east"]], row[at["north"]], "", lat, lon, True, line, lsoa21
        )


def sort_key(postcode: str) -> tuple:
    """The packs' postcode order: by area, then district number, sector and unit (LE4 before LE11)."""
    outward, inward = postcode.split(" ")
    match = re.fullmatch(r"([A-Z]+)(\d+)([A-Z]?)", outward)
    area, number, suffix = match.groups() if match else (outward, "0", "")
    return area, int(number), suffix, int(inward[0]), inward[1:]


# ----------------------------------------------------------------------------------------------
# Boundaries


@dataclass(frozen=True)
class Area:
    """A ward or an LSOA: its code, name, polygons (longitude/latitude) and bounding box."""

    code: str
    name: str
    polygons: tuple[geometry.Polygon, ...]
    box: tuple[float, float, float, float] = field(compare=False)  # west, south, east, north

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.box
        if not (west <= lon <= east and south <= lat <= north):
            return False
        return any(_in_ring(lon, lat, p[0]) and not any(_in_ring(lon, lat, h) for h in p[1:]) for p in self.polygons)


def _in_ring(x: float, y: float, ring: geometry.Ring) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def areas(file: str, geojson: Any, code_field: re.Pattern[str], name_field: re.Pattern[str], keep: set[str] | None):
    """The features of a boundary file whose code is in `keep` (all when None), with the features themselves
    (to write out unchanged), keyed by code."""
    if not isinstance(geojson, dict) or geojson.get("type") != "FeatureCollection":
        raise InputError(file, 0, "this is not a GeoJSON FeatureCollection")
    features = [f for f in geojson.get("features") or () if isinstance(f, dict)]
    if not features:
        raise InputError(file, 0, "the GeoJSON has no features")
    properties = features[0].get("properties") or {}
    codes = [k for k in properties if code_field.fullmatch(k)]
    names = [k for k in properties if name_field.fullmatch(k)]
    if not codes or not names:
        raise InputError(file, 0, f"the features have no property like {code_field.pattern} and {name_field.pattern}")
    code_key, name_key = codes[0], names[0]
    chosen = [f for f in features if keep is None or (f.get("properties") or {}).get(code_key) in keep]
    if not chosen:
        return code_key, {}
    try:
        parsed = geometry.load_wards({**geojson, "features": chosen}, code_field=code_key, name_field=name_key)
    except ValueError as problem:
        raise InputError(file, 0, str(problem)) from None
    found = {}
    for area, feature in zip(parsed, chosen, strict=True):
        points = [pt for polygon in area.polygons for pt in polygon[0]]
        box = (
            min(p[0] for p in points),
            min(p[1] for p in points),
            max(p[0] for p in points),
            max(p[1] for p in points),
        )
        found[area.code] = (Area(area.code, area.name, area.polygons, box), feature)
    return code_key, found


WARD_CODE_FIELD = re.compile(r"WD\d\dCD")
WARD_NAME_FIELD = re.compile(r"WD\d\dNM")
LSOA_CODE_FIELD = re.compile(r"LSOA21CD")
LSOA_NAME_FIELD = re.compile(r"LSOA21NM")
WARD_KEPT_PROPERTIES = re.compile(r"WD\d\dCD|WD\d\dNM|LAD\d\dCD|LAD\d\dNM|BNG_E|BNG_N|LONG|LAT")


def counts_in(area: Area, postcodes: Iterable[PostcodeRow]) -> Counter[str]:
    """How many of the postcodes fall inside the area, by their ward."""
    return Counter(p.ward_code for p in postcodes if area.contains(p.lon, p.lat))


def best_fit(counts: Counter[str]) -> str:
    """The ward with most postcodes in an LSOA (ties to the lower code); "" when it has none."""
    if not counts:
        return ""
    return min(counts, key=lambda code: (-counts[code], code))


def counts_text(counts: Counter[str]) -> str:
    """ "E05014673:45;E05014677:3": most first, ties by code."""
    return ";".join(f"{c}:{n}" for c, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


# ----------------------------------------------------------------------------------------------
# Statistics: IoD2019, Census 2021, the LSOA lookup


_LSOA11 = re.compile(r"lsoa code \(2011\)")
IMD_FILE1 = {
    "lsoa": _LSOA11,
    "name": re.compile(r"lsoa name \(2011\)"),
    "imd2019_rank": re.compile(r"index of multiple deprivation \(imd\) rank.*"),
    "imd2019_decile": re.compile(r"index of multiple deprivation \(imd\) decile.*"),
}
_DOMAINS = {
    "income": "income",
    "employment": "employment",
    "education_skills_training": "education, skills and training",
    "health_disability": "health deprivation and disability",
    "crime": "crime",
    "barriers_housing_services": "barriers to housing and services",
    "living_environment": "living environment",
}
IMD_FILE2 = {
    "lsoa": _LSOA11,
    **{
        f"{key}_{kind}": re.compile(re.escape(f"{words} {kind}") + r".*")
        for key, words in _DOMAINS.items()
        for kind in ("rank", "decile")
    },
}
IMD_FILE6 = {
    "lsoa": _LSOA11,
    "population_mid2015": re.compile(r"total population: mid 2015.*"),
    "population_60plus_mid2015": re.compile(r"older population aged 60 and over: mid 2015.*"),
}
LOOKUP = {
    key: re.compile(key.replace("_", ""))
    for key in ("lsoa11cd", "lsoa11nm", "lsoa21cd", "lsoa21nm", "chgind", "lad22cd", "lad22nm")
}
CENSUS_BANDS = {
    "aged_65": "aged 65 years",
    "aged_66_69": "aged 66 to 69 years",
    "aged_70_74": "aged 70 to 74 years",
    "aged_75_79": "aged 75 to 79 years",
    "aged_80_84": "aged 80 to 84 years",
    "aged_85_plus": "aged 85 years and over",
}


def read_table(
    file: str, lines: Iterable[str], wanted: Mapping[str, re.Pattern[str]], keep: set[str] | None = None
) -> dict[str, dict[str, str]]:
    """The rows of a CSV with a header, by the first wanted column (a code), as {wanted key: text}; only the
    codes in `keep` when given. Stops at a row with fewer fields than the header or a code given twice."""
    rows = _csv_rows(file, lines)
    first = next(rows, None)
    if first is None:
        raise InputError(file, 0, "the file is empty")
    line, header = first
    header = [h.lstrip("\ufeff") for h in header]
    at = _header_index(file, line, header, wanted)
    key = next(iter(wanted))
    found: dict[str, dict[str, str]] = {}
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise InputError(file, line, f"this row has {len(row)} fields, not {len(header)} as the header has")
        code = row[at[key]].strip()
        if keep is not None and code not in keep:
            continue
        if code in found:
            raise InputError(file, line, f"{code} is given twice")
        found[code] = {k: row[i].strip() for k, i in at.items()}
    return found


def read_lookup(file: str, lines: Iterable[str], lad_code: str, lsoa21: Collection[str]) -> list[dict[str, str]]:
    """The LSOA11 to LSOA21 lookup rows of the LAD, in file order: those whose LAD22CD is the LAD; for a LAD made
    after 2022 (none has its code), those of the 2021 LSOAs the postcode file places its postcodes in (`lsoa21`),
    with every other 2021 LSOA their 2011 LSOAs became. The LAD is never chosen by IoD2019's own LAD column, whose
    codes are 2019's: LSOAs nest in districts, so a district made since from whole districts is their LSOAs."""
    rows = _csv_rows(file, lines)
    first = next(rows, None)
    if first is None:
        raise InputError(file, 0, "the file is empty")
    line, header = first
    at = _header_index(file, line, [h.lstrip("\ufeff") for h in header], LOOKUP)
    every = []
    for line, row in rows:
        if len(row) < len(header):
            raise InputError(file, line, f"this row has {len(row)} fields, not {len(header)} as the header has")
        every.append({k: row[i].strip() for k, i in at.items()})
    by_code = [r for r in every if r["lad22cd"] == lad_code]
    if by_code or not lsoa21:
        return by_code
    parents = {r["lsoa11cd"] for r in every if r["lsoa21cd"] in lsoa21}
    return [r for r in every if r["lsoa21cd"] in lsoa21 or r["lsoa11cd"] in parents]


def named_by_lookup(inputs: Inputs) -> bool:
    """True when the lookup has the LAD's own code (LAD22CD), so its LAD22NM is the district's name."""
    return any(r["lad22cd"] == inputs.lad_code for r in inputs.lookup)


def read_census(file: str, lines: Iterable[str], keep: set[str]) -> dict[str, dict[str, Any]]:
    """Census 2021 RM121 for the kept LSOAs (2021), from Nomis's download: title lines, then a header whose
    first column is the geography ("2021 super output area - lower layer") and rows "E01025670 : Charnwood 022A"."""
    rows = _csv_rows(file, lines)
    at: dict[str, int] | None = None
    found: dict[str, dict[str, Any]] = {}
    for line, row in rows:
        if at is None:
            if row and row[0].strip().lower().startswith("2021 super output area"):
                wanted = {"total": re.compile("total"), **{k: re.compile(v) for k, v in CENSUS_BANDS.items()}}
                at = _header_index(file, line, row, wanted)
            continue
        if not row or not row[0].strip():
            continue
        code, _, name = row[0].partition(" : ")
        if not re.fullmatch(r"[EW]01\d{6}", code.strip()):
            continue  # Nomis's notes after the table
        if code not in keep:
            continue
        if len(row) <= max(at.values()):
            raise InputError(file, line, f"this row has {len(row)} fields, fewer than the header has")
        found[code] = {"name": name.strip(), **{k: _int(file, line, row[i], k) for k, i in at.items()}}
    if at is None:
        raise InputError(file, 0, 'no table: Nomis\'s header row starts "2021 super output area - lower layer"')
    return found


# ----------------------------------------------------------------------------------------------
# Libraries (Arts Council England 2023 dataset)

LIBRARY_FILE = {
    "name": re.compile(r"name"),
    "address1": re.compile(r"address 1"),
    "address2": re.compile(r"address 2"),
    "address3": re.compile(r"address 3"),
    "postcode": re.compile(r"postcode"),
    "uprn": re.compile(r"unique property reference number"),
    "type": re.compile(r"type"),
    "statutory": re.compile(r"stat provision: 31/12/2023"),
    "operation": re.compile(r"facility operation: 31/12/2023"),
    "closed": re.compile(r"year permanently closed"),
    "co_located": re.compile(r"is this facility co-located\?\s*"),
    "co_located_with": re.compile(r"co-location: other: text"),
    "hours": re.compile(r"total open hours per week"),
    "staffed": re.compile(r"total staffed hours per week"),
    "automated": re.compile(r"is there an automated system.*"),
    "email": re.compile(r"public contact email.*"),
}


def read_libraries(file: str, lines: Iterable[str], postcodes: Mapping[str, PostcodeRow]) -> list[dict[str, str]]:
    """The dataset's rows whose postcode is one of the area's, in the pack's library columns (the Libraries
    Hacked URL and opening hours columns are left blank: they come from its per-authority schema files)."""
    rows = _csv_rows(file, lines)
    first = next(rows, None)
    if first is None:
        raise InputError(file, 0, "the file is empty")
    line, header = first
    at = _header_index(file, line, [h.lstrip("\ufeff") for h in header], LIBRARY_FILE)
    found = []
    for line, row in rows:
        if len(row) < len(header):
            raise InputError(file, line, f"this row has {len(row)} fields, not {len(header)} as the header has")
        cell = {k: row[i].strip() for k, i in at.items()}
        postcode = normalise_postcode(cell["postcode"])
        if postcode is None or postcode not in postcodes:
            continue
        place = postcodes[postcode]
        found.append(
            {
                "library_name": cell["name"],
                "address1": cell["address1"],
                "address2": cell["address2"],
                "address3": cell["address3"],
                "postcode": postcode,
                "uprn": cell["uprn"],
                "library_type": cell["type"],
                "statutory_2023": cell["statutory"],
                "operation_2023": cell["operation"],
                "year_closed": cell["closed"],
                "co_located": cell["co_located"],
                "co_located_with": cell["co_located_with"],
                "hours_per_week_2023": cell["hours"],
                "staffed_hours_per_week_2023": cell["staffed"],
                "automated_opening": cell["automated"],
                "email": cell["email"],
                "url_librarieshacked": "",
                **{f"{day}_hours_librarieshacked": "" for day in area_packs.DAYS},
                "ward_code": place.ward_code,
                "ward_name": "",  # filled in by build() from the ward file
                "postcode_latitude": f"{place.lat:.5f}",
                "postcode_longitude": f"{place.lon:.5f}",
            }
        )
    return sorted(found, key=lambda r: r["library_name"])


# ----------------------------------------------------------------------------------------------
# The pack

POSTCODE_HEADER = (
    "postcode,postcode_district,postcode_sector,ward_code,ward_name,lad_code,lad_name,county_code,easting,northing,"
    "positional_quality,latitude,longitude,nspl_may2025_latitude,nspl_may2025_longitude"
).split(",")
WARD_HEADER = (
    "ward_code,ward_name,lad_code,lad_name,boundary_set,ons_ref_latitude,ons_ref_longitude,ons_ref_easting,"
    "ons_ref_northing,codepoint_postcode_count"
).split(",")
IMD_HEADER = [
    "lsoa11_code",
    "lsoa11_name",
    "lad_code",
    "lad_name",
    "imd2019_rank",
    "imd2019_decile",
    *(f"{key}_{kind}" for key in _DOMAINS for kind in ("rank", "decile")),
    "population_mid2015",
    "population_60plus_mid2015",
    "bestfit_ward_code",
    "bestfit_ward_name",
    "ward_postcode_counts_in_lsoa",
]
CENSUS_HEADER = [
    "lsoa21_code",
    "lsoa21_name",
    "lad_code",
    "lad_name",
    "usual_residents_total",
    *CENSUS_BANDS,
    "aged_65_plus",
    "pct_aged_65_plus",
    "bestfit_ward_code",
    "bestfit_ward_name",
    "ward_postcode_counts_in_lsoa",
]
LOOKUP_HEADER = "lsoa11_code,lsoa11_name,lsoa21_code,lsoa21_name,change_indicator,lad22_code,lad22_name".split(",")
INDICATOR_HEADER = (
    "ward_code,ward_name,bestfit_lsoa21_count,census2021_usual_residents,census2021_aged_65_plus,"
    "census2021_pct_aged_65_plus,bestfit_lsoa11_count,imd2019_most_deprived_decile_in_ward,imd2019_lsoas_in_deciles_1_2,"
    "imd2019_lsoas_in_deciles_1_3,imd2019_pop_weighted_mean_rank,imd2019_pct_pop2015_in_deciles_1_2"
).split(",")
LIBRARY_HEADER = [
    "library_name",
    "address1",
    "address2",
    "address3",
    "postcode",
    "uprn",
    "library_type",
    "statutory_2023",
    "operation_2023",
    "year_closed",
    "co_located",
    "co_located_with",
    "hours_per_week_2023",
    "staffed_hours_per_week_2023",
    "automated_opening",
    "email",
    "url_librarieshacked",
    *(f"{day}_hours_librarieshacked" for day in area_packs.DAYS),
    "ward_code",
    "ward_name",
    "postcode_latitude",
    "postcode_longitude",
]


_OTHER_NATIONS = {
    "W": ("Welsh", "Wales has its own index, the WIMD"),
    "S": ("Scottish", "Scotland has its own index, the SIMD"),
    "N": ("Northern Irish", "Northern Ireland has its own measures, the NIMDM"),
}
_ANY_GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")


def lad_code_problem(code: str) -> str | None:
    """Why a pack cannot be built for this code (None: an English LAD's, which it can). IoD2019, which every pack
    needs, covers England only, so a Welsh, Scottish or Northern Irish code is refused with that reason."""
    if area_packs.LAD_CODE.match(code):
        return None
    if _ANY_GSS_CODE.match(code) and code[0] in _OTHER_NATIONS:
        nation, own = _OTHER_NATIONS[code[0]]
        return (
            f"{code} is a {nation} code: a pack needs the English Indices of Deprivation 2019 (IoD2019), which "
            f"cover England only ({own}, which Signpost does not read), so only an English district's pack "
            "can be built"
        )
    if code.startswith("E10") and _ANY_GSS_CODE.match(code):
        return f"{code} is a county's code: build a pack for each of its districts (their codes start E07)"
    return f"{code!r} is not an English district's LAD code (like E07000130)"


def slug_of(name: str) -> str:
    """A district's name as a pack slug: "North West Leicestershire" -> north_west_leicestershire."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower().replace("&", "and")).strip("_")


@dataclass(frozen=True)
class Inputs:
    """The parsed downloads of one LAD."""

    lad_code: str
    postcodes: list[PostcodeRow]
    postcodes_file: str
    ward_file: str
    ward_code_key: str
    wards: Mapping[str, tuple[Area, dict]]  # the wards holding the LAD's postcodes, by code
    lookup: list[dict[str, str]]
    imd1: Mapping[str, dict[str, str]]
    imd2: Mapping[str, dict[str, str]]
    imd6: Mapping[str, dict[str, str]] | None
    census: Mapping[str, dict[str, Any]]
    lsoas: Mapping[str, tuple[Area, dict]]  # LSOA (2021) boundaries of the LAD, by code
    libraries: list[dict[str, str]] | None


@dataclass(frozen=True)
class Pack:
    """The pack's files as rows (CSV) or objects (GeoJSON), by area_packs.FILES key."""

    slug: str
    lad_name: str
    tables: dict[str, tuple[list[str], list[dict[str, Any]]]]
    geojson: dict[str, dict]
    multi_ward_lsoas: tuple[int, int]  # LSOAs (2011, 2021) holding postcodes of more than one ward


def check(inputs: Inputs, files: Mapping[str, str]) -> None:
    """That the downloads fit together for the LAD, each problem naming the file (`files`: the file of each
    input, by Inputs field) and, where one row is at fault, its line."""
    lad = inputs.lad_code
    if not inputs.postcodes:
        raise InputError(
            inputs.postcodes_file, 0, f"no live postcode is in LAD {lad}: check the LAD code, and that this is the file"
        )
    seen: dict[str, PostcodeRow] = {}
    for p in inputs.postcodes:
        if p.postcode in seen:
            raise InputError(
                inputs.postcodes_file, p.line, f"{p.postcode} is given twice (first on line {seen[p.postcode].line})"
            )
        seen[p.postcode] = p
        if p.ward_code not in inputs.wards:
            raise InputError(
                inputs.postcodes_file, p.line, f"{p.postcode}'s ward {p.ward_code!r} is not in {inputs.ward_file}"
            )
    if not inputs.lookup:
        placed = any(p.lsoa21 for p in inputs.postcodes)
        why = (
            "nor does any LSOA (2021) the postcode file gives its postcodes"
            if placed
            else "and the postcode file gives no LSOA (2021) for its postcodes: for a district made after 2022"
            " (its code is not in this lookup) give the NSPL as --postcodes, whose lsoa21cd column places them"
        )
        raise InputError(files["lookup"], 0, f"no LSOA has LAD22CD {lad}, {why}")
    lsoa11 = {r["lsoa11cd"] for r in inputs.lookup}
    lsoa21 = {r["lsoa21cd"] for r in inputs.lookup}
    wanted = (("imd1", lsoa11), ("imd2", lsoa11), ("imd6", lsoa11), ("census", lsoa21), ("lsoas", lsoa21))
    for name, codes in wanted:
        table = getattr(inputs, name)
        if table is None:
            continue
        missing = sorted(codes - set(table))
        if missing:
            raise InputError(files[name], 0, f"{len(missing)} of {lad}'s LSOAs are not in it, for example {missing[0]}")


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}" if whole else ""


def build(inputs: Inputs, lad_name: str, slug: str) -> Pack:
    """Every file of the pack, derived as the packs' PROVENANCE.md describes."""
    lad = inputs.lad_code
    ward_names = {code: area.name for code, (area, _) in inputs.wards.items()}
    postcodes = sorted(inputs.postcodes, key=lambda p: sort_key(p.postcode))
    per_ward = Counter(p.ward_code for p in postcodes)
    boundary = inputs.ward_code_key[:4]  # "WD25"
    ward_rows = []
    for code in sorted(inputs.wards):
        area, feature = inputs.wards[code]
        props = feature.get("properties") or {}
        ward_rows.append(
            {
                "ward_code": code,
                "ward_name": area.name,
                "lad_code": lad,
                "lad_name": lad_name,
                "boundary_set": f"{boundary} (ONS Wards, {inputs.ward_file})",
                "ons_ref_latitude": props.get("LAT", ""),
                "ons_ref_longitude": props.get("LONG", ""),
                "ons_ref_easting": props.get("BNG_E", ""),
                "ons_ref_northing": props.get("BNG_N", ""),
                "codepoint_postcode_count": per_ward[code],
            }
        )
    postcode_rows = [
        {
            "postcode": p.postcode,
            "postcode_district": outward_code(p.postcode),
            "postcode_sector": sector(p.postcode),
            "ward_code": p.ward_code,
            "ward_name": ward_names[p.ward_code],
            "lad_code": lad,
            "lad_name": lad_name,
            "county_code": p.county_code,
            "easting": p.easting,
            "northing": p.northing,
            "positional_quality": p.positional_quality,
            "latitude": f"{p.lat:.5f}",
            "longitude": f"{p.lon:.5f}",
            "nspl_may2025_latitude": f"{p.lat:.5f}" if p.nspl else "",
            "nspl_may2025_longitude": f"{p.lon:.5f}" if p.nspl else "",
        }
        for p in postcodes
    ]
    sector_rows = sectors(postcodes, ward_names, slug)

    counts21 = {code: counts_in(area, postcodes) for code, (area, _) in inputs.lsoas.items()}
    children: dict[str, list[str]] = defaultdict(list)
    for row in inputs.lookup:
        children[row["lsoa11cd"]].append(row["lsoa21cd"])
    counts11 = {code: sum((counts21.get(c, Counter()) for c in kids), Counter()) for code, kids in children.items()}
    best21 = {code: best_fit(c) for code, c in counts21.items()}
    best11 = {code: best_fit(c) for code, c in counts11.items()}

    census_rows = []
    for code in sorted(inputs.census):
        c = inputs.census[code]
        over_65 = sum(c[k] for k in CENSUS_BANDS)
        census_rows.append(
            {
                "lsoa21_code": code,
                "lsoa21_name": c["name"],
                "lad_code": lad,
                "lad_name": lad_name,
                "usual_residents_total": c["total"],
                **{k: c[k] for k in CENSUS_BANDS},
                "aged_65_plus": over_65,
                "pct_aged_65_plus": _pct(over_65, c["total"]),
                "bestfit_ward_code": best21.get(code, ""),
                "bestfit_ward_name": ward_names.get(best21.get(code, ""), ""),
                "ward_postcode_counts_in_lsoa": counts_text(counts21.get(code, Counter())),
            }
        )
    imd_rows = []
    for code in sorted(inputs.imd1):
        one, two = inputs.imd1[code], inputs.imd2.get(code, {})
        six = (inputs.imd6 or {}).get(code, {})
        imd_rows.append(
            {
                "lsoa11_code": code,
                "lsoa11_name": one["name"],
                "lad_code": lad,
                "lad_name": lad_name,
                "imd2019_rank": one["imd2019_rank"],
                "imd2019_decile": one["imd2019_decile"],
                **{k: two.get(k, "") for k in IMD_FILE2 if k != "lsoa"},
                "population_mid2015": six.get("population_mid2015", ""),
                "population_60plus_mid2015": six.get("population_60plus_mid2015", ""),
                "bestfit_ward_code": best11.get(code, ""),
                "bestfit_ward_name": ward_names.get(best11.get(code, ""), ""),
                "ward_postcode_counts_in_lsoa": counts_text(counts11.get(code, Counter())),
            }
        )
    lookup_rows = [
        {
            "lsoa11_code": r["lsoa11cd"],
            "lsoa11_name": r["lsoa11nm"],
            "lsoa21_code": r["lsoa21cd"],
            "lsoa21_name": r["lsoa21nm"],
            "change_indicator": r["chgind"],
            "lad22_code": r["lad22cd"],
            "lad22_name": r["lad22nm"],
        }
        for r in inputs.lookup
    ]
    indicator_rows = ward_indicators(ward_rows, census_rows, imd_rows)
    library_rows = [{**r, "ward_name": ward_names[r["ward_code"]]} for r in inputs.libraries or ()]

    ward_features = []
    for code in sorted(inputs.wards):
        feature = inputs.wards[code][1]
        kept = {k: v for k, v in (feature.get("properties") or {}).items() if WARD_KEPT_PROPERTIES.fullmatch(k)}
        ward_features.append({"type": "Feature", "properties": kept, "geometry": feature["geometry"]})
    lsoa_features = []
    for code in sorted(inputs.lsoas):
        area, feature = inputs.lsoas[code]
        properties = {"LSOA21CD": code, "LSOA21NM": area.name, "bestfit_ward_code": best21[code]}
        lsoa_features.append({"type": "Feature", "properties": properties, "geometry": feature["geometry"]})
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}

    tables: dict[str, tuple[list[str], list[dict[str, Any]]]] = {
        "wards": (WARD_HEADER, ward_rows),
        "postcodes": (POSTCODE_HEADER, postcode_rows),
        "sectors": (_sector_header(slug), sector_rows),
        "imd": (IMD_HEADER, imd_rows),
        "census": (CENSUS_HEADER, census_rows),
        "lsoa_lookup": (LOOKUP_HEADER, lookup_rows),
        "ward_indicators": (INDICATOR_HEADER, indicator_rows),
        "libraries": (LIBRARY_HEADER, library_rows),  # the header alone when no library file was given
    }
    return Pack(
        slug,
        lad_name,
        tables,
        {
            "ward_boundaries": {"type": "FeatureCollection", "crs": crs, "features": ward_features},
            "lsoa_boundaries": {"type": "FeatureCollection", "crs": crs, "features": lsoa_features},
        },
        (sum(len(c) > 1 for c in counts11.values()), sum(len(c) > 1 for c in counts21.values())),
    )


def _sector_header(slug: str) -> list[str]:
    return [
        "postcode_sector",
        "postcode_district",
        area_packs.sector_count_column(slug),
        "mean_latitude",
        "mean_longitude",
        "main_ward_code",
        "main_ward_name",
        "main_ward_share",
        "ward_count",
        "ward_postcode_counts",
    ]


def sectors(postcodes: list[PostcodeRow], ward_names: Mapping[str, str], slug: str) -> list[dict[str, Any]]:
    """Per postcode sector (in postcode order): how many of the area's postcodes, their mean position, the
    ward holding most of them and every ward's count."""
    by_sector: dict[str, list[PostcodeRow]] = {}
    for p in postcodes:
        by_sector.setdefault(sector(p.postcode), []).append(p)
    rows = []
    for name, members in by_sector.items():
        counts = Counter(p.ward_code for p in members)
        ranked = counts.most_common()  # most first, ties in postcode order (as the packs were built)
        main = ranked[0][0]
        rows.append(
            {
                "postcode_sector": name,
                "postcode_district": name.split(" ")[0],
                area_packs.sector_count_column(slug): len(members),
                "mean_latitude": f"{sum(p.lat for p in members) / len(members):.5f}",
                "mean_longitude": f"{sum(p.lon for p in members) / len(members):.5f}",
                "main_ward_code": main,
                "main_ward_name": ward_names[main],
                "main_ward_share": f"{counts[main] / len(members):.3f}",
                "ward_count": len(counts),
                "ward_postcode_counts": ";".join(f"{c}:{n}" for c, n in ranked),
            }
        )
    return rows


def ward_indicators(
    ward_rows: list[dict[str, Any]], census_rows: list[dict[str, Any]], imd_rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each ward's Census 2021 and IMD 2019 figures, added up over its best-fit LSOAs (derived, approximate)."""
    census: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in census_rows:
        census[row["bestfit_ward_code"]].append(row)
    imd: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in imd_rows:
        imd[row["bestfit_ward_code"]].append(row)
    result = []
    for ward in ward_rows:
        code = ward["ward_code"]
        people = sum(int(r["usual_residents_total"]) for r in census[code])
        older = sum(int(r["aged_65_plus"]) for r in census[code])
        lsoas = imd[code]
        deciles = [int(r["imd2019_decile"]) for r in lsoas]
        complete = bool(lsoas) and all(r["population_mid2015"] for r in lsoas)  # File 6 was given
        weighted = [(int(r["imd2019_rank"]), int(r["population_mid2015"])) for r in lsoas] if complete else []
        population = sum(w for _, w in weighted)
        poorest = sum(int(r["population_mid2015"]) for r in lsoas if int(r["imd2019_decile"]) <= 2) if complete else 0
        result.append(
            {
                "ward_code": code,
                "ward_name": ward["ward_name"],
                "bestfit_lsoa21_count": len(census[code]),
                "census2021_usual_residents": people,
                "census2021_aged_65_plus": older,
                "census2021_pct_aged_65_plus": _pct(older, people),
                "bestfit_lsoa11_count": len(lsoas),
                "imd2019_most_deprived_decile_in_ward": min(deciles) if deciles else "",
                "imd2019_lsoas_in_deciles_1_2": sum(d <= 2 for d in deciles),
                "imd2019_lsoas_in_deciles_1_3": sum(d <= 3 for d in deciles),
                "imd2019_pop_weighted_mean_rank": (
                    round(sum(r * w for r, w in weighted) / population) if complete and population else ""
                ),
                "imd2019_pct_pop2015_in_deciles_1_2": _pct(poorest, population) if complete else "",
            }
        )
    return result
