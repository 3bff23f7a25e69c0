"""Referrals followed through to the end: the person chooses how to hear what happens, the help is emailed of
each new referral and reminded of one waiting, `flask chase-referrals` closes those not answered, and the
person hears of each answer by their channel in their language. Messages are read from outbox_message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from helpers import CHAMPIONS, CONTACT, DROP_IN, csrf_token, errors, page_text, refer, set_status

from triage.core.referrals import working_day_after
from triage.web.app import create_app
from triage.web.config import UnsafeStart
from triage.web.extensions import db
from triage.web.models import AuditEvent, OutboxMessage, Referral

PUBLIC = "https://signpost.example.gov.uk"


def messages(app, *where) -> list[tuple[str, str, str, str]]:
    """(template, kind, recipient, language) of each message, oldest first."""
    with app.app_context():
        rows = db.session.query(OutboxMessage).filter(*where).order_by(OutboxMessage.id).all()
        return [(m.template, m.kind, m.recipient, m.language) for m in rows]


def contact_me(resident, reference, resource_id, **changes):
    path = f"/plan/{reference}/contact-me/{resource_id}"
    data = {**CONTACT, "consent": "y", **changes}
    token = csrf_token(resident, path)
    return resident.post(path, data={"csrf_token": token, **{k: v for k, v in data.items() if v is not None}})


def stored(app, referral_id: int) -> Referral:
    with app.app_context():
        referral = db.session.get_one(Referral, referral_id)
        db.session.expunge(referral)
        return referral


# Choosing how to hear


@pytest.mark.parametrize(
    ("changes", "updates_by"),
    [
        ({"updates_by": "sms"}, "sms"),
        ({"updates_by": "email", "email": "jo@example.org"}, "email"),
        ({"updates_by": "none", "phone": "01509 634 000"}, ""),
    ],
)
def test_a_resident_chooses_how_to_hear_in_the_language_they_read(people, plan, app, changes, updates_by):
    reference, resource_id = plan
    resident = people(None)
    resident.get(f"/plan/{reference}?lang=pl")
    page = page_text(resident.get(f"/plan/{reference}/contact-me/{resource_id}?lang=en"))
    assert "How do you want to hear what happens with your request?" in page and "By text message" in page
    resident.get(f"/plan/{reference}?lang=pl")
    assert contact_me(resident, reference, resource_id, **changes).status_code == 302
    with app.app_context():
        referral = db.session.query(Referral).one()
        assert (referral.updates_by, referral.language) == (updates_by, "pl")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "01509 634 000"}, "Enter a mobile number to get text messages, or choose another way"),
        ({"phone": "", "email": "jo@example.org"}, "Enter a mobile number to get text messages, or choose another way"),
        ({"updates_by": "email"}, "Enter an email address to get emails, or choose another way"),
        ({"updates_by": None}, "Select how you want to hear what happens, or that you do not want updates"),
        ({"updates_by": "pigeon"}, "Select how you want to hear what happens, or that you do not want updates"),
    ],
)
def test_a_resident_is_told_when_their_choice_does_not_fit_their_details(people, plan, app, changes, message):
    reference, resource_id = plan
    refused = contact_me(people(None), reference, resource_id, **changes)
    assert refused.status_code == 200 and message in errors(refused)
    assert messages(app) == []
    with app.app_context():
        assert db.session.query(Referral).count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "01509 634 000"}, "Enter a mobile number to get text messages, or choose another way"),
        ({"updates_by": "email"}, "Enter an email address to get emails, or choose another way"),
        ({"updates_by": None}, "Select how they want to hear what happens, or that they do not want updates"),
        ({"language": "xx"}, "Select the language for their messages"),
    ],
)
def test_staff_are_told_when_the_choice_does_not_fit(people, plan, app, changes, message):
    reference, resource_id = plan
    refused = refer(people("staff@example.org"), reference, resource_id, **changes)
    assert refused.status_code == 400 and message in errors(refused)
    with app.app_context():
        assert db.session.query(Referral).count() == 0


def test_staff_choose_the_channel_and_language_and_the_referral_page_says_so(people, plan, app):
    reference, resource_id = plan
    staff = people("staff@example.org")
    page = page_text(staff.get(f"/staff/plans/{reference}"))
    assert "How do they want to hear what happens?" in page and "Language for their messages" in page
    done = refer(staff, reference, resource_id, updates_by="email", email="jo@example.org", language="ur")
    assert done.status_code == 302
    referral_page = page_text(staff.get(done.headers["Location"]))
    assert "They hear what happens By email, in Urdu" in referral_page


# The help hears of a new referral


def test_the_help_is_emailed_of_a_new_referral_without_personal_details(people, plan, app, make_user):
    make_user("champion", email="second@example.org", organisation=CHAMPIONS)
    make_user("champion", email="left@example.org", organisation=CHAMPIONS, active=False)
    reference, resource_id = plan
    done = refer(people("staff@example.org"), reference, resource_id)
    referral_id = int(done.headers["Location"].rsplit("/", 1)[1])
    sent = messages(app)
    assert sorted(sent) == [
        ("referral-new-email", "email", "champion@example.org", "en"),
        ("referral-new-email", "email", "second@example.org", "en"),
    ]
    with app.app_context():
        message = db.session.query(OutboxMessage).first()
        assert message.referral_id == referral_id and message.fields["link"].endswith(f"/staff/referrals/{referral_id}")
        assert message.fields["days"] == "2"
        answer_by = working_day_after(message.created_at.date(), 2)
        assert message.fields["answer_by"] == f"{answer_by:%A} {answer_by.day} {answer_by:%B}"  # "Wednesday 9 December"
        assert "Jo Bloggs" not in message.body and "07700" not in message.body and "New phone" not in message.body
    page = page_text(people("champion@example.org").get(f"/staff/referrals/{referral_id}"))
    assert "Messages about this referral" in page and "referral-new-email" in page and "in outbox" in page


# The person hears of each answer


@pytest.mark.parametrize(
    ("path", "told"),
    [
        (["accepted"], ["referral-accepted-sms"]),
        (["declined"], ["referral-declined-sms"]),
        (["accepted", "contacted", "support_started", "completed"], ["referral-accepted-sms", "referral-closed-sms"]),
        (["accepted", "could_not_contact"], ["referral-accepted-sms", "referral-closed-sms"]),
        (["accepted", "contacted", "no_longer_needed"], ["referral-accepted-sms", "referral-closed-sms"]),
    ],
)
def test_the_person_hears_of_each_answer_and_the_end_by_text(people, referral, app, path, told):
    champion = people("champion@example.org")
    for status in path:
        response = set_status(champion, referral, status, "Secret staff note")
        assert response.status_code == 302, errors(response)
    to_person = messages(app, OutboxMessage.template.not_like("referral-new-%"))
    assert to_person == [(name, "sms", "+447700900982", "en") for name in told]
    with app.app_context():
        bodies = [m.body for m in db.session.query(OutboxMessage).all()]
        assert not any("Secret staff note" in body for body in bodies)
        closed = db.session.query(OutboxMessage).filter_by(template="referral-closed-sms").one_or_none()
        outcome = {"completed": "your support is complete", "could_not_contact": "they could not reach you"}
        if closed is not None:
            assert closed.fields["outcome"] == outcome.get(path[-1], "you no longer need this help")
            assert closed.assessment_id is not None and closed.sent_by.email == "champion@example.org"


def test_a_polish_resident_hears_by_email_in_polish(people, plan, app):
    reference, resource_id = plan
    resident = people(None)
    resident.get(f"/plan/{reference}?lang=pl")
    assert contact_me(resident, reference, resource_id, updates_by="email", email="jo@example.org").status_code == 302
    with app.app_context():
        referral_id = db.session.query(Referral).one().id
    set_status(people("champion@example.org"), referral_id, "accepted")
    assert messages(app, OutboxMessage.template == "referral-accepted-email") == [
        ("referral-accepted-email", "email", "jo@example.org", "pl")
    ]
    with app.app_context():
        message = db.session.query(OutboxMessage).filter_by(template="referral-accepted-email").one()
        assert message.fields["link"].endswith(f"/plan/{reference}")


def test_no_updates_and_erased_details_send_the_person_nothing(people, plan, app):
    reference, resource_id = plan
    staff, champion = people("staff@example.org"), people("champion@example.org")
    quiet = refer(staff, reference, resource_id, updates_by="none")
    quiet_id = int(quiet.headers["Location"].rsplit("/", 1)[1])
    erased_id = int(refer(staff, reference, resource_id).headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        erased = db.session.get_one(Referral, erased_id)
        erased.contact_phone, erased.personal_details_erased_at = "", datetime.now(UTC)
        db.session.commit()
    for referral_id in (quiet_id, erased_id):
        assert set_status(champion, referral_id, "accepted").status_code == 302
    assert messages(app, OutboxMessage.template.not_like("referral-new-%")) == []


# flask chase-referrals


@pytest.fixture
def chase(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)

    def run():
        result = runner.invoke(args=["chase-referrals"])
        assert result.exit_code == 0, result.output
        return result.output

    return run


def sent_days_ago(app, referral_id: int, days: int) -> None:
    """Seven calendar days always hold five working days (no bank holidays are set in the tests)."""
    with app.app_context():
        referral = db.session.get_one(Referral, referral_id)
        referral.created_at = datetime.now(UTC) - timedelta(days=days)
        db.session.commit()


def test_chasing_reminds_the_help_once_then_closes_and_tells_everyone(people, referral, app, chase):
    assert "about 0 referrals waiting for an answer; closed 0 referrals" in chase()  # sent today: nothing due
    sent_days_ago(app, referral, 7)  # 5 working days: past 2, not past 10
    assert "Reminded the help about 1 referral waiting for an answer; closed 0 referrals" in chase()
    assert "about 0 referrals" in chase()  # reminded once only
    reminders = messages(app, OutboxMessage.template == "referral-reminder-email")
    assert reminders == [("referral-reminder-email", "email", "champion@example.org", "en")]
    with app.app_context():
        reminder = db.session.query(OutboxMessage).filter_by(template="referral-reminder-email").one()
        assert reminder.fields["link"] == f"{PUBLIC}/staff/referrals/{referral}"
        assert stored(app, referral).reminded_at is not None and stored(app, referral).status == "sent"

    sent_days_ago(app, referral, 21)  # 15 working days: past 10
    assert "closed 1 referral as not answered" in chase()
    assert "closed 0 referrals" in chase()  # idempotent
    after = stored(app, referral)
    assert after.status == "not_answered" and after.closed_at is not None
    with app.app_context():
        event = db.session.get_one(Referral, referral).events[-1]
        assert (event.from_status, event.to_status, event.by_id) == ("sent", "not_answered", None)
        assert event.reason == "Not answered in 10 working days"
        assert (
            db.session.query(AuditEvent)
            .filter_by(subject=f"referral {referral}", user_id=None)
            .filter(AuditEvent.detail.like("sent to not_answered%"))
            .count()
            == 1
        )
    told = messages(app, OutboxMessage.template.like("referral-expired%"))
    assert told == [
        ("referral-expired-sms", "sms", "+447700900982", "en"),
        ("referral-expired-staff-email", "email", "staff@example.org", "en"),
    ]
    page = page_text(people("champion@example.org").get(f"/staff/referrals/{referral}"))
    assert "Not answered" in page and "Signpost" in page and "Update the status" not in page


def test_a_long_forgotten_referral_closes_without_a_reminder_and_tells_no_one_gone(people, referral, app, chase):
    with app.app_context():
        referral_row = db.session.get_one(Referral, referral)
        referral_row.created_by.active = False  # the member of staff who made it has left
        db.session.commit()
    sent_days_ago(app, referral, 30)
    assert "about 0 referrals waiting for an answer; closed 1 referral" in chase()
    assert [m[0] for m in messages(app, OutboxMessage.template.not_like("referral-new-%"))] == ["referral-expired-sms"]


def test_staff_cannot_close_a_referral_as_not_answered(people, referral, app):
    champion = people("champion@example.org")
    page = page_text(champion.get(f"/staff/referrals/{referral}"))
    assert "Not answered" not in page
    response = set_status(champion, referral, "not_answered")
    assert response.status_code == 400 and "can only become: accepted, declined" in page_text(response)
    assert stored(app, referral).status == "sent"


def test_an_erased_referral_closes_with_no_message(people, referral, app, chase):
    with app.app_context():
        row = db.session.get_one(Referral, referral)
        row.contact_phone, row.personal_details_erased_at = "", datetime.now(UTC)
        db.session.commit()
    sent_days_ago(app, referral, 7)
    assert "about 0 referrals" in chase()
    sent_days_ago(app, referral, 21)
    assert "closed 1 referral" in chase()
    assert messages(app, OutboxMessage.template.not_like("referral-new-%")) == []


def test_chasing_needs_the_public_address_for_its_links(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "")
    result = runner.invoke(args=["chase-referrals"])
    assert result.exit_code != 0 and "Set PUBLIC_URL" in result.output


@pytest.mark.parametrize(("accept", "expire"), [(2, 2), (5, 3), (0, 10)])
def test_the_app_refuses_to_start_unless_a_referral_expires_after_it_is_overdue(accept, expire):
    settings = {"TESTING": True, "REFERRAL_ACCEPT_WORKING_DAYS": accept, "REFERRAL_EXPIRE_WORKING_DAYS": expire}
    with pytest.raises(UnsafeStart, match="REFERRAL_EXPIRE_WORKING_DAYS .* must be greater than"):
        create_app(settings)


# How quickly the help answers, on the staff referral form


def drop_in_hint(staff, reference) -> str:
    page = BeautifulSoup(staff.get(f"/staff/plans/{reference}").get_data(as_text=True), "html.parser")
    label = page.find("label", string=lambda text: text and DROP_IN in text)
    return page.find(id=label["for"] + "-item-hint").get_text(strip=True)


def test_the_form_says_how_quickly_the_help_answers_once_there_are_enough_referrals(people, plan, app):
    reference, resource_id = plan
    staff, champion = people("staff@example.org"), people("champion@example.org")
    assert drop_in_hint(staff, reference) == "Not enough referrals yet to say how quickly they answer"
    made = [int(refer(staff, reference, resource_id).headers["Location"].rsplit("/", 1)[1]) for _ in range(6)]
    for referral_id in made:
        sent_days_ago(app, referral_id, 7)  # answered today: 5 working days later
    for referral_id, answer in zip(made[:4], ("accepted", "accepted", "accepted", "declined"), strict=True):
        assert set_status(champion, referral_id, answer, "Full this term").status_code == 302
    assert drop_in_hint(staff, reference) == "Not enough referrals yet to say how quickly they answer"  # 4 answered
    with app.app_context():
        expired = db.session.get_one(Referral, made[4])
        expired.status = "not_answered"  # as chase-referrals leaves it
        db.session.commit()
    assert drop_in_hint(staff, reference) == "Usually answers in 5 working days, 60% accepted"  # 3 of 5
    sent_days_ago(app, made[0], 400)  # older than 12 months: no longer counted
    assert drop_in_hint(staff, reference) == "Not enough referrals yet to say how quickly they answer"
