"""Parts of pages that are the same for everyone who reads them in the same language, rendered once
per worker and kept.

Most of a page's time goes on the GOV.UK macros (templates/base.html's header, banner and footer, a
question's radios or checkboxes, a directory entry's card), and for everyone reading a page in the same
language they give the same HTML. A piece is rendered the first time it is asked for and kept on the
app, keyed by the reader's language, the script root (every URL in it) and what else it depends on: a
template wraps such a part in a call block naming that,

    {% call same_for_everyone("public navigation", request.endpoint) %}...{% endcall %}

and a directory entry's card adds the directory's revision (directory/cards.py). Nothing personal may
go inside (answers, a CSRF token, the CSP nonce, who is signed in, why help is suggested): `skip=True`
renders the block afresh, for when it holds an answer. The store is bounded (KEPT_PIECES), the least
recently used going first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Flask, current_app, request
from flask_babel import get_locale
from markupsafe import Markup


class KeptPieces:
    """A bounded, thread-safe store of rendered pieces (gunicorn's workers run several threads)."""

    def __init__(self, most: int):
        self.most = most
        self._lock = threading.Lock()
        self._pieces: OrderedDict[Hashable, Markup] = OrderedDict()

    def get(self, key: Hashable, render: Callable[[], str]) -> Markup:
        with self._lock:
            piece = self._pieces.get(key)
            if piece is not None:
                self._pieces.move_to_end(key)
                return piece
        piece = Markup(render())  # outside the lock: another request may render it too, to the same result
        with self._lock:
            self._pieces[key] = piece
            while len(self._pieces) > self.most:
                self._pieces.popitem(last=False)
        return piece

    def clear(self) -> None:
        with self._lock:
            self._pieces.clear()

    def __len__(self) -> int:
        return len(self._pieces)


def kept_pieces(app: Flask) -> KeptPieces:
    return app.extensions["kept_pieces"]


def kept_piece(key: tuple, render: Callable[[], str]) -> Markup:
    """`render()` for this language (and `key`), rendered once per worker while it is used."""
    return kept_pieces(current_app).get((str(get_locale()), request.script_root, *key), render)


def same_for_everyone(*key: Hashable, caller: Callable[[], str], skip: bool = False) -> Markup:
    """The template call block's form of `kept_piece`."""
    return Markup(caller()) if skip else kept_piece(("fragment", *key), caller)


def init_app(app: Flask) -> None:
    app.extensions["kept_pieces"] = KeptPieces(app.config["KEPT_PIECES"])
    app.add_template_global(same_for_everyone)
