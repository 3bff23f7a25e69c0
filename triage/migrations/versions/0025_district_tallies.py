"""Help-given tallies by district too (help_tally.district, the LAD code of the session's ward), so that an account
limited to one district reads its own figures; the tallies are made again from the logs already saved

Revision ID: d4f6a8c0e2b3
Revises: c3e5a7b9d1f2
Create Date: 2026-12-30 10:00:00.000000

"""
import json
from collections import defaultdict
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4f6a8c0e2b3'
down_revision = 'c3e5a7b9d1f2'
branch_labels = None
depends_on = None

# As triage.core.impact counted them when this migration was written (a migration must not change later).
CONNECTING = {"data_sim", "loaned_device", "gifted_device", "social_tariff"}
DEVICES = {"loaned_device", "gifted_device"}
TALLIED = ("sessions", "minutes", "people", "first_visits", "sims", "devices", "tasks_on_their_own", "connecting",
           "upskilled")
KEY = ("grouping", "span", "start", "organisation_id", "value")


def _list(value):
    return json.loads(value) if isinstance(value, str) else list(value or [])


def _table(name, district):
    return op.create_table(
        name,
        sa.Column('grouping', sa.String(length=10), nullable=False),
        sa.Column('span', sa.String(length=5), nullable=False),
        sa.Column('start', sa.Date(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.String(length=20), nullable=False),
        *([sa.Column('district', sa.String(length=9), nullable=False)] if district else []),
        *(sa.Column(n, sa.Integer(), nullable=False) for n in TALLIED),
        sa.PrimaryKeyConstraint(*KEY, *(["district"] if district else [])),
    )


def _fill(bind, stat):
    logs = sa.text(
        "SELECT s.session_date, s.organisation_id, s.logged_by_id, s.place, s.venue_id, s.ward_code, s.minutes,"
        " s.headcount, s.first_visit, s.given, s.tasks, s.independence, w.lad_code"
        " FROM help_session s LEFT JOIN ward w ON w.code = s.ward_code"
    )
    totals = defaultdict(lambda: dict.fromkeys(TALLIED, 0))
    for row in bind.execute(logs).mappings():
        given, on_own = set(_list(row["given"])), row["independence"] == "on_own"
        adds = {
            "sessions": 1,
            "minutes": row["minutes"],
            "people": row["headcount"],
            "first_visits": row["headcount"] if row["first_visit"] else 0,
            "sims": 1 if "data_sim" in given else 0,
            "devices": len(given & DEVICES),
            "tasks_on_their_own": len(_list(row["tasks"])) if on_own else 0,
            "connecting": 1 if given & CONNECTING else 0,
            "upskilled": row["headcount"] if on_own else 0,
        }
        venue = f"venue-{row['venue_id']}" if row["place"] == "venue" and row["venue_id"] is not None else row["place"]
        values = {
            "all": "",
            "champion": "" if row["logged_by_id"] is None else str(row["logged_by_id"]),
            "venue": venue,
            "ward": row["ward_code"] or "",
        }
        day = row["session_date"]
        day = date.fromisoformat(day) if isinstance(day, str) else day
        for grouping, value in values.items():
            for span, start in (("day", day), ("month", day.replace(day=1))):
                total = totals[grouping, span, start, row["organisation_id"] or 0, value, row["lad_code"] or ""]
                for name, n in adds.items():
                    total[name] += n
    rows = [
        {"grouping": g, "span": p, "start": d, "organisation_id": o, "value": v, "district": lad, **t}
        for (g, p, d, o, v, lad), t in totals.items()
    ]
    for first in range(0, len(rows), 5000):
        op.bulk_insert(stat, rows[first : first + 5000])


def upgrade():
    op.drop_table('help_tally')
    _fill(op.get_bind(), _table('help_tally', district=True))


def downgrade():
    _table('help_tally_before', district=False)
    columns = ", ".join(f'"{c}"' for c in KEY)
    op.execute(
        f"INSERT INTO help_tally_before ({columns}, {', '.join(TALLIED)})"
        f" SELECT {columns}, {', '.join(f'SUM({n})' for n in TALLIED)} FROM help_tally GROUP BY {columns}"
    )
    op.drop_table('help_tally')
    op.rename_table('help_tally_before', 'help_tally')
