"""Test helpers: the page checker every client response goes through, and the resident journey's steps."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import event

from triage.web.help_sessions.service import today
from triage.web.models import AuditEvent


class CheckedClient(FlaskClient):
    """A test client that checks the basics of every HTML page it fetches.

    Every page needs a <title>, exactly one <h1>, no duplicate ids, a <legend> in every fieldset
    and a CSRF token in every form that posts, and every <script> must carry the CSP nonce.
    """

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and not response.is_streamed:
            check_page(response)
        return response


def check_page(response) -> BeautifulSoup:
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    where = response.request.path if response.request else "page"
    assert soup.title and soup.title.string and soup.title.string.strip(), f"{where}: no <title>"
    assert len(soup.find_all("h1")) == 1, f"{where}: needs exactly one <h1>"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"{where}: duplicate ids {duplicates}"
    for fieldset in soup.find_all("fieldset"):
        assert fieldset.find("legend") and fieldset.find("legend").get_text(strip=True), (
            f"{where}: fieldset without legend"
        )
    for form in soup.find_all("form"):
        if form.get("method", "get").lower() == "post":
            assert form.find("input", attrs={"name": "csrf_token"}), f"{where}: form without a CSRF token"
    policy = response.headers.get("Content-Security-Policy", "")
    for script in soup.find_all("script"):
        nonce = script.get("nonce")
        assert nonce and f"'nonce-{nonce}'" in policy, f"{where}: <script> without the CSP nonce"
    return soup


PASSWORD = "correct horse battery staple"  # every test account's password


def csrf_token(client, path: str) -> str:
    soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    return soup.find("input", attrs={"name": "csrf_token"})["value"]


def answer(client, page: str, value, follow=False):
    """Post one answer to a question page, with a fresh CSRF token, as a browser would."""
    path = f"/questions/{page}"
    data = {"csrf_token": csrf_token(client, path)}
    if page == "postcode":
        data["postcode"] = value
    elif page == "area":
        data["area"] = value
    else:
        data["answer"] = value
    return client.post(path, data=data, follow_redirects=follow)


# A person with few barriers, and one who is completely offline, as complete answer sets.
CONFIDENT = {
    "who_for": "me",
    "devices": ["smartphone", "computer"],
    "connection": "broadband",
    "money": ["none"],
    "foundation_skills": ["turn_on_and_log_in", "join_wifi", "open_app_or_website", "change_settings", "passwords"],
    "life_skills": ["messages", "search", "buy_or_pay", "forms", "fix_problems", "spot_scams"],
    "feelings": "confident",
    "goals": ["shopping"],
    "barriers": ["none"],
    "help_preferences": ["group"],
    "deadline": "no",
}
OFFLINE = {
    "who_for": "me",
    "devices": ["basic_phone"],
    "connection": "not_online",
    "money": ["cannot_afford_broadband", "benefits"],
    "foundation_skills": ["none"],
    "life_skills": ["none"],
    "feelings": "nervous",
    "goals": ["health", "council"],
    "barriers": ["sight"],
    "help_preferences": ["one_to_one", "home_visit"],
    "deadline": "no",
}


def answer_every_question(client, answers: dict, postcode: str = "LE11 3DU", area: str | None = None) -> None:
    """Answer every page in order, up to checking the answers."""
    answer(client, "who_for", answers["who_for"])
    if postcode:
        answer(client, "postcode", postcode)
    if area is not None:
        answer(client, "area", area)
    for page, value in answers.items():
        if page != "who_for":
            answer(client, page, value)


def complete_journey(client, answers: dict, postcode: str = "LE11 3DU", area: str | None = None):
    """Answer every page in order and submit; returns the plan page response."""
    answer_every_question(client, answers, postcode, area)
    token = csrf_token(client, "/check-your-answers")
    return client.post("/check-your-answers", data={"csrf_token": token}, follow_redirects=True)


def sign_in(client, email: str):
    """Sign a client in with a test account made by the make_user fixture."""
    token = csrf_token(client, "/staff/sign-in")
    response = client.post("/staff/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def errors(response) -> list[str]:
    """The messages in a page's error summary."""
    box = BeautifulSoup(response.get_data(as_text=True), "html.parser").find(class_="govuk-error-summary")
    return [li.get_text(strip=True) for li in box.find_all("li")] if box else []


def page_text(response) -> str:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ", strip=True)


SERVICE_PROBLEM = "Sorry, there is a problem with the service"  # the heading of the 500 page


