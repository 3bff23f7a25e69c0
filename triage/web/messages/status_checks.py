"""Asking GOV.UK Notify how sent messages went, for a council whose Notify sends no delivery receipts.

Each `flask send-messages` batch takes up to a batch of messages sent through Notify at least
MESSAGE_STATUS_CHECK_MINUTES ago that are still "sent", each checked no more often than that, and asks Notify
for each one's status. A final one is recorded as a receipt would be (messages/outcomes.py); one Notify is still
trying stays "sent". Notify tries for 72 hours at most, so after that a message is no longer asked about (a
letter, printed and posted over a few working days, for 10 days). Each
message is taken for checking by a conditional update, so two workers do not both ask about it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from sqlalchemy import and_, or_, select, update

from triage.core.message_status import SENT, from_notify, notify_statuses
from triage.web.extensions import db
from triage.web.messages.outcomes import record_provider_outcome
from triage.web.models import OutboxMessage

NOTIFY_TRIES_FOR = timedelta(hours=72)
LETTERS_POSTED_WITHIN = timedelta(days=10)  # printed and posted in a few working days, longer over a bank holiday


def _due(now: datetime, limit: int) -> list[int]:
    """Take up to `limit` messages due a check: each is stamped as checked now by a conditional update, so a
    message another worker took between the read and the update is left to it."""
    every = timedelta(minutes=current_app.config["MESSAGE_STATUS_CHECK_MINUTES"])
    not_lately = or_(OutboxMessage.status_checked_at.is_(None), OutboxMessage.status_checked_at <= now - every)
    waiting = (
        OutboxMessage.status == SENT,
        OutboxMessage.final_at.is_(None),
        OutboxMessage.provider_id.is_not(None),
        OutboxMessage.sent_at <= now - every,
        or_(
            and_(OutboxMessage.kind != "letter", OutboxMessage.sent_at > now - NOTIFY_TRIES_FOR),
            and_(OutboxMessage.kind == "letter", OutboxMessage.sent_at > now - LETTERS_POSTED_WITHIN),
        ),
    )
    candidates = db.session.scalars(
        select(OutboxMessage.id)
        .where(*waiting, not_lately)
        .order_by(OutboxMessage.status_checked_at.is_not(None), OutboxMessage.status_checked_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    taken = []
    for message_id in candidates:
        taking = update(OutboxMessage).where(OutboxMessage.id == message_id, *waiting, not_lately)
        result = db.session.execute(taking.values(status_checked_at=now))
        if result.rowcount == 1:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
            taken.append(message_id)
    db.session.commit()
    return taken


def check(client: NotificationsAPIClient, now: datetime, limit: int) -> tuple[int, int]:
    """Ask Notify about the messages due a check: how many were asked about, and how many are now final. Each
    answer is committed as it comes; Notify down or slow ends the checks until the next batch."""
    asked = settled = 0
    for message_id in _due(now, limit):
        message = db.session.get_one(OutboxMessage, message_id)
        try:
            notification = client.get_notification_by_id(message.provider_id)
        except APIError as error:
            current_app.logger.warning("Message %s: GOV.UK Notify did not say how it went (%s)", message.id, error)
            if error.status_code >= 500 or error.status_code == 429:  # a timeout is a 503 with no response
                break
            continue
        asked += 1
        status = notification.get("status") if isinstance(notification, dict) else None
        if status not in notify_statuses(message.kind):
            current_app.logger.warning("Message %s: GOV.UK Notify gave a status Signpost does not know", message.id)
            continue
        words = from_notify(status, message.kind)
        if words and record_provider_outcome(message, words, now, str(message.provider_id)):
            settled += 1
        db.session.commit()
    return asked, settled
