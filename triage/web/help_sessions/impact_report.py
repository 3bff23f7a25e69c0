"""The impact report (/staff/impact): what Digital Champions' help achieved over a date range, for every
organisation (officers) or the reader's own (champions), in every district or one (an account limited to one
reads its own; others may choose one), as a page with charts and tables, a CSV download and a
print layout. The figures and their suppression are triage.core.impact's; this module only reads the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from flask import Response, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import false, select

from triage.core import booking_figures, impact, wellbeing
from triage.core.charts import bar_chart_svg
from triage.core.insight import add_months, month_of
from triage.core.permissions import Reach, help_given_reach
from triage.core.referrals import REFERRAL_STATUSES
from triage.core.scoring_model import DOMAINS
from triage.web.accounts.auth import requires
from triage.web.areas import packs
from triage.web.booking import figures as booking_counts
from triage.web.extensions import db
from triage.web.help_sessions import counting
from triage.web.help_sessions.help_given import chosen_dates, chosen_district, district_choice
from triage.web.insight.area_data import ward_risks
from triage.web.models import Assessment, Feedback, FollowUp, Organisation, Referral
from triage.web.records.exports import csv_text
from triage.web.resident.forms import RATINGS
from triage.web.staff import bp
from triage.web.wellbeing import report as wellbeing_report


def _rating_labels() -> dict[str, str]:
    """The feedback ratings in the order the question offers them, with their (English: a staff page) labels."""
    return {code: str(label) for code, label in RATINGS}


MOST_MONTHS = 120  # ten years: a longer range would make charts nobody can read


def _months(since: date, until: date) -> list[date]:
    months, month = [month_of(since)], month_of(since)
    while month < month_of(until):  # never a month past `until`, which may be in the year 9999
        month = add_months(month, 1)
        months.append(month)
    return months


def _between(column, since: date, until: date):
    return (column >= datetime.combine(since, time.min)) & (column <= datetime.combine(until, time.max))


def _follow_up_pairs(since: date, until: date, reach: Reach) -> list[tuple[dict[str, int], dict[str, int]]]:
    """Scores at the plan and at its latest follow-up in the dates, for each plan followed up (made in the
    district, for a report on one)."""
    query = select(FollowUp).where(_between(FollowUp.created_at, since, until)).order_by(FollowUp.created_at)
    if reach.district is not None:
        query = query.join(Assessment, FollowUp.assessment_id == Assessment.id).where(
            counting.in_district(Assessment.ward_code, reach)
        )
    if not reach.every:
        query = query.join(Referral, FollowUp.referral_id == Referral.id).where(
            false() if reach.organisation_id is None else Referral.organisation_id == reach.organisation_id
        )
    latest = {f.assessment_id: f for f in db.session.execute(query).scalars()}
    return [
        (
            {d: getattr(f.assessment, f"score_{d}") for d, _ in DOMAINS},
            {d: getattr(f, f"score_{d}") for d, _ in DOMAINS},
        )
        for f in latest.values()
    ]


def _referral_statuses(since: date, until: date, reach: Reach) -> list[str]:
    query = select(Referral.status).where(
        _between(Referral.created_at, since, until), counting.in_district(Referral.ward_code, reach)
    )
    if not reach.every:
        query = query.where(
            false() if reach.organisation_id is None else Referral.organisation_id == reach.organisation_id
        )
    return list(db.session.execute(query).scalars())


def _ratings(since: date, until: date, reach: Reach) -> list[str]:
    query = select(Feedback.rating).where(
        _between(Feedback.created_at, since, until), counting.in_district(Feedback.ward_code, reach)
    )
    return list(db.session.execute(query).scalars())


@dataclass(frozen=True)
class Report:
    since: date
    until: date
    whose: str
    district: str | None  # the district's name, for a report on one
    reach: impact.Reach
    outcomes: dict[str, int | None]
    months: list[date]
    people_by_month: dict[date, int | None]
    champions_by_month: dict[date, int]
    followed_up: int | None
    progress: list[impact.Progress]
    referrals: dict[str, int | None]
    satisfaction: impact.Satisfaction | None  # officers only: feedback is anonymous, with no organisation
    wellbeing: wellbeing.Figures | None  # when the council asks the questions, or anyone answered them
    bookings: booking_figures.Shown  # bookings at the organisation's entries (every entry for officers)
    bookings_by_month: dict[date, booking_figures.Shown]


def _report(since: date, until: date, reach: Reach, threshold: int) -> Report:
    months = _months(since, until)
    followed_up, progress = impact.distance(_follow_up_pairs(since, until, reach), threshold)
    if reach.every:
        whose = "Every organisation"
    else:
        organisation = db.session.get(Organisation, reach.organisation_id) if reach.organisation_id else None
        whose = organisation.name if organisation else "No organisation"
    all_tallied, all_plans = counting.total(since, until, reach)
    risks = ward_risks((reach.district,) if reach.district else None)
    top = impact.highest_risk({c: r.score for c, r in risks.items()})
    wards = [k for k in counting.tallies("ward", since, until, reach) if k]
    active = counting.active_champions(since, until, reach)
    booked = booking_counts.counts("month", since, until, reach)
    bookings_by_month = booking_figures.table({m: booked.get(m, booking_figures.NONE) for m in months}, threshold)
    return Report(
        since=since,
        until=until,
        whose=whose,
        district=packs.district_name(reach.district) if reach.district else None,
        reach=impact.reach(
            impact.figures(all_tallied, all_plans), counting.in_wards(top, since, until, reach), len(wards), threshold
        ),
        outcomes=impact.outcomes(all_tallied, all_plans, threshold),
        months=months,
        people_by_month=impact.people_by_month(counting.figures("month", since, until, reach), months, threshold),
        champions_by_month={m: active.get(m, 0) for m in months},
        followed_up=followed_up,
        progress=progress,
        referrals=impact.referral_outcomes(_referral_statuses(since, until, reach), threshold),
        satisfaction=(
            impact.satisfaction(_ratings(since, until, reach), _rating_labels(), threshold) if reach.every else None
        ),
        wellbeing=wellbeing_report.figures_between(since, until, reach, threshold),
        bookings=bookings_by_month[booking_figures.ALL],
        bookings_by_month={m: bookings_by_month[m] for m in months},
    )


def _charts(report: Report, threshold: int) -> dict[str, str]:
    def chart(name: str, points, title: str, y_label: str) -> str:
        return bar_chart_svg(
            points,
            title=title,
            description="The table below the chart has the same figures.",
            suppress_below=threshold,
            y_label=y_label,
            id_prefix=f"chart-{name}",
        )

    charts = {
        "outcomes": chart(
            "outcomes",
            [(impact.OUTCOMES[k][0], v) for k, v in report.outcomes.items()],
            "People supported, connected and upskilled",
            "People",
        ),
        "referrals": chart(
            "referrals",
            [(REFERRAL_STATUSES[k], v) for k, v in report.referrals.items()],
            "Referrals by where they are now",
            "Referrals",
        ),
    }
    if report.months:
        charts["people"] = chart(
            "people",
            [(m.strftime("%b %Y"), v) for m, v in report.people_by_month.items()],
            "People helped, by month",
            "People",
        )
        charts["champions"] = chart(
            "champions",
            [(m.strftime("%b %Y"), v) for m, v in report.champions_by_month.items()],
            "Active Digital Champions, by month",
            "Champions",
        )
    if report.satisfaction is not None:
        charts["satisfaction"] = chart(
            "satisfaction",
            [(_rating_labels()[k], v) for k, v in report.satisfaction.by_rating.items()],
            "How people felt about the service",
            "Answers",
        )
    return charts


def _rows(report: Report) -> list[list]:
    """Every figure of the report as (section, figure, value) rows for the CSV; a hidden figure is empty."""
    r = report.reach
    rows: list[list] = [
        ["report", "organisation", report.whose],
        *([["report", "district", report.district]] if report.district else []),
        ["report", "from", report.since.isoformat()],
        ["report", "to", report.until.isoformat()],
        ["reach", "people_helped", r.people],
        ["reach", "sessions", r.sessions],
        ["reach", "hours", None if r.hours is None else round(r.hours, 1)],
        ["reach", "wards_reached", r.wards],
        ["reach", f"people_in_{impact.TOP_RISK_WARDS}_highest_risk_wards", r.in_highest_risk],
        ["reach", f"people_in_{impact.TOP_RISK_WARDS}_highest_risk_wards_pct", _round(r.highest_risk_share)],
    ]
    rows += [["good_things_foundation", name, value] for name, value in report.outcomes.items()]
    rows += [["people_helped_by_month", m.strftime("%Y-%m"), v] for m, v in report.people_by_month.items()]
    rows += [["active_champions_by_month", m.strftime("%Y-%m"), v] for m, v in report.champions_by_month.items()]
    rows.append(["distance_travelled", "people_followed_up", report.followed_up])
    for p in report.progress:
        rows += [
            ["distance_travelled", f"{p.domain}_mean_before", _round(p.before)],
            ["distance_travelled", f"{p.domain}_mean_after", _round(p.after)],
            ["distance_travelled", f"{p.domain}_better", p.better],
        ]
    if report.wellbeing is not None:
        rows += wellbeing_report.csv_rows(report.wellbeing)
    rows += [["referrals", status, n] for status, n in report.referrals.items()]
    rows += _booking_rows("bookings", report.bookings)
    for m, shown in report.bookings_by_month.items():
        rows += _booking_rows(f"bookings_{m.strftime('%Y-%m')}", shown)
    if report.satisfaction is not None:
        rows.append(["satisfaction", "answers", report.satisfaction.answers])
        rows += [["satisfaction", rating, n] for rating, n in report.satisfaction.by_rating.items()]
        rows.append(["satisfaction", "satisfied_pct", _round(report.satisfaction.satisfied_share)])
    return rows


def _booking_rows(section: str, shown: booking_figures.Shown) -> list[list]:
    parts = [[section, booking_figures.PART_NAMES[s], shown.part(s)] for s in booking_figures.PARTS]
    return [
        [section, "made", shown.made],
        *parts,
        [section, "attendance_pct", _round(shown.attendance_rate)],
        [section, "no_show_pct", _round(shown.no_show_rate)],
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@bp.get("/impact")
@requires("read_impact_report")
def impact_report():
    since, until, problems = chosen_dates()
    months_apart = (until.year - since.year) * 12 + until.month - since.month
    if not any(problems.values()) and months_apart >= MOST_MONTHS:
        until, problems["to"] = since, "Choose dates no more than 10 years apart"
    threshold = current_app.config["INSIGHT_SUPPRESS_BELOW"]
    district, problems["district"] = chosen_district()
    reach = help_given_reach(current_user.role, current_user.organisation_id, "read_impact_report", district)
    report = _report(since, until, reach, threshold)
    if request.args.get("format") == "csv" and not any(problems.values()):
        name = f"signpost-impact-{district + '-' if district else ''}{since.isoformat()}-to-{until.isoformat()}.csv"
        return Response(
            csv_text(["section", "figure", "value"], _rows(report)),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return render_template(
        "staff/help_sessions/impact.html",
        report=report,
        charts=_charts(report, threshold),
        problems=problems,
        every=reach.every,
        choice=district_choice(district),
        threshold=threshold,
        outcome_terms=impact.OUTCOMES,
        top_wards=impact.TOP_RISK_WARDS,
        statuses=REFERRAL_STATUSES,
        ratings=_rating_labels(),
    ), (400 if any(problems.values()) else 200)
