"""The council's brand colour as a stylesheet of one custom property, which signpost.css uses: the colour
comes from the profile, so one build of the CSS serves every council (and the CSP allows no inline style)."""

from __future__ import annotations

from flask import Blueprint, Response

from triage.web.areas.profiles import council

bp = Blueprint("council", __name__)


@bp.get("/council.css")
def stylesheet() -> Response:
    response = Response(f":root{{--signpost-brand:{council().brand_colour}}}\n", mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=86400"  # base.html asks for it by colour: ?v=<colour>
    return response
