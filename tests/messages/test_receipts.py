"""How a message went: GOV.UK Notify's delivery receipts posted as Notify posts them, the worker asking the Notify
stand-in when no receipt comes, final statuses that nothing turns back, and recipients erased once final."""

from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from conftest import RECEIPT_TOKEN
from helpers import sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select
from test_delivery import batch, messages, outbox_statuses, plan_for_someone, send

from triage.core.message_status import NOTIFY_FINAL, NOTIFY_STATUSES
from triage.web.app import create_app
from triage.web.config import UnsafeStart
from triage.web.extensions import db
from triage.web.models import Assessment, OutboxMessage

URL = "/notify/delivery-receipts"


def receipt(notification: dict, status: str, **changes) -> dict:
    """A receipt as Notify posts it (docs: Callbacks, "Delivery receipts")."""
    to = notification.get("email_address") or notification.get("phone_number")
    return {
        "id": notification["id"],
        "reference": notification["reference"],
        "to": to,
        "status": status,
        "created_at": "2026-12-05T10:00:00.000000Z",
        "completed_at": "2026-12-05T10:00:05.000000Z",
        "sent_at": "2026-12-05T10:00:01.000000Z",
        "notification_type": notification["kind"],
        "template_id": notification["template_id"],
        "template_version": 1,
        **changes,
    }


def send_and_see(client, plan_url, **data) -> None:
    """Send the plan, and read the page that says so (its notice names the address)."""
    client.get(send(client, plan_url, **data).headers["Location"])


def post(app, body, token: str | None = RECEIPT_TOKEN, **kwargs):
    """Posted as Notify does: JSON, with the bearer token, from a client with no cookies."""
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    kwargs.setdefault("content_type", "application/json")
    return app.test_client().post(URL, data=data, headers=headers, **kwargs)


@pytest.fixture
def staff(signed_in):
    client = signed_in("staff")
    return client, plan_for_someone(client)


@pytest.fixture
def sent(notify_app, notify, staff):
    """An email sent through the Notify stand-in and still "sent": the staff client and Notify's notification."""
    client, plan_url = staff
    send(client, plan_url, method="email", email="jo@example.org")
    assert batch(notify_app).sent == 1
    return client, notify.received[0]


def test_a_delivered_receipt_is_recorded_and_the_address_erased(notify_app, sent):
    client, notification = sent
    assert outbox_statuses(client) == ["Status: sent"]
    response = post(notify_app, receipt(notification, "delivered"))
    assert response.status_code == 200 and response.get_json() == {"result": "recorded", "status": "delivered"}
    assert "Set-Cookie" not in response.headers  # a machine's call: no session
    [message] = messages(notify_app)
    assert (message.status, message.recipient, message.provider_id) == ("delivered", "", notification["id"])
    assert message.final_at is not None
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert outbox_statuses(client) == ["Status: delivered"]
    assert "Number or address erased once final." in page and "jo@example.org" not in page
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("strong", class_="govuk-tag--green").get_text(strip=True) == "delivered"


@pytest.mark.parametrize("kind", ["email", "sms"])
@pytest.mark.parametrize("status", ["permanent-failure", "temporary-failure", "technical-failure"])
def test_each_failure_is_shown_in_plain_words_with_notifys_reason(notify_app, notify, staff, kind, status):
    client, plan_url = staff
    data = (
        {"method": "email", "email": "jo@example.org"}
        if kind == "email"
        else {"method": "sms", "mobile": "07700 900982"}
    )
    send(client, plan_url, **data)
    batch(notify_app)
    assert post(notify_app, receipt(notify.received[0], status)).status_code == 200
    label, _, reason = NOTIFY_FINAL[status][kind].partition(": ")
    assert outbox_statuses(client) == [f"Status: {label} {reason}"]
    soup = BeautifulSoup(client.get("/staff/outbox").get_data(as_text=True), "html.parser")
    assert soup.find("strong", class_="govuk-tag--red").get_text(strip=True) == label
    [message] = messages(notify_app)
    assert message.recipient == "" and message.final_at is not None


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        f"Bearer {'x' * len(RECEIPT_TOKEN)}",  # the same length
        f"Bearer {RECEIPT_TOKEN[:-1]}",  # one character short
        f"Bearer {RECEIPT_TOKEN}x",
        f"Basic {RECEIPT_TOKEN}",
        f"Bearer {RECEIPT_TOKEN.upper()}",
        "Bearer é" + RECEIPT_TOKEN,  # not ASCII: compared as bytes, never an error
    ],
)
def test_a_receipt_without_the_right_token_is_refused_and_changes_nothing(notify_app, sent, header):
    _, notification = sent
    headers = {"Authorization": header} if header is not None else {}
    response = notify_app.test_client().post(URL, json=receipt(notification, "delivered"), headers=headers)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert response.get_json()["error"]["message"] == "Give the bearer token set in GOV.UK Notify's callback settings"
    [message] = messages(notify_app)
    assert (message.status, message.recipient, message.final_at) == ("sent", "jo@example.org", None)


