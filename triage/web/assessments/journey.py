"""The order of the resident journey's pages, worked out from the answers so far.

Answers live in the session until the person submits them. Pages are asked in order; follow-ups
(language, deadline task) and the area page appear only when they are needed.
"""

from __future__ import annotations

from flask import session
from flask_babel import gettext

from triage.core.questionnaire import BY_ID, QUESTIONS, is_asked

AREA = "area"
PAGES: tuple[str, ...] = (QUESTIONS[0].id, "postcode", AREA, *(q.id for q in QUESTIONS[2:]))


def answers() -> dict:
    return session.get("answers", {})


def save_answer(page: str, value) -> None:
    current = dict(answers())
    current[page] = value
    # Drop follow-ups whose trigger has just been unticked, so nothing stale is submitted.
    for q in QUESTIONS:
        if q.parent == page and not is_asked(q, current):
            current.pop(q.id, None)
    session["answers"] = current
    session.permanent = True


def is_page_asked(page: str) -> bool:
    if page == "postcode":
        return True
    if page == AREA:
        return bool(session.get("needs_area"))
    return is_asked(BY_ID[page], answers())


def is_page_answered(page: str) -> bool:
    if page == "postcode":
        return bool(session.get("postcode_done"))
    if page == AREA:
        return session.get("place") is not None
    return page in answers()


def asked_pages() -> list[str]:
    return [p for p in PAGES if is_page_asked(p)]


def first_unanswered() -> str | None:
    return next((p for p in asked_pages() if not is_page_answered(p)), None)


def next_page(page: str) -> str | None:
    pages = asked_pages()
    later = pages[pages.index(page) + 1 :] if page in pages else []
    return later[0] if later else None


def previous_page(page: str) -> str | None:
    pages = asked_pages()
    if page not in pages or pages.index(page) == 0:
        return None
    return pages[pages.index(page) - 1]


def for_someone_else() -> bool:
    return answers().get("who_for") in ("someone_i_help", "customer")


def title_for(page: str) -> str:
    question = BY_ID[page]
    return gettext(question.staff_title if for_someone_else() and question.staff_title else question.title)


def clear() -> None:
    for key in ("answers", "place", "postcode_done", "needs_area", "postcode_problem", "postcode_entered", "assisting"):
        session.pop(key, None)
