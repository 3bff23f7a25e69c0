"""Rendered pieces of pages that are the same for every reader of a language, kept by each worker.

A piece is rendered the first time it is asked for and kept on the app, keyed by what it depends on
(always the reader's language; a directory entry adds the directory's revision, directory/cards.py), so
nothing personal may go into one. The store is bounded (KEPT_PIECES), the least recently used going first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Flask, current_app, request
from flask_babel import get_locale
from markupsafe import Markup


class KeptPieces:
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


def init_app(app: Flask) -> None:
    app.extensions["kept_pieces"] = KeptPieces(app.config["KEPT_PIECES"])
