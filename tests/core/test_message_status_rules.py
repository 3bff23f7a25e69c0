"""A message's status in words, and which are final, for each kind GOV.UK Notify sends; tested without Flask."""

from __future__ import annotations

import pytest

from triage.core.message_status import (
    NOTIFY_LETTER_FINAL,
    NOTIFY_LETTER_IN_FLIGHT,
    from_notify,
    is_final,
    notify_statuses,
    shown,
)


@pytest.mark.parametrize("status", sorted(NOTIFY_LETTER_IN_FLIGHT))
def test_a_letter_notify_is_still_printing_stays_sent(status):
    assert from_notify(status, "letter") is None


def test_a_posted_letter_is_final_and_shown_green():
    words = from_notify("received", "letter")
    assert words == "posted" and is_final(words, receipts_follow=True) and shown(words).colour == "green"


@pytest.mark.parametrize("status", sorted(set(NOTIFY_LETTER_FINAL) - {"received"}))
def test_a_letter_that_was_not_posted_is_a_final_failure_with_its_reason(status):
    words = from_notify(status, "letter")
    assert words is not None and is_final(words, receipts_follow=True)
    assert shown(words).colour == "red" and shown(words).reason


def test_each_kind_has_notifys_own_statuses():
    assert "delivered" in notify_statuses("sms") and "delivered" not in notify_statuses("letter")
    assert "received" in notify_statuses("letter") and "received" not in notify_statuses("email")
    with pytest.raises(KeyError):
        from_notify("received", "email")
