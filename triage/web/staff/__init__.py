"""The staff blueprint: sign-in, account admin, and counter mode (assessing someone, plans, sending them)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import account_views, counter_views, views  # noqa: E402,F401  (registers the routes on bp)
