"""Security headers: a nonce-based Content Security Policy, frame denial, no sniffing, no caching of pages.

Flask-Talisman sets the headers; the nonce reaches the GOV.UK template as `cspNonce` (base.html).
Pages are never cached, because residents often use shared computers in libraries.
"""

from __future__ import annotations

from flask import Flask

from triage.web.extensions import talisman

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> None:
    talisman.init_app(
        app,
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src"],
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()", "interest-cohort": "()"},
    )

    @app.after_request
    def no_caching_of_pages(response):
        if response.mimetype in {"text/html", "application/json"}:
            response.headers["Cache-Control"] = "no-store"
        return response
