"""Settings, read from environment variables with safe defaults for the embedded SQLite set-up."""

from __future__ import annotations

import os
import re
import secrets
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from triage.core.booking_notices import reminder_hours
from triage.core.interface_languages import BY_CODE
from triage.core.message_templates import TEMPLATES
from triage.core.text import N_
from triage.core.waiting_list import hold_minutes

ROOT = Path(__file__).resolve().parents[2]
MEMORY_STORAGE = "memory://"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


class UnsafeStart(RuntimeError):
    """The service would run, but not safely: the message says which setting to give."""


def secret_key(config: dict) -> str:
    """The key that signs sessions and form tokens: SECRET_KEY, else the key file `make run` makes. Without
    either, tests and the debug server get a key of their own; anything else refuses to start, because a
    key made per worker breaks the forms of most people as soon as there is more than one worker."""
    if config.get("SECRET_KEY"):
        return config["SECRET_KEY"]
    key_file = Path(config["SECRET_KEY_FILE"])
    if key_file.is_file() and key_file.read_text().strip():
        return key_file.read_text().strip()
    if config.get("TESTING") or config.get("DEBUG"):
        return secrets.token_hex(32)
    raise UnsafeStart(
        "SECRET_KEY is not set: set it to the same long random value on every worker and machine, "
        "for example the output of: python3 -c 'import secrets; print(secrets.token_hex(32))'"
    )


def embedded_database(council: str) -> str:
    """The SQLite database of one council's embedded set-up, so that switching councils on one machine
    mixes nothing (`council` is a checked profile name)."""
    return f"sqlite:///{ROOT / 'instance' / f'{council}.db'}"


def public_url(config: Mapping[str, Any]) -> str:
    """PUBLIC_URL without its final slash, once it is known to be an address a resident can open: http or
    https, a host, perhaps a path, nothing else. Empty when it is not set (gunicorn warns of that)."""
    given = (config.get("PUBLIC_URL") or "").strip()
    if not given:
        return ""
    parts = urlsplit(given)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise UnsafeStart(
            f"PUBLIC_URL {given!r} is not the service's public address: give it as residents type it, "
            "for example https://signpost.example.gov.uk"
        )
    return given.rstrip("/")


def public_address_warning(settings: Mapping[str, Any]) -> str | None:
    """What gunicorn says at start when the service's own address is left to each request's Host header,
    which anyone can set; None when PUBLIC_URL and TRUSTED_HOSTS are both given."""
    problems = []
    if not settings.get("PUBLIC_URL"):
        problems.append("PUBLIC_URL is not set, so links in plans sent by email or text use the Host of the request")
    if not settings.get("TRUSTED_HOSTS"):
        problems.append("TRUSTED_HOSTS is not set, so a request naming any Host is answered")
    if not problems:
        return None
    return (
        f"{'; '.join(problems)}. Set PUBLIC_URL=https://signpost.example.gov.uk and "
        "TRUSTED_HOSTS=signpost.example.gov.uk (with any name the health checks use); see docs/deploy.md."
    )


def rate_limit_storage(settings: Mapping[str, Any]) -> str:
    """Where the rate limits are counted: RATELIMIT_STORAGE_URI if given, else the Redis at REDIS_URL
    (shared by every worker and machine), else each process's own memory, which multiplies the limit by the
    number of workers (gunicorn.conf.py warns of that)."""
    return settings.get("RATELIMIT_STORAGE_URI") or settings.get("REDIS_URL") or MEMORY_STORAGE


def rate_limit_key_prefix(config: Mapping[str, Any]) -> str:
    """What the rate-limit counters are named under: RATELIMIT_KEY_PREFIX if given, else "signpost". Tests get a
    prefix of their own, so counters in a shared Redis never carry over from one test run to the next."""
    if config.get("RATELIMIT_KEY_PREFIX"):
        return config["RATELIMIT_KEY_PREFIX"]
    return f"signpost-test-{secrets.token_hex(8)}" if config.get("TESTING") else "signpost"


def referral_clock(config: Mapping[str, Any]) -> None:
    """A referral must have time to be answered after its reminder, so it expires only after it is overdue."""
    accept, expire = config["REFERRAL_ACCEPT_WORKING_DAYS"], config["REFERRAL_EXPIRE_WORKING_DAYS"]
    if accept < 1 or expire <= accept:
        raise UnsafeStart(
            f"REFERRAL_EXPIRE_WORKING_DAYS ({expire}) must be greater than REFERRAL_ACCEPT_WORKING_DAYS ({accept}), "
            "which must be 1 or more: a referral is reminded about before it closes as not answered"
        )


