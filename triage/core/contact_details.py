"""What a usable contact detail is: a UK phone number, a UK mobile for text messages, an email
address; and the message that says how to write one. Referral forms, sending a plan and account
forms all use these, so the rules cannot drift apart. Also whether free text mentions someone's details,
for erasing what is not linked to them (records/erasure.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable

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


_DIGIT_RUN = re.compile(r"\+?\d[\d\s\-().]*")
_WORD = re.compile(r"[^\W_]+")


def _national_digits(number: str) -> str:
    """A phone number's digits without the country code or trunk 0: 07700 900982 and +44 7700 900982 agree."""
    digits = re.sub(r"\D", "", number)
    for prefix in ("0044", "44", "0"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 9:
            return digits[len(prefix) :]
    return digits


def mentions(text: str, details: Iterable[str]) -> bool:
    """Whether free text mentions any of a person's details: a phone number in any spelling, or a name, email
    address or plan reference whatever its case and whatever spaces, dashes or dots are between its words."""
    text = text or ""
    for detail in details:
        detail = (detail or "").strip()
        if phone_ok(detail) or normalise_mobile(detail):
            wanted = _national_digits(detail)
            if any(wanted in _national_digits(run) for run in _DIGIT_RUN.findall(text)):
                return True
        elif words := _WORD.findall(detail):
            pattern = r"(?<![^\W_])" + r"[\W_]*".join(map(re.escape, words)) + r"(?![^\W_])"
            if re.search(pattern, text, re.IGNORECASE):
                return True
    return False
