"""Text every database engine can store: none holding a NUL or a lone surrogate.

PostgreSQL text cannot hold NUL (U+0000), and a lone surrogate (U+D800 to U+DFFF) has no UTF-8 form, so
no engine can save it; every other code point, control characters and noncharacters included, is stored
by SQLite and PostgreSQL alike. The web shell refuses a request carrying such text
(triage.web.shell.input_guard), and the directory import reports such a cell by row and column.
"""

from __future__ import annotations

import re
from collections import deque

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
WHAT_IS_WRONG = "contains a character that cannot be stored (a NUL byte or a lone surrogate)"


def storable(text: str) -> bool:
    return UNSTORABLE.search(text) is None


def unstorable_paths(value: object) -> list[str]:
    """Where a value read from JSON or a form holds text no engine can store, keys included, at any depth:
    dotted paths ("answers.goals.1"), "" for the value itself or a key of the top-level object."""
    found: list[str] = []
    waiting: deque[tuple[str, object]] = deque([("", value)])  # a queue, not recursion: any depth is fine
    while waiting:
        path, item = waiting.popleft()
        if isinstance(item, str):
            if not storable(item):
                found.append(path)
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and not storable(key):
                    found.append(path)
                else:
                    waiting.append((_below(path, key), child))
        elif isinstance(item, list | tuple):
            waiting.extend((_below(path, index), child) for index, child in enumerate(item))
    return sorted(set(found))


def _below(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)
