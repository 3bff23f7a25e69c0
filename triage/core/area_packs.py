"""The area pack format (seed_data/areas/README.md): one folder per local authority district (LAD), named
`<lad_code>_<slug>`, whose files are named by the slug. This module owns that format: the file names, the
columns each file must have, and reading the rows the service uses, with every problem named by file and line.

What the packs' README asks of a reader, and where it is done here:
- the old-ward file (`<slug>_wards_pre<year>.csv`) is optional: OLD_WARDS matches it, and nothing needs it;
- the sector file's count column is named after the slug: sector_count_column();
- a unitary authority has no county: Postcode.county_code is None when the column is blank;
- prison, archive and mobile library rows, and closed libraries, are never venues: is_venue();
- a known source error (Kegworth library's postcode) is corrected in one place: CORRECTIONS.

Pure: the shell reads the files and passes their text in.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from triage.core.geography import normalise_postcode

FOLDER = re.compile(r"^(?P<lad>E0[6-9]\d{6})_(?P<slug>[a-z][a-z0-9_]*)$")
OLD_WARDS = re.compile(r"^(?P<slug>[a-z][a-z0-9_]*)_wards_pre(?P<year>\d{4})\.csv$")
LAD_CODE = re.compile(r"^E0[6-9]\d{6}$")
WARD_CODE = re.compile(r"^E05\d{6}$")

# File name after the slug, by what the file holds.
FILES = {
    "wards": "wards.csv",
    "ward_boundaries": "wards_2025_bgc.geojson",
    "postcodes": "postcodes.csv",
    "sectors": "postcode_sectors.csv",
    "imd": "lsoa11_imd2019.csv",
    "census": "lsoa21_age65_census2021.csv",
    "lsoa_lookup": "lsoa11_to_lsoa21.csv",
    "lsoa_boundaries": "lsoa21_bgc.geojson",
    "ward_indicators": "ward_indicators_derived.csv",
    "libraries": "libraries.csv",
}

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # how the libraries file starts its hours columns
WARD_COLUMNS = ("ward_code", "ward_name", "lad_code", "lad_name", "ons_ref_latitude", "ons_ref_longitude")
POSTCODE_COLUMNS = ("postcode", "ward_code", "lad_code", "county_code", "latitude", "longitude")
OLD_WARD_COLUMNS = ("ward_code", "ward_name", "lad_code")
LIBRARY_COLUMNS = (
    "library_name",
    "address1",
    "address2",
    "postcode",
    "library_type",
    "operation_2023",
    "year_closed",
    "email",
    "url_librarieshacked",
    *(f"{day}_hours_librarieshacked" for day in DAYS),
)

# The library rows residents may be sent to: static libraries, open in 2023. The 2023 dataset's
# operation_2023 codes (decoded by Libraries Hacked): LA local authority, LAU local authority unstaffed,
# C commissioned, CR community-run, ICL independent community library; a closed library says "Closed" and
# gives year_closed. The packs also hold "Prison Library", "Archive" and "Mobile Library" rows.
VENUE_TYPE = "Static Library"
OPEN_OPERATIONS = frozenset({"LA", "LAU", "C", "CR", "ICL"})


def file_name(slug: str, part: str) -> str:
    """The pack file holding `part` (a key of FILES): ("cheshire_east", "wards") -> cheshire_east_wards.csv."""
    return f"{slug}_{FILES[part]}"


def sector_count_column(slug: str) -> str:
    """The sector file's third column: how many of the area's postcodes the sector has."""
    return f"{slug}_postcode_count"


class PackError(ValueError):
    """A pack file the service cannot use: the message names the file and the line."""

    def __init__(self, file: str, line: int, problem: str) -> None:
        super().__init__(f"{file}, line {line}: {problem}")
        self.file, self.line, self.problem = file, line, problem


@dataclass(frozen=True)
class Correction:
    """A known error in a source file, put right here and nowhere else, with why and on whose word."""

    lad_code: str
    library_name: str
    column: str
    given: str
    corrected: str
    reason: str
    source: str


CORRECTIONS = (
    Correction(
        lad_code="E07000134",
        library_name="Kegworth",
        column="postcode",
        given="LE67 6NP",
        corrected="DE74 2DA",
        reason=(
            "The Arts Council England 2023 record gives LE67 6NP, a postcode in Ibstock West ward about 18 km "
            "away; the library's address is High Street, Kegworth, and DE74 2DA is in Kegworth ward."
        ),
        source=(
            "Libraries Hacked schema file data/schemas/libraries/leicestershire_county_council.csv (commit "
            "7c7e8858b3d5d119dd359723421598e768d4358d); seed_data/areas/E07000134_north_west_leicestershire/"
            "PROVENANCE.md, file 10"
        ),
    ),
)


def rows(file: str, text: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Each data row of a CSV file with its line number (the header is line 1); stops at the first
    missing column or a row with more or fewer fields than the header."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in columns if c not in header]
    if missing:
        raise PackError(file, 1, f"the header has no column {', '.join(missing)}")
    result = []
    for row in reader:
        if None in row or None in row.values():
            raise PackError(file, reader.line_num, f"this row has not {len(header)} fields, as the header has")
        result.append((reader.line_num, row))
    return result


def _number(file: str, line: int, row: dict[str, str], column: str) -> float:
    try:
        return float(row[column])
    except ValueError:
        raise PackError(file, line, f"{column} {row[column]!r} is not a number") from None


def _code(file: str, line: int, value: str, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.match(value):
        raise PackError(file, line, f"{value!r} is not {what}")
    return value


@dataclass(frozen=True)
class Ward:
    code: str
    name: str
    lad_code: str
    lad_name: str
    lat: float
    lon: float


def wards(file: str, text: str, lad_code: str) -> list[Ward]:
    """The pack's current wards; each must be a ward of the pack's own LAD."""
    result = []
    for line, row in rows(file, text, WARD_COLUMNS):
        code = _code(file, line, row["ward_code"], WARD_CODE, "a ward code")
        if row["lad_code"] != lad_code:
            raise PackError(file, line, f"ward {code} is in {row['lad_code']!r}, not in this pack's {lad_code}")
        if not row["ward_name"].strip():
            raise PackError(file, line, f"ward {code} has no name")
        lat, lon = (_number(file, line, row, c) for c in ("ons_ref_latitude", "ons_ref_longitude"))
        result.append(Ward(code, row["ward_name"], lad_code, row["lad_name"], lat, lon))
    if not result:
        raise PackError(file, 1, "there are no wards")
    return result


def old_wards(file: str, text: str) -> list[tuple[str, str]]:
    """The ward codes and names before the last boundary change (kept to recognise old data)."""
    return [
        (_code(file, line, row["ward_code"], WARD_CODE, "a ward code"), row["ward_name"])
        for line, row in rows(file, text, OLD_WARD_COLUMNS)
    ]


@dataclass(frozen=True)
class Postcode:
    postcode: str
    ward_code: str
    county_code: str | None  # None in a unitary authority, which has no county
    lat: float
    lon: float


def postcodes(file: str, text: str, lad_code: str, ward_codes: set[str]) -> list[Postcode]:
    """Every postcode of the pack, in one of its wards."""
    result = []
    for line, row in rows(file, text, POSTCODE_COLUMNS):
        postcode = normalise_postcode(row["postcode"])
        if postcode is None:
            raise PackError(file, line, f"{row['postcode']!r} is not a postcode")
        if row["lad_code"] != lad_code:
            raise PackError(file, line, f"{postcode} is in {row['lad_code']!r}, not in this pack's {lad_code}")
        if row["ward_code"] not in ward_codes:
            raise PackError(file, line, f"{postcode} is in ward {row['ward_code']!r}, which is not in the ward file")
        lat, lon = (_number(file, line, row, c) for c in ("latitude", "longitude"))
        result.append(Postcode(postcode, row["ward_code"], row["county_code"].strip() or None, lat, lon))
    return result


@dataclass(frozen=True)
class Sector:
    sector: str
    postcode_count: int
    main_ward_code: str


def sectors(file: str, text: str, slug: str) -> list[Sector]:
    """The derived sector summary; its count column carries the slug (sector_count_column)."""
    count = sector_count_column(slug)
    result = []
    for line, row in rows(file, text, ("postcode_sector", count, "main_ward_code")):
        if not row[count].isdigit():
            raise PackError(file, line, f"{count} {row[count]!r} is not a whole number")
        result.append(Sector(row["postcode_sector"], int(row[count]), row["main_ward_code"]))
    return result


@dataclass(frozen=True)
class Library:
    name: str
    address: str
    postcode: str
    ward_code: str
    council_run: bool  # run by the library authority itself (LA, LAU); otherwise by the community or a contractor
    email: str
    website: str
    hours: dict[str, str]  # "mon" -> "09:30-17:00", days with hours only


def is_venue(row: dict[str, str]) -> bool:
    """Whether a library row is a public library residents can visit: a static library, open in 2023."""
    return (
        row["library_type"] == VENUE_TYPE
        and row["operation_2023"] in OPEN_OPERATIONS
        and not row["year_closed"].strip()
    )


def corrected(lad_code: str, row: dict[str, str]) -> dict[str, str]:
    """The row with any known source error (CORRECTIONS) put right."""
    for fix in CORRECTIONS:
        if fix.lad_code == lad_code and row["library_name"] == fix.library_name and row[fix.column] == fix.given:
            row = {**row, fix.column: fix.corrected}
    return row


def libraries(file: str, text: str, lad_code: str, postcode_wards: dict[str, str]) -> list[Library]:
    """The pack's libraries that are venues (is_venue), corrected (CORRECTIONS), each placed in the ward of
    its postcode, which must be one of the pack's postcodes."""
    result = []
    for line, row in rows(file, text, LIBRARY_COLUMNS):
        if not is_venue(row):
            continue
        row = corrected(lad_code, row)
        postcode = normalise_postcode(row["postcode"])
        if postcode is None or postcode not in postcode_wards:
            raise PackError(file, line, f"{row['library_name']}: {row['postcode']!r} is not a postcode of the area")
        hours = {}
        for day in DAYS:
            value = row[f"{day}_hours_librarieshacked"].strip()
            if value:
                if not re.fullmatch(r"\d{1,2}:\d{2}-\d{1,2}:\d{2}", value):
                    raise PackError(
                        file, line, f"{row['library_name']}: {day} hours {value!r} are not like 09:30-17:00"
                    )
                hours[day] = value
        address = ", ".join(p.strip() for p in (row["address1"], row["address2"]) if p.strip())
        council_run = row["operation_2023"] in ("LA", "LAU")
        result.append(
            Library(
                row["library_name"],
                address,
                postcode,
                postcode_wards[postcode],
                council_run,
                row["email"],
                row["url_librarieshacked"],
                hours,
            )
        )
    return result