def test_with_no_token_set_every_receipt_is_refused(notify_app, sent, monkeypatch):
    monkeypatch.setitem(notify_app.config, "NOTIFY_RECEIPT_TOKEN", "")
    _, notification = sent
    assert post(notify_app, receipt(notification, "delivered"), token="").status_code == 401
    assert messages(notify_app)[0].status == "sent"


def test_a_receipt_for_a_message_signpost_does_not_have_is_not_found(notify_app, sent):
    _, notification = sent
    [message] = messages(notify_app)
    other_id = str(uuid.uuid4())
    for body in (
        receipt(notification, "delivered", reference=f"signpost-message-{message.id + 1}"),  # deleted, or never made
        receipt(notification, "delivered", reference=f"signpost-message-{10**12}"),
        receipt(notification, "delivered", reference=None, id=other_id),
        receipt(notification, "delivered", reference="another-service-1", id=other_id),
        receipt(notification, "delivered", id=other_id),  # our reference, another message's Notify id
    ):
        response = post(notify_app, body)
        assert response.status_code == 404, body
        assert response.get_json()["error"]["message"] == "No message has this reference and GOV.UK Notify id"
    assert messages(notify_app)[0].status == "sent"


def test_a_receipt_without_our_reference_is_matched_by_notifys_id(notify_app, sent):
    _, notification = sent
    assert post(notify_app, receipt(notification, "delivered", reference=None)).status_code == 200
    assert messages(notify_app)[0].status == "delivered"


NOT_A_RECEIPT = "This is not a GOV.UK Notify delivery receipt"


def _without_id(n: dict) -> dict:
    return {k: v for k, v in receipt(n, "delivered").items() if k != "id"}


@pytest.mark.parametrize(
    ("body", "message", "fields"),
    [
        (lambda n: b"{'id': 1}", "The request body is not valid JSON", set()),
        (lambda n: b"", "The request body is not valid JSON", set()),
        (lambda n: b"[]", "The request body must be a JSON object", set()),
        (lambda n: [receipt(n, "delivered")], "The request body must be a JSON object", set()),
        (lambda n: b'"delivered"', "The request body must be a JSON object", set()),
        (_without_id, NOT_A_RECEIPT, {"id"}),
        (lambda n: receipt(n, "delivered", id="not-a-uuid"), NOT_A_RECEIPT, {"id"}),
        (lambda n: receipt(n, "delivered", id=5), NOT_A_RECEIPT, {"id"}),
        (lambda n: receipt(n, "bounced"), NOT_A_RECEIPT, {"status"}),
        (lambda n: receipt(n, "Delivered"), NOT_A_RECEIPT, {"status"}),
        (lambda n: receipt(n, None), NOT_A_RECEIPT, {"status"}),
        (lambda n: receipt(n, ["delivered"]), NOT_A_RECEIPT, {"status"}),
        (lambda n: receipt(n, "delivered", to=7700900982, reference=1), NOT_A_RECEIPT, {"to", "reference"}),
        (lambda n: receipt(n, "delivered", template_version="1"), NOT_A_RECEIPT, {"template_version"}),
        (lambda n: receipt(n, "delivered", template_version=True), NOT_A_RECEIPT, {"template_version"}),
    ],
)
def test_a_body_that_is_not_a_receipt_is_a_400_saying_what_is_wrong(notify_app, sent, body, message, fields):
    _, notification = sent
    response = post(notify_app, body(notification))
    assert response.status_code == 400 and response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["message"] == message
    assert set(error.get("fields", {})) == fields
    assert messages(notify_app)[0].status == "sent"


