"""Odd input on every route, as every role: nothing a client sends gives a 5xx, on SQLite or PostgreSQL.

Every route in tests/route-list.json is requested as each role with real ids, then, as the first role it
lets in, with odd values in each part of its address and in its query. Every form on every page (as the
first role that sees it) is sent with every field at once missing, twice, or each odd value; a form the
page gives in a state that is accepted is also sent with each field in turn odd, so that the code saving
it sees them. The API gets JSON with each field and answer odd or of the wrong type, and whole bodies
that are not an object or too deep to read; the directory import gets odd files. The odd values are fixed
lists (below), so every run sends the same requests.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers import (
    CHAMPIONS,
    NEW_ENTRY,
    OFFLINE,
    answer_every_question,
    csrf_token,
    log_session,
    start_support,
    upload_directory_csv,
)
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from triage.core.booking_slots import parse_slot_key, slot_key, wall_clock
from triage.web.accounts import reset_links
from triage.web.assessments.journey import PAGES
from triage.web.booking.service import today as booking_today
from triage.web.extensions import db
from triage.web.models import (
    Availability,
    Booking,
    Closure,
    HelpSession,
    OutboxMessage,
    Proposal,
    Resource,
    StaffUser,
    WaitingListEntry,
)
from triage.web.shell import errors

pytestmark = pytest.mark.usefixtures("directory_restored")

ROUTES = json.loads((Path(__file__).parents[1] / "route-list.json").read_text())
PARAMETER = re.compile(r"<(?:[^:>]+:)?(\w+)>")

# Sent as bytes, percent-encoded wherever they go: what a program (not a browser) can send.
ODD = {
    "a NUL byte": b"a\x00b",
    "a lone surrogate": "\ud800".encode("utf-8", "surrogatepass"),  # U+FFFD in a path, %ED%A0%80 text elsewhere
    "very long text": b"x" * 5000,
    "a 30-digit number": b"9" * 30,
    "a negative number": b"-1",
    "nothing": b"",
}
# Query names the views read beyond their GET forms' fields.
QUERY_NAMES = ("page", "lang", "language", "version", "format", "table", "year", "next", "change", "per_page")
ROLES = ("admin", "partner", "champion", "staff", "anonymous")
# Sent last, as they delete a session log, sign out, start again, erase the plan or deactivate an account.
LAST = (
    "staff.delete_help_session",
    "staff.change_account",
    "staff.erase_plan_view",
    "resident.start_again",
    "staff.sign_out_view",
)
ROUTES.sort(key=lambda route: route["endpoint"] in LAST)
# Plausible values for empty text fields, so that a form's checks pass and its saving code runs too.
FILL = {"name": "Jo Bloggs", "phone": "07700 900982", "email": "jo@example.org", "postcode": "LE11 3DU"}


@dataclass
class World:
    """Clients signed in as each role, and a real value for every part of every address."""

    clients: dict
    values: dict[str, str]


RECEIPT_TOKEN = "odd-input-receipt-token"
# Requests a program makes carry its credentials: GOV.UK Notify's receipts bring the council's bearer token.
HEADERS = {"receipts.delivery_receipt": {"Authorization": f"Bearer {RECEIPT_TOKEN}"}}
RECEIPT = {
    "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
    "to": "jo@example.org",
    "status": "delivered",
    "created_at": "2026-12-05T10:00:00.000000Z",
    "completed_at": "2026-12-05T10:00:05.000000Z",
    "sent_at": "2026-12-05T10:00:01.000000Z",
    "notification_type": "email",
    "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
    "template_version": 1,
}


@pytest.fixture(autouse=True)
def receipt_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_RECEIPT_TOKEN", RECEIPT_TOKEN)


# A backend that sends texts, emails and letters, so that every form for sending a plan is on its page.
SENDS_EVERYTHING = {
    "NOTIFICATION_BACKEND": "notify",
    "NOTIFY_API_KEY": "signpost_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0",
    "NOTIFY_EMAIL_TEMPLATE_ID": "f33517ff-2a88-4f6e-b855-c550268ce08a",
    "NOTIFY_SMS_TEMPLATE_ID": "a1b2c3d4-0000-4000-8000-000000000001",
    "NOTIFY_LETTER_TEMPLATE_ID": "a1b2c3d4-0000-4000-8000-000000000002",
}


@pytest.fixture
def world(app, people, make_user, plan, referral, monkeypatch) -> World:
    for name, value in SENDS_EVERYTHING.items():
        monkeypatch.setitem(app.config, name, value)
    make_user("partner", email="partner@example.org", organisation=CHAMPIONS)
    make_user("staff", email="spare@example.org")
    make_user("staff", email="forgetful@example.org")
    reference, resource_id = plan
    clients = {
        "admin": people("admin@example.org"),
        "partner": people("partner@example.org"),
        "champion": start_support(people("champion@example.org"), referral),
        "staff": people("staff@example.org"),
        "anonymous": people(None),
    }
    clients["partner"].post(
        "/staff/entries/new", data={"csrf_token": csrf_token(clients["partner"], "/staff/entries/new"), **NEW_ENTRY}
    )
    with app.app_context():
        spare = db.session.execute(select(StaffUser.id).where(StaffUser.email == "spare@example.org")).scalar_one()
        proposal = db.session.execute(select(func.min(Proposal.id))).scalar_one()
        resource = db.session.get(Resource, resource_id)
        slug, ward = resource.slug, resource.ward_code
    with app.test_request_context():
        forgetful = db.session.execute(select(StaffUser).where(StaffUser.email == "forgetful@example.org")).scalar_one()
        admin = db.session.execute(select(StaffUser).where(StaffUser.email == "admin@example.org")).scalar_one()
        reset_link = reset_links.reset(forgetful, admin).link  # a live link, for the page it opens
        db.session.commit()
    answer_every_question(clients["anonymous"], OFFLINE)  # so every question page and the summary can be seen
    log_session(clients["champion"])  # a session log to correct and delete
    with app.app_context():
        log_id = db.session.execute(select(func.max(HelpSession.id))).scalar_one()
    times = _bookable(app, clients, reference, resource_id)
    values = {
        "reference": reference,
        "resource_id": str(resource_id),
        "referral_id": str(referral),
        "user_id": str(spare),
        "action": "deactivate",
        "proposal_id": str(proposal),
        "slug": slug,
        "code": ward,
        "page": "who_for",
        "channel": "sms",
        "filename": "signpost.css",
        "token": reset_link.rsplit("/", 1)[1],
        "log_id": str(log_id),
        **times,
    }
    return World(clients, values)


def _bookable(app, clients, reference: str, resource_id: int) -> dict[str, str]:
    """Times to book at the plan's help, a closure, a time chosen in the anonymous journey, and a booking this
    session found, whose reference is the plan's (the addresses share one value for "reference")."""
    champion, anonymous = clients["champion"], clients["anonymous"]
    soon, later = booking_today() + timedelta(days=3), booking_today() + timedelta(days=40)
    path = f"/staff/availability/{resource_id}"
    dated = {"title": "Odd input", "mode": "in_person", "starts": "14:00", "ends": "15:00", "places": "50"}
    dated["on_date"] = [str(soon.day), str(soon.month), str(soon.year)]
    champion.post(f"{path}/sessions", data={"csrf_token": csrf_token(champion, f"{path}/sessions"), **dated})
    closed = {"first_day": [str(later.day), str(later.month), str(later.year)], "reason": "Odd input"}
    closed["last_day"] = closed["first_day"]
    champion.post(f"{path}/closures", data={"csrf_token": csrf_token(champion, f"{path}/closures"), **closed})
    base = f"/plan/{reference}/book/{resource_id}"
    slot = BeautifulSoup(anonymous.get(base).get_data(as_text=True), "html.parser").select_one("input[name=slot]")
    anonymous.post(base, data={"csrf_token": csrf_token(anonymous, base), "slot": slot["value"]})
    offer_id, starts_at = parse_slot_key(slot["value"]) or (0, None)
    with app.app_context():
        closure_id = db.session.execute(select(func.max(Closure.id))).scalar_one()
        db.session.add(
            Booking(
                reference=reference,
                availability_id=offer_id,
                resource_id=resource_id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                seat=50,
                mode="in_person",
            )
        )
        # Today's bookings on the champion's day: one to mark, and one marked attended, whose session to log.
        now = datetime.now(UTC).replace(microsecond=0)
        today_ones = [
            Booking(
                reference=f"ODD-TODAY-{n}",
                availability_id=offer_id,
                resource_id=resource_id,
                starts_at=now - timedelta(minutes=n),
                ends_at=now + timedelta(minutes=30),
                seat=1,
                mode="in_person",
                status=status,
                marked_at=now if status == "attended" else None,
            )
            for n, status in ((1, "booked"), (2, "attended"))
        ]
        db.session.add_all(today_ones)
        db.session.commit()
        attended = today_ones[1].id
    anonymous.post("/bookings", data={"csrf_token": csrf_token(anonymous, "/bookings"), "reference": reference})
    return {
        "availability_id": str(offer_id),
        "closure_id": str(closure_id),
        "booking_id": str(attended),
        **_waiting(app, clients, reference, resource_id),
    }


