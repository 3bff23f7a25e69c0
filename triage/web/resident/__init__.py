"""The resident blueprint: the self-assessment journey, the plan, feedback, finding a plan again, and booking a
time with help (triage/web/booking/)."""

from flask import Blueprint

bp = Blueprint("resident", __name__)

from triage.web.booking import views as booking_views  # noqa: E402,F401  (booking from a plan)
from triage.web.booking import waiting_views  # noqa: E402,F401  (waiting lists of full sessions)
from triage.web.resident import views  # noqa: E402,F401  (registers the routes on bp)
