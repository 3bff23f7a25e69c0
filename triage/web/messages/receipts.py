"""GOV.UK Notify's delivery receipts: `POST /notify/delivery-receipts`, called by Notify, not by people.

Notify posts one JSON receipt for each email and text message once it is delivered or has failed, with the
bearer token the council typed into Notify's callback settings (NOTIFY_RECEIPT_TOKEN), compared in constant
time. The receipt names the message by our reference (`signpost-message-<id>`) and by Notify's id; when the
message has both, both must agree. A final status is recorded once (messages/outcomes.py); a repeat, or a late
receipt for a message already final, is answered 200 and changes nothing, since Notify retries anything else
(every 5 minutes, 5 times). Every answer is JSON; the recipient Notify sends back is never kept or logged.
"""

from __future__ import annotations

import hmac
import re
from datetime import UTC, datetime
from uuid import UUID

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from triage.core.message_status import NOTIFY_LETTER_STATUSES, NOTIFY_STATUSES, from_notify, notify_statuses
from triage.web.extensions import csrf, db
from triage.web.messages.outcomes import record_provider_outcome
from triage.web.models import OutboxMessage
from triage.web.shell.errors import json_error
from triage.web.shell.input_guard import MAX_ID

bp = Blueprint("receipts", __name__, url_prefix="/notify")
OURS = "signpost-message-"  # messages/delivery.py's reference()
OUR_ID = re.compile(r"[1-9][0-9]{0,9}")
TEXT_FIELDS = ("reference", "to", "created_at", "completed_at", "sent_at", "notification_type", "template_id")


def _authorised() -> bool:
    expected = current_app.config.get("NOTIFY_RECEIPT_TOKEN") or ""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _problems(receipt: dict) -> dict[str, str]:
    """What is wrong with each field Signpost reads or Notify documents; other fields are left alone, so a
    field Notify adds one day is no reason to refuse its receipts."""
    problems = {}
    if not _is_uuid(receipt.get("id")):
        problems["id"] = "must be GOV.UK Notify's id for the message"
    status = receipt.get("status")
    if not isinstance(status, str) or status not in NOTIFY_STATUSES | NOTIFY_LETTER_STATUSES:
        problems["status"] = "must be one of GOV.UK Notify's statuses"
    for name in TEXT_FIELDS:
        if not isinstance(receipt.get(name), str | None):
            problems[name] = "must be text or null"
    version = receipt.get("template_version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        problems["template_version"] = "must be a whole number or null"
    return problems


def _message(reference: str | None, notify_id: str) -> OutboxMessage | None:
    """The message the receipt is for: by our reference if it is ours, else by Notify's id."""
    if reference and reference.startswith(OURS):
        message_id = reference.removeprefix(OURS)
        if not OUR_ID.fullmatch(message_id) or int(message_id) > MAX_ID:
            return None
        message = db.session.get(OutboxMessage, int(message_id))
        return message if message and message.provider_id in (None, notify_id) else None
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.provider_id == notify_id)).first()


@bp.post("/delivery-receipts")
@csrf.exempt
def delivery_receipt():
    if not _authorised():
        response, status = json_error(401, "Give the bearer token set in GOV.UK Notify's callback settings")
        response.headers["WWW-Authenticate"] = "Bearer"
        return response, status
    try:
        receipt = request.get_json(force=True)
    except BadRequest:
        return json_error(400, "The request body is not valid JSON")
    if not isinstance(receipt, dict):
        return json_error(400, "The request body must be a JSON object")
    problems = _problems(receipt)
    if problems:
        return json_error(400, "This is not a GOV.UK Notify delivery receipt", problems)
    notify_id = str(UUID(receipt["id"]))
    message = _message(receipt.get("reference"), notify_id)
    if message is None:
        return json_error(404, "No message has this reference and GOV.UK Notify id")
    if receipt["status"] not in notify_statuses(message.kind):
        return json_error(400, "This status is not one GOV.UK Notify gives for this kind of message")
    words = from_notify(receipt["status"], message.kind)
    if words is None:
        return jsonify(result="not final yet", status=message.status)
    applied = record_provider_outcome(message, words, datetime.now(UTC), notify_id)
    db.session.commit()
    if applied:
        return jsonify(result="recorded", status=words)
    db.session.refresh(message)
    return jsonify(result="already final" if message.final_at else "unchanged", status=message.status)
