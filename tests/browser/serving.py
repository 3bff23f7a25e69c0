"""An app served on a local port, and a browser page opened at it: shared by the browser fixtures for the
default council (conftest.py) and for every shipped profile (test_every_council_browser.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server


@contextmanager
def served(app) -> Iterator[str]:
    """The app served on a free local port, for as long as the block lasts; its base address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@contextmanager
def page_at(browser, base_url: str, **options):
    context = browser.new_context(base_url=base_url, **options)
    try:
        yield context.new_page()
    finally:
        context.close()
