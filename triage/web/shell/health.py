"""Health checks for a load balancer or an orchestrator.

/healthz (liveness): the service can reach its database. /readyz (readiness, for sending it traffic): the
database is reachable, its schema is at the migrations' head (an upgrade not yet run, or code older than the
database, would break pages), and Redis answers when REDIS_URL is set. Each answers 503 with a JSON body
naming what failed. Probes come over plain HTTP straight to gunicorn, not through the TLS proxy, so neither
is ever redirected to HTTPS.
"""

from __future__ import annotations

from functools import cache

import redis
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from triage.web.extensions import csrf, db, talisman

bp = Blueprint("health", __name__)
OK = "ok"


@bp.get("/healthz")
@csrf.exempt
@talisman(force_https=False)
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@cache
def _code_heads(migrations: str) -> frozenset[str]:
    """The revisions the code's migrations end at (read once: they do not change while the service runs)."""
    return frozenset(ScriptDirectory(migrations).get_heads())


def _database_and_migrations() -> dict[str, str]:
    try:
        with db.engine.connect() as connection:
            at = frozenset(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError:
        return {"database": "unreachable", "migrations": "unknown"}
    wanted = _code_heads(current_app.extensions["migrate"].directory)
    if at == wanted:
        return {"database": OK, "migrations": OK}
    found = ", ".join(sorted(at)) or "none"
    return {"database": OK, "migrations": f"not current: the database is at {found}, the code at {', '.join(wanted)}"}


def _redis(url: str) -> str:
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return "unreachable"
    finally:
        client.close()
    return OK


@bp.get("/readyz")
@csrf.exempt
@talisman(force_https=False)
def readyz():
    checks = _database_and_migrations()
    if current_app.config["REDIS_URL"]:
        checks["redis"] = _redis(current_app.config["REDIS_URL"])
    failed = sorted(name for name, state in checks.items() if state != OK)
    if failed:
        return jsonify(status="error", failed=failed, **checks), 503
    return jsonify(status="ok", **checks)
