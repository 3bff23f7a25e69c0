"""`flask area build` on extracts of the official downloads (tests/fixtures/area_build/, cut from the Charnwood
pack): the built pack gives each postcode the pack's ward and position, the LSOA rows and ward indicators of the
pack; it loads with `flask seed` under a profile that serves it; and each kind of bad input stops the command
with a message naming the file and line, never a traceback."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from triage.web.app import create_app
from triage.web.areas import packs, profiles
from triage.web.extensions import db
from triage.web.models import Postcode, Resource, Ward

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "area_build"
PACK = packs.AREAS / "E07000130_charnwood"
WARDS = {"E05014674", "E05014685"}  # the wards whose every best-fit LSOA is in the extract
NSPL = FIXTURES / "NSPL_extract.csv"
CODEPOINT = FIXTURES / "codepoint_le.csv"


def _inputs(postcodes: Path = NSPL, **replaced: Path) -> list[str]:
    files = {
        "--wards": FIXTURES / "Wards_May_2025_Boundaries_UK_BGC_extract.geojson",
        "--imd-file1": FIXTURES / "File_1_-_IMD2019_Index_of_Multiple_Deprivation_extract.csv",
        "--imd-file2": FIXTURES / "File_2_-_IoD2019_Domains_of_Deprivation_extract.csv",
        "--imd-file6": FIXTURES / "File_6_-_IoD2019_Population_Denominators_extract.csv",
        "--census": FIXTURES / "RM121_census2021_sex_by_age_lsoa_extract.csv",
        "--lsoa-lookup": FIXTURES / "LSOA11_LSOA21_LAD22_EW_LU_extract.csv",
        "--lsoa-boundaries": FIXTURES / "LSOA_2021_EW_BGC_extract.geojson",
        "--libraries": FIXTURES / "libraries_england_2023_extract.csv",
        **{f"--{k.replace('_', '-')}": v for k, v in replaced.items()},
    }
    return ["--postcodes", str(postcodes), *(x for k, v in files.items() for x in (k, str(v)))]


@pytest.fixture
def build(app, tmp_path):
    def run(lad: str = "E07000130", postcodes: Path = NSPL, **replaced: Path):
        args = ["area", "build", lad, *_inputs(postcodes, **replaced), "--out", str(tmp_path / "areas")]
        return app.test_cli_runner().invoke(args=args)

    return run


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _by(rows: list[dict[str, str]], key: str) -> dict[str, dict[str, str]]:
    return {r[key]: r for r in rows}


def test_a_pack_built_from_the_nspl_has_the_packs_wards_positions_and_indicators(build, tmp_path):
    result = build()
    assert result.exit_code == 0, result.output
    built = tmp_path / "areas" / "E07000130_charnwood"
    assert sorted(p.name for p in built.iterdir()) == sorted(p.name for p in PACK.iterdir() if "pre2023" not in p.name)
    ours = _by(_rows(PACK / "charnwood_postcodes.csv"), "postcode")
    theirs = _rows(built / "charnwood_postcodes.csv")
    assert len(theirs) == 166  # the extract's postcodes of Charnwood that the NSPL of May 2025 has
    for row in theirs:
        expected = ours[row["postcode"]]
        assert (row["ward_code"], row["ward_name"], row["county_code"]) == (
            expected["ward_code"],
            expected["ward_name"],
            expected["county_code"],
        )
        for ours_column, built_column in (
            ("nspl_may2025_latitude", "latitude"),
            ("nspl_may2025_longitude", "longitude"),
        ):
            assert abs(float(row[built_column]) - float(expected[ours_column])) < 0.000006
    indicators = _by(_rows(built / "charnwood_ward_indicators_derived.csv"), "ward_code")
    for code, row in _by(_rows(PACK / "charnwood_ward_indicators_derived.csv"), "ward_code").items():
        if code in WARDS:
            assert indicators[code] == row
    # The NSPL of May 2025 has not 2 of the postcodes in South Charnwood's LSOA, so only their counts differ
    _same_lsoa_rows(built, leave_out=("ward_postcode_counts_in_lsoa",))
    wards = _by(_rows(built / "charnwood_wards.csv"), "ward_code")
    pack_wards = _by(_rows(PACK / "charnwood_wards.csv"), "ward_code")
    for code, row in wards.items():
        for column in ("ward_name", "lad_code", "lad_name", "ons_ref_latitude", "ons_ref_longitude"):
            assert row[column] == pack_wards[code][column]
    library = _rows(built / "charnwood_libraries.csv")
    assert [(r["library_name"], r["postcode"], r["ward_code"], r["operation_2023"]) for r in library] == [
        ("Anstey", "LE7 7AU", "E05014666", "CR")
    ]
    provenance = (built / "PROVENANCE.md").read_text()
    assert "| `NSPL_extract.csv` | postcodes" in provenance and "| 169 | 166 |" in provenance


def _same_lsoa_rows(built: Path, leave_out: tuple[str, ...] = ()) -> None:
    for name, key in (("lsoa21_age65_census2021", "lsoa21_code"), ("lsoa11_imd2019", "lsoa11_code")):
        built_rows = _by(_rows(built / f"charnwood_{name}.csv"), key)
        pack_rows = _by(_rows(PACK / f"charnwood_{name}.csv"), key)
        assert len(built_rows) == 4
        for code, row in built_rows.items():
            assert {k: v for k, v in row.items() if k not in leave_out} == {
                k: v for k, v in pack_rows[code].items() if k not in leave_out
            }


def test_code_point_eastings_and_northings_give_the_packs_positions_within_two_metres(build, tmp_path):
    result = build(postcodes=CODEPOINT)
    assert result.exit_code == 0, result.output
    ours = _by(_rows(PACK / "charnwood_postcodes.csv"), "postcode")
    theirs = _rows(tmp_path / "areas" / "E07000130_charnwood" / "charnwood_postcodes.csv")
    assert len(theirs) == 168
    for row in theirs:
        expected = ours[row["postcode"]]
        for column in ("ward_code", "easting", "northing", "positional_quality"):
            assert row[column] == expected[column]
        # 0.00002 degrees: 2.2 m north-south, 1.4 m east-west here (the pack's pyproj used the same Helmert)
        assert abs(float(row["latitude"]) - float(expected["latitude"])) <= 0.00002
        assert abs(float(row["longitude"]) - float(expected["longitude"])) <= 0.00002
        assert row["nspl_may2025_latitude"] == ""
    _same_lsoa_rows(tmp_path / "areas" / "E07000130_charnwood")


@pytest.fixture
def own_areas(tmp_path, monkeypatch):
    """A packs folder and a councils folder of the test's own, with the packs' caches emptied around it."""
    areas, councils = tmp_path / "areas", tmp_path / "councils"
    councils.mkdir()
    monkeypatch.setattr(packs, "AREAS", areas)
    monkeypatch.setattr(profiles, "COUNCILS", councils)
    for cached in (packs.wards, packs.postcodes, packs.district_name):
        cached.cache_clear()
    yield areas, councils
    for cached in (packs.wards, packs.postcodes, packs.district_name):
        cached.cache_clear()


def test_the_built_pack_loads_with_flask_seed_under_a_profile_that_serves_it(app, own_areas, tmp_path):
    areas, councils = own_areas
    args = ["area", "build", "E07000130", *_inputs(CODEPOINT), "--out", str(areas)]
    assert app.test_cli_runner().invoke(args=args).exit_code == 0
    profile = (profiles.ROOT / "councils" / "charnwood.toml").read_text()
    (councils / "extract.toml").write_text(profile.replace("sample_local_help = true", "sample_local_help = false"))
    built = create_app(
        {
            "TESTING": True,
            "COUNCIL": "extract",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'extract.db'}",
            "SECRET_KEY": "test-secret",
        }
    )
    with built.app_context():
        upgrade()
    result = built.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "168 postcodes added" in result.output
    with built.app_context():
        assert db.session.scalar(select(func.count()).select_from(Postcode)) == 168
        assert db.session.get(Postcode, "LE7 7AU").ward_code == "E05014666"
        assert db.session.get(Ward, "E05014674").name == "Loughborough Nanpantan"
        libraries = db.session.execute(select(Resource.name).where(Resource.kind == "library")).scalars()
        assert list(libraries) == ["Anstey Library"]
        db.session.remove()
        db.engine.dispose()


def _broken(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stopped(result, *words: str) -> None:
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), result.exception  # a message and an exit code, not a crash
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def test_a_postcode_file_without_a_column_is_named_with_its_header_line(build, tmp_path):
    header, *rows = NSPL.read_text().splitlines()
    broken = _broken(tmp_path, "nspl.csv", [header.replace("lad25cd", "district"), *rows])
    _stopped(build(postcodes=broken), "nspl.csv, line 1", "no column laua|lad|lad\\d\\dcd")


def test_a_bad_row_in_a_postcode_file_is_named_by_its_line(build, tmp_path):
    lines = NSPL.read_text().splitlines()
    lines[5] = lines[5].rsplit(",", 3)[0]  # three fields short
    _stopped(build(postcodes=_broken(tmp_path, "nspl.csv", lines)), "nspl.csv, line 6", "fields")
    lines = CODEPOINT.read_text().splitlines()
    lines[9] = lines[9].replace(lines[9].split(",")[2], "four hundred", 1)
    _stopped(build(postcodes=_broken(tmp_path, "le.csv", lines)), "le.csv, line 10", "Eastings 'four hundred'")


def test_a_postcode_in_a_ward_the_boundaries_do_not_have_is_named_by_its_line(build, tmp_path):
    lines = NSPL.read_text().splitlines()
    lines[3] = lines[3].replace("E05014674", "E05099999").replace("E05014685", "E05099999")
    _stopped(build(postcodes=_broken(tmp_path, "nspl.csv", lines)), "nspl.csv, line 4", "E05099999")


def test_an_unknown_lad_code_says_no_postcode_is_in_it(build):
    _stopped(build(lad="E07000999"), "NSPL_extract.csv", "no live postcode is in LAD E07000999")
    _stopped(build(lad="charnwood"), "'charnwood' is not an English district's LAD code")


def _relabelled(tmp_path: Path, source: Path, *changes: tuple[str, str]) -> Path:
    """A copy of a fixture with each (old, new) text changed: a district's rows given another district's code."""
    text = source.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / f"relabelled_{source.name}"
    path.write_text(text, encoding="utf-8")
    return path


def _build(app, tmp_path, lad: str, postcodes: Path, *more: str, **replaced: Path):
    args = ["area", "build", lad, *_inputs(postcodes, **replaced), "--out", str(tmp_path / "areas"), *more]
    return app.test_cli_runner().invoke(args=args)


LOOKUP = FIXTURES / "LSOA11_LSOA21_LAD22_EW_LU_extract.csv"
IMD1 = FIXTURES / "File_1_-_IMD2019_Index_of_Multiple_Deprivation_extract.csv"


def test_a_district_made_since_iod2019_takes_the_lsoas_the_lookup_gives_it_not_iods_district_column(app, tmp_path):
    """As Buckinghamshire (E06000060, 2020): the lookup (LAD22CD) and the postcodes have the new code, while
    IoD2019 lists the same LSOAs under the districts of 2019 (here the extract's rows, relabelled as test data)."""
    nspl = _relabelled(tmp_path, NSPL, (",E07000130,", ",E06000060,"))
    lookup = _relabelled(tmp_path, LOOKUP, (",E07000130,Charnwood,", ",E06000060,Buckinghamshire,"))
    assert "E07000130" in IMD1.read_text() and "E06000060" not in IMD1.read_text()
    result = _build(app, tmp_path, "E06000060", nspl, "--slug", "charnwood", lsoa_lookup=lookup)
    assert result.exit_code == 0, result.output
    built = tmp_path / "areas" / "E06000060_charnwood"
    _same_lsoa_rows(built, leave_out=("ward_postcode_counts_in_lsoa", "lad_code", "lad_name"))
    imd = _rows(built / "charnwood_lsoa11_imd2019.csv")
    assert {(r["lad_code"], r["lad_name"]) for r in imd} == {("E06000060", "Buckinghamshire")}


def test_a_district_made_after_the_lookup_finds_its_lsoas_through_the_nspl(app, tmp_path):
    """As Somerset (E06000066, April 2023): neither the lookup (LAD22CD) nor IoD2019 has its code, so its LSOAs
    are those the NSPL places its postcodes in (NSPL_extract_relabelled_E06000066.csv, test data)."""
    nspl = FIXTURES / "NSPL_extract_relabelled_E06000066.csv"
    unnamed = _build(app, tmp_path, "E06000066", nspl)
    _stopped(unnamed, "E06000066 is newer than the LSOA lookup", "(Charnwood)", "--name")
    assert not (tmp_path / "areas").exists() or not any((tmp_path / "areas").iterdir())
    result = _build(app, tmp_path, "E06000066", nspl, "--name", "Somerset", "--slug", "charnwood")
    assert result.exit_code == 0, result.output
    built = tmp_path / "areas" / "E06000066_charnwood"
    _same_lsoa_rows(built, leave_out=("ward_postcode_counts_in_lsoa", "lad_code", "lad_name"))
    assert {r["lad_name"] for r in _rows(built / "charnwood_wards.csv")} == {"Somerset"}
    lookup = _rows(built / "charnwood_lsoa11_to_lsoa21.csv")
    assert {r["lad22_code"] for r in lookup} == {"E07000130"}  # as the lookup has it: the district before
    assert len(lookup) == 4  # and not Melton's rows
    named = _build(app, tmp_path / "again", "E06000066", nspl, "--name", "Somerset")
    assert named.exit_code == 0 and (tmp_path / "again" / "areas" / "E06000066_somerset").is_dir()


def test_a_district_made_after_the_lookup_from_code_point_asks_for_the_nspl(app, tmp_path):
    codepoint = _relabelled(tmp_path, CODEPOINT, (",E07000130,", ",E06000066,"))
    result = _build(app, tmp_path, "E06000066", codepoint, "--name", "Somerset")
    _stopped(result, "no LSOA has LAD22CD E06000066", "give the NSPL as --postcodes")


def test_a_welsh_scottish_or_northern_irish_code_is_refused_because_iod2019_covers_england_only(build):
    for code, nation in (("W06000015", "Welsh"), ("S12000036", "Scottish"), ("N09000003", "Northern Irish")):
        _stopped(build(lad=code), f"{code} is a {nation} code", "IoD2019", "cover England only")
    _stopped(build(lad="E10000018"), "E10000018 is a county's code", "each of its districts")


def test_a_missing_input_file_is_named(build, tmp_path):
    missing = tmp_path / "File_2.csv"
    result = build(imd_file2=missing)
    _stopped(result, "--imd-file2", "File_2.csv", "does not exist")


def test_a_statistics_file_missing_the_districts_lsoas_is_named(build, tmp_path):
    census = (FIXTURES / "RM121_census2021_sex_by_age_lsoa_extract.csv").read_text().splitlines()
    cut = [line for line in census if "E01025707" not in line]
    _stopped(build(census=_broken(tmp_path, "rm121.csv", cut)), "rm121.csv", "not in it, for example E01025707")
    lines = (FIXTURES / "File_1_-_IMD2019_Index_of_Multiple_Deprivation_extract.csv").read_text().splitlines()
    lines[0] = lines[0].replace("LSOA code (2011)", "LSOA")
    _stopped(build(imd_file1=_broken(tmp_path, "file1.csv", lines)), "file1.csv, line 1", "lsoa code")
