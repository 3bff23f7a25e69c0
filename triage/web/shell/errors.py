"""Error pages in the GOV.UK style, and JSON errors for the addresses programs read (/api/, /oruk/, /notify/):
nothing shows a stack trace. `json_error` is the one JSON error format (docs/api.md, "Errors")."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, SecurityError

from triage.web.extensions import db
from triage.web.shell import write_limits
from triage.web.shell.logs import loggable_path

log = logging.getLogger(__name__)
PAGES = {400: "400", 403: "403", 404: "404", 405: "400", 413: "413", 429: "429", 500: "500"}
JSON_UNDER = ("/api", "/oruk", "/notify")  # read by programs, not people: every error there is JSON, never a page
JSON_BODIES_UNDER = ("/api", "/notify")  # the API, and GOV.UK Notify's delivery receipts


def is_under(path: str, prefix: str) -> bool:
    """Whether `path` is `prefix` or an address below it ("/oruk" holds "/oruk/services", not "/orukish")."""
    return path == prefix or path.startswith(prefix + "/")


def json_error(status: int, message: str, fields: dict[str, str] | None = None) -> tuple[Response, int]:
    """{"error": {"status", "message", "fields"}}, with `fields` (what is wrong with each field) only if given."""
    body: dict = {"status": status, "message": message}
    if fields:
        body["fields"] = fields
    return jsonify(error=body), status


def error_response(code: int, description: str = "", fields: dict[str, str] | None = None, **page):
    """The error page (given `page` as well), or the JSON error under the addresses programs read (with
    `fields`, if any)."""
    if any(is_under(request.path, prefix) for prefix in JSON_UNDER):
        return json_error(code, description, fields)
    template = f"errors/{PAGES.get(code, 'generic')}.html"
    return render_template(template, code=code, description=description, **page), code


def too_many_requests(minutes: int):
    """A limit was reached: when to try again, and for a plan, that nothing is lost (errors/429.html)."""
    unit = "minute" if minutes == 1 else "minutes"
    reference = (request.view_args or {}).get("reference")
    return error_response(
        429,
        f"Too many requests from this address. Try again in {minutes} {unit}",
        minutes=minutes,
        answers_kept=request.endpoint == "resident.check_answers",
        # on finding a booking, the reference is the booking's, not a plan's
        plan_reference=reference if isinstance(reference, str) and request.endpoint != "resident.booking" else None,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        """A Host not in TRUSTED_HOSTS: no address can be made for a request to nowhere we serve, so no page."""
        return Response("This service does not answer at this address.\n", 400, mimetype="text/plain")

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(error: RateLimitExceeded):
        return too_many_requests(write_limits.minutes_to_wait())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = make_response(error_response(error.code or 500, error.description or ""))
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)  # a 405 must say what is allowed
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("Unhandled error on %s", loggable_path(request.path))
        db.session.rollback()
        return error_response(500, InternalServerError.description)
