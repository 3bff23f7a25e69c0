"""Plans reaching people in their language: a resident sends their own plan to their phone or email from the
plan page, staff send one in a language they choose, and staff post one as a letter; each through the GOV.UK
Notify stand-in (tests/messages/conftest.py), which checks a letter's address as Notify does."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import EMAIL_TEMPLATE, LETTER_TEMPLATE, SMS_TEMPLATE
from helpers import OFFLINE, answer, answer_every_question, csrf_token, errors, page_text
from sqlalchemy import select

from triage.web.extensions import db
from triage.web.messages.delivery import send_batch
from triage.web.models import AuditEvent, OutboxMessage

MOBILE = "07700 900982"
LANDLINE = "01509 263151"
LONG = "x" * 2000


def resident_plan(client, lang: str | None = None) -> str:
    """A resident's plan, made through the journey, read in `lang`: its path."""
    if lang:
        client.get(f"/?lang={lang}")
    answer_every_question(client, OFFLINE)
    token = csrf_token(client, "/check-your-answers")
    return client.post("/check-your-answers", data={"csrf_token": token}).headers["Location"]


def send_to(client, plan_url: str, channel: str, to: str):
    token = csrf_token(client, f"{plan_url}/send/{channel}")
    return client.post(f"{plan_url}/send/{channel}", data={"csrf_token": token, "to": to})


