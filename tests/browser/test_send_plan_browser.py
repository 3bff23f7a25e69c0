"""A resident sends their plan to their phone in a real browser 320 px wide, through the GOV.UK Notify stand-in
(tests/messages/conftest.py), with an axe-core scan of every page and no sideways scrolling."""

from __future__ import annotations

import importlib.util
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from browser_checks import assert_accessible, assert_no_sideways_scroll
from playwright.sync_api import expect
from test_resident_journey_browser import OFFLINE_NEIGHBOUR, walk

from triage.web.messages.delivery import send_batch

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location(
    "notify_stand_in", Path(__file__).parents[1] / "messages" / "conftest.py"
)
assert _spec and _spec.loader
stand_in = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = stand_in  # its dataclasses look their module up
_spec.loader.exec_module(stand_in)


@pytest.fixture
def notify(app, monkeypatch):
    """The live server's app sending through the Notify stand-in."""
    state = stand_in.FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (stand_in.NotifyHandler,), {"notify": state}))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings = {
        "NOTIFICATION_BACKEND": "notify",
        "NOTIFY_API_KEY": stand_in.API_KEY,
        "NOTIFY_BASE_URL": state.url,
        "NOTIFY_EMAIL_TEMPLATE_ID": stand_in.EMAIL_TEMPLATE,
        "NOTIFY_SMS_TEMPLATE_ID": stand_in.SMS_TEMPLATE,
        "MESSAGE_TIMEOUT_SECONDS": 2,
    }
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    yield state
    state.released.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def narrow_page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640})
    page = context.new_page()
    yield page
    context.close()


def checked(page, axe) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(axe, page)
    assert_no_sideways_scroll(page)


def test_a_resident_sends_their_plan_by_text_on_a_small_phone(app, notify, narrow_page, axe):
    page = narrow_page
    reference = walk(page, OFFLINE_NEIGHBOUR)
    page.get_by_role("link", name="Send this plan to my phone or email").click()
    expect(page.locator("h1")).to_have_text("How would you like us to send your plan?")
    checked(page, axe)
    page.get_by_role("button", name="Continue").click()  # nothing chosen: the error says what to do
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select text message or email")
    checked(page, axe)
    page.get_by_label("Text message", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("What is your mobile phone number?")
    checked(page, axe)
    page.get_by_label("What is your mobile phone number?").fill("01509 263151")
    page.get_by_role("button", name="Send my plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a mobile number, like 07700 900 982")
    checked(page, axe)
    page.get_by_label("What is your mobile phone number?").fill("07700 900982")
    page.get_by_role("button", name="Send my plan").click()

    expect(page.locator("h1")).to_have_text("Your plan is on its way")
    expect(page.locator("main")).to_contain_text("ending 982")
    checked(page, axe)
    assert "900982" not in page.content()

    with app.app_context():
        assert send_batch().sent == 1
    [sms] = notify.received
    assert sms["phone_number"] == "+447700900982" and reference in sms["personalisation"]["body"]
