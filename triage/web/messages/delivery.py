"""Sending queued messages: GOV.UK Notify or SMTP, by a worker that loses and duplicates nothing.

`flask send-messages` runs `send_batch`. It takes queued messages that are due with a lease (claimed_until), so
two workers never take the same one and a worker killed mid-batch leaves them to be taken again once the lease
ends. Each message is committed as soon as its answer is known (this is a command's work, so it commits, see
extensions.py). A provider that is down, slow or unreachable is tried again later, waiting 1, 2, 4, ... minutes,
up to MESSAGE_MAX_ATTEMPTS; a refusal (a 4xx from Notify, a 5xx reply from a mail server) fails the message at
once with the provider's reason. Nothing is sent twice: a message with a provider id is never sent again, and a
retry first asks Notify whether it already has a message with this one's reference (a reply lost on the way).
With Notify, each batch then asks how the messages it sent earlier went (messages/status_checks.py).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from functools import partial
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from flask import current_app
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from sqlalchemy import or_, select, update

from triage.core.message_status import QUEUED, is_final
from triage.web.config import sending_settings
from triage.web.extensions import db
from triage.web.messages import outcomes, status_checks
from triage.web.models import OutboxMessage

BATCH = 50


class TryAgain(Exception):
    """The provider did not answer, or cannot now: the message is tried again later."""


class Refused(Exception):
    """The provider refused the message: trying again would be refused the same way."""


class Sender(Protocol):
    def already_sent(self, message: OutboxMessage) -> str | None: ...

    def send(self, message: OutboxMessage) -> str: ...


def reference(message: OutboxMessage) -> str:
    """The message's stable id for the provider, the same on every attempt."""
    return f"signpost-message-{message.id}"


def _notify_reason(error: APIError) -> str:
    """Notify's own words: its errors come as a list of {"error", "message"}."""
    message = error.message
    if isinstance(message, list):
        return "; ".join(str(item.get("message", item)) if isinstance(item, dict) else str(item) for item in message)
    return str(message)


class NotifySender:
    """GOV.UK Notify. A message whose template and language have a Notify template of their own
    (NOTIFY_TEMPLATES_FILE) is sent to it with its named fields; any other goes through the general template for
    its kind, which places the subject and body Signpost wrote (docs/notify-templates.md)."""

    def __init__(self, config: dict) -> None:
        self.client = NotificationsAPIClient(
            config["NOTIFY_API_KEY"], base_url=config["NOTIFY_BASE_URL"], timeout=config["MESSAGE_TIMEOUT_SECONDS"]
        )
        self.general = {
            "email": config["NOTIFY_EMAIL_TEMPLATE_ID"],
            "sms": config["NOTIFY_SMS_TEMPLATE_ID"],
            "letter": config["NOTIFY_LETTER_TEMPLATE_ID"],
        }
        self.own = config["NOTIFY_TEMPLATES"]

    def _call(self, request: Callable[[], Any]) -> Any:
        try:
            return request()
        except APIError as error:
            # The client answers a timeout or a connection error as a 503 with no response.
            if error.status_code >= 500 or error.status_code == 429:
                raise TryAgain(f"GOV.UK Notify: {error.status_code} {_notify_reason(error)}") from error
            raise Refused(f"GOV.UK Notify: {_notify_reason(error)}") from error

    def already_sent(self, message: OutboxMessage) -> str | None:
        found = self._call(lambda: self.client.get_all_notifications(reference=reference(message)))
        notifications = found.get("notifications", []) if isinstance(found, dict) else []
        return notifications[0]["id"] if notifications else None

    def template(self, message: OutboxMessage) -> tuple[str, dict[str, str]]:
        """The Notify template to send a message to, and its personalisation."""
        own = self.own.get(message.template, {}).get(message.language)
        if own and message.fields is not None:
            return own, dict(message.fields)
        if message.kind == "sms":
            return self.general["sms"], {"body": message.body}
        return self.general[message.kind], {"subject": message.subject, "body": message.body}

    def send(self, message: OutboxMessage) -> str:
        template, personalisation = self.template(message)
        send: Callable[..., Any]
        if message.kind == "email":
            send = partial(self.client.send_email_notification, email_address=message.recipient)
        elif message.kind == "sms":
            send = partial(self.client.send_sms_notification, phone_number=message.recipient)
        else:
            lines = message.recipient.splitlines()
            personalisation |= {f"address_line_{n}": line for n, line in enumerate(lines, 1)}
            send = self.client.send_letter_notification
        answer = self._call(
            lambda: send(template_id=template, personalisation=personalisation, reference=reference(message))
        )
        return str(answer["id"])


