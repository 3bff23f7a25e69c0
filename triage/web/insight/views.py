"""Ward insight pages for council officers: the dashboard of every ward ranked by priority, a page per
ward, and CSV exports of every table (suppressed like the pages)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Response, abort, current_app, render_template, request, url_for
from flask_login import current_user

from triage.core.booking_figures import PART_NAMES, PARTS, Shown
from triage.core.charts import bar_chart_svg
from triage.core.insight import GAP_MEASURES, PRIORITY_WEIGHTS, chosen_measure, chosen_year, last_day, year_months
from triage.core.routing import ROUTE_INFO
from triage.core.ward_map import ward_map_svg
from triage.web.accounts.auth import requires
from triage.web.areas import packs
from triage.web.areas.profiles import council
from triage.web.extensions import db
from triage.web.help_sessions.help_given import chosen_district
from triage.web.insight.area_data import method, ward_risks
from triage.web.insight.figures import (
    bookings_by_ward,
    dashboard,
    provision,
    threshold,
    top,
    ward_boundaries,
    ward_figures,
    years,
)
from triage.web.models import Ward
from triage.web.records.exports import csv_text
from triage.web.staff import bp


def _period() -> tuple[int, date, date, str | None]:
    """The financial year asked for (by default this one), its first and last month, and any problem."""
    year, problem = chosen_year(request.args.get("year", ""), years())
    return year, *year_months(year), problem


def _lads(district: str | None) -> tuple[str, ...]:
    return (district,) if district else council().lads


@bp.get("/insight")
@requires("read_insight")
def insight():
    year, since, until, problem = _period()
    measure, measure_problem = chosen_measure(request.args.get("gap", ""))
    district, district_problem = chosen_district()
    lads = _lads(district)
    risk = {code: r.score for code, r in ward_risks(lads).items()}
    rows = dashboard(since, last_day(until), risk, measure)
    booked = bookings_by_ward(since, last_day(until))
    if request.args.get("format") == "csv":
        return _dashboard_csv(rows, year, measure, booked, district)
    period = {"year": year, "district": None if current_user.district_code else district}
    ward_map = ward_map_svg(
        ward_boundaries(lads),
        {r.ward.code: r.priority.score for r in rows},
        title="Priority by ward",
        description="Darker wards have a higher priority (0 to 10). The table below has every figure.",
        legend_title="Priority (0 to 10)",
        link=lambda code: url_for("staff.insight_ward", code=code, **period),
        value_label=lambda v: f"{v:.1f}",
    )
    return render_template(
        "staff/insight/index.html",
        rows=rows,
        since=since,
        until=until,
        problem=problem,
        measure=measure,
        measure_problem=measure_problem,
        measures=GAP_MEASURES,
        weights=PRIORITY_WEIGHTS,
        threshold=threshold(),
        plans_per_address=current_app.config["INSIGHT_PLANS_PER_ADDRESS_PER_DAY"],
        routes=ROUTE_INFO,
        method=method(lads),
        ward_map=ward_map,
        year=year,
        years=years(),
        bookings=[
            (r.ward.name, booked[r.ward.code]) for r in sorted(rows, key=lambda r: r.ward.name) if r.ward.code in booked
        ],
        district=district,
        district_problem=district_problem,
        districts={lad: packs.district_name(lad) for lad in council().lads},
        may_choose_district=len(council().lads) > 1 and current_user.district_code is None,
        period=period,
    ), (400 if problem or measure_problem or district_problem else 200)


BOOKING_COLUMNS = ["bookings_made", *(f"bookings_{PART_NAMES[s]}" for s in PARTS), "attendance_pct", "no_show_pct"]


def _booking_values(shown: Shown | None) -> list:
    """A row's booking figures for a CSV, in BOOKING_COLUMNS order (0 for none)."""
    if shown is None:
        return [0] * len(PARTS) + [0, None, None]
    return [shown.made, *(shown.part(s) for s in PARTS), _round(shown.attendance_rate), _round(shown.no_show_rate)]


