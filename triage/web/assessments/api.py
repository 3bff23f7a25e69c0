"""The JSON API, version 1 (contract: docs/api.md). Every error is a 4xx with a JSON body saying what is wrong."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import BadRequest

from triage.core.geography import Lookup
from triage.core.questionnaire import QUESTIONS, AnswerError, validate_answers
from triage.core.scoring_model import SCORING_VERSION
from triage.web.assessments.places import find_postcode, place_from_postcode, place_from_ward
from triage.web.assessments.service import assessment_dict, create_assessment, find_assessment
from triage.web.insight import counts as insight_counts
from triage.web.shell import write_limits
from triage.web.shell.errors import json_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/questionnaire")
def questionnaire():
    return jsonify(
        scoring_version=SCORING_VERSION,
        questions=[
            {
                "id": q.id,
                "type": q.kind,
                "title": q.title,
                "hint": q.hint or None,
                "max_choices": q.max_choices,
                "max_length": q.max_length or None,
                "asked_if": {"question": q.parent, "answer": q.ask_if} if q.parent else None,
                "options": [{"code": o.code, "label": o.label, "exclusive": o.exclusive} for o in q.options],
            }
            for q in QUESTIONS
        ],
    )


def _place(body: dict):
    """The place from `postcode`, or from `ward` (a ward code) for people with no fixed address."""
    postcode, ward = body.get("postcode"), body.get("ward")
    if postcode is None and ward is None:
        return None, json_error(
            400, "Give a postcode, or a ward code for someone with no fixed address", {"postcode": "is missing"}
        )
    if postcode is not None:
        if not isinstance(postcode, str):
            return None, json_error(400, "The postcode must be a string", {"postcode": "must be a string"})
        result = find_postcode(postcode)
        if result.outcome is Lookup.FOUND:
            return place_from_postcode(result), None
        messages = {
            Lookup.INVALID: "is not a valid UK postcode",
            Lookup.NOT_FOUND: "was not found in this council's postcode table",
            Lookup.OUTSIDE: "is outside the area this service covers",
        }
        return None, json_error(422, f"The postcode {messages[result.outcome]}", {"postcode": messages[result.outcome]})
    if not isinstance(ward, str):
        return None, json_error(400, "The ward must be a ward code string", {"ward": "must be a string"})
    place = place_from_ward(ward)
    if place is None or ward == "":
        return None, json_error(422, "The ward is not one of this council's ward codes", {"ward": "is not known"})
    return place, None


@bp.post("/assessments")
@write_limits.per_address("SAVE_PLAN_RATE_LIMIT", write_limits.SAVE_PLAN)
def create():
    if not request.is_json:
        return json_error(415, "Send JSON with the header Content-Type: application/json")
    try:
        body = request.get_json()
    except BadRequest:
        return json_error(400, "The request body is not valid JSON")
    if not isinstance(body, dict):
        return json_error(400, "The request body must be a JSON object")
    unknown = sorted(set(body) - {"postcode", "ward", "answers"})
    if unknown:
        return json_error(400, f"Unknown field: {unknown[0]}", dict.fromkeys(unknown, "is not a field"))
    if "answers" not in body:
        return json_error(400, "The answers are missing", {"answers": "is missing"})
    try:
        answers = validate_answers(body["answers"])
    except AnswerError as e:
        return json_error(
            400,
            "Some answers are not valid",
            {k if k == "answers" else f"answers.{k}": v for k, v in e.problems.items()},
        )
    place, problem = _place(body)
    if problem:
        return problem
    assessment = create_assessment(answers, place, channel="api", address_day=insight_counts.address_day())
    write_limits.saved()
    return jsonify(assessment_dict(assessment)), 201, {"Location": f"/api/v1/assessments/{assessment.reference}"}


@bp.get("/assessments/<reference>")
def read(reference: str):
    assessment = find_assessment(reference)
    if assessment is None:
        return json_error(404, "No assessment has that reference")
    return jsonify(assessment_dict(assessment))
