"""Who hears what about a referral, queued in the same transaction as the change that causes it.

The help's people (active accounts of the receiving organisation that take referrals) hear of a new referral
and are reminded of one still waiting, in English with no personal details; the person hears that it was
accepted, declined, closed or not answered, by the way they chose and in their language, while their contact
details are still held; a member of staff who made a referral that closed unanswered hears of that. Staff
reasons and notes are never put in a message.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select

from triage.core.contact_details import normalise_mobile
from triage.core.permissions import receiving_roles
from triage.core.referrals import OUTCOMES, Clock
from triage.web.extensions import db
from triage.web.messages.sending import queue
from triage.web.models import OutboxMessage, Referral, StaffUser
from triage.web.shell.links import external_url

# The message a person gets when their referral becomes this status (the closed ones after acceptance say how).
TOLD_ON = {"accepted": "accepted", "declined": "declined", "not_answered": "expired"} | dict.fromkeys(
    OUTCOMES, "closed"
)


def clock() -> Clock:
    config = current_app.config
    return Clock(
        config["REFERRAL_ACCEPT_WORKING_DAYS"], config["REFERRAL_EXPIRE_WORKING_DAYS"], config["NON_WORKING_DAYS"]
    )


def day(when: date) -> str:
    """A date as a message says it: "Wednesday 9 December"."""
    return f"{when:%A} {when.day} {when:%B}"


def sent_on(referral: Referral) -> date:
    return referral.created_at.date()


def _context(referral: Referral, by: StaffUser | None = None) -> dict:
    return {"assessment_id": referral.assessment_id, "referral_id": referral.id, "sent_by_id": by.id if by else None}


def _the_help(referral: Referral) -> list[StaffUser]:
    if referral.organisation_id is None:
        return []
    query = select(StaffUser).where(
        StaffUser.organisation_id == referral.organisation_id,
        StaffUser.role.in_(receiving_roles()),
        StaffUser.active.is_(True),
    )
    return list(db.session.execute(query.order_by(StaffUser.id)).scalars())


def _staff_link(referral: Referral) -> str:
    return external_url("staff.referral", referral_id=referral.id)


def new_referral(referral: Referral, by: StaffUser | None) -> list[OutboxMessage]:
    """Tell each of the help's people a referral has come, and by when to answer it."""
    limits = clock()
    fields = {
        "service": referral.resource.name,
        "link": _staff_link(referral),
        "days": str(limits.remind_after),
        "answer_by": day(limits.answer_by(sent_on(referral))),
    }
    context = _context(referral, by)
    return [queue("referral-new-email", person.email, fields, **context) for person in _the_help(referral)]


def reminder(referral: Referral) -> list[OutboxMessage]:
    """Remind the help's people of a referral still waiting for an answer, and when it will close."""
    fields = {
        "service": referral.resource.name,
        "sent_on": day(sent_on(referral)),
        "link": _staff_link(referral),
        "expires_on": day(clock().expires_on(sent_on(referral))),
    }
    context = _context(referral)
    return [queue("referral-reminder-email", person.email, fields, **context) for person in _the_help(referral)]


def _person_address(referral: Referral) -> str | None:
    """Where the person asked to hear, while their details are held and their plan (the link) is kept."""
    if referral.personal_details_erased_at is not None or referral.assessment is None:
        return None
    if referral.updates_by == "sms":
        return normalise_mobile(referral.contact_phone)
    if referral.updates_by == "email":
        return referral.contact_email.strip() or None
    return None


def tell_the_person(referral: Referral, by: StaffUser | None = None) -> OutboxMessage | None:
    """Tell the person what their referral's new status means for them, if they asked to hear."""
    event = TOLD_ON.get(referral.status)
    to = _person_address(referral)
    if event is None or to is None:
        return None
    assert referral.assessment is not None  # _person_address
    fields = {
        "service": referral.resource.name,
        "link": external_url("resident.plan", reference=referral.assessment.reference),
    }
    if event == "closed":
        with force_locale(referral.language):
            fields["outcome"] = gettext(OUTCOMES[referral.status])
    name = f"referral-{event}-{referral.updates_by}"
    return queue(name, to, fields, referral.language, **_context(referral, by))


def tell_the_maker(referral: Referral) -> OutboxMessage | None:
    """Tell the member of staff who made a referral, if still active, that it closed unanswered."""
    maker = referral.created_by
    if maker is None or not maker.active:
        return None
    fields = {
        "service": referral.resource.name,
        "sent_on": day(sent_on(referral)),
        "days": str(clock().expire_after),
        "link": _staff_link(referral),
    }
    return queue("referral-expired-staff-email", maker.email, fields, **_context(referral))


def messages_about(referral: Referral) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.referral_id == referral.id).order_by(OutboxMessage.id)
    return list(db.session.execute(query).scalars())
