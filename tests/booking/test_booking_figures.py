"""Bookings in the impact report and the ward insight: made, attended, did not come, cancelled and still booked,
with the attendance and no-show rates, by month and ward, for the reader's reach, hidden below
INSIGHT_SUPPRESS_BELOW with secondary suppression, on the pages and in their CSVs."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import page_text
from test_booking import made, published  # noqa: F401 (a fixture)

from triage.web.extensions import db
from triage.web.models import Assessment, Availability, Booking

OCTOBER = datetime(2026, 10, 14, 9, 0, tzinfo=UTC)
DATES = "from=2026-10-01&to=2026-10-31"


@pytest.fixture
def session(request):
    """test_booking's `published`: a plan, and its drop-in with a dated session of 3 places."""
    return request.getfixturevalue("published")


@pytest.fixture
def booked(app, people, session):
    """Bookings at the plan's drop-in on October days: 6 attended, 2 did not come, 5 cancelled, 7 not marked. A
    function adds more of a status."""
    reference, resource_id = session
    with app.app_context():
        offer = db.session.query(Availability).one()
        plan = db.session.query(Assessment).filter_by(reference=reference).one()
        ward = plan.ward_code

    def add(status: str, n: int) -> None:
        with app.app_context():
            start = len(made(app))
            for i in range(start, start + n):
                at = OCTOBER + timedelta(hours=i)
                db.session.add(
                    Booking(
                        reference=f"TEST-{i:04d}-BOOK",
                        availability_id=offer.id,
                        resource_id=resource_id,
                        starts_at=at,
                        ends_at=at + timedelta(minutes=30),
                        seat=1,
                        mode="in_person",
                        status=status,
                        assessment_id=plan.id,
                    )
                )
            db.session.commit()

    for status, n in (("attended", 6), ("no_show", 2), ("cancelled", 5), ("booked", 7)):
        add(status, n)
    return add, ward


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def impact_bookings(client) -> dict[str, str]:
    rows = csv_rows(client.get(f"/staff/impact?{DATES}&format=csv"))
    return {r["figure"]: r["value"] for r in rows if r["section"] == "bookings"}


def test_the_impact_report_counts_bookings_and_hides_the_few(people, booked):
    add, _ward = booked
    admin = people("admin@example.org")
    figures = impact_bookings(admin)
    assert figures["made"] == "20" and figures["attended"] == "6" and figures["booked"] == "7"
    assert figures["no_show"] == "" and figures["cancelled"] == ""  # 2, and the next smallest with it
    assert figures["attendance_pct"] == "" and figures["no_show_pct"] == ""
    add("no_show", 4)
    figures = impact_bookings(admin)
    assert (figures["made"], figures["no_show"], figures["cancelled"]) == ("24", "6", "5")
    assert (figures["attendance_pct"], figures["no_show_pct"]) == ("50.0", "50.0")
    page = page_text(admin.get(f"/staff/impact?{DATES}"))
    assert "Bookings, by month" in page and "50.0%" in page
    rows = csv_rows(admin.get(f"/staff/impact?{DATES}&format=csv"))
    october = {r["figure"]: r["value"] for r in rows if r["section"] == "bookings_2026-10"}
    assert october["made"] == "24"


def test_a_champion_sees_their_organisations_bookings_and_another_none(people, booked):
    assert impact_bookings(people("champion@example.org"))["made"] == "20"
    other = impact_bookings(people("other@example.org"))
    assert other["made"] == "0" and other["attendance_pct"] == ""


def test_the_ward_insight_counts_the_bookings_of_the_persons_ward(people, booked):
    add, ward = booked
    add("no_show", 4)
    admin = people("admin@example.org")
    dashboard = {r["ward_code"]: r for r in csv_rows(admin.get("/staff/insight?year=2026&format=csv"))}
    row = dashboard[ward]
    assert (row["bookings_made"], row["bookings_attended"], row["attendance_pct"]) == ("24", "6", "50.0")
    assert all(r["bookings_made"] == "0" for code, r in dashboard.items() if code != ward)
    assert "Bookings by ward" in page_text(admin.get("/staff/insight?year=2026"))
    monthly = csv_rows(admin.get(f"/staff/insight/wards/{ward}?year=2026&format=csv&table=bookings"))
    by_month = {r["month"]: r for r in monthly}
    assert by_month["all"]["bookings_made"] == "24" and by_month["2026-10"]["bookings_no_show"] == "6"
    assert by_month["2026-11"]["bookings_made"] == "0"
    assert "Download bookings (CSV)" in page_text(admin.get(f"/staff/insight/wards/{ward}?year=2026"))


def test_the_insight_is_for_officers_only(people, booked):
    _add, ward = booked
    for who in ("champion@example.org", "staff@example.org"):
        assert people(who).get(f"/staff/insight/wards/{ward}?year=2026&format=csv&table=bookings").status_code == 403
    assert people("admin@example.org").get(f"/staff/insight/wards/{ward}?table=nonsense&format=csv").status_code == 400


def test_a_booking_counts_in_the_month_of_its_local_time(app, session):
    """00:30 on 1 June is summer time: still 31 May in UTC, but June's booking; 23:30 on 31 December is winter
    time, the same in UTC, and December's."""
    from triage.web.booking import figures

    _reference, resource_id = session
    with app.app_context():
        offer = db.session.query(Availability).one()
        moments = {
            "JUNE": datetime(2026, 5, 31, 23, 30, tzinfo=UTC),
            "MAYEND": datetime(2026, 5, 31, 22, 30, tzinfo=UTC),  # 23:30 on 31 May, summer time
            "DECEMBER": datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
        }
        for name, at in moments.items():
            db.session.add(
                Booking(
                    reference=f"MONTH-{name}",
                    availability_id=offer.id,
                    resource_id=resource_id,
                    starts_at=at,
                    ends_at=at + timedelta(minutes=30),
                    seat=1,
                    mode="in_person",
                    status="attended",
                )
            )
        db.session.commit()
        by_month = figures.counts("month", date(2026, 5, 1), date(2027, 1, 31))
    assert {month: counts.made for month, counts in by_month.items()} == {
        date(2026, 5, 1): 1,
        date(2026, 6, 1): 1,
        date(2026, 12, 1): 1,
    }
