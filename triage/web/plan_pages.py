"""A plan as a page: the standard version and the easy-read one, for residents and for staff to print."""

from __future__ import annotations

from flask import render_template, url_for

from ..core.routing import EASY_READ, ROUTE_INFO
from .models import Assessment

VERSIONS = ("standard", "easy_read")
TEMPLATES = {"standard": "resident/plan.html", "easy_read": "resident/plan_easy_read.html"}


def plan_steps(assessment: Assessment) -> list:
    """Each route in priority order, with why it fired and the help matched to it."""
    by_route: dict[str, list] = {}
    for rec in assessment.recommendations:
        by_route.setdefault(rec.routes[0], []).append(rec)
    return [(ROUTE_INFO[r["code"]], r["why"], by_route.get(r["code"], [])) for r in assessment.routes]


def render_plan(assessment: Assessment, version: str = "standard", **context) -> str:
    return render_template(
        TEMPLATES[version],
        assessment=assessment,
        steps=plan_steps(assessment),
        has_sample=any(rec.resource.is_sample for rec in assessment.recommendations),
        easy_read=EASY_READ,
        standard_url=url_for("resident.plan", reference=assessment.reference),
        easy_read_url=url_for("resident.plan_easy_read", reference=assessment.reference),
        **context,
    )