def _waiting(app, clients, reference: str, resource_id: int) -> dict[str, str]:
    """A full course of two places (one booked, one held for someone offered it from its waiting list, whose
    reference is the plan's), found by the anonymous session, which has started joining the list too."""
    champion, anonymous = clients["champion"], clients["anonymous"]
    on = booking_today() + timedelta(days=5)
    path = f"/staff/availability/{resource_id}/sessions"
    dated = {"title": "Full course", "mode": "in_person", "starts": "10:00", "ends": "11:00", "places": "2"}
    dated["on_date"] = [str(on.day), str(on.month), str(on.year)]
    champion.post(path, data={"csrf_token": csrf_token(champion, path), **dated})
    with app.app_context():
        course = db.session.execute(select(Availability).where(Availability.title == "Full course")).scalar_one()
        starts_at = wall_clock(on, course.starts).astimezone(UTC)
        place = {"availability_id": course.id, "resource_id": resource_id, "starts_at": starts_at, "mode": "in_person"}
        held = Booking(reference="HELD-HELD-HELD", seat=2, status="held", **place, ends_at=starts_at)
        held.held_until = starts_at - timedelta(days=1)
        db.session.add_all([Booking(reference="FULL-FULL-FULL", seat=1, ends_at=starts_at, **place), held])
        db.session.flush()
        entry = WaitingListEntry(
            reference=reference,
            availability_id=course.id,
            resource_id=resource_id,
            starts_at=starts_at,
            email="jo@example.org",
            status="offered",
            booking_id=held.id,
        )
        db.session.add(entry)
        db.session.commit()
        key, entry_id = slot_key(course.id, starts_at), str(entry.id)
    found = {"csrf_token": csrf_token(anonymous, "/waiting-list"), "reference": reference, "contact": "jo@example.org"}
    anonymous.post("/waiting-list", data=found)
    base = f"/plan/{reference}/book/{resource_id}/waiting-list/{key}"
    anonymous.post(base, data={"csrf_token": csrf_token(anonymous, base), "first_name": "Jo"})
    anonymous.post(f"{base}/contact", data={"csrf_token": csrf_token(anonymous, base), "email": "jo@example.org"})
    return {"slot_key": key, "entry_id": entry_id}


