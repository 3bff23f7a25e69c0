"""Plans reaching people: queued when staff press send, sent by `flask send-messages` through GOV.UK Notify (a
stand-in on loopback that checks its keys as Notify does) or a real SMTP server, retried, never sent twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import API_KEY, EMAIL_TEMPLATE, SERVICE_ID, SMS_TEMPLATE
from helpers import OFFLINE, answer, csrf_token
from sqlalchemy import select

from triage.web.app import create_app
from triage.web.config import UnsafeStart
from triage.web.extensions import db
from triage.web.messages.delivery import claim, send_batch
from triage.web.models import OutboxMessage


def plan_for_someone(client) -> str:
    token = csrf_token(client, "/staff/assess")
    client.post("/staff/assess", data={"csrf_token": token, "channel": "counter", "consent": "y"})
    answer(client, "postcode", "LE11 3DU")
    for page, value in list(OFFLINE.items())[1:]:
        answer(client, page, value)
    token = csrf_token(client, "/check-your-answers")
    return client.post("/check-your-answers", data={"csrf_token": token}).headers["Location"]


def send(client, plan_url, **data):
    token = csrf_token(client, plan_url)
    return client.post(f"{plan_url}/send", data={"csrf_token": token, "consent": "y", **data})


@pytest.fixture
def staff(signed_in):
    client = signed_in("staff")
    return client, plan_for_someone(client)


def messages(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(found)


def outbox_statuses(client) -> list[str]:
    page = BeautifulSoup(client.get("/staff/outbox").get_data(as_text=True), "html.parser")
    return [" ".join(p.get_text().split()) for p in page.find_all("p") if p.get_text().startswith("Status:")]


def batch(app, at: datetime | None = None):
    with app.app_context():
        return send_batch(now=at)


def test_a_plan_sent_through_notify_arrives_with_its_template_and_personalisation(notify_app, notify, staff):
    client, plan_url = staff
    reference = plan_url.rsplit("/", 1)[1]
    sent = send(client, plan_url, method="email", email="jo@example.org")
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Plan sent by email to jo@example.org. It is on its way: the outbox shows when it has gone" in page
    assert send(client, plan_url, method="sms", mobile="07700 900982").status_code == 302
    assert notify.requests == 0  # pressing send only queues
    assert outbox_statuses(client) == ["Status: queued", "Status: queued"]

    result = notify_app.test_cli_runner().invoke(args=["send-messages"])
    assert "Sent 2 messages; 0 to try again later; 0 failed." in result.output

    email, sms = notify.received
    email_row, sms_row = messages(notify_app)
    assert (email["kind"], email["email_address"], email["template_id"]) == ("email", "jo@example.org", EMAIL_TEMPLATE)
    assert email["personalisation"]["subject"] == "Your plan from Charnwood Borough Council"
    assert reference in email["personalisation"]["body"] and "Why:" in email["personalisation"]["body"]
    assert (sms["kind"], sms["phone_number"], sms["template_id"]) == ("sms", "+447700900982", SMS_TEMPLATE)
    assert reference in sms["personalisation"]["body"]
    assert (
        email["reference"] == f"signpost-message-{email_row.id}"
        and sms["reference"] == f"signpost-message-{sms_row.id}"
    )
    assert (email_row.provider_id, sms_row.provider_id) == (email["id"], sms["id"])
    assert outbox_statuses(client) == ["Status: sent", "Status: sent"]
    assert notify_app.test_cli_runner().invoke(args=["send-messages"]).output.startswith("Sent 0 messages")
    assert len(notify.received) == 2


@pytest.mark.parametrize("trouble", [500, 503, 429, "slow"])
def test_a_provider_in_trouble_is_tried_again_later_and_the_message_is_sent_once(notify_app, notify, staff, trouble):
    """A 5xx, a rate limit and a timeout are all tried again; a timeout whose message did reach Notify is found by
    its reference and not sent again."""
    client, plan_url = staff
    send(client, plan_url, method="email", email="jo@example.org")
    notify.answers = [trouble]
    now = datetime.now(UTC)
    first = batch(notify_app, now)
    assert (first.sent, first.retrying, first.failed) == (0, 1, 0)
    [message] = messages(notify_app)
    assert message.status == "queued" and message.attempts == 1 and message.provider_id is None
    assert batch(notify_app, now + timedelta(seconds=30)).retrying == 0  # not yet due: back-off
    assert outbox_statuses(client) == ["Status: queued (tried 1 time, trying again soon)"]

    again = batch(notify_app, now + timedelta(minutes=1, seconds=1))
    assert (again.sent, again.retrying, again.failed) == (1, 0, 0)
    assert len(notify.received) == 1
    [message] = messages(notify_app)
    assert (message.status, message.attempts, message.provider_id) == ("sent", 2, notify.received[0]["id"])
    assert notify.requests == (1 if trouble == "slow" else 2)  # a lost answer is looked up, not sent again


def test_a_refusal_fails_at_once_with_notifys_reason(notify_app, notify, staff):
    client, plan_url = staff
    send(client, plan_url, method="sms", mobile="07700 900982")
    notify.answers = [400]
    assert batch(notify_app).failed == 1
    expected = "Status: failed GOV.UK Notify: Can't send to this recipient using a team-only API key"
    assert outbox_statuses(client) == [expected]
    assert batch(notify_app, datetime.now(UTC) + timedelta(days=1)).failed == 0
    assert notify.requests == 1 and notify.received == []


def test_a_wrong_api_key_fails_and_says_so(notify_app, notify, staff, monkeypatch):
    wrong = f"signpost_test-{SERVICE_ID}-00000000-0000-4000-8000-000000000000"
    monkeypatch.setitem(notify_app.config, "NOTIFY_API_KEY", wrong)
    client, plan_url = staff
    send(client, plan_url, method="email", email="jo@example.org")
    assert batch(notify_app).failed == 1
    [status] = outbox_statuses(client)
    assert status.startswith("Status: failed GOV.UK Notify: Invalid token: signature")
    assert notify.received == []


def test_a_provider_that_never_answers_fails_the_message_after_the_last_try(notify_app, notify, staff, monkeypatch):
    monkeypatch.setitem(notify_app.config, "MESSAGE_MAX_ATTEMPTS", 2)
    client, plan_url = staff
    send(client, plan_url, method="email", email="jo@example.org")
    notify.answers = [500, 500]
    now = datetime.now(UTC)
    assert batch(notify_app, now).retrying == 1
    assert batch(notify_app, now + timedelta(minutes=2)).failed == 1
    [status] = outbox_statuses(client)
    assert status == "Status: failed no answer after 2 tries (GOV.UK Notify: 500 Internal server error)"
    assert notify.received == []


def test_a_worker_killed_mid_batch_leaves_its_messages_to_another_after_the_lease(notify_app, notify, staff):
    client, plan_url = staff
    for address in ("jo@example.org", "sam@example.org"):
        send(client, plan_url, method="email", email=address)
    now = datetime.now(UTC)
    with notify_app.app_context():
        assert len(claim(now)) == 2  # the first worker takes both, then is killed before sending any
    lease = notify_app.config["MESSAGE_LEASE_SECONDS"]
    assert batch(notify_app, now + timedelta(seconds=lease - 1)).sent == 0  # still theirs
    assert batch(notify_app, now + timedelta(seconds=lease + 1)).sent == 2
    assert sorted(n["email_address"] for n in notify.received) == ["jo@example.org", "sam@example.org"]
    assert [m.status for m in messages(notify_app)] == ["sent", "sent"]


def test_a_message_a_killed_worker_did_send_is_not_sent_again(notify_app, notify, staff):
    """Killed after Notify accepted the message but before the answer was saved: the next worker finds it."""
    client, plan_url = staff
    send(client, plan_url, method="email", email="jo@example.org")
    now = datetime.now(UTC)
    with notify_app.app_context():
        [message_id] = [message.id for message in claim(now)]
    notify.received.append({"id": "already-there", "kind": "email", "reference": f"signpost-message-{message_id}"})
    lease = notify_app.config["MESSAGE_LEASE_SECONDS"]
    assert batch(notify_app, now + timedelta(seconds=lease + 1)).sent == 1
    assert notify.requests == 0
    [message] = messages(notify_app)
    assert (message.status, message.provider_id) == ("sent", "already-there")


def test_a_worker_process_killed_while_sending_loses_and_repeats_nothing(notify_app, notify, staff):
    """`flask send-messages` as production runs it, against the suite's database, killed while Notify has
    taken the first message but not answered; a later worker sends the rest, and the first only once."""
    client, plan_url = staff
    addresses = ["jo@example.org", "sam@example.org", "ali@example.org"]
    for address in addresses:
        send(client, plan_url, method="email", email=address)
    notify.answers, notify.slow_seconds = ["slow"], 120
    names = ("NOTIFICATION_BACKEND", "NOTIFY_API_KEY", "NOTIFY_BASE_URL", "NOTIFY_EMAIL_TEMPLATE_ID")
    env = {
        **os.environ,
        **{name: str(notify_app.config[name]) for name in (*names, "NOTIFY_SMS_TEMPLATE_ID")},
        "DATABASE_URL": notify_app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret",
        "MESSAGE_TIMEOUT_SECONDS": "120",
    }
    root = Path(__file__).resolve().parents[2]
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "send-messages"]
    worker = subprocess.Popen(flask, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(600):  # until the worker is waiting on Notify's answer (at most a minute)
            if notify.requests or worker.poll() is not None:
                break
            time.sleep(0.1)
        assert notify.requests == 1, worker.communicate(timeout=5)
    finally:
        worker.kill()
        worker.wait()
    leased = messages(notify_app)
    assert [m.status for m in leased] == ["queued"] * 3 and all(m.claimed_until for m in leased)

    lease = notify_app.config["MESSAGE_LEASE_SECONDS"]
    assert batch(notify_app, datetime.now(UTC) + timedelta(seconds=lease + 1)).sent == 3
    assert sorted(n["email_address"] for n in notify.received) == sorted(addresses)  # each once
    assert notify.requests == 3
    assert [m.status for m in messages(notify_app)] == ["sent"] * 3


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"method": "email", "email": "jo@"}, "Enter an email address in the correct format"),
        ({"method": "email", "email": "jo@example"}, "Enter an email address in the correct format"),
        ({"method": "sms", "mobile": "01509 123456"}, "Enter a UK mobile number, like 07700 900 982"),
    ],
)
def test_an_address_that_cannot_be_sent_to_is_refused_before_anything_is_queued(notify_app, staff, data, error):
    client, plan_url = staff
    response = send(client, plan_url, **data)
    assert response.status_code == 400 and error in response.get_data(as_text=True)
    assert messages(notify_app) == []


def test_a_plan_sent_by_smtp_arrives_and_texts_stay_in_the_outbox(smtp_app, staff, mail_server):
    app = smtp_app
    client, plan_url = staff
    reference = plan_url.rsplit("/", 1)[1]
    send(client, plan_url, method="email", email="jo@example.org")
    send(client, plan_url, method="sms", mobile="07700 900982")
    assert outbox_statuses(client) == ["Status: in outbox", "Status: queued"]  # newest first
    assert batch(app).sent == 1
    [envelope] = mail_server.messages
    assert envelope.mail_from == "plans@charnwood.example.gov.uk" and envelope.rcpt_tos == ["jo@example.org"]
    mail = envelope.content.decode()
    assert "Subject: Your plan from Charnwood Borough Council" in mail and reference in mail
    email_row = messages(app)[0]
    assert email_row.status == "sent" and f"signpost-message-{email_row.id}" in email_row.provider_id
    assert f"Message-ID: {email_row.provider_id}" in mail
    assert outbox_statuses(client) == ["Status: in outbox", "Status: sent"]


def test_a_mail_server_that_is_down_is_tried_again(app, staff, monkeypatch):
    for name, value in {
        "NOTIFICATION_BACKEND": "smtp",
        "SMTP_URL": "smtp://localhost:9",  # nothing listens on the discard port here
        "SMTP_FROM": "plans@charnwood.example.gov.uk",
    }.items():
        monkeypatch.setitem(app.config, name, value)
    client, plan_url = staff
    send(client, plan_url, method="email", email="jo@example.org")
    assert batch(app).retrying == 1
    assert messages(app)[0].status == "queued"


def test_with_the_outbox_backend_messages_stay_in_the_outbox(app, staff):
    client, plan_url = staff
    send(client, plan_url, method="email", email="jo@example.org")
    assert app.test_cli_runner().invoke(args=["send-messages"]).output.startswith("Sent 0 messages")
    assert outbox_statuses(client) == ["Status: in outbox"]


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({"NOTIFICATION_BACKEND": "mycouncil.notify:NotifyBackend"}, "NOTIFICATION_BACKEND"),
        ({"NOTIFICATION_BACKEND": "notify", "NOTIFY_API_KEY": "not-a-key"}, "NOTIFY_API_KEY is not a GOV.UK Notify"),
        (
            {"NOTIFICATION_BACKEND": "notify", "NOTIFY_API_KEY": API_KEY, "NOTIFY_EMAIL_TEMPLATE_ID": "welcome"},
            "NOTIFY_EMAIL_TEMPLATE_ID is not a Notify template id",
        ),
        ({"NOTIFICATION_BACKEND": "smtp", "SMTP_URL": "mail.example.org:587"}, "SMTP_URL is not an SMTP address"),
        ({"NOTIFICATION_BACKEND": "smtp", "SMTP_FROM": "plans"}, "SMTP_FROM 'plans' is not an email address"),
    ],
)
def test_a_malformed_setting_refuses_to_start(settings, says):
    with pytest.raises(UnsafeStart, match=says):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})


def test_a_missing_setting_is_logged_at_start_shown_to_admins_and_sends_nothing(
    app, people, notify, monkeypatch, caplog
):
    settings = {"NOTIFICATION_BACKEND": "notify", "NOTIFY_API_KEY": API_KEY, "NOTIFY_BASE_URL": notify.url}
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
    assert "Messages: NOTIFY_EMAIL_TEMPLATE_ID is not set, so messages are queued but not sent" in caplog.text
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    home = people("admin@example.org").get("/staff/").get_data(as_text=True)
    assert "NOTIFY_SMS_TEMPLATE_ID is not set, so messages are queued but not sent." in home
    assert "not set" not in people("staff@example.org").get("/staff/").get_data(as_text=True)

    client = people("staff@example.org")
    plan_url = plan_for_someone(client)
    assert send(client, plan_url, method="email", email="jo@example.org").status_code == 302  # never a 500
    result = app.test_cli_runner().invoke(args=["send-messages"])
    assert "Nothing sent: NOTIFY_EMAIL_TEMPLATE_ID is not set" in result.output
    assert notify.requests == 0 and messages(app)[0].status == "queued"
