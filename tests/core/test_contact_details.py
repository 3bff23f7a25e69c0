"""Whether free text mentions a person's details, as erasure decides for feedback comments, and the same text with
them taken out, as a provider's reason is kept for a message; tested without Flask."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.core.contact_details import mentions, redacted, same_phone

SEPARATORS = st.sampled_from(["", " ", "-", ".", "  "])


@given(
    digits=st.text("0123456789", min_size=9, max_size=9),
    prefix=st.sampled_from(["07", "+447", "00447", "+44 (0)7", "+44 7"]),
    gaps=st.lists(SEPARATORS, min_size=9, max_size=9),
    before=st.text(st.characters(blacklist_categories=["Nd"]), max_size=20),
    after=st.text(st.characters(blacklist_categories=["Nd"]), max_size=20),
)
def test_a_mobile_number_is_found_however_it_is_written(digits, prefix, gaps, before, after):
    written = prefix + "".join(gap + digit for gap, digit in zip(gaps, digits, strict=True))
    assert mentions(f"{before} {written} {after}", [f"07{digits}"])
    assert mentions(f"{before} 07{digits} {after}", [f"+447{digits}"])


@given(
    number=st.text("0123456789", min_size=9, max_size=9),
    other=st.text("0123456789", min_size=9, max_size=9),
    words=st.text(st.characters(blacklist_categories=["Nd"]), max_size=40),
)
def test_another_number_or_no_number_is_not_hers(number, other, words):
    if number != other:
        assert not mentions(f"call 07{other} {words}", [f"07{number}"])
    assert not mentions(words, [f"07{number}"])


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, philippa quenby-marchbank",
        "PHILIPPA QUENBY MARCHBANK was lovely",
        "from Philippa  Quenby Marchbank.",
        "reply to philippa.quenby@example.net please",
        "my plan is k7qm 3xhp rt9w",
        "plan K7QM3XHPRT9W",
    ],
)
def test_names_emails_and_references_are_found_whatever_the_case_or_spacing(text):
    assert mentions(text, ["Philippa Quenby-Marchbank", "philippa.quenby@example.net", "K7QM-3XHP-RT9W"])


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("A great journey", "Jo"),
        ("Joanne helped me", "Jo"),
        ("Philippa helped me", "Philippa Quenby-Marchbank"),
        ("plan K7QM-3XHP", "K7QM-3XHP-RT9W"),
        ("", "Jo"),
    ],
)
def test_part_of_a_word_or_of_a_detail_is_not_a_mention(text, detail):
    assert not mentions(text, [detail])


def test_empty_details_mention_nothing():
    assert not mentions("Anything at all", ["", "   "])


@given(
    digits=st.text("0123456789", min_size=9, max_size=9),
    gaps=st.lists(SEPARATORS, min_size=9, max_size=9),
    words=st.text(st.characters(blacklist_categories=["Nd"]), max_size=40),
)
def test_taking_details_out_leaves_no_mention_and_the_rest_as_it_was(digits, gaps, words):
    written = "07" + "".join(gap + digit for gap, digit in zip(gaps, digits, strict=True))
    details = [f"+447{digits}", "jo.bloggs@example.org"]
    text = f"550 <JO.BLOGGS@example.org> {words} rejected, {written}"
    out = redacted(text, details)
    assert not mentions(out, details)
    assert out.startswith("550 <(removed)> ") and "rejected" in out
    assert redacted(words, details) == words or mentions(words, details)


def test_the_same_phone_number_however_it_is_written():
    assert same_phone("+44 7700 900982", "07700900982")
    assert same_phone("(01509) 634 560", "01509634560")
    assert not same_phone("07700 900983", "07700900982")
    assert not same_phone("", "07700900982")
    assert not same_phone("900982", "07700900982")  # the last digits are not enough