def queued(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(found)


def audit_details(app, action: str = "plan sent") -> list[str]:
    with app.app_context():
        details = select(AuditEvent.detail).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list(db.session.scalars(details))


def batch(app):
    with app.app_context():
        return send_batch()


def link_to_send(page, text: str = "Send this plan to my phone or email") -> bool:
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    return soup.find("a", string=text) is not None


# --- Residents --------------------------------------------------------------------------------------------


def test_a_resident_sends_their_plan_by_text_and_notify_gets_it(notify_app, notify, client):
    plan_url = resident_plan(client)
    plan_page = client.get(plan_url)
    assert link_to_send(plan_page)
    choose = client.get(f"{plan_url}/send")
    assert "How would you like us to send your plan?" in page_text(choose)
    token = csrf_token(client, f"{plan_url}/send")
    chosen = client.post(f"{plan_url}/send", data={"csrf_token": token, "channel": "sms"})
    assert chosen.headers["Location"] == f"{plan_url}/send/sms"
    form = page_text(client.get(f"{plan_url}/send/sms"))
    assert "What is your mobile phone number?" in form
    assert "We will use your number only to send you this plan. We delete it once the message has been delivered." in (
        form
    )

    sent = send_to(client, plan_url, "sms", MOBILE)
    assert sent.headers["Location"] == f"{plan_url}/sent"
    confirmation = page_text(client.get(sent.headers["Location"]))
    assert "Your plan is on its way" in confirmation and "ending 982" in confirmation
    assert "900982" not in confirmation and "07700" not in confirmation

    assert batch(notify_app).sent == 1
    [sms] = notify.received
    reference = plan_url.rsplit("/", 1)[1]
    assert (sms["kind"], sms["phone_number"], sms["template_id"]) == ("sms", "+447700900982", SMS_TEMPLATE)
    assert reference in sms["personalisation"]["body"] and "Start here:" in sms["personalisation"]["body"]
    [message] = queued(notify_app)
    assert (message.template, message.language, message.sent_by_id) == ("plan-sms", "en", None)
    assert audit_details(notify_app) == ["by text message, by the resident"]


def test_a_resident_reading_polish_gets_their_plan_by_email_in_polish(notify_app, notify, client):
    plan_url = resident_plan(client, lang="pl")
    sent = send_to(client, plan_url, "email", "jo@example.org")
    assert sent.status_code == 302
    confirmation = page_text(client.get(sent.headers["Location"]))
    assert "jo@example.org" not in confirmation

    assert batch(notify_app).sent == 1
    [email] = notify.received
    assert (email["kind"], email["email_address"], email["template_id"]) == ("email", "jo@example.org", EMAIL_TEMPLATE)
    body = email["personalisation"]["body"]
    assert "Na początek: " in body  # "Start here: " in Polish, from the catalogue
    lines = body.splitlines()
    assert "Potem:" in lines and not any(line.startswith(("Start here", "After that")) for line in lines)
    [message] = queued(notify_app)
    assert message.language == "pl"
    assert audit_details(notify_app) == ["by email, by the resident"]


def test_with_the_outbox_backend_there_is_no_link_and_the_pages_are_not_found(client):
    plan_url = resident_plan(client)
    plan_page = client.get(plan_url)
    assert not link_to_send(plan_page) and not link_to_send(plan_page, "Send this plan to my email")
    assert client.get(f"{plan_url}/send").status_code == 404
    assert client.get(f"{plan_url}/send/sms").status_code == 404
    token = csrf_token(client, plan_url)
    assert client.post(f"{plan_url}/send/email", data={"csrf_token": token, "to": "jo@example.org"}).status_code == 404


def test_with_smtp_a_resident_is_offered_email_only(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFICATION_BACKEND", "smtp")
    plan_url = resident_plan(client)
    assert link_to_send(client.get(plan_url), "Send this plan to my email")
    assert client.get(f"{plan_url}/send").headers["Location"] == f"{plan_url}/send/email"
    assert client.get(f"{plan_url}/send/sms").status_code == 404
    assert "What is your email address?" in page_text(client.get(f"{plan_url}/send/email"))


@pytest.mark.parametrize(
    ("channel", "to", "message"),
    [
        ("sms", LANDLINE, "Enter a mobile number, like 07700 900 982"),
        ("sms", "", "Enter your mobile phone number"),
        ("sms", LONG, "Your mobile number must be 30 characters or fewer"),
        ("email", "jo@", "Enter an email address in the correct format, like name@example.com"),
        ("email", "jo@example", "Enter an email address in the correct format, like name@example.com"),
        ("email", "", "Enter your email address"),
        ("email", LONG, "Your email address must be 254 characters or fewer"),
    ],
)
def test_a_mistake_in_the_number_or_address_is_explained_and_nothing_is_sent(notify_app, client, channel, to, message):
    plan_url = resident_plan(client)
    refused = send_to(client, plan_url, channel, to)
    assert refused.status_code == 200
    assert errors(refused) == [message]
    assert queued(notify_app) == []
    assert audit_details(notify_app) == []


def test_a_plan_that_does_not_exist_cannot_be_sent(notify_app, client):
    assert client.get("/plan/AAAA-BBBB-CCCC/send").status_code == 404
    assert client.get("/plan/AAAA-BBBB-CCCC/send/sms").status_code == 404
    assert client.get("/plan/AAAA-BBBB-CCCC/sent", follow_redirects=True).status_code == 404


def test_the_confirmation_is_only_for_the_plan_just_sent(notify_app, client):
    plan_url = resident_plan(client)
    assert client.get(f"{plan_url}/sent").headers["Location"] == plan_url


def test_the_privacy_notice_says_what_happens_to_a_number_given_to_send_a_plan(client):
    text = page_text(client.get("/privacy"))
    assert "If you send your plan to yourself" in text
    assert "We delete it once the message has been delivered" in text


# --- Staff: the language of a plan they send --------------------------------------------------------------


def staff_plan(client) -> str:
    token = csrf_token(client, "/staff/assess")
    client.post("/staff/assess", data={"csrf_token": token, "channel": "counter", "consent": "y"})
    answer(client, "postcode", "LE11 3DU")
    for page, value in list(OFFLINE.items())[1:]:  # counter mode does not ask who the plan is for
        answer(client, page, value)
    token = csrf_token(client, "/check-your-answers")
    return client.post("/check-your-answers", data={"csrf_token": token}).headers["Location"]


def test_staff_send_a_plan_in_the_language_they_choose(notify_app, notify, signed_in):
    client = signed_in("staff")
    plan_url = staff_plan(client)
    page = BeautifulSoup(client.get(plan_url).get_data(as_text=True), "html.parser")
    select_box = page.find("select", id="language")  # the send form's (the print form has one too)
    options = select_box.find_all("option")
    assert options[0]["value"] == "en" and [o["value"] for o in options if o.has_attr("selected")] in ([], ["en"])
    token = csrf_token(client, plan_url)
    data = {"csrf_token": token, "consent": "y", "method": "email", "email": "jo@example.org", "language": "pl"}
    assert client.post(f"{plan_url}/send", data=data).status_code == 302
    assert batch(notify_app).sent == 1
    body = notify.received[0]["personalisation"]["body"]
    assert "Na początek: " in body and not any(line.startswith("Start here") for line in body.splitlines())
    assert [m.language for m in queued(notify_app)] == ["pl"]
    assert audit_details(notify_app) == ["by email"]


def test_staff_cannot_send_in_a_language_the_service_does_not_have(notify_app, signed_in):
    client = signed_in("staff")
    plan_url = staff_plan(client)
    data = {"csrf_token": csrf_token(client, plan_url), "consent": "y", "method": "sms", "mobile": MOBILE}
    assert client.post(f"{plan_url}/send", data={**data, "language": "xx"}).status_code == 400
    assert queued(notify_app) == []


# --- Staff: a plan posted as a letter ---------------------------------------------------------------------

ADDRESS = {
    "letter-name": "Jo  Bloggs",
    "letter-line_1": "12 High Street ,",
    "letter-line_2": "",
    "letter-line_3": "Loughborough",
    "letter-line_4": "",
    "letter-line_5": "",
    "letter-postcode": "le113du",
    "letter-language": "en",
    "letter-consent": "y",
}


def post_letter(client, plan_url, **changes):
    token = BeautifulSoup(client.get(plan_url).get_data(as_text=True), "html.parser").find(
        "input", attrs={"name": "letter-csrf_token"}
    )["value"]
    return client.post(f"{plan_url}/letter", data={**ADDRESS, "letter-csrf_token": token, **changes})


def test_staff_post_a_plan_and_notify_gets_the_address_lines_with_the_postcode_last(notify_app, notify, signed_in):
    client = signed_in("staff")
    plan_url = staff_plan(client)
    assert "Post this plan as a letter" in page_text(client.get(plan_url))
    posted = post_letter(client, plan_url, **{"letter-language": "pl"})
    assert posted.status_code == 302
    assert "Plan posted as a letter" in page_text(client.get(posted.headers["Location"]))
    [message] = queued(notify_app)
    assert message.recipient == "Jo Bloggs\n12 High Street\nLoughborough\nLE11 3DU"
    assert (message.kind, message.template, message.language) == ("letter", "plan-letter", "pl")

    assert batch(notify_app).sent == 1
    [letter] = notify.received
    assert (letter["kind"], letter["template_id"]) == ("letter", LETTER_TEMPLATE)
    personalisation = letter["personalisation"]
    assert [personalisation.get(f"address_line_{n}") for n in range(1, 5)] == [
        "Jo Bloggs",
        "12 High Street",
        "Loughborough",
        "LE11 3DU",
    ]
    assert "Na początek: " in personalisation["body"]
    details = audit_details(notify_app)
    assert details == ["by letter"]
    assert not any("Bloggs" in d or "High Street" in d or "LE11" in d for d in details)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"letter-line_1": LONG}, "letter-line_1", "Address line 1 must be 35 characters or fewer"),
        ({"letter-line_3": LONG}, "letter-line_3", "Address line 3 must be 35 characters or fewer"),
        ({"letter-name": LONG}, "letter-name", "The name must be 35 characters or fewer"),
        ({"letter-postcode": "LE99 9ZZZ"}, "letter-postcode", "Enter a real UK postcode, like LE11 3DU"),
        ({"letter-postcode": ""}, "letter-postcode", "Enter the postcode"),
        (
            {"letter-line_1": "", "letter-line_3": ""},
            "letter-line_1",
            "Enter the first line of the address, like 12 High Street",
        ),
        ({"letter-name": "  "}, "letter-name", "Enter the name of the person the letter is for"),
        (
            {"letter-line_1": "(Flat 2) 12 High Street"},
            "letter-line_1",
            'Address line 1 must not start with any of these: [ ] \\ / ( ) @ < > " , = ~',
        ),
        (
            {"letter-line_1": "No fixed abode"},
            "letter-line_1",
            "Letters cannot be posted to no fixed abode. Enter an address where they can get post",
        ),
        ({"letter-consent": ""}, "letter-consent", "Ask for their agreement before you post anything"),
    ],
)
def test_a_mistake_in_the_address_is_explained_and_nothing_is_queued(notify_app, signed_in, changes, field, message):
    client = signed_in("staff")
    plan_url = staff_plan(client)
    refused = post_letter(client, plan_url, **changes)
    assert refused.status_code == 400
    assert message in errors(refused)
    page = BeautifulSoup(refused.get_data(as_text=True), "html.parser")
    assert page.find(id=f"{field}-error") is not None
    assert queued(notify_app) == []
    assert audit_details(notify_app) == []


