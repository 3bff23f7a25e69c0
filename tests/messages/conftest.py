"""Providers on loopback for the sending tests: a GOV.UK Notify stand-in that speaks the parts of Notify's API
Signpost uses (and checks its JWTs as Notify does), and a real SMTP server (aiosmtpd) with STARTTLS."""

from __future__ import annotations

import json
import re
import socket
import ssl
import subprocess
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"signpost_test-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
SMS_TEMPLATE = "a1b2c3d4-0000-4000-8000-000000000001"
RECEIPT_TOKEN = "a-long-random-callback-token-for-tests"
LETTER_TEMPLATE = "a1b2c3d4-0000-4000-8000-000000000002"
# As Notify's letter API: address_line_1 to 7, at least 3 lines, the last a real UK postcode.
_UK_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-BD-HJLNP-UW-Z]{2})|(BFPO?(C/O)?[0-9]{1,4})|(GIR0AA)")


@dataclass
class FakeNotify:
    """What the test wants answered (a list of status codes, or "slow" to answer too late) and what arrived."""

    url: str = ""
    answers: list = field(default_factory=list)
    received: list = field(default_factory=list)  # every notification accepted: (kind, body)
    requests: int = 0
    slow_seconds: float = 2.0
    released: threading.Event = field(default_factory=threading.Event)  # ends every slow answer at teardown
    statuses: dict = field(default_factory=dict)  # a notification's status, once a test sets it; else "sending"
    status_requests: list = field(default_factory=list)  # the ids asked about with GET /v2/notifications/<id>

    def by_reference(self, reference: str) -> list[dict]:
        return [n for n in self.received if n["reference"] == reference]

    def set_status(self, notification_id: str, status: str) -> None:
        self.statuses[notification_id] = status


CANNED = {  # Notify's own words for the refusals the tests ask for
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    429: ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
}


def _error(status: int, error: str, message: str) -> dict:
    return {"status_code": status, "errors": [{"error": error, "message": message}]}


class NotifyHandler(BaseHTTPRequestHandler):
    notify: FakeNotify  # set for each server by the fixture

    def log_message(self, *args) -> None:  # quiet
        pass

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        """As Notify's API: a Bearer JWT whose issuer is a known service, signed with one of its keys."""
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            self._answer(401, _error(401, "AuthError", "Unauthorized: authentication token must be provided"))
            return False
        token = header.removeprefix("Bearer ")
        try:
            if get_token_issuer(token) != SERVICE_ID:
                raise TokenError("Invalid token: service not found")
            decode_jwt_token(token, SECRET)
        except TokenError as error:
            self._answer(403, _error(403, "AuthError", error.message))
            return False
        return True

    def _notification(self, notification_id: str) -> None:
        """GET /v2/notifications/<id>, answered as Notify does (DOCUMENTATION.md, "Get the status of one message")."""
        self.notify.status_requests.append(notification_id)
        try:
            uuid.UUID(notification_id)
        except ValueError:
            self._answer(400, _error(400, "ValidationError", "id is not a valid UUID"))
            return
        found = [n for n in self.notify.received if n["id"] == notification_id]
        if not found:
            self._answer(404, _error(404, "NoResultFound", "No result found"))
            return
        n = found[0]
        status = self.notify.statuses.get(notification_id, "sending")
        field = "email_address" if n["kind"] == "email" else "phone_number"
        self._answer(
            200,
            {
                "id": n["id"],
                "reference": n["reference"],
                field: n[field],
                "type": n["kind"],
                "status": status,
                "template": {"id": n["template_id"], "version": 1, "uri": f"/v2/template/{n['template_id']}/1"},
                "body": n["personalisation"].get("body", ""),
                "subject": n["personalisation"].get("subject"),
                "created_at": "2026-12-05T10:00:00.000000Z",
                "created_by_name": None,
                "sent_at": "2026-12-05T10:00:01.000000Z",
                "completed_at": None if status in ("created", "sending", "pending") else "2026-12-05T10:00:05.000000Z",
            },
        )

    def do_GET(self) -> None:
        if not self._authorised():
            return
        path = urlsplit(self.path).path
        if path.startswith("/v2/notifications/"):
            self._notification(path.removeprefix("/v2/notifications/"))
            return
        query = parse_qs(urlsplit(self.path).query)
        found = self.notify.by_reference(query.get("reference", [""])[0])
        self._answer(200, {"notifications": [{"id": n["id"], "reference": n["reference"]} for n in found]})

    def do_POST(self) -> None:
        self.notify.requests += 1
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if not self._authorised():
            return
        kind = {
            "/v2/notifications/email": "email",
            "/v2/notifications/sms": "sms",
            "/v2/notifications/letter": "letter",
        }.get(self.path)
        if kind is None:
            self._answer(404, _error(404, "BadRequestError", "Not found"))
            return
        if kind == "letter" and (problem := _letter_address_problem(body.get("personalisation") or {})):
            self._answer(400, _error(400, "ValidationError", problem))
            return
        answer = self.notify.answers.pop(0) if self.notify.answers else 201
        if answer == "slow":  # accepted, but the answer comes after the client has stopped waiting
            self.notify.received.append({"id": str(uuid.uuid4()), "kind": kind, **body})
            self.notify.released.wait(self.notify.slow_seconds)
            return
        if answer == 201:
            notification = {"id": str(uuid.uuid4()), "kind": kind, **body}
            self.notify.received.append(notification)
            self._answer(201, {"id": notification["id"], "reference": body.get("reference")})
        else:
            error, message = CANNED.get(answer, ("Exception", "Internal server error"))
            self._answer(answer, _error(answer, error, message))


