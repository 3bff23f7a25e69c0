"""Reading the area packs in seed_data/areas/: which packs there are, and their files parsed by the pack
format's owner, triage/core/area_packs.py. Parsed files are kept for the life of the process (they never
change while it runs)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from triage.core import area_packs
from triage.web.config import ROOT

AREAS = ROOT / "seed_data" / "areas"


@dataclass(frozen=True)
class Pack:
    lad_code: str
    slug: str
    folder: Path

    def path(self, part: str) -> Path:
        """The pack's file holding `part` (a key of area_packs.FILES)."""
        return self.folder / area_packs.file_name(self.slug, part)

    def read(self, part: str) -> tuple[str, str]:
        """The file's name (as the messages give it) and its text."""
        path = self.path(part)
        try:
            return f"seed_data/areas/{self.folder.name}/{path.name}", path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise area_packs.PackError(str(path.relative_to(ROOT)), 0, f"cannot be read: {error}") from error


@lru_cache(maxsize=4)
def _packs(areas: Path) -> dict[str, Pack]:
    found = {}
    for folder in sorted(areas.iterdir()) if areas.is_dir() else ():
        match = area_packs.FOLDER.match(folder.name)
        if match and (folder / area_packs.file_name(match["slug"], "wards")).is_file():
            found[match["lad"]] = Pack(match["lad"], match["slug"], folder)
    return found


def has_pack(lad_code: str) -> bool:
    return lad_code in _packs(AREAS)


def pack(lad_code: str) -> Pack:
    """The pack of a LAD the profile serves (the profile is checked to have one at start-up)."""
    return _packs(AREAS)[lad_code]


@lru_cache(maxsize=16)
def wards(lad_code: str) -> tuple[area_packs.Ward, ...]:
    return tuple(area_packs.wards(*pack(lad_code).read("wards"), lad_code))


@cache
def district_name(lad_code: str) -> str:
    """The district's name, as its pack's ward file gives it ("North West Leicestershire"); kept for every
    district, where the ward files' cache holds 16, so a plan for any of 300 districts never reads its file
    again (bench/area_scale.py)."""
    return wards(lad_code)[0].lad_name


@lru_cache(maxsize=16)
def postcodes(lad_code: str) -> tuple[area_packs.Postcode, ...]:
    codes = {w.code for w in wards(lad_code)}
    return tuple(area_packs.postcodes(*pack(lad_code).read("postcodes"), lad_code, codes))


def libraries(lad_code: str) -> list[area_packs.Library]:
    """The pack's libraries that residents can visit."""
    placed = {p.postcode: p.ward_code for p in postcodes(lad_code)}
    return area_packs.libraries(*pack(lad_code).read("libraries"), lad_code, placed)


def sectors(lad_code: str) -> list[area_packs.Sector]:
    found = pack(lad_code)
    return area_packs.sectors(*found.read("sectors"), found.slug)


def old_wards(lad_code: str) -> list[tuple[str, str]]:
    """The wards before the last boundary change; none when the pack has no old-ward file (no change)."""
    found = pack(lad_code)
    for path in sorted(found.folder.glob(f"{found.slug}_wards_pre*.csv")):
        if area_packs.OLD_WARDS.match(path.name):
            name = f"seed_data/areas/{found.folder.name}/{path.name}"
            return area_packs.old_wards(name, path.read_text(encoding="utf-8"))
    return []
