"""Plan reference codes: unguessable, easy to read aloud, and forgiving when typed back.

12 characters from a 27-character alphabet with no look-alikes (no 0/O, 1/I/L, U/V, 5/S): about 57 bits,
shown in three groups of four, e.g. 'K7QM-3XHP-RT9W'.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "2346789ABCDEFGHJKMNPQRTWXYZ"
LENGTH = 12
GROUP = 4


def new_reference() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_reference(raw)


def format_reference(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise_reference(typed: str) -> str | None:
    """Accept any case, spaces and dashes; return the canonical form or None if it cannot be one."""
    if not isinstance(typed, str) or len(typed) > 40:
        return None
    compact = re.sub(r"[\s\-–—.]", "", typed).upper()
    if len(compact) != LENGTH or any(c not in ALPHABET for c in compact):
        return None
    return format_reference(compact)
