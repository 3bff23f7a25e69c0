"""Help-given tallies by day and month (help_tally), whether a session gave something connecting, and the index the plans'
sessions are counted from; the tallies are filled from the logs already saved

Revision ID: f1b3d5e7a9c2
Revises: b5d7f9a1c3e6
Create Date: 2026-12-03 20:30:00.000000

"""
import json
from collections import defaultdict
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1b3d5e7a9c2'
down_revision = 'b5d7f9a1c3e6'
branch_labels = None
depends_on = None

PLAN_SESSIONS = "assessment_id IS NOT NULL AND kind <> 'group'"
# As triage.core.impact counted them when this migration was written (a migration must not change later).
CONNECTING = {"data_sim", "loaned_device", "gifted_device", "social_tariff"}
DEVICES = {"loaned_device", "gifted_device"}
TALLIED = ("sessions", "minutes", "people", "first_visits", "sims", "devices", "tasks_on_their_own", "connecting",
           "upskilled")


def _list(value):
    return json.loads(value) if isinstance(value, str) else list(value or [])


def _fill(bind, stat):
    logs = sa.text(
        "SELECT id, session_date, organisation_id, logged_by_id, place, venue_id, ward_code, minutes, headcount,"
        " first_visit, given, tasks, independence FROM help_session"
    )
    totals = defaultdict(lambda: dict.fromkeys(TALLIED, 0))
    connecting = []
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
        if given & CONNECTING:
            connecting.append(row["id"])
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
                total = totals[grouping, span, start, row["organisation_id"] or 0, value]
                for name, n in adds.items():
                    total[name] += n
    if connecting:
        bind.execute(sa.text("UPDATE help_session SET connecting = :yes WHERE id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)), {"yes": True, "ids": connecting})
    rows = [
        {"grouping": g, "span": p, "start": d, "organisation_id": o, "value": v, **t}
        for (g, p, d, o, v), t in totals.items()
    ]
    if rows:
        op.bulk_insert(stat, rows)


def upgrade():
    with op.batch_alter_table('help_session') as batch_op:
        batch_op.add_column(sa.Column('connecting', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index(
        'ix_help_session_plan_sessions',
        'help_session',
        ['session_date', 'organisation_id', 'assessment_id', 'logged_by_id', 'place', 'venue_id', 'ward_code',
         'independence', 'connecting', 'kind'],
        unique=False,
        sqlite_where=sa.text(PLAN_SESSIONS),
        postgresql_where=sa.text(PLAN_SESSIONS),
    )
    stat = op.create_table(
        'help_tally',
        sa.Column('grouping', sa.String(length=10), nullable=False),
        sa.Column('span', sa.String(length=5), nullable=False),
        sa.Column('start', sa.Date(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.String(length=20), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in TALLIED),
        sa.PrimaryKeyConstraint('grouping', 'span', 'start', 'organisation_id', 'value'),
    )
    _fill(op.get_bind(), stat)


def downgrade():
    op.drop_table('help_tally')
    op.drop_index('ix_help_session_plan_sessions', table_name='help_session')
    with op.batch_alter_table('help_session') as batch_op:
        batch_op.drop_column('connecting')
