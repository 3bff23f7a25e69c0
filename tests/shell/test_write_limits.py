"""Limits on what anyone can save without signing in: a plan (the journey and the JSON API, counted together),
"contact me", feedback and a plan sent to a phone or email, per address and per plan; signed-in staff are never
limited; a limit reached gives a kind page (or the API's JSON error) with a 429, and a resident's answers stay in
their session."""

from __future__ import annotations

import re
import secrets

import pytest
from helpers import (
    CONFIDENT,
    CONTACT,
    OFFLINE,
    CheckedClient,
    answer_every_question,
    csrf_token,
    page_text,
    sign_in,
)

from triage.web.app import create_app
from triage.web.extensions import db, limiter
from triage.web.models import Assessment, Feedback, OutboxMessage, Referral

GENEROUS = "1000 per hour"
# A backend that sends text messages, so that residents are offered sending their plan; nothing is sent here.
SENDS_TEXTS = {
    "NOTIFICATION_BACKEND": "notify",
    "NOTIFY_API_KEY": "signpost_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0",
    "NOTIFY_EMAIL_TEMPLATE_ID": "f33517ff-2a88-4f6e-b855-c550268ce08a",
    "NOTIFY_SMS_TEMPLATE_ID": "a1b2c3d4-0000-4000-8000-000000000001",
}
HERE, THERE = "192.0.2.1", "198.51.100.7"


@pytest.fixture
def limited(app):
    """An app of its own on the suite's database, with the limits each test gives, counting from zero."""

    def make(**limits: str):
        settings = {
            "SAVE_PLAN_RATE_LIMIT": GENEROUS,
            "CONTACT_ME_RATE_LIMIT": GENEROUS,
            "CONTACT_ME_PER_PLAN_RATE_LIMIT": GENEROUS,
            "FEEDBACK_RATE_LIMIT": GENEROUS,
            "FEEDBACK_PER_PLAN_RATE_LIMIT": GENEROUS,
            "SEND_PLAN_RATE_LIMIT": GENEROUS,
            "SEND_PLAN_PER_PLAN_RATE_LIMIT": GENEROUS,
            **limits,
        }
        made = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SIGN_IN_RATE_LIMIT": "1000 per minute",
                # A key of its own, even where `make run` left a key file, gives each address a code of its own:
                "SECRET_KEY": secrets.token_hex(16),
                **SENDS_TEXTS,
                **settings,
            }
        )
        made.test_client_class = CheckedClient
        # (the extension keeps the first app's counter prefix, so in a shared Redis another test's counts for the
        # same code would carry on). The extension is one object for every app: one an earlier test made with an
        # unreachable Redis leaves it counting in its fallback until it next checks, and it then starts again from
        # zero mid-test.
        limiter._storage_dead = False
        return made

    return make


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def save_by_api(client, answers=CONFIDENT):
    return client.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": answers})


def save_by_journey(client):
    answer_every_question(client, CONFIDENT)
    return client.post("/check-your-answers", data={"csrf_token": csrf_token(client, "/check-your-answers")})


def plans_stored(app) -> int:
    with app.app_context():
        return db.session.query(Assessment).count()


def test_the_api_refuses_plans_over_the_limit_with_a_json_error_and_other_addresses_go_on(limited):
    app = limited(SAVE_PLAN_RATE_LIMIT="3 per hour")
    here = client_at(app, HERE)
    assert [save_by_api(here).status_code for _ in range(3)] == [201, 201, 201]
    refused = save_by_api(here)
    assert refused.status_code == 429
    error = refused.get_json()["error"]
    assert error["status"] == 429 and error["message"].startswith("Too many requests from this address. Try again in")
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert plans_stored(app) == 3
    assert save_by_api(client_at(app, THERE)).status_code == 201
    assert plans_stored(app) == 4


