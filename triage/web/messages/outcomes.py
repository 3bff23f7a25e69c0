"""Recording a message's final status: once, never turned back, and its recipient forgotten with it.

Whoever learns the outcome first (the worker, a Notify receipt, the worker's status check) records it with one
conditional UPDATE on a message that is not final yet, so two answers arriving at once cannot both be saved:
the first one committed wins, and the other changes nothing. The phone number or email address is kept only
until then; the kind, status, dates and who sent it stay until `flask apply-retention` deletes the message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, update

from triage.core.contact_details import redacted
from triage.core.message_status import QUEUED, SENT
from triage.web.extensions import db
from triage.web.models import OutboxMessage

ERASED = ""  # what a final message's recipient becomes
STATUS_LENGTH = 200  # OutboxMessage.status


def without_recipient(text: str, recipient: str) -> str:
    """A provider's reason may quote the address (a mail server's "550 <jo@example.org> unknown"): it is kept
    with the message, and logged, without it, whatever its case (a letter's address, line by line)."""
    return redacted(text, [recipient, *recipient.splitlines()], "(the recipient)")


def record(
    message: OutboxMessage, status: str, now: datetime, *, final: bool, open_statuses: tuple[str, ...], **values: Any
) -> bool:
    """Give the message `status` (and any other `values`) if it is not final yet and its status is one of
    `open_statuses`; a final one erases the recipient. True if this call changed it: False when another answer
    made it final first, or it is no longer what the caller saw."""
    if final:
        status = without_recipient(status, message.recipient)
        values |= {"final_at": now, "recipient": ERASED}
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.final_at.is_(None),
            OutboxMessage.status.in_(open_statuses),
        )
        .values(status=status[:STATUS_LENGTH], claimed_until=None, **values)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult


def record_provider_outcome(message: OutboxMessage, status: str, now: datetime, provider_id: str) -> bool:
    """A final status from the provider (a receipt, or its answer to a check) for a message it has: "sent", or
    "queued" when a worker was stopped after the provider took it but before it saved the answer."""
    return record(
        message,
        status,
        now,
        final=True,
        open_statuses=(SENT, QUEUED),
        provider_id=func.coalesce(OutboxMessage.provider_id, provider_id),
        sent_at=func.coalesce(OutboxMessage.sent_at, now),
    )
