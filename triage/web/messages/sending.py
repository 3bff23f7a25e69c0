"""Sending a plan by email or text message: the message is saved in the same transaction as what caused it.

`queue_email` and `queue_sms` add an outbox_message row and never contact anyone, so pressing send never waits
on, or fails with, a provider. With a sending backend (NOTIFICATION_BACKEND "notify", or "smtp" for email) the
row is "queued" and `flask send-messages` sends it (messages/delivery.py); with the default outbox backend, or
a text under SMTP, it stays "in outbox" for staff to read, so the service needs no external account to run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, delete

from triage.core.text import english
from triage.web.assessments.plans import plan_steps, step_numbers
from triage.web.extensions import db
from triage.web.models import Assessment, OutboxMessage
from triage.web.shell.links import external_url

SENDS = {"outbox": frozenset(), "notify": frozenset({"email", "sms"}), "smtp": frozenset({"email"})}


def _queue(kind: str, to: str, subject: str, body: str, **context) -> OutboxMessage:
    sent_by_backend = kind in SENDS[current_app.config.get("NOTIFICATION_BACKEND") or "outbox"]
    status = "queued" if sent_by_backend else "in outbox"
    message = OutboxMessage(kind=kind, recipient=to, subject=subject, body=body, status=status, **context)
    db.session.add(message)
    db.session.flush()
    return message


def queue_email(to: str, subject: str, body: str, **context) -> OutboxMessage:
    return _queue("email", to, subject, body, **context)


def queue_sms(to: str, body: str, **context) -> OutboxMessage:
    return _queue("sms", to, "", body, **context)


def plan_text(assessment: Assessment, short: bool = False) -> str:
    """The plan as plain text: a text message gets the reference and link, an email the whole plan."""
    link = external_url("resident.plan", reference=assessment.reference)
    council = current_app.config["COUNCIL_NAME"]
    if short:
        return f"Your plan from {council}: {link} Your reference is {assessment.reference}."
    lines = [
        f"Here is your plan from {council}.",
        "",
        f"Your reference is {assessment.reference}. You can open your plan again at {link}",
        "",
    ]
    steps = plan_steps(assessment)
    numbers = step_numbers(steps)
    area = current_app.config["COUNCIL_AREA"]
    for n, step in enumerate(steps, 1):
        lines.append("")
        if step.first:
            lines += [f"Start here: {step.info.title}", f"{step.info.next_step} {step.info.first_because}"]
        else:
            lines += ["After that:", ""] if n == 2 else []
            lines += [f"{n}. {step.info.title}", step.info.next_step]
        lines += _help_lines(step.help)
        for rec in step.shared:
            where = "the first step" if numbers[rec.resource_id] == 1 else f"step {numbers[rec.resource_id]}"
            lines.append(f"- {rec.resource.name}, in {where}, can help with this too.")
        if not step.help and not step.shared:
            ask = f"Contact {council} to ask what there is: {current_app.config['COUNCIL_URL']}"
            lines.append(f"We do not know of help like this in {area} yet. {ask}")
        elif step.more_help:
            search = external_url("find.search_page", need=step.info.code, area=assessment.ward_code)
            lines.append(f"More help of this kind: {search}")
    return "\n".join(lines)


def _help_lines(recs) -> list[str]:
    lines = []
    for rec in recs:
        r = rec.resource
        lines.append(f"- {r.name}" + (" (sample data)" if r.is_sample else ""))
        lines.append(f"  Why: {'; '.join(english(reason) for reason in rec.reasons)}.")
        if r.full_address:
            lines.append(f"  Where: {r.full_address}")
        contact = [x for x in (r.phone, r.email, r.website) if x]
        if contact:
            lines.append(f"  Contact: {', '.join(contact)}")
    return lines


def delete_messages_older_than(days: int) -> int:
    """Sent messages hold an email address or phone number: they are kept only for a short time."""
    cutoff = datetime.now(UTC) - timedelta(days=days)
    result = db.session.execute(delete(OutboxMessage).where(OutboxMessage.created_at < cutoff))
    return cast(CursorResult, result).rowcount  # a DELETE's result is a CursorResult; execute is typed as Result
