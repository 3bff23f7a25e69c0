"""Rendered pieces of directory entries, kept per directory revision and language (shell/fragments.py).

What a plan or a search result shows of an entry (its name, who runs it, where, when, contact, cost) is
the same for everyone reading in the same language, so each piece is rendered once per worker and kept,
keyed by the directory's revision (directory/revision.py): an edit to any entry, by any worker, moves the
revision, and every worker renders the entry again on its next page. What is personal (why it is
suggested, the order, how far away it is, the link to ask for contact) is never kept: the page renders
it around the pieces, and a piece's template sees only the entry and how it is shown.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from markupsafe import Markup

from triage.web.directory.revision import revision
from triage.web.models import Resource
from triage.web.shell.fragments import kept_piece


def _revision_now() -> tuple:
    """The directory's revision, read once per request however many pieces the page shows."""
    if "directory_revision" not in g:
        g.directory_revision = revision()
    return g.directory_revision


def directory_card(template: str, r: Resource, **shown) -> Markup:
    """`template` rendered for the entry `r`, shown as `shown` says (e.g. compact=True)."""
    key = ("directory", _revision_now(), template, r.id, tuple(sorted(shown.items())))
    return kept_piece(key, lambda: current_app.jinja_env.get_template(template).render(r=r, **shown))


def init_app(app: Flask) -> None:
    app.add_template_global(directory_card)