class Problems:
    """Every 5xx (or crash) seen, with what was sent and the error the log recorded."""

    def __init__(self, caplog):
        self.caplog = caplog
        self.found: list[str] = []
        self.sent = 0

    def send(self, client, what: str, method: str, path: str, **kwargs):
        self.sent += 1
        self.caplog.clear()
        try:
            response = client.open(path, method=method, **kwargs)
        except (Exception, AssertionError) as error:  # a crash in an error handler, or a page the checker refuses
            self.found.append(f"{what}: {method} {path[:120]} raised {error!r}"[:400])
            return None
        if response.status_code >= 500:
            logged = [r.exc_info[1] for r in self.caplog.records if r.exc_info]
            self.found.append(f"{what}: {method} {path[:120]} gave {response.status_code} {logged!r}"[:400])
        return response


@pytest.fixture
def problems(caplog, monkeypatch):
    # Alembic's logging set-up (the migrations in conftest) disables the loggers that existed before it.
    monkeypatch.setattr(logging.getLogger(errors.__name__), "disabled", False)
    return Problems(caplog)


def _fill(rule: str, values: dict[str, str], odd: tuple[str, str] | None = None) -> str:
    def part(match: re.Match) -> str:
        name = match.group(1)
        return odd[1] if odd and odd[0] == name else quote(values.get(name, "x"), safe="")

    return PARAMETER.sub(part, rule)


def _method(route: dict) -> str:
    return "GET" if "GET" in route["methods"] else route["methods"][0]


def _reaches(response) -> bool:
    """Whether a request got past the sign-in and permission checks."""
    if response is None or response.status_code in (401, 403):
        return False
    return not (response.status_code == 302 and "/staff/sign-in" in response.headers.get("Location", ""))


