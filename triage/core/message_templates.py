"""What each message Signpost sends says: one template per message and channel, with named fields.

The words use GOV.UK Notify's ((field)) placeholders, so the same text is pasted into Notify as a template of
its own (docs/notify-templates.md, written by `flask notify-templates`) and filled here for the outbox, for
SMTP, and for Notify's general templates when a council has not pasted that one. Messages to residents are
translated into the language they were reading (N_ marks them); messages to staff are in English, like the
staff area.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from triage.core.text import N_

PLACEHOLDER = re.compile(r"\(\(([a-z_]+)\)\)")
KINDS = ("email", "sms", "letter")


class MissingField(ValueError):
    """A template was filled without one of its fields: a bug in the caller, never a person's mistake."""


@dataclass(frozen=True)
class MessageTemplate:
    name: str
    kind: str  # email, sms or letter
    to: str  # "resident" (in their language) or "staff" (English)
    when: str  # when it is sent, for the officer pasting it into Notify
    subject: str  # the email's subject or the letter's heading; "" for a text message
    body: tuple[str, ...]  # its lines, each translated on its own; "" is a blank line

    @property
    def fields(self) -> tuple[str, ...]:
        """Its named fields, in the order they first appear."""
        return tuple(dict.fromkeys(PLACEHOLDER.findall("\n".join((self.subject, *self.body)))))

    def words(self, translate: Callable[[str], str]) -> tuple[str, str]:
        """Its subject and body with the fields left in: translated by `translate` if it goes to a resident."""
        if self.to != "resident":
            return self.subject, "\n".join(self.body)
        return translate(self.subject) if self.subject else "", "\n".join(translate(x) if x else "" for x in self.body)