def _dashboard_csv(rows, year: int, measure: str, booked: dict[str, Shown], district: str | None) -> Response:
    header = [
        "rank", "ward_code", "ward_name", "priority", "area_risk", "observed_need", "provision_gap",
        "assessments", "high_or_very_high", "high_or_very_high_pct", "top_need", "residents_65_plus",
        "support_points", "champions", "venues", "courses", "sessions_per_week", "support_points_per_1000_65_plus",
        "support_points_per_100_at_risk", "hours_of_help_delivered", "people_helped", "provision_gap_measure",
        *BOOKING_COLUMNS,
    ]  # fmt: skip
    data = [
        [
            r.priority.rank,
            r.ward.code,
            r.ward.name,
            _round(r.priority.score),
            _round(r.priority.risk),
            _round(r.priority.need),
            _round(r.priority.gap),
            r.assessments,
            r.at_risk,
            _round(r.at_risk_share),
            r.top_need or "",
            r.aged_65_plus,
            r.provision.support_points,
            r.provision.champions,
            r.provision.venues,
            r.provision.courses,
            r.provision.sessions_per_week,
            _round(r.per_1000_65_plus),
            _round(r.per_100_at_risk),
            _round(r.delivered.hours),
            r.delivered.people,
            measure,
            *_booking_values(booked.get(r.ward.code)),
        ]  # fmt: skip
        for r in rows
    ]
    return _csv(f"ward-insight-{district + '-' if district else ''}{year}-{year + 1}", header, data)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _csv(name: str, header: list[str], rows) -> Response:
    return Response(
        csv_text(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="signpost-{name}.csv"'},
    )


@bp.get("/insight/wards/<code>")
@requires("read_insight")
def insight_ward(code: str):
    """One ward's page; its area risk is scaled across the district asked for, or all the council's wards."""
    ward = db.session.get(Ward, code)
    district, district_problem = chosen_district()
    if district_problem:
        abort(400)
    risks = ward_risks(_lads(district))
    if ward is None or code not in risks:
        abort(404)
    year, since, until, problem = _period()
    figures = ward_figures(code, since, until, datetime.now(UTC).date())
    need = figures.need
    if request.args.get("format") == "csv":
        tables = {
            "months": (["month", "assessments"], [[m.strftime("%Y-%m"), n] for m, n in figures.months]),
            "bands": (["band", "assessments"], figures.bands),
            "averages": (["area", "average_score"], [[label, _round(v)] for label, v in figures.averages]),
            "needs": (["need", "assessments"], top(need.routes, 100, need.total)),
            "goals": (["goal", "assessments"], top(need.goals, 100, need.total)),
            "outcomes": (["referral_status", "referrals"], list(figures.outcomes.items())),
            "bookings": (
                ["month", *BOOKING_COLUMNS],
                [["all", *_booking_values(figures.bookings)]]
                + [[m.strftime("%Y-%m"), *_booking_values(shown)] for m, shown in figures.bookings_by_month],
            ),
            "risk": (
                ["component", "indicator", "value", "score", "weight", "contribution"],
                [
                    [i.component, i.label, i.value, _round(i.score), i.weight, _round(i.contribution)]
                    for i in risks[code].reasons
                ],
            ),
        }
        table = request.args.get("table")
        if table not in tables:
            abort(400)
        return _csv(f"{code}-{table}-{year}-{year + 1}", *tables[table])
    return render_template(
        "staff/insight/ward.html",
        ward=ward,
        risk=risks[code],
        since=since,
        until=until,
        problem=problem,
        total=figures.total,
        chart=bar_chart_svg(
            [(m.strftime("%b %Y"), n) for m, n in figures.months],
            title=f"People from {ward.name} who finished the questions, by month",
            description="The table below the chart has the same figures.",
            suppress_below=threshold(),
            y_label="People",
        ),
        months=figures.months,
        bands=figures.bands,
        averages=figures.averages,
        needs=top(need.routes, 5, need.total),
        goals=top(need.goals, 5, need.total),
        routes=ROUTE_INFO,
        provision=provision().get(code),
        outcomes=figures.outcomes,
        bookings=[("All", figures.bookings)] + [(m.strftime("%B %Y"), b) for m, b in figures.bookings_by_month],
        threshold=threshold(),
        plans_per_address=current_app.config["INSIGHT_PLANS_PER_ADDRESS_PER_DAY"],
        year=year,
        period={"year": year, "district": None if current_user.district_code else district},
        district_name=packs.district_name(district) if district else None,
    ), (400 if problem else 200)
