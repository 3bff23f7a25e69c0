"""The questionnaire journey's state: answers, place, page order and who is helping, kept in the session.

Answers live in the session until the person submits them, and are forgotten two hours after the last change
(ANSWERS_KEPT_SECONDS): the server checks the time of that change, kept with them, whatever the browser does
with its cookie, which ends with the browser. The session is signed, not encrypted, so anyone with the device
can read it: it holds the postcode sector ("LE11 3") and ward, never the full postcode (places.py).

Pages are asked in order; follow-ups (language, deadline task) and the area page appear only when they are
needed. Staff helping someone (counter mode) start the same journey, and finishing it takes them to the staff
plan page instead; it never changes how long their sign-in lasts. Only JourneyState reads or writes the
session keys below.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, flash, session, url_for
from flask.sessions import SessionMixin
from flask_babel import gettext
from flask_login import current_user

from triage.core.geography import sector
from triage.core.permissions import can
from triage.core.questionnaire import BY_ID, QUESTIONS, is_asked
from triage.core.text import N_
from triage.web.assessments.places import Place
from triage.web.assessments.service import create_assessment
from triage.web.insight import counts as insight_counts
from triage.web.models import Assessment

POSTCODE = "postcode"
AREA = "area"
PAGES: tuple[str, ...] = (QUESTIONS[0].id, POSTCODE, AREA, *(q.id for q in QUESTIONS[2:]))
NO_ADDRESS = "no_address"  # the postcode problem when someone has no fixed address
FORGOTTEN = N_("It is more than 2 hours since your last answer, so we deleted your answers to keep them private.")

# The session keys. Journeys begun before the full postcode left the session hold it under _OLD_POSTCODE:
# upgraded() keeps only its sector, so they carry on.
_ANSWERS = "answers"
_PLACE = "place"
_POSTCODE_DONE = "postcode_done"
_POSTCODE_SECTOR = "postcode_sector"
_OLD_POSTCODE = "postcode_entered"
_POSTCODE_PROBLEM = "postcode_problem"
_NEEDS_AREA = "needs_area"
_ASSISTING = "assisting"
_CHANGED_AT = "changed_at"  # seconds since the epoch, by the server's clock
_KEYS = (
    _ANSWERS,
    _PLACE,
    _POSTCODE_DONE,
    _NEEDS_AREA,
    _POSTCODE_PROBLEM,
    _POSTCODE_SECTOR,
    _OLD_POSTCODE,
    _ASSISTING,
    _CHANGED_AT,
)


@dataclass(frozen=True)
class Assisting:
    """A member of staff running the questionnaire with someone: who, how (the channel) and when they agreed."""

    staff_user_id: int
    channel: str
    consent_recorded_at: datetime
    venue_id: int | None = None  # where a champion's walk-in is (an "in_person" channel)


class JourneyState:
    """One person's journey so far, read from and written to a session."""

    def __init__(self, store: SessionMixin) -> None:
        self._store = store

    def forget_if_older_than(self, seconds: int, now: float) -> bool:
        """Forget the journey if its last change was longer ago than this; whether it did. One begun before
        changes were timed counts from now: its cookie was at most two hours old, or Flask would not read it."""
        if not any(key in self._store for key in _KEYS):
            return False
        changed_at = self._store.get(_CHANGED_AT)
        if changed_at is None:
            self._store[_CHANGED_AT] = int(now)
            return False
        if now - changed_at <= seconds:
            return False
        self.clear()
        return True

    def upgrade(self) -> None:
        """A journey begun before the full postcode left the session keeps only its sector."""
        if _OLD_POSTCODE in self._store:
            old = self._store.pop(_OLD_POSTCODE)
            self._store[_POSTCODE_SECTOR] = sector(old) if old else None

    def _changed(self) -> None:
        self._store[_CHANGED_AT] = int(time.time())

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
        self._changed()

    def postcode_sector(self) -> str | None:
        """The sector of the postcode they gave ("LE11 3"), if they gave one: all the session keeps of it."""
        return self._store.get(_POSTCODE_SECTOR)

    def postcode_problem(self) -> str | None:
        """Why the area page is asked: the postcode was not found or is outside the council, or NO_ADDRESS."""
        return self._store.get(_POSTCODE_PROBLEM)

    def place(self) -> Place | None:
        return Place.from_session(self._store.get(_PLACE))

    def postcode_placed(self, place: Place) -> None:
        """The postcode was found, so the area page is not needed."""
        self._store.update(
            {
                _POSTCODE_DONE: True,
                _POSTCODE_SECTOR: place.postcode_sector,
                _NEEDS_AREA: False,
                _POSTCODE_PROBLEM: None,
                _PLACE: place.to_session(),
            }
        )
        self._changed()

    def postcode_not_placed(self, postcode: str, problem: str) -> None:
        """A real postcode that does not give a ward here: the person chooses their area instead."""
        self._store.update(
            {
                _POSTCODE_DONE: True,
                _POSTCODE_SECTOR: sector(postcode),
                _NEEDS_AREA: True,
                _POSTCODE_PROBLEM: problem,
                _PLACE: None,
            }
        )
        self._changed()

    def no_fixed_address(self) -> None:
        self._store.update({_POSTCODE_DONE: True, _NEEDS_AREA: True, _POSTCODE_PROBLEM: NO_ADDRESS, _PLACE: None})
        self._store.pop(_POSTCODE_SECTOR, None)
        self._changed()

    def choose_area(self, place: Place) -> None:
        self._store[_PLACE] = place.to_session()
        self._changed()

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

    def start_assisting(self, staff_user_id: int, channel: str, venue_id: int | None = None) -> None:
        """A fresh journey run by staff with someone who has just agreed to it; it is about them, a customer."""
        self.clear()
        self._store[_ASSISTING] = {
            "channel": channel,
            "consent_recorded_at": datetime.now(UTC).isoformat(),
            "staff_user_id": staff_user_id,
            "venue_id": venue_id,
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
            assisting["staff_user_id"],
            assisting["channel"],
            datetime.fromisoformat(assisting["consent_recorded_at"]),
            assisting.get("venue_id"),
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
                venue_id=assisting.venue_id,
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
    """The journey of whoever made this request, forgotten first if its last change is too long ago."""
    # The session itself rather than Flask's proxy to it: a page asks it for the answers dozens of times.
    state = JourneyState(session._get_current_object())  # type: ignore[attr-defined]
    if state.forget_if_older_than(current_app.config["ANSWERS_KEPT_SECONDS"], time.time()):
        flash(gettext(FORGOTTEN))
    state.upgrade()
    return state
