"""A message's status: the words staff read, which of them are final, and what GOV.UK Notify's statuses mean.

A message is "in outbox" (kept for staff to pass on, never sent), "queued" (waiting for the worker), "sent"
(handed to the provider), "delivered", or a failure with its reason: "failed: <why>" when the worker gave up or
the provider refused it, or one of Notify's three failures in Notify's terms. Delivered and failed are final:
nothing turns them back. "sent" is final too when no receipt can follow it (a mail server gives none); sent
through Notify, it waits for Notify's receipt or a check (messages/receipts.py, messages/status_checks.py).
"""

from __future__ import annotations

from dataclasses import dataclass

IN_OUTBOX = "in outbox"
QUEUED = "queued"
SENT = "sent"
DELIVERED = "delivered"
FAILED = "failed"

# Notify's statuses for email and text messages while it is still trying (its "sent" is a text message to an
# international number, about which the network tells no more).
NOTIFY_IN_FLIGHT = frozenset({"created", "sending", "pending", "sent"})
# Notify's final statuses, in words staff can read, with the reason as Notify's status descriptions give it.
NOTIFY_FINAL: dict[str, dict[str, str]] = {
    "delivered": {"email": DELIVERED, "sms": DELIVERED},
    "permanent-failure": {
        "email": "permanent failure: the email address is wrong",
        "sms": "permanent failure: the phone number is wrong, or the mobile network refused the message",
    },
    "temporary-failure": {
        "email": "temporary failure: the inbox was full or an anti-spam filter refused the email",
        "sms": "temporary failure: the phone was off, had no signal, or its inbox was full",
    },
    "technical-failure": {
        "email": "technical failure: a problem between GOV.UK Notify and its provider; try sending it again",
        "sms": "technical failure: a problem between GOV.UK Notify and its provider; try sending it again",
    },
}
NOTIFY_STATUSES = NOTIFY_IN_FLIGHT | frozenset(NOTIFY_FINAL)
# A letter's statuses are Notify's own set (its client documents them), and reach Signpost only by a check.
POSTED = "posted"
NOTIFY_LETTER_IN_FLIGHT = frozenset({"created", "sending", "pending-virus-check", "accepted"})
NOTIFY_LETTER_FINAL: dict[str, str] = {
    "received": POSTED,  # the printer has printed and dispatched it
    "cancelled": "failed: cancelled in GOV.UK Notify, so it was not printed or posted",
    "permanent-failure": "permanent failure: the printer cannot print the letter, so it was not posted",
    "technical-failure": "technical failure: a problem between GOV.UK Notify and its printer; try posting it again",
    "validation-failed": "failed: GOV.UK Notify could not print the letter as it is; check the address",
    "virus-scan-failed": "failed: GOV.UK Notify's virus scan stopped the letter",
}
NOTIFY_LETTER_STATUSES = NOTIFY_LETTER_IN_FLIGHT | frozenset(NOTIFY_LETTER_FINAL)


def notify_statuses(kind: str) -> frozenset[str]:
    """The statuses Notify gives for a kind of message."""
    return NOTIFY_LETTER_STATUSES if kind == "letter" else NOTIFY_STATUSES


FAILURES = (f"{FAILED}:", "permanent failure:", "temporary failure:", "technical failure:")


def failed(why: str) -> str:
    return f"{FAILED}: {why}"


def from_notify(notify_status: str, kind: str) -> str | None:
    """Our words for one of Notify's final statuses of an email or text message; None while Notify is still
    trying. A status Notify does not give (check with NOTIFY_STATUSES first) raises KeyError."""
    if kind == "letter":
        return None if notify_status in NOTIFY_LETTER_IN_FLIGHT else NOTIFY_LETTER_FINAL[notify_status]
    if notify_status in NOTIFY_IN_FLIGHT:
        return None
    return NOTIFY_FINAL[notify_status][kind]


def is_final(status: str, receipts_follow: bool) -> bool:
    """Whether nothing can change the status any more. `receipts_follow`: the provider tells how a sent
    message went (Notify does; a mail server does not)."""
    if status in (IN_OUTBOX, QUEUED):
        return False
    if status == SENT:
        return not receipts_follow
    return True


@dataclass(frozen=True)
class Shown:
    """A status as the staff pages show it: a GOV.UK tag (its words and colour) and the reason, if any."""

    label: str
    colour: str
    reason: str = ""


COLOURS = {IN_OUTBOX: "yellow", QUEUED: "grey", SENT: "blue", DELIVERED: "green", POSTED: "green"}


def shown(status: str) -> Shown:
    if status.startswith(FAILURES):
        label, _, reason = status.partition(":")
        return Shown(label, "red", reason.strip())
    return Shown(status, COLOURS.get(status, "grey"))