def test_no_address_gives_a_server_error(world, problems):
    tokens = {role: csrf_token(client, "/find-your-plan") for role, client in world.clients.items()}
    unreached = []
    for route in ROUTES:
        real = _fill(route["rule"], world.values)
        reaching = [role for role in ROLES if _reaches(_send_to(problems, world, tokens, route, role, "", real))]
        if not reaching:
            unreached.append(route["endpoint"])
        role = reaching[0] if reaching else "admin"
        for name in PARAMETER.findall(route["rule"]):
            for label, value in ODD.items():
                path = _fill(route["rule"], world.values, (name, quote(value)))
                if value:
                    _send_to(problems, world, tokens, route, role, f"with {label} as <{name}>", path)
        if _method(route) == "GET":
            for label, value in ODD.items():
                query = "&".join(f"{name}={quote(value)}" for name in QUERY_NAMES)
                _send_to(problems, world, tokens, route, role, f"with {label} in the query", f"{real}?{query}")
    assert unreached == ["staff.sign_out_view"]  # it signs each role out, and then sends them to sign in
    assert not problems.found, "\n".join(problems.found)


def _send_to(problems, world: World, tokens: dict[str, str], route: dict, role: str, what: str, path: str):
    """A route's own method, with the role's CSRF token if it posts."""
    method = _method(route)
    data = {"csrf_token": tokens[role]} if method == "POST" else None
    headers = HEADERS.get(route["endpoint"], {})
    what = f"{route['endpoint']} {what} as {role}"
    return problems.send(world.clients[role], what, method, path, data=data, headers=headers)


# Forms: found on the pages, sent as a browser would, then with each field odd.


@dataclass
class Form:
    endpoint: str
    method: str
    action: str
    fields: list[tuple[str, bytes | tuple[bytes, str]]]  # in page order; a file is (content, filename)
    names: list[str]  # every field, also the boxes not ticked
    multipart: bool


def _forms(app, page_path: str, response, values: dict[str, str]) -> Iterator[Form]:
    adapter = app.url_map.bind("localhost")
    fill = {**FILL, "reference": values["reference"]}
    for form in BeautifulSoup(response.get_data(as_text=True), "html.parser").find_all("form"):
        method = form.get("method", "get").upper()
        action = urljoin(page_path, form.get("action") or page_path)
        try:
            endpoint, _ = adapter.match(urlsplit(action).path, method=method)
        except HTTPException:
            continue
        elements = [e for e in form.find_all(["input", "select", "textarea", "button"]) if e.get("name")]
        sent = [(e["name"], _browser_value(e, form, fill)) for e in elements]
        fields = [(name, value) for name, value in sent if value is not None]
        names = list(dict.fromkeys(e["name"] for e in elements))
        yield Form(endpoint, method, action, fields, names, form.get("enctype") == "multipart/form-data")


def _browser_value(element, form, fill: dict[str, str]) -> bytes | tuple[bytes, str] | None:
    """What a browser sends for a field as the page gives it (None: nothing), with empty text filled in."""
    name = element["name"]
    kind = element.get("type", "text") if element.name == "input" else element.name
    if kind == "file":
        return (b"id,kind\n", "directory.csv")
    if kind in ("radio", "checkbox"):
        first_of_none_chosen = kind == "radio" and not form.find(attrs={"name": name, "checked": True})
        chosen = element.has_attr("checked") or (first_of_none_chosen and form.find(attrs={"name": name}) is element)
        return element.get("value", "on").encode() if chosen else None
    if kind == "select":
        option = element.find("option", selected=True) or element.find("option")
        return (option.get("value", option.get_text()) if option else "").encode()
    if kind == "textarea":
        return element.get_text().encode()
    if kind in ("submit", "button", "reset", "image"):
        return None
    return (element.get("value", "") or fill.get(name.rsplit("-", 1)[-1], "")).encode()


def _encode(fields, multipart: bool) -> tuple[bytes, str]:
    if not multipart:
        return b"&".join(
            quote(k).encode() + b"=" + quote(v).encode() for k, v in fields
        ), "application/x-www-form-urlencoded"
    body = io.BytesIO()
    for name, value in fields:
        body.write(b'--B\r\nContent-Disposition: form-data; name="' + name.encode() + b'"')
        if isinstance(value, tuple):
            value, filename = value
            body.write(b'; filename="' + filename.encode() + b'"\r\nContent-Type: text/csv')
        body.write(b"\r\n\r\n" + value + b"\r\n")
    body.write(b"--B--\r\n")
    return body.getvalue(), "multipart/form-data; boundary=B"


