"""Error pages in the GOV.UK style, and JSON errors for the API: nothing shows a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from triage.web.extensions import db

log = logging.getLogger(__name__)
PAGES = {400: "400", 403: "403", 404: "404", 405: "400", 413: "413", 429: "429", 500: "500"}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(code: int, description: str = ""):
    if _wants_json():
        return jsonify(error={"status": code, "message": description}), code
    template = f"errors/{PAGES.get(code, 'generic')}.html"
    return render_template(template, code=code, description=description), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render(error.code or 500, error.description or "")

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("Unhandled error on %s", request.path)
        db.session.rollback()
        return _render(500, InternalServerError.description)
