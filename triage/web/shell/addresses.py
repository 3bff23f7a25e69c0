"""Where a request came from, as keyed codes and never as the address itself.

The limits on anonymous writes count by one code (shell/write_limits.py), and ward insight caps how many plans
one address counts for in a day by another (insight/counts.py). Each is an HMAC of the address with the app's
SECRET_KEY, so it cannot be turned back into the address without the key. The insight code also holds the
day, so codes from different days cannot be linked to each other. The address is the one Flask-Limiter uses:
the client's, behind PROXY_COUNT proxies (app.py).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime

from flask import current_app
from flask_limiter.util import get_remote_address

CODE_LENGTH = 32  # hex characters: 128 bits, so two addresses never share a code in practice


def _code(purpose: str, *parts: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = "\x1f".join((purpose, *parts)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:CODE_LENGTH]


def rate_limit_code() -> str:
    """The request's address as the rate limits count it (a Flask-Limiter key function)."""
    return _code("rate-limit", get_remote_address())


def day_code(day: date | None = None) -> str:
    """The request's address and the day (UTC, today unless given), as ward insight counts plans by."""
    return _code("insight", (day or datetime.now(UTC).date()).isoformat(), get_remote_address())
