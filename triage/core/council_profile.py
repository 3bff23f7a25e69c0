"""A council profile (councils/<name>.toml): what differs between the councils Signpost serves, and nothing
else. One setting, COUNCIL, chooses the profile; a mistake in it stops the service at start-up with a message
naming the file and the key.

Pure: the shell reads the file and says which area packs (by LAD code) and logo files exist.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass

from triage.core.area_packs import LAD_CODE

PROFILE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")  # also names the embedded database: instance/<name>.db
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
PHONE = re.compile(r"^\+?[0-9 ]{10,16}$")
# The header draws the council's name in white on the brand colour (triage/web/assets/signpost.scss), and
# easy-read pages draw headings in the brand colour on white: either way the pair is white and the colour.
HEADER_TEXT = "#ffffff"
MIN_CONTRAST = 4.5  # WCAG 2.2 AA, 1.4.3, for normal-size text

REQUIRED = ("name", "area", "lads", "website", "brand_colour", "data_controller", "library_authority")
OPTIONAL = ("contact_page", "phone", "service_name", "logo", "accessibility_contact", "sample_local_help")


class ProfileError(ValueError):
    """A profile the service cannot start with: the message names the file and the key."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}")
        self.file, self.key, self.problem = file, key, problem


@dataclass(frozen=True)
class Profile:
    """One council, as its profile file gives it."""

    file: str
    name: str  # "Cheshire East Council"
    area: str  # "Cheshire East": the area it serves, in sentences such as "any library in Cheshire East"
    lads: tuple[str, ...]  # the LAD codes of the area packs it serves; a county lists its districts
    website: str
    contact_page: str  # "" when not known: links go to the website instead
    phone: str  # "" when not known
    service_name: str  # "" for Signpost's own name, which is translated
    brand_colour: str
    logo: str  # an SVG under triage/web/static/, or "" for the council's name as text
    accessibility_contact: str  # who to ask about accessibility, "" when not known
    data_controller: str  # the privacy notice's data controller
    library_authority: str  # who runs the libraries (a county runs its districts' libraries)
    sample_local_help: bool  # load the sample local directory (seed_data/sample_directory.json)

    @property
    def contact_url(self) -> str:
        return self.contact_page or self.website

    def serves(self, lad_code: str | None) -> bool:
        return lad_code in self.lads


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    r, g, b = (_channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours, from 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _text(file: str, data: dict, key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ProfileError(file, key, "give it as text in quotes")
    return value.strip()


def _address(file: str, key: str, value: str) -> str:
    if value and not re.match(r"^https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$", value):
        raise ProfileError(file, key, f"{value!r} is not a web address starting https://")
    return value


def check_name(name: str) -> str:
    """COUNCIL, once it is known to name a profile file (and so a database file) and nothing else."""
    if not PROFILE_NAME.match(name):
        raise ProfileError(
            f"councils/{name}.toml", "COUNCIL", f"{name!r} is not a profile name (lower-case letters, digits, hyphens)"
        )
    return name


def _lads(file: str, lads: object, packs: Callable[[str], bool]) -> tuple[str, ...]:
    if not isinstance(lads, list) or not all(isinstance(code, str) for code in lads):
        raise ProfileError(file, "lads", 'give the LAD codes as a list, e.g. ["E07000130"]')
    for code in lads:
        if not LAD_CODE.match(code):
            raise ProfileError(file, "lads", f"{code!r} is not a local authority district code (E06, E07, E08, E09)")
        if not packs(code):
            raise ProfileError(file, "lads", f"there is no area pack for {code} in seed_data/areas/")
    if len(set(lads)) != len(lads):
        raise ProfileError(file, "lads", "a LAD code is listed twice")
    return tuple(lads)


def _colour(file: str, colour: str) -> str:
    if not COLOUR.match(colour):
        raise ProfileError(file, "brand_colour", f"{colour!r} is not a colour like #0b5e55")
    ratio = contrast(colour, HEADER_TEXT)
    if ratio < MIN_CONTRAST:
        raise ProfileError(
            file,
            "brand_colour",
            f"{colour} against the header's white text has contrast {ratio:.2f}:1; it needs {MIN_CONTRAST}:1 "
            "(WCAG 2.2 AA): choose a darker shade",
        )
    return colour.lower()


def _logo(file: str, logo: str, exists: Callable[[str], bool]) -> str:
    if logo and (not logo.endswith(".svg") or ".." in logo or logo.startswith("/") or not exists(logo)):
        raise ProfileError(file, "logo", f"{logo!r} is not an SVG file in triage/web/static/")
    return logo


def _phone(file: str, phone: str) -> str:
    if phone and not PHONE.match(phone):
        raise ProfileError(file, "phone", f"{phone!r} is not a UK phone number like 01509 000000")
    return phone


def parse(file: str, text: str, packs: Callable[[str], bool], logo_exists: Callable[[str], bool]) -> Profile:
    """The profile in `text`, read from `file`; `packs(lad)` says whether an area pack exists for a LAD code
    and `logo_exists(path)` whether a logo file does."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(file, "(file)", f"not TOML: {error}") from error
    for key in data:
        if key not in REQUIRED + OPTIONAL:
            raise ProfileError(file, key, f"not a profile key; the keys are {', '.join(REQUIRED + OPTIONAL)}")
    for key in REQUIRED:
        if key not in data or data[key] in ("", []):
            raise ProfileError(file, key, "missing: every profile gives it")
    sample = data.get("sample_local_help", False)
    if not isinstance(sample, bool):
        raise ProfileError(file, "sample_local_help", "give true or false")
    return Profile(
        file=file,
        name=_text(file, data, "name"),
        area=_text(file, data, "area"),
        lads=_lads(file, data["lads"], packs),
        website=_address(file, "website", _text(file, data, "website")),
        contact_page=_address(file, "contact_page", _text(file, data, "contact_page")),
        phone=_phone(file, _text(file, data, "phone")),
        service_name=_text(file, data, "service_name"),
        brand_colour=_colour(file, _text(file, data, "brand_colour")),
        logo=_logo(file, _text(file, data, "logo"), logo_exists),
        accessibility_contact=_text(file, data, "accessibility_contact"),
        data_controller=_text(file, data, "data_controller"),
        library_authority=_text(file, data, "library_authority"),
        sample_local_help=sample,
    )
