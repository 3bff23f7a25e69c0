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

A whole page can be kept the same way (`same_page_for_everyone`) when nothing on it is personal but its form
token and its CSP nonce: it is rendered once with a stand-in for each, and every request gets the page with
its own two put in. It is rendered afresh for staff (their navigation), after a form is sent, when a message
is waiting to be shown, and for an address with a query the view does not read.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

# Stand-ins for the two personal values of a kept page: hex, so escaping leaves them alone, and new in each
# process, so no text on a page can be one by chance or design.
NONCE_STAND_IN = secrets.token_hex(16)
TOKEN_STAND_IN = secrets.token_hex(16)
NONCE = "csp_nonce"  # where Flask-Talisman keeps this request's nonce, on the request


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


def same_page_for_everyone(render: Callable[[], str], *key: Hashable, reads: Iterable[str] = ("lang",)) -> str:
    """`render()`, the whole page, kept for this address, language and `key` when nobody's page differs but
    for the form token and nonce, which are put in. `reads` are the query parameters the page may depend on
    (they are in the key); any other parameter in the address means the page is rendered afresh."""
    args = request.args
    if (
        request.method not in ("GET", "HEAD")
        or current_user.is_authenticated
        or "_flashes" in session
        or not set(args).issubset(reads)
    ):
        return render()
    query = tuple(sorted((name, value) for name, value in args.items(multi=True) if name != "lang"))
    page = kept_piece(("page", request.path, query, *key), lambda: _with_stand_ins(render))
    page = page.replace(NONCE_STAND_IN, getattr(request, NONCE))
    # A page with no form asks for no token, so it starts no session (and sets no cookie).
    return page.replace(TOKEN_STAND_IN, generate_csrf()) if TOKEN_STAND_IN in page else page


def _with_stand_ins(render: Callable[[], str]) -> str:
    """The page rendered with the stand-ins where this request's nonce and form token would be."""
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    nonce, token = getattr(request, NONCE), g.pop(field, None)
    setattr(request, NONCE, NONCE_STAND_IN)
    setattr(g, field, TOKEN_STAND_IN)  # Flask-WTF's generate_csrf() returns what it kept in g for this request
    try:
        page = render()
    finally:
        setattr(request, NONCE, nonce)
        g.pop(field, None)
        if token is not None:
            setattr(g, field, token)
    # A form made before render() already holds this reader's token, which must never be kept for others.
    assert token is None or token not in page, "make the page's forms inside render()"
    return page


def init_app(app: Flask) -> None:
    app.extensions["kept_pieces"] = KeptPieces(app.config["KEPT_PIECES"])
    app.add_template_global(same_for_everyone)
