"""Structured logs: one JSON object a line, each with its request's id, and no personal data.

Every line has time, level, logger and message; a line logged while answering a request also has the request
id, the method and the path, never the query string (it may hold a postcode) and with any plan reference in
the path masked. The request id comes from a trusted proxy's X-Request-Id when PROXY_COUNT is set, else it is
made here; it is echoed in the X-Request-Id response header and in gunicorn's access line, so a resident's
"something went wrong" can be found in the logs. gunicorn.conf.py applies `gunicorn_logconfig` and
`GunicornLogger`; the development server keeps Python's plain logging.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, has_request_context, request
from gunicorn import glogging

from triage.core.reference import normalise_reference

REQUEST_ID_HEADER = "X-Request-Id"
_ENVIRON_KEY = "signpost.request_id"
_TRUSTED_ID = re.compile(r"[\w.:=+/-]{1,128}")  # a proxy's id as it is (nginx's $request_id is 32 hex digits)
REQUEST_FIELDS = ("request_id", "method", "path")
ACCESS_FIELDS = ("status", "duration_ms", "bytes")


RESET_LINK = "/staff/reset/"


def loggable_path(path: str) -> str:
    """The path with every plan reference replaced by "<reference>": a reference opens a person's plan; and a
    password reset link's token by "<token>": it lets its holder choose a staff password."""
    if path.startswith(RESET_LINK):
        return RESET_LINK + "<token>"
    return "/".join("<reference>" if normalise_reference(part) else part for part in path.split("/"))


def request_id() -> str:
    """This request's id: the trusted proxy's, when there is one and it looks like an id, else a new one."""
    environ = request.environ
    if _ENVIRON_KEY not in environ:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        trusted = current_app.config["PROXY_COUNT"] and _TRUSTED_ID.fullmatch(given)
        environ[_ENVIRON_KEY] = given if trusted else uuid.uuid4().hex
    return environ[_ENVIRON_KEY]


def init_app(app: Flask) -> None:
    @app.after_request
    def echo_request_id(response):
        response.headers[REQUEST_ID_HEADER] = request_id()
        return response


class RequestContext(logging.Filter):
    """Adds the request's id, method and path to every line logged while a request is being answered."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and not hasattr(record, "request_id"):
            record.request_id = request_id()
            record.method = request.method
            record.path = loggable_path(request.path)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, then the request's fields when there are
    any, and the traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {field: getattr(record, field) for field in REQUEST_FIELDS + ACCESS_FIELDS if hasattr(record, field)}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class GunicornLogger(glogging.Logger):
    """gunicorn's logger, with each access line as JSON fields: the request id, method, path (no query string,
    plan references masked), status, time taken and size. No client address, user agent or referrer: the
    first two identify a person, and the referrer would carry another page's query string."""

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        headers = {name.lower(): value for name, value in resp.headers}
        method, path = environ.get("REQUEST_METHOD", "-"), loggable_path(environ.get("PATH_INFO", ""))
        status = int(str(resp.status).split(None, 1)[0])
        fields = {
            "request_id": headers.get(REQUEST_ID_HEADER.lower(), "-"),
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "bytes": getattr(resp, "sent", None),
        }
        self.access_log.info("%s %s %s", method, path, status, extra=fields)


def gunicorn_logconfig(level: str) -> dict[str, Any]:
    """gunicorn's logging: the access lines on stdout, everything else (gunicorn's own and the app's) on
    stderr, all as JSON lines."""
    handler = {"formatter": "json", "filters": ["request"], "class": "logging.StreamHandler"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "filters": {"request": {"()": RequestContext}},
        "handlers": {
            "stdout": {**handler, "stream": "ext://sys.stdout"},
            "stderr": {**handler, "stream": "ext://sys.stderr"},
        },
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level.upper(), "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
            "alembic": {"level": "WARNING"},  # not a line per /readyz saying which database it is
        },
    }
