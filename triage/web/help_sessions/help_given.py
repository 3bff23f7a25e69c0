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


def _day(asked: str, fallback: date) -> tuple[date, str | None]:
    if not asked:
        return fallback, None
    try:
        return date.fromisoformat(asked), None
    except ValueError:
        return fallback, "Enter a date like 2026-04-01"


@bp.get("/help-given")
@requires("read_help_given")
def help_given():
    now = today()
    since, since_problem = _day(request.args.get("from", ""), date(financial_year(now), 4, 1))
    until, until_problem = _day(request.args.get("to", ""), now)
    reach = help_given_reach(current_user.role, current_user.organisation_id)
    sessions = sessions_between(since, until, reach)
    threshold = current_app.config["INSIGHT_SUPPRESS_BELOW"]
    tables = {by: impact.shown_parts(impact.grouped(sessions, by), threshold) for by in impact.GROUPINGS}
    tables["month"] = {date.fromisoformat(k).strftime("%B %Y"): v for k, v in tables["month"].items()}
    return render_template(
        "staff/help_sessions/help_given.html",
        since=since,
        until=until,
        problems={"from": since_problem, "to": until_problem},
        every=reach.every,
        total=impact.shown_total(impact.figures(sessions), threshold),
        tables=tables,
        columns=COLUMNS,
        threshold=threshold,
        on_their_own=ON_THEIR_OWN,
    )
