"""Cells a spreadsheet could run as a formula: exported with a leading apostrophe, and imported back unchanged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from triage.core.spreadsheet_cells import FORMULA_START, escape, unescape

# What matters is how a cell starts: some apostrophes, then perhaps a character that starts a formula.
CELLS = st.text() | st.builds(
    lambda quotes, first, rest: quotes + first + rest,
    st.text("'", max_size=3),
    st.sampled_from(["", *FORMULA_START, "a"]),
    st.text(),
)


@given(CELLS)
def test_no_exported_cell_starts_a_formula(text):
    assert not escape(text).startswith(FORMULA_START)


@given(CELLS)
def test_every_cell_imports_back_as_it_was_exported(text):
    assert unescape(escape(text)) == text
