"""The "Help given" page: the figures from session logs (triage.core.impact) for a date range, for every
organisation (officers) or the reader's own (champions), in all and by month, champion, organisation, venue
and ward, each small count suppressed."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request
from flask_login import current_user

from triage.core import impact
from triage.core.help_sessions import ON_THEIR_OWN
from triage.core.insight import financial_year
from triage.core.permissions import help_given_reach
from triage.web.accounts.auth import requires
from triage.web.help_sessions.service import today
from triage.web.help_sessions.sessions import sessions_between
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


@bp.get("/help-given")
@requires("read_help_given")
def help_given():
    since, until, problems = chosen_dates()
    reach = help_given_reach(current_user.role, current_user.organisation_id)
    sessions = sessions_between(since, until, reach)
    threshold = current_app.config["INSIGHT_SUPPRESS_BELOW"]
    tables = {by: impact.shown_parts(impact.grouped(sessions, by), threshold) for by in impact.GROUPINGS}
    tables["month"] = {date.fromisoformat(k).strftime("%B %Y"): v for k, v in tables["month"].items()}
    return render_template(
        "staff/help_sessions/help_given.html",
        since=since,
        until=until,
        problems=problems,
        every=reach.every,
        total=impact.shown_total(impact.figures(sessions), threshold),
        tables=tables,
        columns=COLUMNS,
        threshold=threshold,
        on_their_own=ON_THEIR_OWN,
    )