def test_the_stand_in_refuses_a_letter_with_too_few_lines_as_notify_does(notify_app, notify, app):
    """The worker's letter to Notify, with an address of two lines, is refused with Notify's reason."""
    with app.app_context():
        db.session.add(
            OutboxMessage(
                kind="letter", recipient="Jo Bloggs\nLE11 3DU", template="plan-letter", body="Hello", status="queued"
            )
        )
        db.session.commit()
    assert batch(notify_app).failed == 1
    [message] = queued(notify_app)
    assert message.status == "failed: GOV.UK Notify: Address must be at least 3 lines"
    assert notify.received == []


def test_letters_are_offered_only_where_notify_posts_them(app, notify_app, signed_in, monkeypatch):
    client = signed_in("staff")
    plan_url = staff_plan(client)
    monkeypatch.setitem(app.config, "NOTIFY_LETTER_TEMPLATE_ID", "")
    assert "Post this plan as a letter" not in page_text(client.get(plan_url))
    assert post_letter_without_form(client, plan_url).status_code == 404
    monkeypatch.setitem(app.config, "NOTIFY_TEMPLATES", {"plan-letter": {"en": LETTER_TEMPLATE}})
    page = BeautifulSoup(client.get(plan_url).get_data(as_text=True), "html.parser")
    languages = [o["value"] for o in page.find("select", id="letter-language").find_all("option")]
    assert languages == ["en"]  # the council's own letter template is in English only
    assert post_letter(client, plan_url, **{"letter-language": "pl"}).status_code == 400
    monkeypatch.setitem(app.config, "NOTIFICATION_BACKEND", "smtp")
    assert "Post this plan as a letter" not in page_text(client.get(plan_url))


