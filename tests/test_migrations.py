"""Schema changes go through migrations that can be applied, undone and applied again, and the migrated
schema is exactly what the models describe (Alembic's own comparison, on the engine under test)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from triage.web.app import create_app
from triage.web.extensions import db


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