MESSAGE_BACKENDS = ("outbox", "notify", "smtp")
NOTIFY_KEY = re.compile(r"^.+-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([0-9a-f-]{36})$")
EMAIL_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def message_settings(config: Mapping[str, Any]) -> list[str]:
    """What is missing for the chosen way of sending messages (NOTIFICATION_BACKEND), and for Notify's delivery
    receipts: logged at start and shown to admins on the staff home page. A setting given but malformed (an
    unknown backend, a Notify key or template id that cannot be one, a receipt token shorter than Notify
    allows, an SMTP_URL that is not smtp:// or smtps://) refuses to start instead, since it can only be a
    mistake."""
    return sending_settings(config) + receipt_settings(config)


def sending_settings(config: Mapping[str, Any]) -> list[str]:
    """The missing settings without which the worker sends nothing (messages/delivery.py): the messages wait."""
    backend = config.get("NOTIFICATION_BACKEND") or "outbox"
    if backend not in MESSAGE_BACKENDS:
        raise UnsafeStart(
            f"NOTIFICATION_BACKEND {backend!r} is not one of outbox, notify or smtp (an import path is no longer "
            "accepted): see docs/deploy.md"
        )
    missing = _notify_missing(config) if backend == "notify" else _smtp_missing(config) if backend == "smtp" else []
    return [f"{problem}, so messages are queued but not sent" for problem in missing]


NOTIFY_TOKEN_LENGTH = 10  # the shortest bearer token Notify's callback settings take


def receipt_settings(config: Mapping[str, Any]) -> list[str]:
    """NOTIFY_RECEIPT_TOKEN, the bearer token the council gives Notify for its delivery receipts. Without it
    messages are still sent; the worker asks Notify how each went instead (messages/status_checks.py)."""
    token = config.get("NOTIFY_RECEIPT_TOKEN") or ""
    if token and len(token) < NOTIFY_TOKEN_LENGTH:
        raise UnsafeStart(
            f"NOTIFY_RECEIPT_TOKEN is shorter than the {NOTIFY_TOKEN_LENGTH} characters GOV.UK Notify requires: "
            "give the same long random value here and in Notify's callback settings"
        )
    if token or config.get("NOTIFICATION_BACKEND") != "notify":
        return []
    minutes = config.get("MESSAGE_STATUS_CHECK_MINUTES", 10)
    return [
        "NOTIFY_RECEIPT_TOKEN is not set, so GOV.UK Notify's delivery receipts are refused and the worker asks "
        f"Notify how each message went instead, {minutes} minutes after sending it"
    ]


