"""Queueing a message: it is saved in the same transaction as what caused it, in the words of its template.

`queue` fills a template (triage.core.message_templates) in the reader's language and adds an outbox_message
row; it never contacts anyone, so pressing send never waits on, or fails with, a provider. With a sending
backend (NOTIFICATION_BACKEND "notify", or "smtp" for email) the row is "queued" and `flask send-messages`
sends it (messages/delivery.py); with the default outbox backend, or a text under SMTP, it stays "in outbox" for
staff to read, so the service needs no external account to run.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import cast

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import CursorResult, delete

from triage.core.interface_languages import DEFAULT, INTERFACE_LANGUAGES
from triage.core.message_templates import TEMPLATES, fill
from triage.web.areas.profiles import council
from triage.web.assessments.plans import plan_steps, step_numbers
from triage.web.extensions import db
from triage.web.languages.i18n import translate
from triage.web.models import Assessment, OutboxMessage
from triage.web.shell import audit
from triage.web.shell.links import external_url

SENDS = {
    "outbox": frozenset(),
    "notify": frozenset({"email", "sms", "letter"}),
    "smtp": frozenset({"email"}),
}


def sends(kind: str) -> bool:
    """Whether the configured backend sends this kind of message, rather than keeping it in the outbox."""
    return kind in SENDS[current_app.config.get("NOTIFICATION_BACKEND") or "outbox"]


def letter_languages() -> tuple[str, ...]:
    """The languages a plan can be posted in: every one with Notify's general letter template
    (NOTIFY_LETTER_TEMPLATE_ID), else those with a plan-letter template of the council's own; none without
    a backend that posts letters."""
    if not sends("letter"):
        return ()
    if current_app.config.get("NOTIFY_LETTER_TEMPLATE_ID"):
        return tuple(lang.code for lang in INTERFACE_LANGUAGES)
    own = (current_app.config.get("NOTIFY_TEMPLATES") or {}).get("plan-letter", {})
    return tuple(lang.code for lang in INTERFACE_LANGUAGES if lang.code in own)


def queue(name: str, to: str, fields: Mapping[str, str], language: str = DEFAULT, **context) -> OutboxMessage:
    """Save message `name` to `to`, written in `language` if it goes to a resident (staff read English)."""
    template = TEMPLATES[name]
    language = language if template.to == "resident" else DEFAULT
    values = {"council": council().name, **fields}
    with force_locale(language):
        subject, body = (fill(words, values) for words in template.words(gettext))
    message = OutboxMessage(
        kind=template.kind,
        recipient=to,
        template=name,
        language=language,
        fields={field: values[field] for field in template.fields},
        subject=subject,
        body=body,
        status="queued" if sends(template.kind) else "in outbox",
        **context,
    )
    db.session.add(message)
    db.session.flush()
    audit.record("message queued", f"message {message.id}", f"{name}, {message.status}")  # never the recipient
    return message


def plan_fields(assessment: Assessment, language: str = DEFAULT) -> dict[str, str]:
    """The fields of the plan-* templates, in `language`."""
    steps = plan_steps(assessment)
    with force_locale(language):
        first_step = gettext(steps[0].info.title) if steps else ""
    return {
        "reference": assessment.reference,
        "link": external_url("resident.plan", reference=assessment.reference),
        "first_step": first_step,
        "plan": plan_text(assessment, language),
    }


def plan_text(assessment: Assessment, language: str = DEFAULT) -> str:
    """The plan's steps as plain text in `language`, each with the help for it, for an email or a letter."""
    with force_locale(language):
        return _plan_text(assessment)


def _plan_text(assessment: Assessment) -> str:
    profile = council()
    lines: list[str] = []
    steps = plan_steps(assessment)
    numbers = step_numbers(steps)
    for n, step in enumerate(steps, 1):
        if lines:
            lines.append("")
        if step.first:
            lines.append(gettext("Start here: %(step)s", step=gettext(step.info.title)))
            lines.append(f"{gettext(step.info.next_step)} {gettext(step.info.first_because)}")
        else:
            lines += [gettext("After that") + ":", ""] if n == 2 else []
            lines += [f"{n}. {gettext(step.info.title)}", gettext(step.info.next_step)]
        lines += _help_lines(step.help)
        for rec in step.shared:
            name = rec.resource.name
            if numbers[rec.resource_id] == 1:
                lines.append("- " + gettext("%(name)s, in the first step, can help with this too.", name=name))
            else:
                number = numbers[rec.resource_id]
                lines.append(
                    "- " + gettext("%(name)s, in step %(number)d, can help with this too.", name=name, number=number)
                )
        if not step.help and not step.shared:
            url = profile.contact_url
            ask = gettext("Contact %(council)s to ask what there is: %(url)s", council=profile.name, url=url)
            lines.append(gettext("We do not know of help like this in %(area)s yet.", area=profile.area) + " " + ask)
        elif step.more_help:
            search = external_url("find.search_page", need=step.info.code, area=assessment.ward_code)
            lines.append(gettext("More help of this kind: %(url)s", url=search))
    return "\n".join(lines)


def _help_lines(recs) -> list[str]:
    lines = []
    for rec in recs:
        r = rec.resource
        lines.append("- " + (gettext("%(name)s (sample data)", name=r.name) if r.is_sample else r.name))
        reasons = "; ".join(translate(reason) for reason in rec.reasons)
        lines.append("  " + gettext("Why: %(reasons)s.", reasons=reasons))
        if r.full_address:
            lines.append("  " + gettext("Where: %(address)s", address=r.full_address))
        contact = [x for x in (r.phone, r.email, r.website) if x]
        if contact:
            lines.append("  " + gettext("Contact: %(contact)s", contact=", ".join(contact)))
    return lines


def delete_messages_older_than(days: int) -> int:
    """Sent messages hold an email address or phone number: they are kept only for a short time."""
    cutoff = datetime.now(UTC) - timedelta(days=days)
    result = db.session.execute(delete(OutboxMessage).where(OutboxMessage.created_at < cutoff))
    return cast(CursorResult, result).rowcount  # a DELETE's result is a CursorResult; execute is typed as Result
