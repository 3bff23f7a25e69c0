"""The area pack format (triage/core/area_packs.py) on small extracts cut from the real packs
(tests/fixtures/area_packs/), and each problem a malformed file can have, named by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.core import area_packs
from triage.core.area_packs import PackError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "area_packs"
NWL, CHESHIRE_EAST, MAIDSTONE, HINCKLEY = "E07000134", "E06000049", "E07000110", "E07000132"
KEGWORTH, IBSTOCK_WEST = "E05010115", "E05010114"


def fixture(name: str) -> tuple[str, str]:
    return name, (FIXTURES / name).read_text(encoding="utf-8")


def test_file_names_follow_the_slug():
    assert area_packs.file_name("cheshire_east", "wards") == "cheshire_east_wards.csv"
    assert area_packs.file_name("blaby", "ward_boundaries") == "blaby_wards_2025_bgc.geojson"
    assert area_packs.sector_count_column("oadby_and_wigston") == "oadby_and_wigston_postcode_count"
    assert area_packs.FOLDER.match("E07000134_north_west_leicestershire").groupdict() == {
        "lad": NWL,
        "slug": "north_west_leicestershire",
    }
    assert area_packs.OLD_WARDS.match("maidstone_wards_pre2024.csv")["year"] == "2024"
    assert area_packs.FOLDER.match("README.md") is None


def test_wards_and_postcodes_of_a_district_in_a_county():
    wards = area_packs.wards(*fixture("north_west_leicestershire_wards.csv"), NWL)
    assert [(w.code, w.name) for w in wards] == [(IBSTOCK_WEST, "Ibstock West"), (KEGWORTH, "Kegworth")]
    assert {w.lad_name for w in wards} == {"North West Leicestershire"}
    postcodes = area_packs.postcodes(*fixture("north_west_leicestershire_postcodes.csv"), NWL, {w.code for w in wards})
    assert [(p.postcode, p.ward_code, p.county_code) for p in postcodes][:2] == [
        ("DE74 2DA", KEGWORTH, "E10000018"),
        ("DE74 2DB", KEGWORTH, "E10000018"),
    ]


def test_a_unitary_authority_has_no_county():
    wards = area_packs.wards(*fixture("cheshire_east_wards.csv"), CHESHIRE_EAST)
    postcodes = area_packs.postcodes(*fixture("cheshire_east_postcodes.csv"), CHESHIRE_EAST, {w.code for w in wards})
    assert len(postcodes) == 3 and {p.county_code for p in postcodes} == {None}


def test_the_sector_count_column_carries_the_slug():
    sectors = area_packs.sectors(*fixture("cheshire_east_postcode_sectors.csv"), "cheshire_east")
    assert len(sectors) == 2 and all(s.postcode_count > 0 for s in sectors)
    with pytest.raises(PackError, match="line 1: the header has no column maidstone_postcode_count"):
        area_packs.sectors(*fixture("cheshire_east_postcode_sectors.csv"), "maidstone")


def test_old_wards_are_read_when_there_are_some():
    assert area_packs.old_wards(*fixture("maidstone_wards_pre2024.csv"))[0] == ("E05004982", "Allington")


def _places(*names: str) -> dict[str, str]:
    return {p.postcode: p.ward_code for name, lad in names for p in area_packs.postcodes(*fixture(name), lad, ALL)}


ALL = {KEGWORTH, IBSTOCK_WEST}


def test_kegworth_library_is_placed_at_its_corrected_postcode_in_kegworth_ward():
    placed = _places(("north_west_leicestershire_postcodes.csv", NWL))
    (kegworth,) = area_packs.libraries(*fixture("north_west_leicestershire_libraries.csv"), NWL, placed)
    (fix,) = area_packs.CORRECTIONS
    assert (fix.given, fix.corrected) == ("LE67 6NP", "DE74 2DA") and fix.reason and fix.source
    assert (kegworth.name, kegworth.postcode, kegworth.ward_code) == ("Kegworth", "DE74 2DA", KEGWORTH)
    assert kegworth.address == "High Street, Kegworth" and not kegworth.council_run  # community-run (CR)
    assert "mon" not in kegworth.hours and kegworth.hours["tue"] == "14:00-16:30"


def test_the_correction_is_for_that_district_and_that_library_only():
    row = {"library_name": "Kegworth", "postcode": "LE67 6NP"}
    assert area_packs.corrected(NWL, row)["postcode"] == "DE74 2DA"
    assert area_packs.corrected(HINCKLEY, row)["postcode"] == "LE67 6NP"
    assert area_packs.corrected(NWL, {**row, "library_name": "Ibstock"})["postcode"] == "LE67 6NP"


@pytest.mark.parametrize(
    ("name", "lad", "venues"),
    [
        ("maidstone_libraries.csv", MAIDSTONE, ["Allington Library"]),  # not HMP Maidstone, Kent Archives, Mobile
        ("hinckley_and_bosworth_libraries.csv", HINCKLEY, ["Hinckley"]),  # not Barwell, closed in 2018
        ("north_west_leicestershire_libraries.csv", NWL, ["Kegworth"]),  # not Mobile C
    ],
)
def test_prisons_archives_mobile_bases_and_closed_libraries_are_never_venues(name, lad, venues):
    _, text = fixture(name)
    rows = [row for _, row in area_packs.rows(name, text, area_packs.LIBRARY_COLUMNS)]
    shown = [r["library_name"] for r in rows if area_packs.is_venue(r)]
    assert shown == venues and len(rows) > len(venues)


def test_the_real_library_types_and_operations_are_the_ones_the_rule_knows():
    areas = Path(__file__).resolve().parents[2] / "seed_data" / "areas"
    seen = set()
    for path in sorted(areas.glob("*/*_libraries.csv")):
        for _, row in area_packs.rows(path.name, path.read_text(encoding="utf-8"), area_packs.LIBRARY_COLUMNS):
            seen.add((row["library_type"], row["operation_2023"], row["year_closed"]))
    assert seen == {
        ("Static Library", "LA", ""),
        ("Static Library", "CR", ""),
        ("Static Library", "Closed", "2018"),
        ("Mobile Library", "LA", ""),
        ("Prison Library", "LA", ""),
        ("Archive", "LA", ""),
    }


# ---- malformed files: stopped with the file and the line ----------------------------------------------


def _broken(name: str, line: int, old: str, new: str) -> str:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "".join(lines)


POSTCODES = "north_west_leicestershire_postcodes.csv"


@pytest.mark.parametrize(
    ("line", "old", "new", "problem"),
    [
        (3, "DE74 2DB", "DE74 2D", "line 3: 'DE74 2D' is not a postcode"),
        (2, "52.83597", "north", "line 2: latitude 'north' is not a number"),
        (4, "E05010114", "E05099999", "line 4: LE67 6NP is in ward 'E05099999', which is not in the ward file"),
        (5, ",E07000134,", ",E07000130,", "line 5: LE67 6NQ is in 'E07000130', not in this pack's E07000134"),
        (3, "DE74 2DB,", "DE74 2DB,DE74,", "line 3: this row has not 15 fields, as the header has"),
        (1, "ward_code", "ward", "line 1: the header has no column ward_code"),
    ],
)
def test_a_malformed_postcode_file_stops_naming_the_file_and_line(line, old, new, problem):
    with pytest.raises(PackError) as stopped:
        area_packs.postcodes(POSTCODES, _broken(POSTCODES, line, old, new), NWL, ALL)
    assert str(stopped.value) == f"{POSTCODES}, {problem}"


def test_malformed_wards_and_libraries_stop_naming_the_file_and_line():
    wards = "north_west_leicestershire_wards.csv"
    with pytest.raises(PackError, match=rf"^{wards}, line 2: 'E0501011' is not a ward code$"):
        area_packs.wards(wards, _broken(wards, 2, "E05010114", "E0501011"), NWL)
    with pytest.raises(PackError, match=rf"^{wards}, line 2: ward E05010114 is in 'E07000130'"):
        area_packs.wards(wards, _broken(wards, 2, "E07000134", "E07000130"), NWL)
    with pytest.raises(PackError, match=rf"^{wards}, line 1: there are no wards$"):
        area_packs.wards(wards, (FIXTURES / wards).read_text().splitlines()[0] + "\n", NWL)
    libraries = "north_west_leicestershire_libraries.csv"
    placed = _places((POSTCODES, NWL))
    with pytest.raises(PackError, match=rf"^{libraries}, line 2: Kegworth: tue hours '2pm' are not like 09:30-17:00$"):
        area_packs.libraries(libraries, _broken(libraries, 2, "14:00-16:30", "2pm"), NWL, placed)
    with pytest.raises(PackError, match=rf"^{libraries}, line 2: Kegworth: 'LE1 1AA' is not a postcode of the area$"):
        area_packs.libraries(libraries, _broken(libraries, 2, "LE67 6NP", "LE1 1AA"), NWL, placed)