def test_only_plans_saved_count_not_requests_refused_for_a_mistake(limited):
    app = limited(SAVE_PLAN_RATE_LIMIT="2 per hour")
    here = client_at(app, HERE)
    for _ in range(5):
        assert here.post("/api/v1/assessments", json={"postcode": "LE11 3DU"}).status_code == 400
    assert [save_by_api(here).status_code for _ in range(3)] == [201, 201, 429]


def test_the_journey_and_the_api_share_one_limit_and_answers_are_kept_when_it_is_reached(limited):
    app = limited(SAVE_PLAN_RATE_LIMIT="2 per hour")
    here = client_at(app, HERE)
    assert save_by_api(here).status_code == 201
    assert save_by_journey(here).headers["Location"].startswith("/plan/")
    refused = save_by_journey(here)
    assert refused.status_code == 429
    text = page_text(refused)
    assert "Sorry, please wait before you try again" in text
    assert "You can try again in" in text and "minutes" in text
    assert "Your answers are kept for 2 hours" in text
    assert "visit any library in Charnwood" in text
    assert plans_stored(app) == 2
    kept = here.get("/check-your-answers")  # every answer still there: not sent back to the first question
    assert kept.status_code == 200 and "Now see your plan" in page_text(kept)
    assert save_by_journey(client_at(app, THERE)).status_code == 302


def test_signed_in_staff_are_never_limited(limited, make_user):
    app = limited(SAVE_PLAN_RATE_LIMIT="1 per hour", CONTACT_ME_RATE_LIMIT="1 per hour")
    staff = sign_in(client_at(app, HERE), make_user("staff"))
    assert [save_by_api(staff).status_code for _ in range(3)] == [201] * 3
    assert [save_by_journey(staff).status_code for _ in range(2)] == [302] * 2
    assert save_by_api(client_at(app, HERE)).status_code == 201  # staff used none of the address's limit
    assert save_by_api(client_at(app, HERE)).status_code == 429


def contact_me(client, plan, typed=None):
    """Ask the helper to get in touch; `typed` is the reference as the address has it, if not as on the plan."""
    reference, resource_id = plan
    token = csrf_token(client, f"/plan/{reference}/contact-me/{resource_id}")
    path = f"/plan/{typed or reference}/contact-me/{resource_id}"
    return client.post(path, data={"csrf_token": token, **CONTACT, "consent": "y"})


def feedback(client, plan, typed=None):
    reference, _ = plan
    token = csrf_token(client, "/find-your-plan")  # the plan page has no form once feedback is given
    data = {"csrf_token": token, "rating": "satisfied", "comment": "Thanks"}
    return client.post(f"/plan/{typed or reference}/feedback", data=data)


def send_plan(client, plan, typed=None):
    reference, _ = plan
    token = csrf_token(client, "/find-your-plan")
    return client.post(f"/plan/{typed or reference}/send/sms", data={"csrf_token": token, "to": "07700 900982"})


WRITES = {
    "contact me": (contact_me, "CONTACT_ME", Referral),
    "feedback": (feedback, "FEEDBACK", Feedback),
    "send plan": (send_plan, "SEND_PLAN", OutboxMessage),
}


@pytest.fixture
def two_plans(plan, people):
    """The `plan` fixture's plan and another made the same way: (reference, id of help that takes referrals)."""
    other = save_by_api(people(None), OFFLINE).get_json()["reference"]
    return plan, (other, plan[1])


def stored(app, model) -> int:
    with app.app_context():
        return db.session.query(model).count()


@pytest.mark.parametrize("write", WRITES)
def test_per_plan_limit_holds_whichever_address_sends_and_other_plans_go_on(limited, two_plans, write):
    send, setting, model = WRITES[write]
    app = limited(**{f"{setting}_PER_PLAN_RATE_LIMIT": "2 per day"})
    first, second = two_plans
    assert [send(client_at(app, HERE), first).status_code for _ in range(2)] == [302, 302]
    refused = send(client_at(app, THERE), first)
    assert refused.status_code == 429
    text = page_text(refused)
    assert "Nothing has been sent yet." in text and "Your answers are kept" not in text
    assert f'href="/plan/{first[0]}"' in refused.get_data(as_text=True)  # back to their plan
    typed_otherwise = send(client_at(app, THERE), first, typed=first[0].lower().replace("-", " "))
    assert typed_otherwise.status_code == 429  # the same plan, however its reference is typed
    assert stored(app, model) == 2
    assert send(client_at(app, HERE), second).status_code == 302
    assert stored(app, model) == 3


