"""Values worked out from the whole directory, kept until the directory changes.

The directory's revision is the count and latest update of its entries: any entry added, edited or
removed changes it. `per_revision` keeps one value per database and name (the matcher's index, the
ORUK feed's id maps) and builds it again only when the revision has moved on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar, cast

from sqlalchemy import func, select

from triage.web.extensions import db
from triage.web.models import Resource

T = TypeVar("T")

_lock = threading.Lock()
_kept: dict[tuple[str, str], tuple[tuple, object]] = {}


_REVISION = select(func.count(Resource.id), func.max(Resource.updated_at))  # built once: it is asked on every page


def revision() -> tuple:
    """(number of entries, latest update): different whenever the directory has changed."""
    return tuple(db.session.execute(_REVISION).one())


def per_revision(name: str, build: Callable[[], T]) -> T:
    """`build()` for the directory as it is now: the kept value while the revision is the same."""
    key = (str(db.engine.url), name)
    current = revision()
    kept = _kept.get(key)
    if not kept or kept[0] != current:
        with _lock:
            kept = _kept.get(key)
            if not kept or kept[0] != current:  # not built by another request while this one waited
                kept = _kept[key] = (current, build())
    return cast(T, kept[1])
