"""Pausing sign-in for one email address from one network address after repeated failures.

A lock on the account itself would let anyone keep its owner out (five wrong passwords every quarter of an
hour), and a lock only on known accounts would tell which emails have one. So failures are counted for the
pair (email address typed, network address it came from), whether or not an account has that email: after
SIGN_IN_MAX_FAILURES in a row the pair is paused for SIGN_IN_LOCK_MINUTES, doubling with each further failure
up to SIGN_IN_LOCK_MAX_MINUTES. The owner signing in from anywhere else is not affected; the per-address rate
limit on the sign-in form (SIGN_IN_RATE_LIMIT) slows guessing at many emails. A pair's count is forgotten
after a successful sign-in, a password chosen from a reset link (for every address), or two of the longest
pauses without a failure (`flask apply-retention` then deletes it).

Neither address is stored: only keyed hashes of them (HMAC-SHA256 with SECRET_KEY), which match the same
address again but cannot be turned back into it.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, case, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from triage.web.extensions import db
from triage.web.models import SignInFailure, as_utc


def _keyed(kind: str, value: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else key.encode()
    return hmac.new(key, f"{kind}\n{value}".encode(), hashlib.sha256).hexdigest()


def _pair(email: str, address: str | None) -> tuple[str, str]:
    """The keys for an email address (as typed, after service.normalise_email) and a network address."""
    return _keyed("email", email), _keyed("address", address or "")


def _forget_after() -> timedelta:
    return 2 * timedelta(minutes=current_app.config["SIGN_IN_LOCK_MAX_MINUTES"])


def pause_length(failures: int, config) -> timedelta | None:
    """How long a pair is paused after this many failures in a row: none before SIGN_IN_MAX_FAILURES, then
    SIGN_IN_LOCK_MINUTES, doubling with each further failure, never more than SIGN_IN_LOCK_MAX_MINUTES."""
    beyond = failures - config["SIGN_IN_MAX_FAILURES"]
    if beyond < 0:
        return None
    longest = config["SIGN_IN_LOCK_MAX_MINUTES"]
    return timedelta(minutes=min(longest, config["SIGN_IN_LOCK_MINUTES"] * 2 ** min(beyond, 32)))


def paused_until(email: str, address: str | None, now: datetime) -> datetime | None:
    """When this email may be tried again from this address, if it is paused now."""
    email_key, address_key = _pair(email, address)
    until = db.session.execute(
        select(SignInFailure.paused_until).where(
            SignInFailure.email_key == email_key, SignInFailure.address_key == address_key
        )
    ).scalar_one_or_none()
    if until is None or as_utc(until) <= now:
        return None
    return as_utc(until)


def count_failure(email: str, address: str | None, now: datetime) -> datetime | None:
    """Count a failed attempt for this email from this address (one after a long quiet starts the count
    again); return when the pair may try again if this failure paused it. The caller commits."""
    email_key, address_key = _pair(email, address)
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    stale = SignInFailure.last_failed_at < now - _forget_after()
    row = {"email_key": email_key, "address_key": address_key, "failures": 1, "last_failed_at": now}
    db.session.execute(
        insert(SignInFailure)
        .values(row)
        .on_conflict_do_update(  # in the database: two failures at once both count
            index_elements=[SignInFailure.email_key, SignInFailure.address_key],
            set_={"failures": case((stale, 1), else_=SignInFailure.failures + 1), "last_failed_at": now},
        )
    )
    failure = db.session.execute(
        select(SignInFailure)
        .where(SignInFailure.email_key == email_key, SignInFailure.address_key == address_key)
        .execution_options(populate_existing=True)
    ).scalar_one()
    pause = pause_length(failure.failures, current_app.config)
    if pause is None:
        return None
    failure.paused_until = now + pause
    return failure.paused_until


def forget(email: str, address: str | None = None) -> None:
    """Forget the failures for this email from this address, or (with no address) from every address."""
    email_key, address_key = _pair(email, address)
    query = delete(SignInFailure).where(SignInFailure.email_key == email_key)
    if address is not None:
        query = query.where(SignInFailure.address_key == address_key)
    db.session.execute(query)


def pause_message(until: datetime, now: datetime) -> str:
    minutes = max(1, round((until - now).total_seconds() / 60))
    if minutes >= 120:
        wait = f"{round(minutes / 60)} hours"
    else:
        wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return f"Too many failed attempts. Try again in {wait}"


def delete_stale_failures() -> int:
    """Forget the counts no one has added to for two of the longest pauses (`flask apply-retention`)."""
    cutoff = datetime.now(UTC) - _forget_after()
    result = db.session.execute(delete(SignInFailure).where(SignInFailure.last_failed_at < cutoff))
    return cast(CursorResult, result).rowcount
