"""Counter mode: staff assessing someone with their consent, opening plans with full reasons, sending plans."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from helpers import OFFLINE, PASSWORD, SERVICE_PROBLEM, answer, audit_log_failing, csrf_token

from triage.web.extensions import db
from triage.web.models import Assessment, AuditEvent, OutboxMessage


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def errors(response) -> list[str]:
    box = soup(response).find(class_="govuk-error-summary")
    return [li.get_text(strip=True) for li in box.find_all("li")] if box else []


def assess_someone(client, channel="counter"):
    token = csrf_token(client, "/staff/assess")
    return client.post("/staff/assess", data={"csrf_token": token, "channel": channel, "consent": "y"})


def answer_questions(client):
    answer(client, "postcode", "LE11 3DU")
    for page, value in list(OFFLINE.items())[1:]:
        answer(client, page, value)


def submit_answers(client):
    token = csrf_token(client, "/check-your-answers")
    return client.post("/check-your-answers", data={"csrf_token": token})


def finish_questions(client):
    answer_questions(client)
    return submit_answers(client)


def test_consent_and_channel_are_needed_before_starting(signed_in):
    client = signed_in("staff")
    token = csrf_token(client, "/staff/assess")
    response = client.post("/staff/assess", data={"csrf_token": token})
    assert errors(response) == ["Select how you are helping them", "Ask for their agreement before you start"]


def test_staff_assessment_is_recorded_with_channel_consent_and_who_helped(signed_in, app):
    client = signed_in("staff")
    response = assess_someone(client, "phone")
    assert response.headers["Location"].endswith("/questions/postcode")
    assert soup(client.get("/questions/postcode")).h1.get_text(strip=True) == "What is their postcode?"
    done = finish_questions(client)
    assert "/staff/plans/" in done.headers["Location"]
    with app.app_context():
        stored = db.session.query(Assessment).one()
        assert (stored.channel, stored.who_for) == ("phone", "customer")
        assert stored.staff_user_id is not None and stored.consent_recorded_at is not None
        created = db.session.query(AuditEvent).filter_by(action="plan created").one()
        assert (created.user_id, created.subject, created.detail) == (
            stored.staff_user_id,
            f"plan {stored.reference}",
            "with someone, phone",
        )
    page = soup(client.get(done.headers["Location"]))
    text = page.get_text(" ", strip=True)
    assert "Very high" in text and "Why this priority" in text and "On the phone" in text
    assert "Access to a device and the internet: 10 out of 10" in text


def test_a_counter_assessment_is_not_saved_without_its_audit_entry(signed_in, app):
    """The plan and its "plan created" entry are one commit: if the entry cannot be written, no plan is kept."""
    client = signed_in("staff")
    assess_someone(client)
    answer_questions(client)
    with audit_log_failing():
        response = submit_answers(client)
    assert response.status_code == 500
    with app.app_context():
        assert db.session.query(Assessment).count() == 0


def test_residents_online_are_never_recorded_as_staff_assessments(client, app):
    from helpers import complete_journey

    complete_journey(client, OFFLINE)
    with app.app_context():
        stored = db.session.query(Assessment).one()
        assert (stored.channel, stored.staff_user_id, stored.consent_recorded_at) == ("online", None, None)


def test_staff_open_any_plan_by_reference(signed_in, client):
    from helpers import complete_journey

    reference = soup(complete_journey(client, OFFLINE)).find(class_="signpost-reference").get_text(strip=True)
    signed_in("staff")
    token = csrf_token(client, "/staff/plans")
    found = client.post("/staff/plans", data={"csrf_token": token, "reference": reference.lower()})
    assert found.headers["Location"].endswith(f"/staff/plans/{reference}")
    missing = client.post("/staff/plans", data={"csrf_token": token, "reference": "AAAA-BBBB-CCCC"})
    assert errors(missing) == ["No plan has that reference. Check it with the person"]
    assert client.get("/staff/plans/AAAA-BBBB-CCCC").status_code == 404


def test_counter_mode_never_makes_the_staff_cookie_outlive_the_browser(client, make_user):
    """On a shared counter PC, closing the browser must sign them out, however far they got with someone."""
    email = make_user("staff")
    token = csrf_token(client, "/staff/sign-in")
    sent = [client.post("/staff/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD})]
    sent += [assess_someone(client), answer(client, "postcode", "LE11 3DU"), answer(client, "devices", ["none"])]
    cookies = [h for r in sent for h in r.headers.getlist("Set-Cookie") if h.startswith("signpost_session=")]
    assert len(cookies) == 4
    assert not [c for c in cookies if "expires=" in c.lower() or "max-age=" in c.lower()]
    assert client.get("/staff/").status_code == 200  # still signed in while the browser is open


@pytest.fixture
def staff_plan(signed_in):
    client = signed_in("staff")
    assess_someone(client)
    return client, finish_questions(client).headers["Location"]


def send(client, plan_url, **data):
    token = csrf_token(client, plan_url)
    return client.post(f"{plan_url}/send", data={"csrf_token": token, **data})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": "email", "email": "not-an-email", "consent": "y"}, "Enter an email address in the correct format"),
        ({"method": "sms", "mobile": "01509 123456", "consent": "y"}, "Enter a UK mobile number, like 07700 900 982"),
        ({"method": "email", "email": "jo@example.org"}, "Ask for their agreement before you send anything"),
        ({"email": "jo@example.org", "consent": "y"}, "Select email or text message"),
    ],
)
def test_sending_needs_a_valid_address_and_consent(staff_plan, app, data, message):
    client, plan_url = staff_plan
    response = send(client, plan_url, **data)
    assert response.status_code == 400
    assert any(e.startswith(message) for e in errors(response))
    with app.app_context():
        assert db.session.query(OutboxMessage).count() == 0


def test_plan_sent_by_email_and_text_waits_in_the_outbox(staff_plan, app):
    client, plan_url = staff_plan
    sent = send(client, plan_url, method="email", email=" jo@example.org ", consent="y")
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Plan saved in the outbox for jo@example.org. Signpost is not set up to send by email" in page
    send(client, plan_url, method="sms", mobile="07700 900982", consent="y")
    with app.app_context():
        email, sms = db.session.query(OutboxMessage).order_by(OutboxMessage.id).all()
        reference = plan_url.rsplit("/", 1)[1]
        assert (email.kind, email.recipient) == ("email", "jo@example.org")
        assert reference in email.body and "Why:" in email.body
        assert (sms.kind, sms.recipient) == ("sms", "+447700900982")
        assert reference in sms.body and len(sms.body) <= 160
    outbox = client.get("/staff/outbox").get_data(as_text=True)
    assert "jo@example.org" in outbox and "+447700900982" in outbox


def test_links_in_sent_plans_use_the_public_address_not_the_host_of_the_request(staff_plan, app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://council.example.gov.uk/signpost")
    client, plan_url = staff_plan
    for data in ({"method": "email", "email": "jo@example.org"}, {"method": "sms", "mobile": "07700 900982"}):
        token = csrf_token(client, plan_url)
        sent = client.post(f"{plan_url}/send", data={"csrf_token": token, "consent": "y", **data})
        assert sent.status_code == 302
    with app.app_context():
        email, sms = (m.body for m in db.session.query(OutboxMessage).order_by(OutboxMessage.id))
    plan_link = f"https://council.example.gov.uk/signpost/plan/{plan_url.rsplit('/', 1)[1]}"
    assert plan_link in email and plan_link in sms
    assert "More help of this kind: https://council.example.gov.uk/signpost/find-help?need=" in email
    assert "localhost" not in email + sms  # the test client's Host


@pytest.mark.parametrize(
    "data", [{"method": "email", "email": "jo@example.org"}, {"method": "sms", "mobile": "07700 900982"}]
)
def test_a_plan_is_not_sent_if_its_audit_entry_cannot_be_written(staff_plan, app, data):
    client, plan_url = staff_plan
    token = csrf_token(client, plan_url)
    with audit_log_failing():
        response = client.post(f"{plan_url}/send", data={"csrf_token": token, "consent": "y", **data})
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and SERVICE_PROBLEM in page and "Plan sent" not in page
    with app.app_context():
        assert db.session.query(OutboxMessage).count() == 0
    assert "jo@example.org" not in client.get("/staff/outbox").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/staff/plans", "/staff/outbox"])
def test_champions_cannot_look_up_any_plan_or_read_the_outbox(signed_in, path):
    assert signed_in("champion").get(path).status_code == 403


@pytest.mark.parametrize("path", ["/staff/assess", "/staff/plans", "/staff/outbox"])
def test_counter_mode_needs_sign_in(client, path):
    assert client.get(path).headers["Location"].startswith("/staff/sign-in")
