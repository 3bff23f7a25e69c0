"""A UK letter's address as GOV.UK Notify takes it: the rules, the message for each mistake, the lines it sends.

Notify's letter API takes address_line_1 to address_line_7: at least 3 lines, the last a real UK postcode, no
line starting with one of the characters its printer refuses, and no "no fixed abode" address (it cannot be
delivered). Signpost asks for a name, 1 to 5 address lines and a postcode, so a full address is 3 to 7 lines.
Notify documents no line length; a line here is kept to 35 characters so it fits the envelope's window and the
whole address fits the outbox's recipient column (254 characters). The postcode is checked by the same rule
as the resident's (core.geography).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from triage.core.geography import normalise_postcode

MAX_ADDRESS_LINES = 5
MAX_LINE_LENGTH = 35
# Notify refuses a line that starts with any of these (notifications-utils' PostalAddress).
NOT_AT_START = frozenset('[]\\/()@<>",=~')
_NO_FIXED_ABODE = re.compile(r"^(no fixed (abode|address)|nfa)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.])")


class AddressProblem(ValueError):
    """What is wrong with an address, in words for the person typing it, and the field to put it right."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class LetterAddress:
    lines: tuple[str, ...]  # the name, the address lines, the postcode last

    def as_recipient(self) -> str:
        """One line per line, as the outbox keeps it and the worker sends it (address_line_1 onwards)."""
        return "\n".join(self.lines)


def tidy_line(raw: str) -> str:
    """A line as Notify prints it: one space between words, none before a comma or full stop, no trailing comma."""
    line = _SPACES.sub(" ", raw or "").strip()
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", line).rstrip(" ,")


def line_problem(line: str, what: str) -> str | None:
    """What is wrong with one tidied line (`what` names it: "The name", "Address line 2"), or None."""
    if len(line) > MAX_LINE_LENGTH:
        return f"{what} must be {MAX_LINE_LENGTH} characters or fewer"
    if line[:1] in NOT_AT_START:
        return f'{what} must not start with any of these: [ ] \\ / ( ) @ < > " , = ~'
    if _NO_FIXED_ABODE.match(line):
        return "Letters cannot be posted to no fixed abode. Enter an address where they can get post"
    return None


def letter_address(name: str, address_lines: list[str], postcode: str) -> LetterAddress:
    """The address to post a letter to; AddressProblem for the first mistake, field by field."""
    tidied_name = tidy_line(name)
    if not tidied_name:
        raise AddressProblem("name", "Enter the name of the person the letter is for")
    if problem := line_problem(tidied_name, "The name"):
        raise AddressProblem("name", problem)
    if len(address_lines) > MAX_ADDRESS_LINES:
        raise AddressProblem("line_1", f"Enter no more than {MAX_ADDRESS_LINES} address lines")
    lines = []
    for n, raw in enumerate(address_lines, 1):
        line = tidy_line(raw)
        if line and (problem := line_problem(line, f"Address line {n}")):
            raise AddressProblem(f"line_{n}", problem)
        if line:
            lines.append(line)
    if not lines:
        raise AddressProblem("line_1", "Enter the first line of the address, like 12 High Street")
    if not (postcode or "").strip():
        raise AddressProblem("postcode", "Enter the postcode")
    normalised = normalise_postcode(postcode)
    if normalised is None:
        raise AddressProblem("postcode", "Enter a real UK postcode, like LE11 3DU")
    return LetterAddress((tidied_name, *lines, normalised))
