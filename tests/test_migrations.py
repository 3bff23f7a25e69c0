"""Schema changes go through migrations that can be applied, undone and applied again (0025 remaking the tallies
from the logs already saved), and the migrated schema is exactly what the models describe (Alembic's own
comparison, on the engine under test)."""

from __future__ import annotations

from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.help_sessions import tallies
from triage.web.models import HelpSession, HelpTally, Ward


def test_migrations_upgrade_downgrade_and_upgrade_again(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/migrate.db"})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"assessment", "resource", "staff_user", "outbox_message"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == tables
        db.engine.dispose()


def test_the_migrated_schema_matches_the_models(app_ctx):
    """Tables, columns, types, nullability, indexes, unique and foreign keys: what autogenerate would add.
    Server defaults are compared on PostgreSQL only: Alembic reads SQLite's back as SQL text (an empty string
    default comes back as "''"), so on SQLite every such default would be reported as a change."""
    with db.engine.connect() as conn:
        options = {"compare_type": True, "compare_server_default": conn.dialect.name == "postgresql"}
        context = MigrationContext.configure(conn, opts=options)
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_district_tallies_are_made_from_the_logs_already_saved_and_undone_by_adding_districts_up(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/tallies.db"})
    with app.app_context():
        upgrade(revision="f6b8d0a2c4e7")  # before 0025: tallies with no district
        db.session.add_all([Ward(code=c, name=c, lad_code=lad, lat=52.7, lon=-1.2) for c, lad in WARDS.items()])
        for ward in [*WARDS, None]:
            db.session.add(
                HelpSession(
                    session_date=date(2026, 5, 4),
                    minutes=30,
                    kind="one_to_one",
                    place="phone",
                    device="own",
                    independence="on_own",
                    tasks=["join_wifi"],
                    given=["data_sim"],
                    ward_code=ward,
                )
            )
        db.session.commit()
        upgrade()
        made = _tally_rows()
        assert {row[5] for row in made if row[0] == "all"} == {"E07000129", "E07000130", ""}
        tallies.rebuild()
        assert _tally_rows() == made
        downgrade(revision="f6b8d0a2c4e7")
        rows = db.session.execute(text('SELECT "grouping", span, sessions FROM help_tally')).all()
        assert sorted(r for r in rows if r[0] == "all") == [("all", "day", 4), ("all", "month", 4)]
        db.engine.dispose()


WARDS = {"E05008000": "E07000130", "E05008001": "E07000130", "E05005000": "E07000129"}


def _tally_rows() -> list[tuple]:
    rows = db.session.execute(select(HelpTally)).scalars()
    names = ("grouping", "span", "start", "organisation_id", "value", "district", "sessions", "minutes", "upskilled")
    return sorted(tuple(getattr(r, n) for n in names) for r in rows)