def _variants(form: Form) -> Iterator[tuple[str, list]]:
    """Every field at once missing, twice, or each odd value: the form's checks see them all."""
    names = [name for name in form.names if name != "csrf_token"]
    token = [(k, v) for k, v in form.fields if k == "csrf_token"]
    yield "every field missing", token
    yield "every field twice", [*token, *((name, value) for name in names for value in (b"a", b"b"))]
    for label, value in ODD.items():
        yield f"every field {label}", [*token, *((name, value) for name in names)]


def _one_field_variants(form: Form) -> Iterator[tuple[str, list]]:
    """Each field in turn missing, twice, or each odd value, the others as the page gives them: for a form the
    page gives in a state that is accepted, so that the code that saves it sees each odd value too. (A NUL
    is refused as the body is read, whichever field holds it, and a surrogate is text like any other in a
    form; `_variants` sends them, and nothing, in every field.)"""
    for name in form.names:
        if name == "csrf_token":
            continue
        others = [(k, v) for k, v in form.fields if k != name]
        yield f"{name} missing", others
        yield f"{name} twice", [*others, (name, b"a"), (name, b"b")]
        for label, value in ODD.items():
            if label not in ("a NUL byte", "a lone surrogate", "nothing"):
                yield f"{name} {label}", [*others, (name, value)]


def _send_form(problems, client, form: Form, what: str, fields):
    body, content_type = _encode(fields, form.multipart)
    if form.method == "GET":
        return problems.send(client, what, "GET", f"{urlsplit(form.action).path}?{body.decode()}")
    return problems.send(client, what, form.method, form.action, data=body, content_type=content_type)


def _accepted(response) -> bool:
    return response is not None and (
        response.status_code == 200 or (response.status_code == 302 and _reaches(response))
    )


def test_no_form_field_gives_a_server_error(app, world, problems):
    found: dict[tuple[str, str, tuple[str, ...]], tuple[str, Form]] = {}
    admin = world.clients["admin"]
    export = admin.get("/staff/directory/export.csv").get_data(as_text=True)
    pages = [(role, _fill(r["rule"], world.values)) for r in ROUTES if "GET" in r["methods"] for role in ROLES]
    pages += [("anonymous", f"/questions/{page}") for page in PAGES]
    for role, path in pages:
        response = world.clients[role].get(path)
        if response.status_code == 200 and response.mimetype == "text/html":
            for form in _forms(app, path, response, world.values):
                found.setdefault((form.endpoint, form.method, tuple(form.names)), (role, form))
    checked = upload_directory_csv(admin, export)
    for form in _forms(app, "/staff/directory/import", checked, world.values):
        found.setdefault((form.endpoint, form.method, tuple(form.names)), ("admin", form))
    posted = {r["endpoint"] for r in ROUTES if "POST" in r["methods"]} - {"api.create", *HEADERS}  # JSON: below
    assert posted <= {key[0] for key in found}, f"no form found for {posted - {key[0] for key in found}}"
    accepted = set()
    for (endpoint, method, _), (role, form) in sorted(found.items(), key=lambda item: item[0][0] in LAST):
        client, what = world.clients[role], f"{endpoint} {method} as {role}"
        if _accepted(_send_form(problems, client, form, f"{what}: as the page gives it", form.fields)):
            accepted.add(endpoint)
            for variant, fields in _one_field_variants(form):
                _send_form(problems, client, form, f"{what}: {variant}", fields)
        for variant, fields in _variants(form):
            _send_form(problems, client, form, f"{what}: {variant}", fields)
        if form.method == "POST":
            token = {"X-CSRFToken": csrf_token(client, "/find-your-plan")}
            for body in ('"x"', "[1]", json.dumps(dict.fromkeys(form.names, 5)), json.dumps(dict.fromkeys(form.names))):
                problems.send(
                    client,
                    f"{what}: JSON {body}"[:200],
                    "POST",
                    form.action,
                    data=body,
                    content_type="application/json",
                    headers=token,
                )
    saving = {"staff.edit_entry", "staff.propose_edit", "staff.follow_up", "staff.directory_import_apply"}
    assert saving | {"resident.question", "resident.contact_me"} <= accepted  # so each field reached their saving
    assert not problems.found, "\n".join(problems.found)


# The API's JSON: every field, and every answer, odd or of the wrong type.

DEEP: list = []
for _ in range(500):  # deep, but not too deep to read: a whole body too deep to read is below
    DEEP = [DEEP]