def _notify_missing(config: Mapping[str, Any]) -> list[str]:
    missing = []
    key = config.get("NOTIFY_API_KEY") or ""
    if not key:
        missing.append("NOTIFY_API_KEY is not set")
    elif not NOTIFY_KEY.match(key):
        raise UnsafeStart("NOTIFY_API_KEY is not a GOV.UK Notify API key: copy the whole key from Notify")
    for name in ("NOTIFY_EMAIL_TEMPLATE_ID", "NOTIFY_SMS_TEMPLATE_ID"):
        if not config.get(name):
            missing.append(f"{name} is not set")
        elif not _is_uuid(config[name]):
            raise UnsafeStart(f"{name} is not a Notify template id: copy it from the template's page in Notify")
    letters = config.get("NOTIFY_LETTER_TEMPLATE_ID") or ""
    if letters and not _is_uuid(letters):
        raise UnsafeStart("NOTIFY_LETTER_TEMPLATE_ID is not a Notify template id: copy it from the template's page")
    parts = urlsplit(config.get("NOTIFY_BASE_URL") or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeStart("NOTIFY_BASE_URL is not an address: leave it unset to use GOV.UK Notify's own")
    return missing


def notify_templates(config: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """GOV.UK Notify templates of their own for some messages, by name and language, from NOTIFY_TEMPLATES_FILE
    (TOML: a table per message, e.g. `[plan-sms]` with `en = "<template id>"`, docs/notify-templates.md). A
    message without one goes through the general template for its kind. A mistake in the file refuses to start."""
    given = config.get("NOTIFY_TEMPLATES")
    if given is None:
        path = config.get("NOTIFY_TEMPLATES_FILE") or ""
        if not path:
            return {}
        try:
            given = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise UnsafeStart(f"NOTIFY_TEMPLATES_FILE {path!r} cannot be read: {error}") from error
    chosen: dict[str, dict[str, str]] = {}
    for name, languages in given.items():
        if name not in TEMPLATES:
            raise UnsafeStart(f"NOTIFY_TEMPLATES_FILE names a message Signpost does not send: {name!r}")
        if not isinstance(languages, dict):
            raise UnsafeStart(f'NOTIFY_TEMPLATES_FILE: give [{name}] a template id for each language, as en = "id"')
        for language, template_id in languages.items():
            if language not in BY_CODE or (TEMPLATES[name].to == "staff" and language != "en"):
                raise UnsafeStart(f"NOTIFY_TEMPLATES_FILE: [{name}] is not sent in the language {language!r}")
            if not isinstance(template_id, str) or not _is_uuid(template_id):
                raise UnsafeStart(f"NOTIFY_TEMPLATES_FILE: [{name}] {language} is not a Notify template id")
        chosen[name] = dict(languages)
    return chosen


def _smtp_missing(config: Mapping[str, Any]) -> list[str]:
    missing = []
    url = config.get("SMTP_URL") or ""
    if not url:
        missing.append("SMTP_URL is not set")
    else:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise UnsafeStart("SMTP_URL is not an SMTP address: give it as smtp://user:password@host:587")
    sender = config.get("SMTP_FROM") or ""
    if not sender:
        missing.append("SMTP_FROM is not set")
    elif not EMAIL_ADDRESS.match(sender):
        raise UnsafeStart(f"SMTP_FROM {sender!r} is not an email address")
    return missing


class Config:
    # Signs sessions and form tokens: every worker and machine must share it (secret_key() below).
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # The embedded set-up's key, made once by `make run`; or a secret file a container platform mounts.
    SECRET_KEY_FILE = os.environ.get("SECRET_KEY_FILE") or str(ROOT / "instance" / "secret_key")
    # The council this instance serves: its profile, councils/<COUNCIL>.toml (areas/profiles.py).
    COUNCIL = os.environ.get("COUNCIL", "charnwood")
    # Without DATABASE_URL, each council has an embedded database of its own (embedded_database below).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or ""
    # hide_parameters: a database error in the logs never shows the values (names, phone numbers) it was saving.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    MAX_CONTENT_LENGTH = 64 * 1024  # no form or API body needs more; larger ones get a 413
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "signpost_session"
    # Answers in progress are forgotten two hours after the last change, by the server (assessments/journey.py).
    ANSWERS_KEPT_SECONDS = 60 * 60 * 2
    # No session is made permanent, so the cookie has no expiry date and ends with the browser. Flask also
    # ignores a session cookie signed longer ago than this, so nothing in one outlives two hours unchanged.
    PERMANENT_SESSION_LIFETIME = ANSWERS_KEPT_SECONDS
    # The cookie is sent again only when the session changes (an answer, a language, a form token), not with
    # every page: a page read changes nothing, and re-signing it each time cost a tenth of a question page.
    SESSION_REFRESH_EACH_REQUEST = False
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session: slow readers must not lose answers
    FORCE_HTTPS = _bool("FORCE_HTTPS", False)  # set behind a TLS-terminating proxy in production
    # The address residents use, e.g. https://signpost.example.gov.uk: every link in a message, and any made
    # outside a page request, starts with it (shell/links.py), never with the Host a request claims.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    # The Host names requests may give (Flask's TRUSTED_HOSTS), comma separated; any other gets a 400.
    TRUSTED_HOSTS = _list("TRUSTED_HOSTS") or None
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # Small pages matter: many residents pay for data by the megabyte.
    COMPRESS_ALGORITHM = ["br", "gzip", "deflate"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "deflate"]  # static files are streamed; gzip cannot stream here
    SEND_FILE_MAX_AGE_DEFAULT = 60 * 60 * 24 * 365  # assets are fingerprinted (presentation.asset_url)
    SERVICE_NAME = N_("Get help using the internet")  # translated where shown
    # Staff sign-in: idle sessions end, repeated failures pause one email at one address (accounts/backoff.py),
    # and sign-in is rate-limited. The first pause is SIGN_IN_LOCK_MINUTES, doubling up to the longest.
    STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "30"))
    PASSWORD_HASH_METHOD = "scrypt"  # not read from the environment: only the tests use a cheaper hash
    SIGN_IN_MAX_FAILURES = 5
    SIGN_IN_LOCK_MINUTES = 15
    SIGN_IN_LOCK_MAX_MINUTES = 24 * 60
    # How long an officer's password reset link works (accounts/reset_links.py).
    PASSWORD_RESET_HOURS = int(os.environ.get("PASSWORD_RESET_HOURS", "24"))
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute")
    # Shared state for every worker and machine: the rate limits are counted in Redis when REDIS_URL is
    # set (rate_limit_storage() above); if Redis goes down, each worker counts in memory until it is back.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "")
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}  # Redis's; memory:// ignores them
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # What anyone may save without signing in (shell/write_limits.py); signed-in staff are never limited. Many
    # residents share one address in a library or a council building, so the limits per address are generous;
    # those per plan can be tight. Each is a Flask-Limiter limit string: several are separated by ";".
    SAVE_PLAN_RATE_LIMIT = os.environ.get("SAVE_PLAN_RATE_LIMIT", "20 per minute;60 per hour")
    CONTACT_ME_RATE_LIMIT = os.environ.get("CONTACT_ME_RATE_LIMIT", "30 per hour")
    CONTACT_ME_PER_PLAN_RATE_LIMIT = os.environ.get("CONTACT_ME_PER_PLAN_RATE_LIMIT", "5 per day")
    FEEDBACK_RATE_LIMIT = os.environ.get("FEEDBACK_RATE_LIMIT", "30 per hour")
    FEEDBACK_PER_PLAN_RATE_LIMIT = os.environ.get("FEEDBACK_PER_PLAN_RATE_LIMIT", "3 per day")
    SEND_PLAN_RATE_LIMIT = os.environ.get("SEND_PLAN_RATE_LIMIT", "10 per hour")
    SEND_PLAN_PER_PLAN_RATE_LIMIT = os.environ.get("SEND_PLAN_PER_PLAN_RATE_LIMIT", "3 per day")
    # Bookings made from one address (booking/views.py), and every try at finding a booking by its reference and
    # contact, found or not, so nobody can try reference after reference.
    BOOKING_RATE_LIMIT = os.environ.get("BOOKING_RATE_LIMIT", "20 per hour")
    BOOKING_LOOKUP_RATE_LIMIT = os.environ.get("BOOKING_LOOKUP_RATE_LIMIT", "20 per hour")
    # Booking help (docs/booking.md): how soon the next free time may be, and how far ahead times are offered.
    BOOKING_NOTICE_MINUTES = int(os.environ.get("BOOKING_NOTICE_MINUTES", "120"))
    BOOKING_DAYS_AHEAD = int(os.environ.get("BOOKING_DAYS_AHEAD", "56"))
    # Reminders before a booked time, in hours before it (booking/reminders.py); a booking's first name, phone,
    # email and access needs are erased this many days after its date (`flask apply-retention`).
    BOOKING_REMINDERS = reminder_hours(os.environ.get("BOOKING_REMINDERS", "48,2"))
    BOOKING_RETENTION_DAYS = int(os.environ.get("BOOKING_RETENTION_DAYS", "90"))
    # A place freed in a full session is held this long for the first person on its waiting list, who is sent a
    # message to accept or decline it (booking/waiting_list.py); then it goes to the next person.
    BOOKING_HOLD_MINUTES = hold_minutes(os.environ.get("BOOKING_HOLD_MINUTES", "720"))
    # A referral not accepted within this many working days is shown as overdue, and the help is reminded once;
    # one still not answered after REFERRAL_EXPIRE_WORKING_DAYS closes as not answered (`flask chase-referrals`,
    # referral_clock() above). NON_WORKING_DAYS lists bank holidays as ISO dates, comma separated (weekends never
    # count).
    REFERRAL_ACCEPT_WORKING_DAYS = int(os.environ.get("REFERRAL_ACCEPT_WORKING_DAYS", "2"))
    REFERRAL_EXPIRE_WORKING_DAYS = int(os.environ.get("REFERRAL_EXPIRE_WORKING_DAYS", "10"))
    NON_WORKING_DAYS = frozenset(
        date.fromisoformat(d.strip()) for d in os.environ.get("NON_WORKING_DAYS", "").split(",") if d.strip()
    )
    # What the privacy notice promises to delete, and when: `flask apply-retention`, run daily.
    PLAN_RETENTION_YEARS = int(os.environ.get("PLAN_RETENTION_YEARS", "3"))
    OUTBOX_RETENTION_DAYS = int(os.environ.get("OUTBOX_RETENTION_DAYS", "30"))
    DIRECTORY_IMPORT_MAX_BYTES = 4 * 1024 * 1024  # a CSV of a few thousand entries
    INSIGHT_SUPPRESS_BELOW = int(os.environ.get("INSIGHT_SUPPRESS_BELOW", "5"))  # smaller counts are never shown
    # The ONS personal well-being questions on the session log and the follow-up, and their figures in the
    # impact report (triage/core/wellbeing.py, docs/impact.md): off unless the council turns them on.
    WELLBEING_QUESTIONS = _bool("WELLBEING_QUESTIONS", False)
    # Plans saved from one address on one day beyond this many are kept but not counted in ward insight, so
    # a bulk submission cannot move a ward's figures (insight/counts.py).
    INSIGHT_PLANS_PER_ADDRESS_PER_DAY = int(os.environ.get("INSIGHT_PLANS_PER_ADDRESS_PER_DAY", "20"))
    REVIEW_AFTER_MONTHS = int(os.environ.get("REVIEW_AFTER_MONTHS", "6"))  # directory entries not checked since
    REFERRAL_DETAILS_RETENTION_MONTHS = int(os.environ.get("REFERRAL_DETAILS_RETENTION_MONTHS", "12"))
    # Feedback comments are free text a resident may sign; the rating and ward are kept without them.
    FEEDBACK_COMMENT_RETENTION_MONTHS = int(os.environ.get("FEEDBACK_COMMENT_RETENTION_MONTHS", "12"))
    # Rendered pieces of pages each worker keeps (shell/fragments.py), most of them directory entries: about
    # 1 KB each, so the default holds a directory of 500 entries in four languages with room to spare.
    KEPT_PIECES = int(os.environ.get("KEPT_PIECES", "4096"))
    # How plans reach people (messages/delivery.py, checked by message_settings() above): "outbox" keeps them for
    # staff to read and pass on; "notify" sends email and texts through GOV.UK Notify; "smtp" sends email
    # through a mail server (texts then stay in the outbox). `flask send-messages` does the sending.
    NOTIFICATION_BACKEND = os.environ.get("NOTIFICATION_BACKEND", "outbox")
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
    NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
    NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")
    NOTIFY_LETTER_TEMPLATE_ID = os.environ.get("NOTIFY_LETTER_TEMPLATE_ID", "")  # letters are offered with it
    # Templates of their own for some messages and languages (notify_templates() above); the rest use the general ones.
    NOTIFY_TEMPLATES_FILE = os.environ.get("NOTIFY_TEMPLATES_FILE", "")
    SMTP_URL = os.environ.get("SMTP_URL", "")  # smtp://user:password@host:587 (STARTTLS), smtps://... (TLS)
    SMTP_FROM = os.environ.get("SMTP_FROM", "")  # the sender address on emails sent by SMTP
    MESSAGE_TIMEOUT_SECONDS = float(os.environ.get("MESSAGE_TIMEOUT_SECONDS", "10"))  # for one answer
    # A worker holds a batch this long; a worker killed mid-batch leaves its messages to be taken again after it.
    MESSAGE_LEASE_SECONDS = int(os.environ.get("MESSAGE_LEASE_SECONDS", "300"))
    # Tries for one message when the provider is down or slow, waiting 1, 2, 4, ... minutes between them.
    MESSAGE_MAX_ATTEMPTS = int(os.environ.get("MESSAGE_MAX_ATTEMPTS", "6"))
    # The bearer token typed into Notify's callback settings, which its delivery receipts bring (messages/receipts.py).
    NOTIFY_RECEIPT_TOKEN = os.environ.get("NOTIFY_RECEIPT_TOKEN", "")
    # The worker asks Notify how a sent message went this long after sending it, and again as often as this until
    # the status is final, for Notify's 72 hours at most: for councils whose Notify sends no receipts.
    MESSAGE_STATUS_CHECK_MINUTES = int(os.environ.get("MESSAGE_STATUS_CHECK_MINUTES", "10"))
