"""Database tables: times are stored in UTC and read back as UTC, whichever engine holds them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from triage.web.extensions import db
from triage.web.models import StaffUser, as_utc


def test_a_stored_time_reads_back_as_the_same_utc_moment(app_ctx, make_user):
    moment = datetime(2026, 3, 29, 0, 30, 15, tzinfo=UTC)  # the night the clocks go forward in the UK
    user = db.session.query(StaffUser).filter_by(email=make_user("staff")).one()
    user.last_signed_in_at = moment
    db.session.commit()
    db.session.expire_all()
    stored = as_utc(db.session.get(StaffUser, user.id).last_signed_in_at)  # SQLite gives it back with no zone
    assert stored == moment and stored.isoformat() == "2026-03-29T00:30:15+00:00"


def test_a_time_in_another_zone_is_given_in_utc():
    summer = datetime(2026, 6, 1, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    assert as_utc(summer).isoformat() == "2026-06-01T12:00:00+00:00"
    assert as_utc(datetime(2026, 6, 1, 12, 0)).isoformat() == "2026-06-01T12:00:00+00:00"