ODD_JSON = {
    "a NUL byte": "a\x00b",
    "a lone surrogate": "\ud800",
    "very long text": "x" * 5000,
    "a 30-digit number": 10**30,
    "a negative number": -1,
    "a huge float": 1e308,
    "nothing": "",
    "null": None,
    "true": True,
    "a list": ["a", None, 1],
    "an object": {"a\x00": 1, "b": {}},
    "deep nesting": DEEP,
}
ODD_BODIES = {
    "deep nesting": b"[" * 30_000 + b"]" * 30_000,
    "a list": b"[]",
    "a string": b'"x"',
    "not JSON": b"{'postcode': 1}",
    "bytes that are not UTF-8": b'{"postcode": "\xff"}',
    "raw surrogate bytes": b'{"postcode": "\xed\xa0\x80"}',
    "a NUL key": b'{"\\u0000": 1}',
    "nothing": b"",
}


def test_no_api_body_gives_a_server_error(client, problems):
    good = {"postcode": "LE11 3DU", "answers": OFFLINE}
    for name in ("postcode", "ward", "answers", *OFFLINE):
        for label, value in ODD_JSON.items():
            body = (
                {**good, name: value}
                if name in good or name == "ward"
                else {**good, "answers": {**OFFLINE, name: value}}
            )
            data = json.dumps(body, allow_nan=True).encode()
            problems.send(
                client, f"{name} {label}", "POST", "/api/v1/assessments", data=data, content_type="application/json"
            )
    for label, data in ODD_BODIES.items():
        problems.send(
            client, f"body {label}", "POST", "/api/v1/assessments", data=data, content_type="application/json"
        )
    assert not problems.found, "\n".join(problems.found)


def test_no_receipt_body_gives_a_server_error(app, client, problems):
    """GOV.UK Notify's delivery receipts, with each field odd or of the wrong type, for a message Signpost has
    sent through Notify."""
    with app.app_context():
        message = OutboxMessage(kind="email", recipient="jo@example.org", body="A plan", status="sent")
        message.provider_id = RECEIPT["id"]
        db.session.add(message)
        db.session.commit()
        receipt = {**RECEIPT, "reference": f"signpost-message-{message.id}"}
    headers = HEADERS["receipts.delivery_receipt"]
    for name in receipt:
        for label, value in ODD_JSON.items():
            data = json.dumps({**receipt, name: value}, allow_nan=True).encode()
            path = "/notify/delivery-receipts"
            problems.send(client, f"receipt {name} {label}", "POST", path, data=data, headers=headers)
    for label, data in ODD_BODIES.items():
        problems.send(client, f"receipt body {label}", "POST", "/notify/delivery-receipts", data=data, headers=headers)
    assert not problems.found, "\n".join(problems.found)


# The directory import: odd files.

HEADER = "id,kind,name,description,coverage,needs,free"
ROW = "new-one,course,A course,Learn,borough,course,yes"
ODD_FILES = {
    "a NUL in a cell": f"{HEADER}\n{ROW}\x00\n".encode(),
    "a NUL in the header": f"{HEADER}\x00\n{ROW}\n".encode(),
    "lines ending in CR alone": f"{HEADER}\r{ROW}\r".encode(),
    "a cell over 131,072 characters": f"{HEADER}\n{ROW}{'x' * 131_073}\n".encode(),
    "a header over 131,072 characters": f"{HEADER}{'x' * 131_073}\n".encode(),
    "a quote never closed": f'{HEADER}\n{ROW},"open\n'.encode(),
    "bytes that are not UTF-8": b"id,kind\n\xff\xfe\n",
    "UTF-16": HEADER.encode("utf-16"),
    "a byte-order mark": ("\ufeff" + f"{HEADER}\n{ROW}\n").encode(),
    "nothing": b"",
    "only a header": HEADER.encode(),
    "binary": bytes(range(256)) * 4,
}


def test_no_directory_file_gives_a_server_error(people, problems):
    admin = people("admin@example.org")
    for label, content in ODD_FILES.items():
        for name in ("directory.csv", "a\x00.csv", "\u00e9.csv"):
            data = {"csrf_token": csrf_token(admin, "/staff/directory/import"), "file": (io.BytesIO(content), name)}
            problems.send(admin, f"a file with {label} named {name!r}", "POST", "/staff/directory/import", data=data)
    assert not problems.found, "\n".join(problems.found)
