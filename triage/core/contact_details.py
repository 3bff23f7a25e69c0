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


def phone_ending(number: str) -> str:
    """The last three digits of a phone number, to say which one is held without showing it ("ending 982");
    empty when it has fewer than six digits, as a number that short could be told from its ending."""
    digits = re.sub(r"\D", "", number or "")
    return digits[-3:] if len(digits) >= 6 else ""


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


def same_phone(given: str, kept: str) -> bool:
    """True if a phone number typed now is the one kept, however either is written (a booking found again)."""
    return phone_ok(given) and phone_ok(kept) and _national_digits(given) == _national_digits(kept)


def _finders(details: Iterable[str]) -> tuple[list[str], list[re.Pattern]]:
    """What finds each detail in text: a phone number's national digits, or a pattern for its words."""
    phones, patterns = [], []
    for detail in details:
        detail = (detail or "").strip()
        if phone_ok(detail) or normalise_mobile(detail):
            phones.append(_national_digits(detail))
        elif words := _WORD.findall(detail):
            pattern = r"(?<![^\W_])" + r"[\W_]*".join(map(re.escape, words)) + r"(?![^\W_])"
            patterns.append(re.compile(pattern, re.IGNORECASE))
    return phones, patterns


def mentions(text: str, details: Iterable[str]) -> bool:
    """Whether free text mentions any of a person's details: a phone number in any spelling, or a name, email
    address or plan reference whatever its case and whatever spaces, dashes or dots are between its words."""
    return redacted(text, details) != (text or "")


def redacted(text: str, details: Iterable[str], instead: str = "(removed)") -> str:
    """The text with every mention of the details (as `mentions` finds them) replaced by `instead`."""
    phones, patterns = _finders(details)

    def digits(run: re.Match) -> str:
        return instead if any(phone in _national_digits(run.group()) for phone in phones) else run.group()

    text = _DIGIT_RUN.sub(digits, text or "") if phones else text or ""
    for pattern in patterns:
        text = pattern.sub(instead, text)
    return text
