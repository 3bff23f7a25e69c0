"""Flask extensions, created unbound here and bound to the app in the factory.

One rule for transactions on `db.session`: services (accounts, referrals, follow-ups, messages, erasure, ...)
add, change and delete rows, flushing when they need an id, but never commit. The caller, a view or a CLI
command, records the audit entry (`triage.web.shell.audit.record`, or the service records it) and then commits
once, so a change and its audit entry are saved together or not at all, and every commit is in a view or a
command. A view tells the user it worked (`flash`) only after the commit. The exceptions commit themselves:
`create_assessment`, which retries when a new plan's reference clashes, booking (booking/service.py), which
tries the next place when another request took one at the same moment, and the bulk loaders that save all or
nothing (`flask seed`, the directory CSV and ORUK imports, `flask rebuild-insight`).

SQLite is shared by every worker: `sqlite_settings` lets readers and a writer work at once (bench/load_faults.py).
"""

import sqlite3

from flask import session
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine, event
from sqlalchemy.orm import DeclarativeBase

SQLITE_BUSY_MS = 15_000  # how long a write waits for another to finish; under gunicorn's 30 s worker timeout


class Base(DeclarativeBase):
    """The models' base class. Models subclass it rather than `db.Model`, which mypy cannot see as a class:
    `db.Model` is built from it and shares its registry and metadata, so the models are `db`'s all the same.
    Every model names its `__tablename__`."""


class StaffLoginManager(LoginManager):
    """Flask-Login's manager with its "strong" session protection (a session used from another browser or
    address is signed out) for staff sessions only. Flask-Login applies it to any session that is not empty, so
    a resident's session holding only a form token and answers was rewritten on every page they read, with a
    cookie deleting a "remember me" nobody had; there is no account in it to protect."""

    def _session_protection_failed(self) -> bool:
        return "_user_id" in session and super()._session_protection_failed()


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
talisman = Talisman()
compress = Compress()
login_manager = StaffLoginManager()
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def sqlite_settings(connection, _record) -> None:
    """Every SQLite connection: write-ahead logging, so a save never waits for readers (and readers never wait
    for it), and a wait for another worker's save rather than a 'database is locked' error. The full sync of
    each commit is kept, so a saved plan survives a power cut. Other databases are left alone."""
    if isinstance(connection, sqlite3.Connection):
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
