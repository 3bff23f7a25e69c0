"""Template helpers: council branding and the labels that turn stored codes into plain English."""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from triage.core import matching, vocabulary
from triage.core.questionnaire import BY_ID
from triage.web.areas.profiles import council
from triage.web.assessments.places import ward_label

DAYS = vocabulary.codes(vocabulary.DAYS)
KIND_LABELS = {kind.code: _l(kind.public) for kind in vocabulary.KINDS}
MODE_LABELS = {mode.code: _l(mode.public) for mode in vocabulary.DELIVERY_MODES}
DAY_NAMES = {day.code: _l(day.public) for day in vocabulary.DAYS}


def friendly_time(hhmm: str) -> str:
    """'08:00' -> '8am', '14:30' -> '2:30pm', '12:00' -> 'midday' (the GOV.UK style for times).

    In other languages, the 24-hour clock most readers use ('08:00', '14:30').
    """
    if str(get_locale() or "en") != "en":
        return hhmm
    hours, minutes = (int(x) for x in hhmm.split(":"))
    if (hours, minutes) == (12, 0):
        return "midday"
    suffix = "am" if hours < 12 else "pm"
    hour = hours % 12 or 12
    return f"{hour}{suffix}" if minutes == 0 else f"{hour}:{minutes:02d}{suffix}"


def opening_summary(sessions: list[dict]) -> list[str]:
    """Opening times as short lines, with runs of days that share hours joined: 'Monday to Friday: 8am to 7pm'."""
    by_day = {
        day: ", ".join(
            gettext("%(opens)s to %(closes)s", opens=friendly_time(s["opens"]), closes=friendly_time(s["closes"]))
            for s in sorted(sessions, key=lambda s: s["opens"])
            if s["day"] == day
        )
        for day in DAYS
    }
    lines: list[str] = []
    run: list[str] = []
    for day in [*DAYS, None]:
        if run and (day is None or by_day[day] != by_day[run[0]]):
            first, last = DAY_NAMES[run[0]], DAY_NAMES[run[-1]]
            days = str(first) if len(run) == 1 else gettext("%(first)s to %(last)s", first=first, last=last)
            lines.append(gettext("%(days)s: %(times)s", days=days, times=by_day[run[0]]))
            run = []
        if day and by_day[day]:
            run.append(day)
    return lines


def isolated(text: str, lang: str | None = None) -> Markup:
    """Text kept apart from the sentence around it, left to right: a phone number, an address or an
    English directory entry reads correctly on a right-to-left page, and `lang` tells screen readers."""
    if lang:
        return Markup('<bdi dir="ltr" lang="{}">{}</bdi>').format(lang, text)
    return Markup('<bdi dir="ltr">{}</bdi>').format(text)


def answer_label(question_id: str, code: str) -> str:
    try:
        return gettext(BY_ID[question_id].option(code).label)
    except KeyError:
        return code


def language_name(code: str) -> str:
    return gettext("English") if code == "en" else answer_label("language", code)


@cache
def _fingerprint(path: Path, mtime: float) -> str:
    del mtime  # part of the cache key, so a rebuilt asset gets a new fingerprint
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def asset_url(filename: str) -> str:
    """A static file's URL with a content fingerprint, so it can be cached for a year."""
    assert current_app.static_folder is not None  # the factory keeps Flask's static folder, served at /assets
    path = os.path.join(current_app.static_folder, filename)
    urls: dict[tuple, str] = current_app.extensions["asset_urls"]  # every page asks for the same few
    key = (request.script_root, filename, os.stat(path).st_mtime)
    if key not in urls:
        urls[key] = url_for("static", filename=filename, v=_fingerprint(Path(path), key[-1]))
    return urls[key]


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def branding():
        profile = council()
        return {
            "council_name": profile.name,
            "council_area": profile.area,
            "council_url": profile.contact_url,
            "council_website": profile.website,
            "council_phone": profile.phone,
            "council_logo": profile.logo,
            "brand_colour": profile.brand_colour,
            "accessibility_contact": profile.accessibility_contact,
            "data_controller": profile.data_controller,
            "service_name": profile.service_name or current_app.config["SERVICE_NAME"],
        }

    app.extensions["asset_urls"] = {}
    app.add_template_global(asset_url)
    app.add_template_global(answer_label)
    app.add_template_global(ward_label)
    app.jinja_env.globals["kind_labels"] = KIND_LABELS  # a mapping, which add_template_global is not typed for
    app.add_template_filter(opening_summary)
    app.add_template_filter(isolated)
    # Jinja's capitalize lowers the rest ("british sign language"); this only raises the first letter.
    app.add_template_filter(lambda text: text[:1].upper() + text[1:], "first_upper")
    app.add_template_filter(language_name)
    app.add_template_filter(lambda code: MODE_LABELS.get(code, code), "mode_label")
    app.add_template_filter(lambda code: gettext(matching.FEATURE_NAMES.get(code, code)), "feature_name")