def post_letter_without_form(client, plan_url):
    token = csrf_token(client, plan_url)
    return client.post(f"{plan_url}/letter", data={**ADDRESS, "letter-csrf_token": token})


@pytest.mark.parametrize(
    ("role", "allowed"), [("admin", True), ("staff", True), ("champion", False), ("partner", False)]
)
def test_only_staff_and_officers_post_plans(notify_app, people, make_user, role, allowed):
    plan_url = staff_plan(people("staff@example.org"))
    if role == "partner":
        make_user("partner", email="partner@example.org")
    client = people(f"{role}@example.org")
    if allowed:
        assert post_letter(client, plan_url).status_code == 302
        assert len(queued(notify_app)) == 1
    else:
        token = csrf_token(client, "/staff/")
        assert client.post(f"{plan_url}/letter", data={**ADDRESS, "letter-csrf_token": token}).status_code == 403
        assert queued(notify_app) == []


def test_the_language_they_would_like_help_in_is_chosen_to_start_with(notify_app, people):
    answers = {**OFFLINE, "barriers": ["english"], "language": "pl"}
    made = people(None).post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": answers})
    reference = made.get_json()["reference"]
    page = BeautifulSoup(
        people("staff@example.org").get(f"/staff/plans/{reference}").get_data(as_text=True), "html.parser"
    )
    for name in ("language", "letter-language"):
        chosen = page.find("select", id=name).find("option", selected=True)
        assert chosen["value"] == "pl", name
