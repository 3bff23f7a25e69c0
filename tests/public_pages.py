"""Every public page a resident can reach, in whatever language the client has chosen: each state of
the journey (questions, their error messages, check answers, the plan and its easy-read version),
finding help, the information pages and the error pages. The language tests walk it in every language."""

from __future__ import annotations

from helpers import OFFLINE, answer, csrf_token

from triage.core.questionnaire import QUESTIONS

# Answers that reach every question page, including both follow-ups (language, deadline task).
EVERY_QUESTION = {
    **OFFLINE,
    "barriers": ["sight", "english"],
    "language": "pl",
    "deadline": "yes",
    "deadline_task": "Renew my bus pass by 30 June",
}


def _post_empty(client, path: str, form_page: str | None = None, **extra):
    return client.post(path, data={"csrf_token": csrf_token(client, form_page or path), **extra})


def journey_pages(client):
    """The question pages, each shown empty and then with its error message, answered in order."""
    client.post("/start-again", data={"csrf_token": csrf_token(client, "/find-your-plan")})
    for page in [q.id for q in QUESTIONS]:
        path = f"/questions/{page}"
        yield path, client.get(path)
        yield f"{path} (error)", _post_empty(client, path)
        answer(client, page, EVERY_QUESTION.get(page, "LE11 3DU"))
    yield "/check-your-answers", client.get("/check-your-answers")


def area_pages(client):
    """The area page when a postcode is not known, and its error."""
    yield "/questions/postcode (not a postcode)", answer(client, "postcode", "NOT A POSTCODE")
    answer(client, "postcode", "LE11 1ZZ")
    yield "/questions/area", client.get("/questions/area")
    yield "/questions/area (error)", _post_empty(client, "/questions/area")


def plan_pages(client, reference: str, resource_id: int):
    yield "/plan", client.get(f"/plan/{reference}")
    yield "/plan/easy-read", client.get(f"/plan/{reference}/easy-read")
    yield "/plan/feedback (error)", _post_empty(client, f"/plan/{reference}/feedback", f"/plan/{reference}")
    contact = f"/plan/{reference}/contact-me/{resource_id}"
    yield "/plan/contact-me", client.get(contact)
    yield "/plan/contact-me (error)", _post_empty(client, contact, email="not an email", phone="123")
    sent = {"name": "Jo", "phone": "07700 900982", "email": "", "contact_times": "", "note": "", "consent": "y"}
    sent["csrf_token"] = csrf_token(client, contact)
    yield "/plan/contact-me (sent)", client.post(contact, data=sent, follow_redirects=True)
    yield (
        "/plan/feedback (sent)",
        client.post(
            f"/plan/{reference}/feedback",
            data={"csrf_token": csrf_token(client, f"/plan/{reference}"), "rating": "satisfied", "comment": ""},
            follow_redirects=True,
        ),
    )
    yield "/find-your-plan", client.get("/find-your-plan")
    yield "/find-your-plan (error)", _post_empty(client, "/find-your-plan")
    yield "/find-your-plan (not found)", _post_empty(client, "/find-your-plan", reference="AAAA-BBBB-CCCC")


def other_pages(client, slug: str):
    for path in (
        "/",
        "/find-help",
        "/find-help?postcode=LE11+3DU",
        "/find-help?postcode=LE11+3DU&kind=library&free=yes&language=pl&access=step_free",
        "/find-help?postcode=nonsense",
        "/find-help?area=E05012345",
        f"/help/{slug}",
        "/accessibility",
        "/privacy",
        "/cookies",
        "/how-we-suggest-help",
        "/no-such-page",
    ):
        yield path, client.get(path)
    yield "CSRF error", client.post("/find-your-plan", data={"reference": "x"})


def every_public_page(client, reference: str, resource_id: int, slug: str):
    yield from journey_pages(client)
    yield from area_pages(client)
    yield from plan_pages(client, reference, resource_id)
    yield from other_pages(client, slug)
