"""The resident blueprint: the self-assessment journey, the plan, feedback and finding a plan again."""

from flask import Blueprint

bp = Blueprint("resident", __name__)

from triage.web.resident import views  # noqa: E402,F401  (registers the routes on bp)
