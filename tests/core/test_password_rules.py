"""The rule for a new staff password: long enough, and not easy to guess, with the person's own name and
email and the council's name counted as the first things a guesser tries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.core.passwords import (
    HOW_TO_CHOOSE,
    MAX_PASSWORD,
    MIN_PASSWORD,
    PERSONAL,
    password_problem,
    personal_words,
)

COUNCIL = ("Charnwood Borough Council", "Charnwood")
SAM = personal_words("Samira Okonkwo-Baines", "samira.okonkwo@charnwood.gov.uk", COUNCIL)


def test_personal_words_are_the_name_email_and_council_whole_and_in_pieces():
    assert SAM[:3] == ["samira okonkwo-baines", "samira", "okonkwo"]
    assert {"baines", "samira.okonkwo@charnwood.gov.uk", "charnwood", "gov", "borough", "council"} <= set(SAM)
    assert "uk" not in SAM  # too short: it would match inside ordinary words
    assert personal_words("", "  ", ()) == []


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("password1234", "This password is too easy to guess. This is a very common password. " + HOW_TO_CHOOSE),
        ("qwertyuiop12", "This password is too easy to guess. This is similar to a commonly used password. "),
        ("Summer2024!!!", "This password is too easy to guess. "),
        ("MyPassword2024!", "This password is too easy to guess. "),
        ("aaaaaaaaaaaaaaaa", 'This password is too easy to guess. Repeats like "aaa" are easy to guess. '),
        ("samira.okonkwo@charnwood.gov.uk", PERSONAL),
        ("SAMIRA.OKONKWO@CHARNWOOD.GOV.UK", PERSONAL),
        ("Samira Okonkwo-Baines", PERSONAL),
        ("samira okonkwo1", PERSONAL),
        ("okonkwo-baines1", PERSONAL),
        ("Samira Okonkwo!!", PERSONAL),
        ("Charnwood123456", PERSONAL),
        ("charnwood borough", PERSONAL),
        ("short", f"Password must be {MIN_PASSWORD} characters or more"),
        ("x" * (MAX_PASSWORD + 1), f"Password must be {MAX_PASSWORD} characters or fewer"),
    ],
)
def test_guessable_and_personal_passwords_are_refused_with_the_reason(password, problem):
    found = password_problem(password, SAM)
    assert found is not None and found.startswith(problem), found
    assert found.endswith(HOW_TO_CHOOSE) or found.startswith("Password must be")


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "a different long passphrase",
        "coffee train monday",
        "purple monkey dishwasher",
        "hot tea green door",
        "samira likes hot tea by the door",  # a name in a passphrase is fine when the rest is hard to guess
        "Tr0ub4dor&3xyz",
        "seven kettles sing in Leicester market " * 3,  # over zxcvbn's length: judged on its start
    ],
)
def test_long_passphrases_are_kept(password):
    assert password_problem(password[:MAX_PASSWORD], SAM) is None


def test_the_persons_own_words_make_the_difference():
    """`samira okonkwo1` would pass for someone else: it is refused because it is this person's name."""
    assert password_problem("samira okonkwo1", personal_words("Ola Officer", "ola@example.org")) is None
    assert password_problem("samira okonkwo1", SAM) == PERSONAL


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=20)


@settings(max_examples=40, deadline=None)
@given(first=names, last=names, domain=names)
def test_no_one_may_use_their_own_name_or_email(first, last, domain):
    name, email = f"{first.title()} {last.title()}", f"{first}.{last}@{domain}.org"
    words = personal_words(name, email, COUNCIL)
    for own in (name, email, email.upper(), name.lower(), f"{name}2024!"):
        if len(own) >= MIN_PASSWORD:
            assert password_problem(own, words) is not None, own


@settings(max_examples=60, deadline=None)
@given(password=st.text(max_size=MAX_PASSWORD + 20), name=st.text(max_size=40), email=st.text(max_size=60))
def test_any_input_gets_an_answer_and_length_is_always_checked_first(password, name, email):
    problem = password_problem(password, personal_words(name, email, COUNCIL))
    assert problem is None or isinstance(problem, str) and problem
    if len(password) < MIN_PASSWORD:
        assert problem == f"Password must be {MIN_PASSWORD} characters or more"
    elif len(password) > MAX_PASSWORD:
        assert problem == f"Password must be {MAX_PASSWORD} characters or fewer"
