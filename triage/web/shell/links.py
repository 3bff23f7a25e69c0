"""Addresses for outside the page: every link in a message, and any link made without a page request.

They start with PUBLIC_URL, never with the Host a request came with: anyone can send a request naming any
Host, and a plan sent by text message must not point there. Only without PUBLIC_URL (trying the service on
one's own machine; gunicorn warns of it at start) does a link made during a request use that request's
address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """The full address of a page, for a message or anything else read away from this service's pages."""
    public = current_app.config["PUBLIC_URL"]
    if not public:
        if not has_request_context():
            raise RuntimeError("Set PUBLIC_URL to the service's public address to make links outside a request")
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(public)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)
