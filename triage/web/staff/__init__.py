"""The staff blueprint: sign-in for council officers, counter staff and Digital Champions, and account admin."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import account_views, views  # noqa: E402,F401  (registers the routes on bp)
