"""Parts of pages that are the same for everyone who reads them in the same language, rendered once.

Most of a page's time goes on the GOV.UK macros (templates/base.html's header, banner and footer, a
question's radios or checkboxes), and for everyone reading a page in the same language they give the
same HTML. A template wraps such a part in a call block with a key naming what else it depends on:

    {% call same_for_everyone("public navigation", request.endpoint) %}...{% endcall %}

The first render is kept, per app and worker, keyed by that and the reader's language and the script
root (every URL in it); later ones reuse it. Nothing personal may go inside (answers, a CSRF token,
the CSP nonce, who is signed in): `skip=True` renders the block afresh, for when it holds an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import Flask, current_app, request
from flask_babel import get_locale
from markupsafe import Markup

LIMIT = 1024  # fragments kept per worker; a page has a few, and each varies by language and page at most


def same_for_everyone(*key: Hashable, caller: Callable[[], str], skip: bool = False) -> Markup:
    if skip:
        return Markup(caller())
    kept: dict[tuple, Markup] = current_app.extensions["fragments"]
    full_key = (str(get_locale()), request.script_root, *key)
    fragment = kept.get(full_key)
    if fragment is None:
        fragment = Markup(caller())
        if len(kept) >= LIMIT:
            kept.pop(next(iter(kept)), None)  # the oldest: these are rendered again in a millisecond
        kept[full_key] = fragment
    return fragment


def init_app(app: Flask) -> None:
    app.extensions["fragments"] = {}
    app.add_template_global(same_for_everyone)
