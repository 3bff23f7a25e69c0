"""Schema changes go through migrations that can be applied, undone and applied again."""

from __future__ import annotations

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
        assert tables - {"alembic_version"} == set(db.metadata.tables)  # the models and migrations agree
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == tables
        db.engine.dispose()