def test_a_huge_body_or_text_that_cannot_be_stored_is_refused_as_json(notify_app, sent):
    _, notification = sent
    huge = post(notify_app, json.dumps(receipt(notification, "delivered", to="x" * 1024 * 1024)))
    assert huge.status_code == 413 and huge.mimetype == "application/json"
    nul = post(notify_app, receipt(notification, "delivered", completed_at="2026\x00"))
    assert nul.status_code == 400 and "completed_at" in nul.get_json()["error"]["fields"]
    assert post(notify_app, receipt(notification, "delivered"), content_type="text/plain").status_code == 200


def test_a_receipt_is_answered_without_a_form_token_and_a_get_is_a_json_405(notify_app, sent):
    response = notify_app.test_client().get(URL)
    assert response.status_code == 405 and response.mimetype == "application/json"


def test_repeats_and_late_receipts_never_turn_a_final_status_back(notify_app, sent):
    _, notification = sent
    assert post(notify_app, receipt(notification, "sending")).get_json()["result"] == "not final yet"
    assert messages(notify_app)[0].status == "sent"
    first = post(notify_app, receipt(notification, "delivered"))
    final_at = messages(notify_app)[0].final_at
    for late in ("delivered", "temporary-failure", "permanent-failure", "sending"):
        response = post(notify_app, receipt(notification, late))  # Notify stops retrying on any 2xx
        assert response.status_code == 200
    assert first.get_json()["result"] == "recorded" and response.get_json()["status"] == "delivered"
    [message] = messages(notify_app)
    assert (message.status, message.final_at) == ("delivered", final_at)


def test_a_message_the_worker_failed_stays_failed(notify_app, notify, staff):
    client, plan_url = staff
    send(client, plan_url, method="email", email="jo@example.org")
    notify.answers = [400]
    assert batch(notify_app).failed == 1
    [message] = messages(notify_app)
    assert message.recipient == "" and message.final_at is not None  # a worker's failure is final too
    fake = {"id": str(uuid.uuid4()), "reference": f"signpost-message-{message.id}", "kind": "email"}
    response = post(notify_app, receipt({**fake, "template_id": str(uuid.uuid4())}, "delivered"))
    assert response.status_code == 200 and response.get_json()["result"] == "already final"
    assert messages(notify_app)[0].status.startswith("failed: GOV.UK Notify: Can't send")


def test_a_receipt_for_a_message_the_worker_never_heard_back_about_settles_it(notify_app, notify, staff):
    """The worker was stopped after Notify took the message but before it saved the answer: the receipt names
    it by reference, records Notify's id, and the next worker does not send it again."""
    client, plan_url = staff
    send(client, plan_url, method="email", email="jo@example.org")
    notify.answers = ["slow"]
    assert batch(notify_app).retrying == 1
    [notification] = notify.received
    assert post(notify_app, receipt(notification, "delivered")).status_code == 200
    [message] = messages(notify_app)
    assert (message.status, message.provider_id, message.recipient) == ("delivered", notification["id"], "")
    assert batch(notify_app, datetime.now(UTC) + timedelta(hours=1)).sent == 0
    assert len(notify.received) == 1


@contextmanager
def another_receipt_first(app, body):
    """Just before the receipt being handled saves its status, another one arrives and is saved: two receipts
    at once, the other one first."""
    with app.app_context():
        engine = db.engine
    started, done = [], []

    def meanwhile(conn, cursor, statement, parameters, context, executemany):
        if not started and statement.lstrip().upper().startswith("UPDATE OUTBOX_MESSAGE"):
            started.append(True)  # the other receipt's own UPDATE comes through here too
            with app.app_context():  # a request of its own, with its own session and connection
                done.append(post(app, body))

    event.listen(engine, "before_cursor_execute", meanwhile)
    try:
        yield done
    finally:
        event.remove(engine, "before_cursor_execute", meanwhile)


