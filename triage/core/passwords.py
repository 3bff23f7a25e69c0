"""The rule for a new staff password, as the NCSC advises: a length, and a deny-list, never composition rules.

A password is refused if it is too short or too long, or if zxcvbn (with its lists of common passwords, names
and English words) finds it easy to guess, counting the person's own name, email address and the council's
name as words an attacker would try first. Long passphrases of a few ordinary words pass; `password1234`,
`Summer2024!!!` and the council's name followed by `123456` do not. Every new password (an account made by an
officer or by `flask create-admin`, a password changed, a password chosen from a reset link) is judged here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zxcvbn import zxcvbn

MIN_PASSWORD = 12
MAX_PASSWORD = 128
# zxcvbn's score, 0 to 4; 4 is "very unguessable" (about 10^10 guesses or more). Score 3 still let through
# `MyPassword2024!` and `Loughborough2024`, which a guesser tries early.
STRONG_ENOUGH = 4
# zxcvbn's work grows quickly with length; a password longer than this is judged on its start.
JUDGED_LENGTH = 72

HOW_TO_CHOOSE = "Choose three or more random words you will remember, with spaces between them."
PERSONAL = "Choose a password that does not include a name, an email address or the council's name. " + HOW_TO_CHOOSE
GUESSABLE = "This password is too easy to guess. {warning}" + HOW_TO_CHOOSE


def personal_words(name: str = "", email: str = "", others: Iterable[str] = ()) -> list[str]:
    """The words an attacker who knows the person would try: the name and email address whole and in pieces
    (first name, the part before the @, the domain), and any others given (the council's name). Pieces shorter
    than three letters are left out: they would match inside ordinary words."""
    words: list[str] = []
    for text in (name, email, *others):
        text = text.strip().lower()
        if not text:
            continue
        words.append(text)
        words += [piece for piece in re.split(r"[\s@._+\-']+", text) if len(piece) >= 3]
    return list(dict.fromkeys(words))


def password_problem(password: str, personal: Iterable[str] = ()) -> str | None:
    """Why this password may not be used (a message for the person choosing it), or None if it may.
    `personal` is the person's own words (`personal_words`)."""
    if len(password) < MIN_PASSWORD:
        return f"Password must be {MIN_PASSWORD} characters or more"
    if len(password) > MAX_PASSWORD:
        return f"Password must be {MAX_PASSWORD} characters or fewer"
    personal = [word.lower() for word in personal if word]
    judged = zxcvbn(password[:JUDGED_LENGTH], user_inputs=personal)
    if judged["score"] >= STRONG_ENOUGH:
        # zxcvbn counts a name it found as one guess, but guesses around it as if at random: `okonkwo-baines1`
        # would pass for Samira Okonkwo-Baines. So what is left without the person's words must pass too.
        lowered = remainder = password[:JUDGED_LENGTH].lower()
        for word in sorted(personal, key=len, reverse=True):
            remainder = remainder.replace(word, "")
        if remainder == lowered or zxcvbn(remainder)["score"] >= STRONG_ENOUGH:
            return None
        return PERSONAL
    if any(match.get("dictionary_name") == "user_inputs" for match in judged["sequence"]):
        return PERSONAL
    warning = judged["feedback"]["warning"]
    return GUESSABLE.format(warning=f"{warning} " if warning else "")
