"""The questionnaire journey's state: answers, place, page order and who is helping, kept in the session.

Answers live in the session until the person submits them. Pages are asked in order; follow-ups
(language, deadline task) and the area page appear only when they are needed. Staff helping someone
(counter mode) start the same journey, and finishing it takes them to the staff plan page instead.
Only JourneyState reads or writes the session keys below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import session, url_for
from flask.sessions import SessionMixin
from flask_babel import gettext
from flask_login import current_user

from triage.core.permissions import can
from triage.core.questionnaire import BY_ID, QUESTIONS, is_asked
from triage.web.assessments.places import Place
from triage.web.assessments.service import create_assessment
from triage.web.insight import counts as insight_counts
from triage.web.models import Assessment

POSTCODE = "postcode"
AREA = "area"
PAGES: tuple[str, ...] = (QUESTIONS[0].id, POSTCODE, AREA, *(q.id for q in QUESTIONS[2:]))
NO_ADDRESS = "no_address"  # the postcode problem when someone has no fixed address

# The session keys, unchanged from before JourneyState so journeys in progress survive an upgrade.
_ANSWERS = "answers"
_PLACE = "place"
_POSTCODE_DONE = "postcode_done"
_POSTCODE_ENTERED = "postcode_entered"
_POSTCODE_PROBLEM = "postcode_problem"
_NEEDS_AREA = "needs_area"
_ASSISTING = "assisting"
_KEYS = (_ANSWERS, _PLACE, _POSTCODE_DONE, _NEEDS_AREA, _POSTCODE_PROBLEM, _POSTCODE_ENTERED, _ASSISTING)


@dataclass(frozen=True)
class Assisting:
    """A member of staff running the questionnaire with someone: who, how (the channel) and when they agreed."""

    staff_user_id: int
    channel: str
    consent_recorded_at: datetime


class JourneyState:
    """One person's journey so far, read from and written to a session."""

    def __init__(self, store: SessionMixin) -> None:
        self._store = store

    def answers(self) -> dict:
        return self._store.get(_ANSWERS, {})

    def save_answer(self, page: str, value) -> None:
        current = dict(self.answers())
        current[page] = value
        # Drop follow-ups whose trigger has just been unticked, so nothing stale is submitted.
        for q in QUESTIONS:
            if q.parent == page and not is_asked(q, current):
                current.pop(q.id, None)
        self._store[_ANSWERS] = current
        self._store.permanent = True

    def postcode_entered(self) -> str | None:
        return self._store.get(_POSTCODE_ENTERED)

    def postcode_problem(self) -> str | None:
        """Why the area page is asked: the postcode was not found or is outside the council, or NO_ADDRESS."""
        return self._store.get(_POSTCODE_PROBLEM)

    def place(self) -> Place | None:
        return Place.from_session(self._store.get(_PLACE))

    def postcode_placed(self, postcode: str, place: Place) -> None:
        """The postcode was found, so the area page is not needed."""
        self._store.update(
            {
                _POSTCODE_DONE: True,
                _POSTCODE_ENTERED: postcode,
                _NEEDS_AREA: False,
                _POSTCODE_PROBLEM: None,
                _PLACE: place.to_session(),
            }
        )

    def postcode_not_placed(self, postcode: str, problem: str) -> None:
        """A real postcode that does not give a ward here: the person chooses their area instead."""
        self._store.update(
            {
                _POSTCODE_DONE: True,
                _POSTCODE_ENTERED: postcode,
                _NEEDS_AREA: True,
                _POSTCODE_PROBLEM: problem,
                _PLACE: None,
            }
        )

    def no_fixed_address(self) -> None:
        self._store.update({_POSTCODE_DONE: True, _NEEDS_AREA: True, _POSTCODE_PROBLEM: NO_ADDRESS, _PLACE: None})
        self._store.pop(_POSTCODE_ENTERED, None)

    def choose_area(self, place: Place) -> None:
        self._store[_PLACE] = place.to_session()

    def is_page_asked(self, page: str) -> bool:
        if page == POSTCODE:
            return True
        if page == AREA:
            return bool(self._store.get(_NEEDS_AREA))
        return is_asked(BY_ID[page], self.answers())

    def is_page_answered(self, page: str) -> bool:
        if page == POSTCODE:
            return bool(self._store.get(_POSTCODE_DONE))
        if page == AREA:
            return self._store.get(_PLACE) is not None
        return page in self.answers()

    def asked_pages(self) -> list[str]:
        return [p for p in PAGES if self.is_page_asked(p)]

    def first_unanswered(self) -> str | None:
        return next((p for p in self.asked_pages() if not self.is_page_answered(p)), None)

    def next_page(self, page: str) -> str | None:
        pages = self.asked_pages()
        later = pages[pages.index(page) + 1 :] if page in pages else []
        return later[0] if later else None

    def previous_page(self, page: str) -> str | None:
        pages = self.asked_pages()
        if page not in pages or pages.index(page) == 0:
            return None
        return pages[pages.index(page) - 1]

    def for_someone_else(self) -> bool:
        return self.answers().get("who_for") in ("someone_i_help", "customer")

    def title_for(self, page: str) -> str:
        question = BY_ID[page]
        return gettext(question.staff_title if self.for_someone_else() and question.staff_title else question.title)

    def start_assisting(self, staff_user_id: int, channel: str) -> None:
        """A fresh journey run by staff with someone who has just agreed to it; it is about them, a customer."""
        self.clear()
        self._store[_ASSISTING] = {
            "channel": channel,
            "consent_recorded_at": datetime.now(UTC).isoformat(),
            "staff_user_id": staff_user_id,
        }
        self.save_answer("who_for", "customer")

    def assisting(self) -> Assisting | None:
        """Who is helping, while they are the one signed in and may still run assessments for someone."""
        assisting = self._store.get(_ASSISTING)
        if not assisting or assisting["staff_user_id"] != getattr(current_user, "id", None):
            return None
        if not can(current_user.role, "run_assessment_for_someone"):
            return None
        return Assisting(
            assisting["staff_user_id"], assisting["channel"], datetime.fromisoformat(assisting["consent_recorded_at"])
        )

    def finish(self, answers: dict) -> tuple[Assessment, str]:
        """Store the plan for these validated answers and forget the journey; then where to show the plan."""
        place, assisting = self.place(), self.assisting()
        assert place is not None  # every page is answered, so the postcode or the area page placed them
        if assisting:
            assessment = create_assessment(
                answers,
                place,
                channel=assisting.channel,
                staff_user_id=assisting.staff_user_id,
                consent_recorded_at=assisting.consent_recorded_at,
            )
            next_url = url_for("staff.plan", reference=assessment.reference)
        else:
            assessment = create_assessment(answers, place, channel="online", address_day=insight_counts.address_day())
            next_url = url_for("resident.plan", reference=assessment.reference)
        self.clear()
        return assessment, next_url

    def clear(self) -> None:
        for key in _KEYS:
            self._store.pop(key, None)


def current() -> JourneyState:
    """The journey of whoever made this request."""
    # The session itself rather than Flask's proxy to it: a page asks it for the answers dozens of times.
    return JourneyState(session._get_current_object())  # type: ignore[attr-defined]