def test_of_two_receipts_at_once_the_first_saved_wins(notify_app, sent):
    _, notification = sent
    with another_receipt_first(notify_app, receipt(notification, "permanent-failure")) as first:
        second = post(notify_app, receipt(notification, "delivered"))
    assert first[0].get_json()["result"] == "recorded"
    assert second.status_code == 200 and second.get_json()["result"] == "already final"
    assert messages(notify_app)[0].status == NOTIFY_FINAL["permanent-failure"]["email"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(statuses=st.lists(st.sampled_from(sorted(NOTIFY_STATUSES)), min_size=1, max_size=6))
def test_the_status_is_the_first_final_one_whatever_comes_after(notify_app, statuses):
    """Receipts repeated and out of order: the first final one is kept, and from then on no recipient."""
    with notify_app.app_context():
        notify_id = str(uuid.uuid4())
        message = OutboxMessage(
            kind="sms", recipient="+447700900982", body="Your plan", status="sent", provider_id=notify_id
        )
        db.session.add(message)
        db.session.commit()
        message_id = message.id
    notification = {
        "id": notify_id,
        "reference": f"signpost-message-{message_id}",
        "phone_number": "+447700900982",
        "kind": "sms",
        "template_id": str(uuid.uuid4()),
    }
    for status in statuses:
        assert post(notify_app, receipt(notification, status)).status_code == 200
    finals = [s for s in statuses if s in NOTIFY_FINAL]
    with notify_app.app_context():
        stored = db.session.get_one(OutboxMessage, message_id)
        assert stored.status == (NOTIFY_FINAL[finals[0]]["sms"] if finals else "sent")
        assert stored.recipient == ("" if finals else "+447700900982")
        assert (stored.final_at is not None) == bool(finals)


def test_the_worker_asks_notify_how_sent_messages_went(notify_app, notify, sent):
    """For a council whose Notify sends no receipts: asked 10 minutes after sending, then every 10 minutes."""
    client, notification = sent
    sent_at = messages(notify_app)[0].sent_at
    assert batch(notify_app, sent_at + timedelta(minutes=9)).checked == 0
    assert notify.status_requests == []

    still_sending = batch(notify_app, sent_at + timedelta(minutes=10))
    assert (still_sending.checked, still_sending.settled) == (1, 0)
    assert notify.status_requests == [notification["id"]]
    assert messages(notify_app)[0].status == "sent"
    assert batch(notify_app, sent_at + timedelta(minutes=19)).checked == 0  # not again so soon

    notify.set_status(notification["id"], "pending")
    assert batch(notify_app, sent_at + timedelta(minutes=20)).settled == 0
    notify.set_status(notification["id"], "temporary-failure")
    with notify_app.app_context():  # the command, as cron or systemd runs it, now: as if sent half an hour ago
        earlier = datetime.now(UTC) - timedelta(minutes=30)
        db.session.execute(db.update(OutboxMessage).values(sent_at=earlier, status_checked_at=earlier))
        db.session.commit()
    result = notify_app.test_cli_runner().invoke(args=["send-messages"])
    assert "Asked GOV.UK Notify how 1 sent message went: 1 now delivered or failed." in result.output
    [message] = messages(notify_app)
    assert (message.status, message.recipient) == (NOTIFY_FINAL["temporary-failure"]["email"], "")
    assert len(notify.status_requests) == 3
    assert batch(notify_app, datetime.now(UTC) + timedelta(hours=1)).checked == 0  # final: never asked again


def test_the_worker_stops_asking_after_notifys_72_hours(notify_app, notify, sent):
    sent_at = messages(notify_app)[0].sent_at
    assert batch(notify_app, sent_at + timedelta(hours=71, minutes=59)).checked == 1
    assert batch(notify_app, sent_at + timedelta(hours=72)).checked == 0
    assert len(notify.status_requests) == 1
    assert messages(notify_app)[0].recipient == "jo@example.org"  # kept until apply-retention deletes it


def test_a_check_notify_cannot_answer_leaves_the_message_sent(notify_app, notify, sent):
    _, notification = sent
    notify.received.clear()  # Notify no longer has it (older than its 7 days, say): a 404
    sent_at = messages(notify_app)[0].sent_at
    assert batch(notify_app, sent_at + timedelta(minutes=10)).checked == 0
    assert notify.status_requests == [notification["id"]]
    assert messages(notify_app)[0].status == "sent"


def test_a_message_sent_by_a_mail_server_is_final_at_once(smtp_app, staff, mail_server):
    app = smtp_app
    client, plan_url = staff
    send_and_see(client, plan_url, method="email", email="jo@example.org")
    assert batch(app).sent == 1 and mail_server.messages[0].rcpt_tos == ["jo@example.org"]
    [message] = messages(app)
    assert (message.status, message.recipient) == ("sent", "") and message.final_at is not None
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert "Number or address erased once final." in page and "jo@example.org" not in page


def test_a_mail_servers_refusal_is_kept_and_logged_without_the_address(smtp_app, staff, mail_server, caplog):
    app = smtp_app
    mail_server.refuse = True
    client, plan_url = staff
    send_and_see(client, plan_url, method="email", email="Jo.Bloggs@example.org")
    assert batch(app).failed == 1
    [message] = messages(app)
    assert message.status == "failed: mail server: 550 5.1.1 <(the recipient)>: Recipient address rejected"
    assert "jo.bloggs" not in caplog.text.lower() and "(the recipient)" in caplog.text
    assert message.recipient == "" and "bloggs" not in client.get("/staff/outbox").get_data(as_text=True).lower()


def test_messages_in_the_outbox_keep_their_address(app, staff):
    client, plan_url = staff
    send(client, plan_url, method="email", email="jo@example.org")
    [message] = messages(app)
    assert (message.status, message.recipient, message.final_at) == ("in outbox", "jo@example.org", None)
    assert "jo@example.org" in client.get("/staff/outbox").get_data(as_text=True)


def test_the_plan_page_shows_its_messages_and_their_status_without_the_address(notify_app, sent):
    client, notification = sent
    post(notify_app, receipt(notification, "delivered"))
    with notify_app.app_context():
        reference = db.session.scalar(select(Assessment.reference))
    page = BeautifulSoup(client.get(f"/staff/plans/{reference}").get_data(as_text=True), "html.parser")
    assert page.find(id="sent").get_text(strip=True) == "Messages sent about this plan"
    text = " ".join(page.get_text().split())
    assert "Email, " in text and "Status: delivered" in text and "Number or address erased once final." in text
    assert "Nothing is sent to a real address yet" not in text  # Notify sends them


def test_the_plan_page_says_when_nothing_is_sent(app, staff):
    client, plan_url = staff
    send_and_see(client, plan_url, method="sms", mobile="07700 900982")
    text = " ".join(BeautifulSoup(client.get(plan_url).get_data(as_text=True), "html.parser").get_text().split())
    assert "Nothing is sent to a real address yet" in text and "Status: in outbox" in text
    assert "07700" not in text and "+447700900982" not in text  # the outbox shows it, to the same roles


@pytest.mark.parametrize(("role", "answer"), [("admin", 200), ("staff", 200), ("champion", 403), ("partner", 403)])
def test_the_outbox_shows_statuses_to_those_who_may_read_it(notify_app, sent, make_user, role, answer):
    _, notification = sent
    post(notify_app, receipt(notification, "delivered"))
    make_user(role, email=f"{role}-reader@example.org")
    reader = sign_in(notify_app.test_client(), f"{role}-reader@example.org")
    assert reader.get("/staff/outbox").status_code == answer
    if answer == 200:
        assert outbox_statuses(reader) == ["Status: delivered"]


def test_the_outbox_needs_sign_in(notify_app, sent):
    assert notify_app.test_client().get("/staff/outbox").headers["Location"].startswith("/staff/sign-in")


@pytest.mark.parametrize("token", ["short", "123456789"])
def test_a_receipt_token_shorter_than_notify_allows_refuses_to_start(token):
    with pytest.raises(UnsafeStart, match="NOTIFY_RECEIPT_TOKEN is shorter than the 10 characters"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "NOTIFY_RECEIPT_TOKEN": token})


def test_no_receipt_token_is_reported_but_messages_are_still_sent(notify_app, notify, people, monkeypatch):
    monkeypatch.setitem(notify_app.config, "NOTIFY_RECEIPT_TOKEN", "")
    home = people("admin@example.org").get("/staff/").get_data(as_text=True)
    assert "NOTIFY_RECEIPT_TOKEN is not set, so GOV.UK Notify&#39;s delivery receipts are refused" in home
    client = people("staff@example.org")
    send(client, plan_for_someone(client), method="email", email="jo@example.org")
    result = notify_app.test_cli_runner().invoke(args=["send-messages"])
    assert "Sent 1 message;" in result.output and "Nothing sent" not in result.output
