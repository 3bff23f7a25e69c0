"""Sentences the core writes for people, kept translatable (triage/core/text.py), and the interface languages."""

from __future__ import annotations

from triage.core.interface_languages import BY_CODE, INTERFACE_LANGUAGES, InterfaceLanguage, interface_language
from triage.core.matching import _features
from triage.core.text import Text, english


def MARK(message: str) -> str:  # a stand-in "translation" that shows which parts went through it
    return f"<{message}>"


def test_a_text_reads_in_english_and_renders_each_part_through_the_translation():
    reason = Text.of("you said: {choice}", choice=Text("Someone visits me at home").quoted())
    assert str(reason) == "you said: someone visits me at home"
    assert reason.render(MARK) == "<you said: <Someone visits me at home>>"  # lowercasing hits the "<"


def test_an_answer_starting_with_i_keeps_its_capital_when_quoted():
    assert str(Text("I don't go online").quoted()) == "I don't go online"


def test_numbers_and_names_are_filled_in_untranslated():
    text = Text.of("covers your area ({ward}), {distance} away", ward="Loughborough Lemyngton", distance=Text("1.2 km"))
    assert text.render(MARK) == "<covers your area (Loughborough Lemyngton), <1.2 km> away>"


def test_a_text_survives_being_stored_as_json():
    text = Text.of("has {features}", features=Text.of("{first} and {last}", first=Text("a"), last=Text("b")))
    stored = text.to_json()
    assert stored == {
        "text": "has {features}",
        "values": {
            "features": {"text": "{first} and {last}", "values": {"first": {"text": "a"}, "last": {"text": "b"}}}
        },
    }
    assert Text.from_json(stored) == text
    assert english(stored) == "has a and b"


def test_a_reason_stored_as_plain_english_before_translation_still_reads():
    assert english("free") == "free"
    assert Text.from_json("free").render(MARK) == "<free>"


def test_access_features_are_listed_as_a_sentence():
    assert str(_features(["hearing_loop"])) == "a hearing loop"
    assert str(_features(["hearing_loop", "large_print"])) == "a hearing loop and large print"
    assert (
        str(_features(["bsl", "hearing_loop", "large_print"]))
        == "British Sign Language, a hearing loop and large print"
    )


def test_interface_languages_are_found_by_code_whatever_the_case():
    assert interface_language("PL") is BY_CODE["pl"]
    assert interface_language(" ur ") is BY_CODE["ur"]
    for unknown in (None, "", "xx", "en-GB", 7, ["pl"]):
        assert interface_language(unknown) is None


def test_only_urdu_reads_right_to_left():
    assert {lang.code for lang in INTERFACE_LANGUAGES if lang.direction == "rtl"} == {"ur"}


def test_a_translation_is_unchecked_until_a_reviewer_signs_it_off():
    assert BY_CODE["en"].checked
    assert not any(lang.checked for lang in INTERFACE_LANGUAGES if lang.code != "en")
    assert InterfaceLanguage("pl", "Polski", "Polish", reviewed_by="Anna Nowak, 12 January 2027").checked
