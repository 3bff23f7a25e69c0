"""A plan as a page: the standard version and the easy-read one, for residents and for staff to print.

Both show the steps in the order to do them: the plan's first step, then the rest in priority order.
Each piece of help is shown in full at the first step it serves, and named at any later step it
serves too, so nothing is listed twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for

from triage.core.routing import EASY_READ, ROUTE_INFO, RouteInfo
from triage.web.assessments.service import plan_first_step
from triage.web.directory.index import current_index
from triage.web.models import Assessment, Recommendation

VERSIONS = ("standard", "easy_read")
TEMPLATES = {"standard": "resident/plan.html", "easy_read": "resident/plan_easy_read.html"}


@dataclass(frozen=True)
class Step:
    info: RouteInfo
    why: dict | str  # a stored Text: why the route fired
    help: list[Recommendation]  # shown in full at this step
    shared: list[Recommendation]  # shown at an earlier step, and it helps with this one too
    more_help: bool  # the directory has more help of this kind than the plan has room for
    first: bool

    def card_reasons(self, rec: Recommendation) -> list:
        """A piece of help's reasons as shown at this step, which says itself why the step is there.

        A stored recommendation's reasons are where it is, then why the route it was chosen for
        fired, then how it suits the person; at that route's own step the second goes without saying.
        """
        if rec.routes[0] == self.info.code:
            return rec.reasons[:1] + rec.reasons[2:]
        return rec.reasons


def plan_steps(assessment: Assessment) -> list[Step]:
    """The steps in the order to do them, each with the help to show in full and the help shared."""
    first = plan_first_step(assessment)
    routes = sorted(assessment.routes, key=lambda r: r["code"] != first)
    placed: set[int] = set()
    steps = []
    for route in routes:
        # Help chosen for this route first, then help chosen for another that serves this one too.
        serving = [rec for rec in assessment.recommendations if route["code"] in rec.routes]
        serving.sort(key=lambda rec: rec.routes[0] != route["code"])
        new = [rec for rec in serving if rec.resource_id not in placed]
        placed.update(rec.resource_id for rec in new)
        shared = [rec for rec in serving if rec not in new]
        info = ROUTE_INFO[route["code"]]
        steps.append(Step(info, route["why"], new, shared, bool(route.get("more_help")), info.code == first))
    return steps


def step_numbers(steps: list[Step]) -> dict[int, int]:
    """The number of the step where each piece of help is shown in full, by resource id."""
    return {rec.resource_id: n for n, step in enumerate(steps, 1) for rec in step.help}


def render_plan(assessment: Assessment, version: str = "standard", **context) -> str:
    steps = plan_steps(assessment)
    return render_template(
        TEMPLATES[version],
        assessment=assessment,
        steps=steps,
        step_number=step_numbers(steps),
        has_sample=any(rec.resource.is_sample for rec in assessment.recommendations),
        local_help=current_index().has_local_help(),
        easy_read=EASY_READ,
        standard_url=url_for("resident.plan", reference=assessment.reference),
        easy_read_url=url_for("resident.plan_easy_read", reference=assessment.reference),
        **context,
    )
