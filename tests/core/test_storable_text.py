"""Text every engine can store: exactly the text with no NUL that UTF-8 can encode, found at any depth."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from triage.core.storable_text import storable, unstorable_paths

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()))  # lone surrogates and NUL included
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | ANY_TEXT,
    lambda children: st.lists(children) | st.dictionaries(ANY_TEXT, children),
    max_leaves=20,
)


def _savable(text: str) -> bool:
    """What PostgreSQL takes: UTF-8 without NUL (SQLite takes less than that: no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value, *(t for child in value.values() for t in _texts(child))]
    if isinstance(value, list):
        return [t for child in value for t in _texts(child)]
    return []


@given(ANY_TEXT)
def test_storable_is_utf8_without_nul(text):
    assert storable(text) == _savable(text)


@given(JSON)
def test_a_value_has_no_unstorable_path_exactly_when_all_its_text_is_storable(value):
    assert (unstorable_paths(value) == []) == all(_savable(text) for text in _texts(value))


def test_paths_name_the_field_and_the_parent_of_a_bad_key():
    value = {"ward": "E05\x00", "answers": {"goals": ["shopping", "\ud800"], "a\x00": "x"}, "ok": "fine"}
    assert unstorable_paths(value) == ["answers", "answers.goals.1", "ward"]


def test_nesting_deeper_than_python_recursion_is_walked():
    deep: list = ["\x00"]
    for _ in range(100_000):
        deep = [deep]
    assert unstorable_paths(deep) == [".".join(["0"] * 100_001)]