@pytest.mark.parametrize("write", WRITES)
def test_per_address_limit_holds_across_plans_and_other_addresses_go_on(limited, two_plans, write):
    send, setting, model = WRITES[write]
    app = limited(**{f"{setting}_RATE_LIMIT": "2 per hour"})
    first, second = two_plans
    here = client_at(app, HERE)
    assert [send(here, first).status_code, send(here, second).status_code] == [302, 302]
    assert send(here, second).status_code == 429
    assert send(client_at(app, THERE), second).status_code == 302
    assert stored(app, model) == 3


@pytest.mark.parametrize("write", WRITES)
def test_a_form_sent_back_to_put_right_does_not_count(limited, plan, write):
    send, setting, _ = WRITES[write]
    app = limited(**{f"{setting}_PER_PLAN_RATE_LIMIT": "1 per day"})
    here = client_at(app, HERE)
    reference, resource_id = plan
    path = {
        "contact me": f"/plan/{reference}/contact-me/{resource_id}",
        "feedback": f"/plan/{reference}/feedback",
        "send plan": f"/plan/{reference}/send/sms",
    }[write]
    for _ in range(3):  # no consent given, no rating chosen, or no number given
        assert here.post(path, data={"csrf_token": csrf_token(here, "/find-your-plan")}).status_code in (200, 400)
    assert [send(here, plan).status_code, send(here, plan).status_code] == [302, 429]


@pytest.mark.parametrize("write", WRITES)
def test_signed_in_staff_are_never_limited_on_a_plan(limited, plan, people, write):
    send, setting, _ = WRITES[write]
    app = limited(**{f"{setting}_RATE_LIMIT": "1 per hour", f"{setting}_PER_PLAN_RATE_LIMIT": "1 per day"})
    staff = sign_in(client_at(app, HERE), "staff@example.org")
    assert [send(staff, plan).status_code for _ in range(3)] == [302] * 3
    resident = client_at(app, HERE)
    assert [send(resident, plan).status_code, send(resident, plan).status_code] == [302, 429]


def test_the_defaults_suit_a_shared_public_address(app):
    """Tens of plans an hour from one library's address; tight limits per plan only."""
    from limits import parse_many

    from triage.web.config import Config

    def most_per_hour(setting: str) -> float:
        return min(limit.amount * 3600 / limit.get_expiry() for limit in parse_many(getattr(Config, setting)))

    assert most_per_hour("SAVE_PLAN_RATE_LIMIT") >= 30
    assert most_per_hour("CONTACT_ME_RATE_LIMIT") >= 20 and most_per_hour("FEEDBACK_RATE_LIMIT") >= 20
    assert most_per_hour("CONTACT_ME_PER_PLAN_RATE_LIMIT") < 1 and most_per_hour("FEEDBACK_PER_PLAN_RATE_LIMIT") < 1
    assert most_per_hour("SEND_PLAN_RATE_LIMIT") >= 10 and most_per_hour("SEND_PLAN_PER_PLAN_RATE_LIMIT") < 1


def test_a_long_wait_is_given_in_hours(limited, plan):
    app = limited(FEEDBACK_PER_PLAN_RATE_LIMIT="1 per 3 hours")
    here = client_at(app, HERE)
    assert feedback(here, plan).status_code == 302
    text = page_text(feedback(here, plan))
    assert re.search(r"You can try again in (about [1-3] hours?|[1-9][0-9]? minutes?)\.", text)
    assert not re.search(r"in [0-9]{3,} minutes", text)