def fill(text: str, fields: Mapping[str, str]) -> str:
    """The text with each ((field)) replaced by its value; a value is never read for placeholders itself."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in fields:
            raise MissingField(f"The message needs the field {name!r}")
        return fields[name]

    return PLACEHOLDER.sub(value, text)


_PLAN_LINK = N_("Your reference is ((reference)). You can open your plan again at ((link))")
_YOUR_PLAN = N_("Your plan, with other help you can try: ((link))")

TEMPLATES: dict[str, MessageTemplate] = {
    t.name: t
    for t in (
        MessageTemplate(
            "plan-email",
            "email",
            "resident",
            "A resident, or staff for them, sends a plan by email.",
            N_("Your plan from ((council))"),
            (N_("Here is your plan from ((council))."), "", _PLAN_LINK, "", "((plan))"),
        ),
        MessageTemplate(
            "plan-sms",
            "sms",
            "resident",
            "A resident, or staff for them, sends a plan by text message.",
            "",
            (
                N_("Your plan from ((council)): ((link))"),
                N_("Start here: ((first_step))"),
                N_("Your reference is ((reference))."),
            ),
        ),
        MessageTemplate(
            "plan-letter",
            "letter",
            "resident",
            "Staff post a plan as a letter.",
            N_("Your plan from ((council))"),
            (_PLAN_LINK, "", "((plan))"),
        ),
        MessageTemplate(
            "referral-new-email",
            "email",
            "staff",
            "A referral is made to help an organisation runs: to each of its people who take referrals.",
            "New referral to ((service))",
            (
                "Someone has been referred to ((service)) through Signpost, the ((council)) help service.",
                "",
                "Open the referral to accept or decline it: ((link))",
                "",
                "Please answer within ((days)) working days, by ((answer_by)). This email has no personal details "
                "in it: they are in Signpost.",
            ),
        ),
        MessageTemplate(
            "referral-reminder-email",
            "email",
            "staff",
            "A referral has not been accepted or declined in REFERRAL_ACCEPT_WORKING_DAYS working days.",
            "Reminder: a referral to ((service)) is waiting for an answer",
            (
                "A referral to ((service)) made on ((sent_on)) has not been accepted or declined yet.",
                "",
                "Open it: ((link))",
                "",
                "If no one answers by ((expires_on)), it will close as not answered and the person will be told.",
            ),
        ),
        MessageTemplate(
            "referral-expired-staff-email",
            "email",
            "staff",
            "A referral a member of staff made closed as not answered: to that member of staff.",
            "A referral to ((service)) was not answered",
            (
                "The referral you made on ((sent_on)) to ((service)) was not accepted or declined in ((days)) "
                "working days, so it has closed as not answered. The person has been told, where they gave a "
                "phone number or email address, and pointed to the other help in their plan.",
                "",
                "Open the referral: ((link))",
            ),
        ),
        MessageTemplate(
            "password-reset-email",
            "email",
            "staff",
            "An officer resets a member of staff's password: to that member of staff.",
            "Your staff area password has been reset",
            (
                "Hello ((name)),",
                "",
                "((by)) has reset your password for the ((council)) staff area, and signed you out everywhere.",
                "((by)) will give you a link to choose a new password, in person or by phone. It works once, for "
                "((hours)) hours.",
                "",
                "If you did not ask for this, tell a council administrator straight away.",
            ),
        ),
        *(
            MessageTemplate(f"referral-{event}-{kind}", kind, "resident", when, subject * (kind == "email"), body)
            for event, when, subject, body in (
                (
                    "accepted",
                    "The help a person was referred to accepts the referral.",
                    N_("((service)) will contact you"),
                    (N_("((service)) has your request for help and will contact you soon."), "", _YOUR_PLAN),
                ),
                (
                    "declined",
                    "The help a person was referred to declines the referral.",
                    N_("About your request to ((service))"),
                    (N_("((service)) cannot help you this time. We are sorry."), "", _YOUR_PLAN),
                ),
                (
                    "closed",
                    "A referral the help accepted is closed (completed, no longer needed, or could not contact).",
                    N_("Your referral to ((service)) has closed"),
                    (N_("Your referral to ((service)) has closed: ((outcome))."), "", _YOUR_PLAN),
                ),
                (
                    "expired",
                    "No one at the help answered the referral in time, so it closed as not answered.",
                    N_("About your request to ((service))"),
                    (
                        N_("((service)) has not been able to answer your request for help. We are sorry."),
                        "",
                        _YOUR_PLAN,
                    ),
                ),
            )
            for kind in ("sms", "email")
        ),
        MessageTemplate(
            "booking-made-email",
            "email",
            "resident",
            "A resident, or staff for them, books a time with help, or moves a booking to another time.",
            N_("Your booking with ((service))"),
            (
                N_("You have booked a time with ((service)): ((when))."),
                N_("Where: ((where))."),
                "",
                N_("Your booking reference is ((reference))."),
                N_("To cancel it or change the time, go to ((link)) and give your reference and this email address."),
            ),
        ),
        MessageTemplate(
            "booking-made-sms",
            "sms",
            "resident",
            "A resident, or staff for them, books a time with help, or moves a booking to another time.",
            "",
            (
                N_("Booked with ((service)): ((when)). ((where))."),
                N_("Reference ((reference)). To cancel or change it: ((link))"),
            ),
        ),
        MessageTemplate(
            "booking-cancelled-email",
            "email",
            "resident",
            "A booking is cancelled, by the resident or by staff.",
            N_("Your booking with ((service)) is cancelled"),
            (
                N_("Your booking with ((service)) on ((when)) is cancelled (reference ((reference)))."),
                "",
                N_("You can book another time from your plan."),
            ),
        ),
        MessageTemplate(
            "booking-cancelled-sms",
            "sms",
            "resident",
            "A booking is cancelled, by the resident or by staff.",
            "",
            (N_("Your booking with ((service)) on ((when)) is cancelled (reference ((reference)))."),),
        ),
        MessageTemplate(
            "booking-reminder-email",
            "email",
            "resident",
            "Before a booked time: by default two days and two hours before (BOOKING_REMINDERS).",
            N_("Reminder: your booking with ((service)), ((when))"),
            (
                N_("This is a reminder of your booking with ((service)): ((when))."),
                N_("Where: ((where))."),
                "",
                N_("Your booking reference is ((reference))."),
                N_("If you cannot come, or need another time, go to ((link)) to cancel it or change the time."),
            ),
        ),
        MessageTemplate(
            "booking-reminder-sms",
            "sms",
            "resident",
            "Before a booked time: by default two days and two hours before (BOOKING_REMINDERS).",
            "",
            (
                N_("Reminder: ((service)), ((when)). ((where))."),
                N_("Reference ((reference)). To cancel or change it: ((link))"),
            ),
        ),
        MessageTemplate(
            "booking-called-off-email",
            "email",
            "resident",
            "Staff close the help on the booked day, remove the booked times, or close or retire the help.",
            N_("Your booking with ((service)) is cancelled"),
            (
                N_("We are sorry: your booking with ((service)) on ((when)) is cancelled because ((reason))."),
                N_("Your booking reference was ((reference))."),
                "",
                N_("To book another time, go to ((link))"),
            ),
        ),
        MessageTemplate(
            "booking-called-off-sms",
            "sms",
            "resident",
            "Staff close the help on the booked day, remove the booked times, or close or retire the help.",
            "",
            (
                N_("Sorry, your booking with ((service)) on ((when)) is cancelled because ((reason))."),
                N_("To book another time: ((link))"),
            ),
        ),
        MessageTemplate(
            "waiting-list-joined-email",
            "email",
            "resident",
            "A resident, or staff for them, joins the waiting list of a full session.",
            N_("You are on the waiting list for ((service))"),
            (
                N_("You are on the waiting list for ((service)): ((when))."),
                N_("If a place becomes free, we will send you a message to accept or decline it."),
                "",
                N_("Your waiting list reference is ((reference))."),
                N_("To leave the waiting list, go to ((link)) and give your reference and this email address."),
            ),
        ),
        MessageTemplate(
            "waiting-list-joined-sms",
            "sms",
            "resident",
            "A resident, or staff for them, joins the waiting list of a full session.",
            "",
            (
                N_("You are on the waiting list for ((service)): ((when)). We will text you if a place is free."),
                N_("Reference ((reference)). To leave the list: ((link))"),
            ),
        ),
        MessageTemplate(
            "waiting-list-offer-email",
            "email",
            "resident",
            "A place frees in a full session: the first person on its waiting list is offered it, held until a "
            "deadline (BOOKING_HOLD_MINUTES).",
            N_("A place is free for you with ((service))"),
            (
                N_("A place is free for you with ((service)): ((when))."),
                N_("Where: ((where))."),
                "",
                N_("We are keeping it for you until ((deadline)). After that it goes to the next person waiting."),
                N_(
                    "To accept or decline it, go to ((link)) and give your reference ((reference)) and this email "
                    "address."
                ),
            ),
        ),
        MessageTemplate(
            "waiting-list-offer-sms",
            "sms",
            "resident",
            "A place frees in a full session: the first person on its waiting list is offered it, held until a "
            "deadline (BOOKING_HOLD_MINUTES).",
            "",
            (
                N_("A place is free for you with ((service)): ((when)). We keep it until ((deadline))."),
                N_("To accept or decline it: ((link)) reference ((reference))"),
            ),
        ),
        MessageTemplate(
            "waiting-list-closed-email",
            "email",
            "resident",
            "Staff close the help on the session's day, remove the session, or close or retire the help, while "
            "the person is on its waiting list.",
            N_("The waiting list for ((service)) is closed"),
            (
                N_("We are sorry: the waiting list for ((service)) on ((when)) is closed because ((reason))."),
                N_("Your waiting list reference was ((reference))."),
                "",
                N_("To book another time, go to ((link))"),
            ),
        ),
        MessageTemplate(
            "waiting-list-closed-sms",
            "sms",
            "resident",
            "Staff close the help on the session's day, remove the session, or close or retire the help, while "
            "the person is on its waiting list.",
            "",
            (
                N_("Sorry, the waiting list for ((service)) on ((when)) is closed because ((reason))."),
                N_("To book another time: ((link))"),
            ),
        ),
    )
}
