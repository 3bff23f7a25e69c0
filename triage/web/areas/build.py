"""`flask area build LAD ...`: an area pack (seed_data/areas/<LAD>_<slug>/) made from the official downloads
(docs/new-council.md says where to get each), by triage/core/area_build.py. This module opens the files,
writes the pack's files and its PROVENANCE.md stub, and turns every problem into a message naming the file and
the line (never a traceback). The pack is written to a new folder beside the others and renamed into place at
the end, so a failed build leaves nothing behind."""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import click
from flask.cli import AppGroup

from triage.core import area_build, area_packs
from triage.web.areas import packs

area = AppGroup("area", help="Area packs: the open data of each district (docs/new-council.md).")

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@contextmanager
def _opened(path: Path) -> Iterator[TextIO]:
    """The file as text lines, a problem reading it said as a build problem."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            yield f
    except UnicodeDecodeError as error:
        raise area_build.InputError(str(path), 0, f"is not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise area_build.InputError(str(path), 0, f"cannot be read: {error.strerror}") from None


def _json(path: Path) -> Any:
    with _opened(path) as f:
        try:
            return json.load(f)
        except json.JSONDecodeError as error:
            raise area_build.InputError(str(path), error.lineno, f"is not JSON: {error.msg}") from None


def _described(path: Path, rows: int, kept: int, what: str) -> dict[str, Any]:
    stat = path.stat()
    return {
        "file": path.name,
        "modified": datetime.fromtimestamp(stat.st_mtime, UTC).date().isoformat(),
        "bytes": stat.st_size,
        "rows": rows,
        "kept": kept,
        "what": what,
    }


def _count_rows(path: Path) -> int:
    with _opened(path) as f:
        return max(sum(1 for _ in csv.reader(f)) - 1, 0)


def read_inputs(lad: str, given: dict[str, Any]) -> tuple[area_build.Inputs, list[dict[str, Any]]]:
    """The parsed downloads, and what each file was for PROVENANCE.md."""
    described = []
    found: list[area_build.PostcodeRow] = []
    for path in given["postcodes"]:
        count = area_build.PostcodeCount()
        with _opened(path) as f:
            found.extend(area_build.read_postcodes(str(path), f, lad, count))
        note = f"postcodes ({count.terminated} terminated and {count.no_position} without a position left out)"
        described.append(_described(path, count.rows, count.kept, note))
    postcodes_file = str(given["postcodes"][0]) if len(given["postcodes"]) == 1 else "the postcode files"
    ward_codes = {p.ward_code for p in found}
    ward_geojson = _json(given["wards"])
    code_key, wards = area_build.areas(
        str(given["wards"]), ward_geojson, area_build.WARD_CODE_FIELD, area_build.WARD_NAME_FIELD, ward_codes
    )
    described.append(_described(given["wards"], len(ward_geojson.get("features") or ()), len(wards), "ward boundaries"))
    placed = {p.lsoa21 for p in found if p.lsoa21}
    with _opened(given["lookup"]) as f:
        lookup = area_build.read_lookup(str(given["lookup"]), f, lad, placed)
    described.append(_described(given["lookup"], _count_rows(given["lookup"]), len(lookup), "LSOA 2011 to 2021 lookup"))
    lsoa11 = {r["lsoa11cd"] for r in lookup}
    lsoa21 = {r["lsoa21cd"] for r in lookup}
    tables: dict[str, Any] = {}
    for key, spec, what in (
        ("imd1", area_build.IMD_FILE1, "IoD2019 File 1 (IMD)"),
        ("imd2", area_build.IMD_FILE2, "IoD2019 File 2 (domains)"),
        ("imd6", area_build.IMD_FILE6, "IoD2019 File 6 (population denominators)"),
    ):
        path = given[key]
        if path is None:
            tables[key] = None
            continue
        with _opened(path) as f:
            tables[key] = area_build.read_table(str(path), f, spec, lsoa11)
        described.append(_described(path, _count_rows(path), len(tables[key]), what))
    with _opened(given["census"]) as f:
        census = area_build.read_census(str(given["census"]), f, lsoa21)
    described.append(_described(given["census"], _count_rows(given["census"]), len(census), "Census 2021 RM121"))
    lsoa_geojson = _json(given["lsoa_boundaries"])
    _, lsoas = area_build.areas(
        str(given["lsoa_boundaries"]), lsoa_geojson, area_build.LSOA_CODE_FIELD, area_build.LSOA_NAME_FIELD, lsoa21
    )
    features = len(lsoa_geojson.get("features") or ())
    described.append(_described(given["lsoa_boundaries"], features, len(lsoas), "LSOA 2021 boundaries"))
    libraries = None
    if given["libraries"] is not None:
        by_postcode = {p.postcode: p for p in found}
        with _opened(given["libraries"]) as f:
            libraries = area_build.read_libraries(str(given["libraries"]), f, by_postcode)
        rows = _count_rows(given["libraries"])
        described.append(_described(given["libraries"], rows, len(libraries), "libraries (ACE 2023)"))
    inputs = area_build.Inputs(
        lad_code=lad,
        postcodes=found,
        postcodes_file=postcodes_file,
        ward_file=given["wards"].name,
        ward_code_key=code_key,
        wards=wards,
        lookup=lookup,
        imd1=tables["imd1"],
        imd2=tables["imd2"],
        imd6=tables["imd6"],
        census=census,
        lsoas=lsoas,
        libraries=libraries,
    )
    files = {
        "lookup": str(given["lookup"]),
        **{k: str(given[k]) for k in ("imd1", "imd2", "imd6", "census") if given[k] is not None},
        "lsoas": str(given["lsoa_boundaries"]),
    }
    area_build.check(inputs, files)
    return inputs, described


def _name(inputs: area_build.Inputs, given: str | None) -> str:
    """The district's name: the one given, else the lookup's (LAD22NM), which a district made after 2022 does not
    have: its lookup rows name the districts it was made from."""
    if given and given.strip():
        return given.strip()
    if area_build.named_by_lookup(inputs):
        return inputs.lookup[0]["lad22nm"]
    replaced = sorted({r["lad22nm"] for r in inputs.lookup})
    raise click.ClickException(
        f"{inputs.lad_code} is newer than the LSOA lookup, whose LAD22NM names the districts it was made from "
        f"({', '.join(replaced)}): give the district's name with --name"
    )


def _write_csv(path: Path, header: list[str], rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def provenance(pack: area_build.Pack, lad: str, described: list[dict[str, Any]]) -> str:
    """The PROVENANCE.md stub: the input files, their dates and row counts, and how each column was derived."""
    lines = [
        f"# Provenance of the {pack.lad_name} ({lad}) area pack",
        "",
        f"Built by `flask area build` on {datetime.now(UTC).date().isoformat()} from the official downloads below",
        "(docs/new-council.md says where each comes from). Nothing was typed by hand. **Fill in** each file's",
        'release (for example "NSPL May 2025") and check its licence line before publishing this pack.',
        "",
        "## Input files",
        "",
        "| File | What | Modified | Bytes | Rows read | Rows kept |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| `{d['file']}` | {d['what']} | {d['modified']} | {d['bytes']:,} | {d['rows']:,} | {d['kept']:,} |"
        for d in described
    ]
    tables = pack.tables
    multi11, multi21 = pack.multi_ward_lsoas
    lines += [
        "",
        "## Files of the pack",
        "",
        "| File | Rows |",
        "|---|---|",
    ]
    lines += [f"| `{area_packs.file_name(pack.slug, part)}` | {len(rows):,} |" for part, (_, rows) in tables.items()]
    lines += [
        f"| `{area_packs.file_name(pack.slug, part)}` | {len(g['features']):,} features |"
        for part, g in pack.geojson.items()
    ]
    lines += [
        "",
        "## Derived columns (as in the other packs' PROVENANCE.md)",
        "",
        "- `latitude`/`longitude`: the NSPL's own, or, from Code-Point Open, its OSGB36 easting/northing converted",
        "  to WGS84 by the OS seven-parameter Helmert transform (accurate to about "
        f"{area_build.HELMERT_ACCURACY_M} m against OSTN15), rounded to 5 decimal places. `nspl_may2025_*` hold",
        "  the NSPL's position when the NSPL was the input, and are blank from Code-Point Open;",
        "  `positional_quality` is Code-Point's indicator, blank from the NSPL. Terminated postcodes are left out.",
        "- `codepoint_postcode_count` (wards) and the sector file: counted from the postcode file; a sector's",
        "  main ward is the one holding most of its postcodes.",
        "- `bestfit_ward_*` and `ward_postcode_counts_in_lsoa`: the postcode points inside each LSOA (2021)",
        "  polygon, counted by their ward; the best fit is the ward with most (ties to the lower code). A 2011",
        "  LSOA counts the postcodes of the 2021 LSOAs it became (unchanged or split); a merged one shares its",
        "  2021 LSOA's counts. This is **not** the ONS population-weighted best fit. "
        f"{multi11} LSOAs (2011) and {multi21} LSOAs (2021) hold postcodes of more than one ward.",
        "- The ward indicators: sums over each ward's best-fit LSOAs (derived and approximate: LSOAs do not nest",
        "  in wards). The population-weighted IMD figures need IoD2019 File 6, and are blank without it.",
        "- `aged_65_plus` and `pct_aged_65_plus`: the sum of the Census 2021 bands from 65, and its share.",
        "",
    ]
    if any(d["what"].startswith("libraries") for d in described):
        lines += [
            "## Libraries",
            "",
            "Every record of the library dataset whose postcode is one of the area's postcodes (so prison libraries,",
            "archives, mobile library bases and closed libraries may be among them: the service filters them). The",
            "Libraries Hacked URL and opening-hours columns are blank: add them from the council's own pages.",
            "Licence of the library dataset: to be confirmed with Arts Council England.",
            "",
        ]
    else:
        lines += ["## Libraries", "", "No library file was given: the library file has its header only.", ""]
    return "\n".join(lines)


def write_pack(pack: area_build.Pack, lad: str, described: list[dict[str, Any]], out: Path, replace: bool) -> Path:
    target = out / f"{lad}_{pack.slug}"
    if target.exists() and not replace:
        raise click.ClickException(f"{target} already exists: give --replace to build it again")
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{lad}-", dir=out))
    try:
        for part, (header, rows) in pack.tables.items():
            _write_csv(staging / area_packs.file_name(pack.slug, part), header, rows)
        for part, collection in pack.geojson.items():
            text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
            (staging / area_packs.file_name(pack.slug, part)).write_text(text, encoding="utf-8")
        (staging / "PROVENANCE.md").write_text(provenance(pack, lad, described), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


@area.command("build")
@click.argument("lad_code")
@click.option(
    "--postcodes",
    "postcode_files",
    multiple=True,
    required=True,
    type=_FILE,
    help="The NSPL CSV, or Code-Point Open CSV files (give --postcodes once per file).",
)
@click.option("--wards", required=True, type=_FILE, help="ONS Wards (BGC) GeoJSON.")
@click.option("--imd-file1", required=True, type=_FILE, help="IoD2019 File 1: IMD.")
@click.option("--imd-file2", required=True, type=_FILE, help="IoD2019 File 2: domains of deprivation.")
@click.option("--imd-file6", type=_FILE, help="IoD2019 File 6: population denominators (for the weighted figures).")
@click.option("--census", required=True, type=_FILE, help="Census 2021 RM121 (sex by age) for LSOAs, from Nomis.")
@click.option("--lsoa-lookup", required=True, type=_FILE, help="ONS LSOA (2011) to LSOA (2021) to LAD (2022) CSV.")
@click.option("--lsoa-boundaries", required=True, type=_FILE, help="ONS LSOA (2021) BGC GeoJSON.")
@click.option("--libraries", type=_FILE, help="Arts Council England public libraries dataset CSV (optional).")
@click.option(
    "--name", help="The district's name (default: the lookup's LAD22NM; needed for a district made after 2022)."
)
@click.option("--slug", help="The pack's name after the LAD code (default: from the district's name).")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Where the packs are (default: seed_data/areas)."
)
@click.option("--replace", is_flag=True, help="Build again over an existing pack folder.")
def build_command(lad_code: str, postcode_files: tuple[Path, ...], **options: Any) -> None:
    """Make the area pack of LAD_CODE (for example E07000130) from the official downloads."""
    refused = area_build.lad_code_problem(lad_code)
    if refused:
        raise click.ClickException(refused)
    given = {
        "postcodes": list(postcode_files),
        "wards": options["wards"],
        "imd1": options["imd_file1"],
        "imd2": options["imd_file2"],
        "imd6": options["imd_file6"],
        "census": options["census"],
        "lookup": options["lsoa_lookup"],
        "lsoa_boundaries": options["lsoa_boundaries"],
        "libraries": options["libraries"],
    }
    try:
        inputs, described = read_inputs(lad_code, given)
        lad_name = _name(inputs, options["name"])
        slug = options["slug"] or area_build.slug_of(lad_name)
        if not area_packs.FOLDER.match(f"{lad_code}_{slug}"):
            raise click.ClickException(f"--slug {slug!r} must be lower-case letters, digits and _")
        pack = area_build.build(inputs, lad_name, slug)
    except area_packs.PackError as problem:
        raise click.ClickException(str(problem)) from problem
    folder = write_pack(pack, lad_code, described, options["out"] or packs.AREAS, options["replace"])
    counts = {part: len(rows) for part, (_, rows) in pack.tables.items()}
    click.echo(
        f"Built {folder}: {counts['wards']} wards, {counts['postcodes']} postcodes, {counts['sectors']} sectors, "
        f"{counts['imd']} LSOAs (2011), {counts['census']} LSOAs (2021), {counts.get('libraries', 0)} libraries. "
        "Fill in the releases in its PROVENANCE.md."
    )
