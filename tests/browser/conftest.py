"""Browser fixtures: the app served on a local port, and Debian's Chromium driven by Playwright.

Never `playwright install`: the browser is Debian's /usr/bin/chromium (installed by `make test`).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from serving import page_at, served

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def live_server(app):
    with served(app) as address:
        yield address


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    with page_at(browser, live_server) as page:
        yield page


@pytest.fixture
def no_js_page(browser, live_server):
    with page_at(browser, live_server, java_script_enabled=False) as page:
        yield page


@pytest.fixture(scope="session")
def axe():
    return Axe()
