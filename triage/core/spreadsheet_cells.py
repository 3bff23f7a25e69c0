"""Text in a CSV cell that a spreadsheet will not run as a formula (CSV injection), and back again.

A cell that would start with a formula character is exported with a leading apostrophe, which
spreadsheets read as "this is text"; the directory import takes it off again. A cell that already
starts with apostrophes before such a character gets one more, so export then import gives back
exactly what was exported.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _needs_mark(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_START)


def escape(text: str) -> str:
    return "'" + text if _needs_mark(text) else text


def unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and _needs_mark(text[1:]) else text