def _said(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


class SmtpSender:
    """A mail server, from SMTP_URL: smtp:// with STARTTLS (refused if the server cannot), smtps:// with TLS."""

    def __init__(self, config: dict) -> None:
        self.url = urlsplit(config["SMTP_URL"])
        self.sender = config["SMTP_FROM"]
        self.timeout = config["MESSAGE_TIMEOUT_SECONDS"]
        self.tls_context = ssl.create_default_context()  # checks the server's certificate and name

    def already_sent(self, message: OutboxMessage) -> str | None:
        return None  # a mail server cannot be asked; the Message-ID lets mail programs drop a repeat

    def send(self, message: OutboxMessage) -> str:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        # The same on every try, so a mail program can drop a repeat sent after an answer was lost.
        made = message.created_at.strftime("%Y%m%d%H%M%S")
        email["Message-ID"] = f"<{reference(message)}.{made}@{self.sender.rpartition('@')[2]}>"
        email.set_content(message.body)
        host, secure = self.url.hostname or "", self.url.scheme == "smtps"
        port = self.url.port or (465 if secure else 587)
        try:
            if secure:
                server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=self.timeout, context=self.tls_context)
            else:
                server = smtplib.SMTP(host, port, timeout=self.timeout)
            with server:
                if not secure:
                    server.starttls(context=self.tls_context)
                if self.url.username:
                    server.login(unquote(self.url.username), unquote(self.url.password or ""))
                server.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            text = f"mail server: {code} {_said(reply)}"
            raise (TryAgain if code < 500 else Refused)(text) from error
        except smtplib.SMTPResponseException as error:
            text = f"mail server: {error.smtp_code} {_said(error.smtp_error)}"
            raise (TryAgain if error.smtp_code < 500 else Refused)(text) from error
        except smtplib.SMTPNotSupportedError as error:
            raise Refused("mail server: it does not offer STARTTLS; use smtps:// or another server") from error
        except (OSError, smtplib.SMTPException) as error:  # timeouts, refused connections, dropped connections
            raise TryAgain(f"mail server: {error or type(error).__name__}") from error
        return email["Message-ID"]


def sender(config: dict) -> Sender:
    return NotifySender(config) if config["NOTIFICATION_BACKEND"] == "notify" else SmtpSender(config)


@dataclass
class BatchResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    problems: tuple[str, ...] = ()
    checked: int = 0  # sent messages whose status the worker asked Notify for
    settled: int = 0  # of those, the ones Notify had delivered or given up on


def claim(now: datetime, limit: int = BATCH) -> list[OutboxMessage]:
    """Take up to `limit` due messages for this worker, leased by one conditional update: a message another
    worker took between the read and the update is left to it. The attempt is counted with the lease, so a
    message whose worker was killed while sending it is checked with the provider before it is sent."""
    lease_end = now + timedelta(seconds=current_app.config["MESSAGE_LEASE_SECONDS"])
    free = or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
    due = or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)
    candidates = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "queued", free, due)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates), OutboxMessage.status == "queued", free)
        .values(claimed_until=lease_end, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id))
    )


def _record(message: OutboxMessage, status: str, now: datetime, provider_id: str | None = None) -> None:
    """The worker's answer for a message it claimed, unless a Notify receipt made it final while the worker
    waited: a final one (a failure, or "sent" by a mail server, which sends no receipts) erases the recipient."""
    final = is_final(status, receipts_follow=current_app.config["NOTIFICATION_BACKEND"] == "notify")
    sent = {"provider_id": provider_id, "sent_at": now} if provider_id else {}
    outcomes.record(message, status, now, final=final, open_statuses=(QUEUED,), **sent)


def deliver(message: OutboxMessage, via: Sender, now: datetime) -> str:
    """Send one claimed message and record the answer: "sent", "retrying" or "failed"."""
    max_attempts = current_app.config["MESSAGE_MAX_ATTEMPTS"]
    try:
        provider_id = message.provider_id or (via.already_sent(message) if message.attempts > 1 else None)
        if provider_id is None:
            provider_id = via.send(message)
    except Refused as refusal:
        reason = outcomes.without_recipient(str(refusal), message.recipient)
        current_app.logger.error("Message %s refused: %s", message.id, reason)
        _record(message, f"failed: {refusal}", now)
        return "failed"
    except TryAgain as error:
        if message.attempts >= max_attempts:
            reason = outcomes.without_recipient(str(error), message.recipient)
            current_app.logger.error("Message %s failed after %s tries: %s", message.id, message.attempts, reason)
            _record(message, f"failed: no answer after {message.attempts} tries ({error})", now)
            return "failed"
        message.claimed_until = None
        message.next_attempt_at = now + timedelta(minutes=2 ** (message.attempts - 1))
        reason = outcomes.without_recipient(str(error), message.recipient)
        current_app.logger.warning("Message %s not sent, to be tried again: %s", message.id, reason)
        return "retrying"
    _record(message, "sent", now, provider_id)
    return "sent"


def send_batch(now: datetime | None = None, limit: int = BATCH) -> BatchResult:
    """One worker's batch. With a setting missing it sends nothing (the messages wait) and says why."""
    config = current_app.config
    problems = tuple(sending_settings(config))
    if config["NOTIFICATION_BACKEND"] == "outbox" or problems:
        return BatchResult(problems=problems)
    now = now or datetime.now(UTC)
    via, result = sender(config), BatchResult()
    for message in claim(now, limit):
        outcome = deliver(message, via, now)
        db.session.commit()
        setattr(result, outcome, getattr(result, outcome) + 1)
    if isinstance(via, NotifySender):
        result.checked, result.settled = status_checks.check(via.client, now, limit)
    return result
