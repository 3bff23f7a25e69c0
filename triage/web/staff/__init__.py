"""The staff blueprint: sign-in, account admin, counter mode (assessing someone, plans, sending them),
referrals and follow-ups, and records (audit log, erasure on request, exports)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import account_views, counter_views, directory_views, insight_views, records_views, referral_views, views  # noqa: E402,F401  (registers the routes)