def _letter_address_problem(personalisation: dict) -> str | None:
    """Notify's answer to a letter's address, as its API checks it (None: accepted)."""
    if "address_line_1" not in personalisation:
        return "personalisation address_line_1 is a required property"
    lines = [str(personalisation.get(f"address_line_{n}") or "").strip() for n in range(1, 8)]
    lines = [line for line in lines if line]
    if len(lines) < 3:
        return "Address must be at least 3 lines"
    if any(line[0] in '[]\\/()@<>",=~' for line in lines):
        return "Address lines must not start with any of the following characters: @ ( ) = [ ] ” \\ / , < > ~"
    if not _UK_POSTCODE.fullmatch(re.sub(r"\s", "", lines[-1]).upper()):
        return "Must be a real UK postcode"
    return None


@pytest.fixture
def notify():
    state = FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (NotifyHandler,), {"notify": state}))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.released.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def notify_app(app, notify, monkeypatch):
    """The suite's app sending through the Notify stand-in."""
    settings = {
        "NOTIFICATION_BACKEND": "notify",
        "NOTIFY_API_KEY": API_KEY,
        "NOTIFY_BASE_URL": notify.url,
        "NOTIFY_EMAIL_TEMPLATE_ID": EMAIL_TEMPLATE,
        "NOTIFY_SMS_TEMPLATE_ID": SMS_TEMPLATE,
        "NOTIFY_RECEIPT_TOKEN": RECEIPT_TOKEN,
        "NOTIFY_LETTER_TEMPLATE_ID": LETTER_TEMPLATE,
        "MESSAGE_TIMEOUT_SECONDS": 0.5,
    }
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    return app


@pytest.fixture
def smtp_app(app, mail_server, monkeypatch):
    """The suite's app sending email through the SMTP server below."""
    settings = {
        "NOTIFICATION_BACKEND": "smtp",
        "SMTP_URL": f"smtp://localhost:{mail_server.port}",
        "SMTP_FROM": "plans@charnwood.example.gov.uk",
    }
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    return app


class Mailbox:
    def __init__(self) -> None:
        self.messages: list = []
        self.port = 0
        self.refuse = False  # refuse every recipient, quoting the address as mail servers do

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd's handler hook
        if self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A self-signed certificate for localhost, trusted by the tests through SSL_CERT_FILE."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def mail_server(certificate, monkeypatch):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()
    with socket.socket() as probe:  # a free port: aiosmtpd's Controller cannot be given 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(
        mailbox, hostname="localhost", port=port, tls_context=context, require_starttls=True, auth_require_tls=True
    )
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    mailbox.port = port
    yield mailbox
    controller.stop()