@contextmanager
def audit_log_failing() -> Iterator[None]:
    """Inside this block the database refuses every new audit entry, as a full disk or a dropped connection
    would: whatever the audit entry was for must not be saved either."""

    def refuse(mapper, connection, target) -> None:
        raise RuntimeError("the audit log cannot be written")

    event.listen(AuditEvent, "before_insert", refuse)
    try:
        yield
    finally:
        event.remove(AuditEvent, "before_insert", refuse)


def upload_directory_csv(client, text, name="directory.csv"):
    """An officer uploads a directory CSV for its dry run: the page lists its problems, or says it is ready."""
    token = csrf_token(client, "/staff/directory/import")
    data = {"csrf_token": token, "file": (io.BytesIO(text.encode("utf-8")), name)}
    return client.post("/staff/directory/import", data=data, content_type="multipart/form-data")


def edit_entry(client, resource_id: int, **changes):
    """An officer edits a directory entry in the editor: what the form holds now, with `changes`."""
    path = f"/staff/directory/{resource_id}/edit"
    page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    data = {i["name"]: i.get("value", "") for i in page.select("input[type=text]")}
    data |= {t["name"]: t.get_text() for t in page.select("textarea")}
    for group in ("wards", "languages", "accessibility", "delivery_modes", "needs"):
        data[group] = [i["value"] for i in page.select(f"input[name={group}][checked]")]
    for group in ("kind", "coverage", "free", "status"):
        data[group] = page.select_one(f"input[name={group}][checked]")["value"]
    return client.post(path, data={**data, **changes, "csrf_token": csrf_token(client, path)})


# A directory entry an officer or a partner could add: every field valid.
NEW_ENTRY = {
    "kind": "digital_champion",
    "name": "Phone help at Shelthorpe",
    "description": "Friendly help with phones and tablets",
    "coverage": "local",
    "wards": ["E05014676"],
    "postcode": "le11 3du",
    "monday": "9:30-12:30",
    "tuesday": "",
    "free": "yes",
    "needs": ["champion", "staying_safe"],
    "languages": ["en", "pl"],
    "delivery_modes": ["one_to_one"],
    "accessibility": ["large_print", "screen_reader"],
    "status": "active",
}

# Referrals: the organisation that runs the Loughborough drop-in takes them; another organisation does not.
CHAMPIONS = "Charnwood Digital Champions"
OTHER_ORG = "Sample training provider"
DROP_IN = "Digital Champion drop-in at Loughborough Library"
CONTACT = {
    "name": "Jo Bloggs",
    "phone": "07700 900982",
    "email": "",
    "contact_times": "Mornings",
    "note": "New phone",
    "updates_by": "sms",
}
# What an OFFLINE person might answer at a follow-up after some support.
AFTER_SUPPORT = {
    "devices": ["smartphone"],
    "connection": "phone_data",
    "money": ["benefits"],
    "foundation_skills": ["turn_on_and_log_in", "join_wifi", "open_app_or_website"],
    "life_skills": ["messages", "search"],
    "feelings": "worried_mistakes",
}


def refer(client, reference, resource_id, **changes):
    """Staff refer the person with a plan to a piece of help; a change of None leaves that field out."""
    path = f"/staff/plans/{reference}"
    data = {f"refer-{k}": v for k, v in {**CONTACT, "resource": str(resource_id), "consent": "y", **changes}.items()}
    data["csrf_token"] = csrf_token(client, path)
    return client.post(f"{path}/refer", data={k: v for k, v in data.items() if v is not None})


def set_status(client, referral_id, status, reason=""):
    path = f"/staff/referrals/{referral_id}"
    token = csrf_token(client, path)
    return client.post(f"{path}/status", data={"csrf_token": token, "status": status, "reason": reason})


def start_support(champion, referral_id):
    for status in ("accepted", "contacted", "support_started"):
        set_status(champion, referral_id, status)
    return champion


def record_follow_up(champion, referral_id, answers=AFTER_SUPPORT):
    path = f"/staff/referrals/{referral_id}/follow-up"
    return champion.post(path, data={"csrf_token": csrf_token(champion, path), **answers})


def a_session(**changes) -> dict:
    day = today()
    data = {
        "session_date": [str(day.day), str(day.month), str(day.year)],
        "length": "30",
        "kind": "one_to_one",
        "place": "phone",
        "tasks": ["join_wifi", "health_nhs_app"],
        "device": "own",
        "independence": "some_help",
        "given": ["data_sim"],
        "first_visit": "yes",
        "postcode": "LE11 3DU",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def log_session(client, path="/staff/help-sessions/new", **changes):
    """Log a session as the client (a champion); each change replaces a field, None leaves it out."""
    return client.post(path, data={"csrf_token": csrf_token(client, path), **a_session(**changes)})
