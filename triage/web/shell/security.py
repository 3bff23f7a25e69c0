"""Security headers: a nonce-based Content Security Policy, frame denial, no sniffing, no caching of pages.

Flask-Talisman sets the headers; the nonce reaches the GOV.UK template as `cspNonce` (base.html).
Pages, JSON and CSV downloads are never cached, because residents often use shared computers in libraries
and staff downloads hold plans and referrals. A service left on plain
HTTP when it is reached from other machines says so in the log, once per process.
"""

from __future__ import annotations

import ipaddress
import logging

from flask import Flask, request

from triage.web.extensions import talisman

log = logging.getLogger(__name__)
PLAIN_HTTP_WARNING = (
    "A request came from another machine over plain HTTP and FORCE_HTTPS is off. Behind a TLS proxy, set "
    "FORCE_HTTPS=1 and PROXY_COUNT to the number of proxies in front (usually 1), so that every page is sent "
    "over HTTPS; see docs/deploy.md."
)


def _from_this_machine(address: str | None) -> bool:
    """Whether a request's address is loopback (or no IP address at all, as on a Unix socket)."""
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return True


# Everything the service makes from its data; only the fingerprinted static assets may be kept.
NEVER_CACHED = frozenset({"text/html", "application/json", "text/csv"})

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

    warned = False

    @app.before_request
    def warn_of_plain_http_from_afar() -> None:
        nonlocal warned
        if warned or app.config["FORCE_HTTPS"] or request.is_secure or _from_this_machine(request.remote_addr):
            return
        warned = True
        log.warning(PLAIN_HTTP_WARNING)

    @app.after_request
    def no_caching_of_pages(response):
        if response.mimetype in NEVER_CACHED:
            response.headers["Cache-Control"] = "no-store"
        return response
