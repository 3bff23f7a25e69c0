"""What a usable contact detail is: a UK phone number, a UK mobile for text messages, an email
address; and the message that says how to write one. Referral forms, sending a plan and account
forms all use these, so the rules cannot drift apart."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from triage.core.text import N_

EMAIL_FORMAT = N_("Enter an email address in the correct format, like name@example.com")

_SEPARATORS = re.compile(r"[\s\-().]")
_UK_PHONE = re.compile(r"^(?:\+44|0044|0)\d{9,10}$")
_UK_MOBILE = re.compile(r"^(?:\+44|0044|0)7\d{9}$")


def phone_ok(number: str) -> bool:
    """A UK landline or mobile number, written with any spaces, dashes, dots or brackets."""
    return bool(_UK_PHONE.match(_SEPARATORS.sub("", number or "")))


def normalise_mobile(number: str) -> str | None:
    """A UK mobile number in any common spelling, as +447…; None if it is not one."""
    compact = _SEPARATORS.sub("", number or "")
    if not _UK_MOBILE.match(compact):
        return None
    return "+44" + compact[-10:]


def email_ok(address: str) -> bool:
    """An email address that could be delivered to (the syntax and a domain with a dot); no DNS look-up."""
    try:
        validate_email((address or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        return False
    return True
