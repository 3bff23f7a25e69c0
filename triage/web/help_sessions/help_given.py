"""The "Help given" page: the figures from session logs (triage.core.impact) for a date range, for every
organisation (officers) or the reader's own (champions), in every district or one (an account limited to one
reads its own; others may choose one), in all and by month, champion, organisation, venue and ward, each small
count suppressed. The date and district choices here are the impact report's and the ward insight's too."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from triage.core import impact
from triage.core.help_sessions import ON_THEIR_OWN, PLACES, VENUE
from triage.core.insight import financial_year
from triage.core.permissions import Reach, help_given_reach
from triage.web.accounts.auth import requires
from triage.web.areas import packs
from triage.web.areas.profiles import council
from triage.web.extensions import db
from triage.web.help_sessions import counting
from triage.web.help_sessions.service import today
from triage.web.models import Organisation, Resource, StaffUser, Ward
from triage.web.staff import bp

COLUMNS = {
    "month": "Month",
    "champion": "Digital Champion",
    "organisation": "Organisation",
    "venue": "Where",
    "ward": "Ward",
}


def chosen_day(asked: str, fallback: date) -> tuple[date, str | None]:
    """The day asked for (YYYY-MM-DD), or `fallback` when none is, and the problem if it cannot be read."""
    if not asked:
        return fallback, None
    try:
        return date.fromisoformat(asked), None
    except ValueError:
        return fallback, "Enter a date like 2026-04-01"


def chosen_dates() -> tuple[date, date, dict[str, str | None]]:
    """The dates asked for (by default from the start of this financial year to today), and any problem with
    each ("from", "to")."""
    now = today()
    since, since_problem = chosen_day(request.args.get("from", ""), date(financial_year(now), 4, 1))
    until, until_problem = chosen_day(request.args.get("to", ""), now)
    if not since_problem and not until_problem and since > until:
        until, until_problem = since, "The end date must be the same as or after the start date"
    return since, until, {"from": since_problem, "to": until_problem}


def chosen_district() -> tuple[str | None, str | None]:
    """The one district asked for (`district`), or None for all the council's; and any problem. An account
    limited to a district always reads its own, whatever it asks for (triage.core.permissions.in_district)."""
    if current_user.district_code is not None:
        return current_user.district_code, None
    asked = request.args.get("district", "")
    if not asked:
        return None, None
    if len(council().lads) > 1 and council().serves(asked):
        return asked, None
    return None, "Choose a district from the list"


def district_choice(district: str | None) -> dict:
    """What a page's district choice shows: the district chosen and its name, the districts to choose from, and
    whether the reader may choose (an unlimited account of a council over several districts)."""
    return {
        "district": district,
        "district_name": packs.district_name(district) if district else None,
        "districts": {lad: packs.district_name(lad) for lad in council().lads},
        "may_choose_district": len(council().lads) > 1 and current_user.district_code is None,
    }


def _names(model, column, keys: set) -> dict:
    ids = {k for k in keys if k not in {"", None}}
    if not ids:
        return {}
    return dict(db.session.execute(select(column, model.name).where(column.in_(ids))).all())


def labels(by: str, keys: set) -> dict:
    """What each key of a grouping (counting.py) is called on the page."""
    if by == "month":
        return {k: k.strftime("%B %Y") for k in keys}
    if by == "organisation":
        names = _names(Organisation, Organisation.id, keys)
        return {k: names.get(k, "No organisation") for k in keys}
    if by == "champion":
        names = {str(i): n for i, n in _names(StaffUser, StaffUser.id, {int(k) for k in keys if k}).items()}
        return {k: names.get(k, "Removed account") for k in keys}
    if by == "ward":
        names = _names(Ward, Ward.code, keys)
        return {k: names.get(k, "Not known") for k in keys}
    venues = {k: int(k.removeprefix(f"{VENUE}-")) for k in keys if k.startswith(f"{VENUE}-")}
    names = _names(Resource, Resource.id, set(venues.values()))
    return {k: names.get(venues[k], "A venue no longer listed") if k in venues else PLACES.get(k, k) for k in keys}


def table(by: str, parts: dict, threshold: int) -> list[tuple[str, impact.Shown]]:
    """One grouping's rows as shown, suppressed across its keys, in order of month or of name."""
    return _rows(by, parts, impact.shown_parts(parts, threshold))


def _rows(by: str, parts: dict, shown: dict) -> list[tuple[str, impact.Shown]]:
    names = labels(by, set(parts))
    order = sorted(parts) if by == "month" else sorted(parts, key=lambda k: (names[k], str(k)))
    return [(names[k], shown[k]) for k in order]


def ward_table(since: date, until: date, reach: Reach, threshold: int) -> list[tuple[str, impact.Shown]]:
    """The rows by ward, suppressed across all the council's wards and within each district (insight.protect),
    whichever district is shown: a district's rows hide the same wards as the council's, so no hidden ward can
    be worked back by setting one view's rows against the other's, or against the district's total."""
    parts = counting.figures("ward", since, until, replace(reach, district=None))
    districts = counting.districts_of(parts)
    shown = impact.shown_parts(parts, threshold, districts)
    if reach.district is not None:
        parts = {k: f for k, f in parts.items() if districts.get(k) == reach.district}
    return _rows("ward", parts, shown)


@bp.get("/help-given")
@requires("read_help_given")
def help_given():
    since, until, problems = chosen_dates()
    district, problems["district"] = chosen_district()
    reach = help_given_reach(current_user.role, current_user.organisation_id, district=district)
    threshold = current_app.config["INSIGHT_SUPPRESS_BELOW"]
    tables = {
        by: ward_table(since, until, reach, threshold)
        if by == "ward"
        else table(by, counting.figures(by, since, until, reach), threshold)
        for by in impact.GROUPINGS
    }
    all_help = counting.figures(None, since, until, reach).get("", impact.figures(impact.Tally()))
    return render_template(
        "staff/help_sessions/help_given.html",
        since=since,
        until=until,
        problems=problems,
        every=reach.every,
        choice=district_choice(district),
        total=impact.shown_total(all_help, threshold),
        tables=tables,
        columns=COLUMNS,
        threshold=threshold,
        on_their_own=ON_THEIR_OWN,
    ), (400 if any(problems.values()) else 200)
