"""The staff blueprint, /staff: every staff-side page registers on it from its capability's package
(accounts, counter, referrals, directory, insight, records), as notifications-admin's views all hang
off its one `main` blueprint."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

# Importing each view module registers its routes on bp.
from triage.web.accounts import password, sign_in, views as account_views
from triage.web.staff import home
from triage.web.booking import day as booking_day, publishing as booking_publishing, waiting_staff
from triage.web.counter import views as counter_views
from triage.web.directory import views as directory_views
from triage.web.help_sessions import help_given, impact_report, views as help_session_views
from triage.web.insight import views as insight_views
from triage.web.records import views as records_views
from triage.web.referrals import views as referral_views
