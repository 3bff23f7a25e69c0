"""Pages every UK public service needs: accessibility statement, privacy notice, cookies, how we score."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from triage.core import scoring_model
from triage.core.questionnaire import BY_ID
from triage.core.routing import ROUTES
from triage.web.shell.fragments import same_page_for_everyone

bp = Blueprint("pages", __name__)


@bp.get("/accessibility")
def accessibility():
    return same_page_for_everyone(lambda: render_template("pages/accessibility.html"))


@bp.get("/privacy")
def privacy():
    # Whether the council asks the wellbeing questions changes what the notice says, and so do the periods it states.
    config = current_app.config
    return same_page_for_everyone(
        lambda: render_template("pages/privacy.html"), config["WELLBEING_QUESTIONS"], config["BOOKING_RETENTION_DAYS"]
    )


@bp.get("/cookies")
def cookies():
    return same_page_for_everyone(lambda: render_template("pages/cookies.html"))


@bp.get("/how-we-suggest-help")
def how_we_score():
    return same_page_for_everyone(
        lambda: render_template("pages/how_we_score.html", model=scoring_model, routes=ROUTES, questions=BY_ID)
    )
