"""The council profile this instance runs with: councils/<COUNCIL>.toml, checked by
triage/core/council_profile.py when the app is made (a mistake stops start-up, naming the file and key)."""

from __future__ import annotations

from flask import Flask, current_app

from triage.core.council_profile import Profile, ProfileError, check_name, parse
from triage.web.areas.packs import has_pack
from triage.web.config import ROOT

COUNCILS = ROOT / "councils"
STATIC = ROOT / "triage" / "web" / "static"


def load(name: str) -> Profile:
    """The profile named `name` (councils/<name>.toml)."""
    file = f"councils/{check_name(name)}.toml"
    path = COUNCILS / f"{name}.toml"
    if not path.is_file():
        shipped = ", ".join(sorted(p.stem for p in COUNCILS.glob("*.toml")))
        raise ProfileError(file, "COUNCIL", f"there is no profile {name!r}; the profiles are {shipped}")
    return parse(file, path.read_text(encoding="utf-8"), has_pack, lambda logo: (STATIC / logo).is_file())


def init_app(app: Flask) -> None:
    app.extensions["council"] = load(app.config["COUNCIL"])


def council() -> Profile:
    """The profile of the council the current app serves."""
    return current_app.extensions["council"]
