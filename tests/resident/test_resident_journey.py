"""The resident journey through the Flask test client: every page, the order rules and bad input."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from helpers import CONFIDENT, OFFLINE, answer, complete_journey, csrf_token, page_text

from triage.web.extensions import db
from triage.web.models import Assessment


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def error_summary(response) -> list[str]:
    box = soup(response).find(class_="govuk-error-summary")
    return [li.get_text(strip=True) for li in box.find_all("li")] if box else []


def test_start_page_explains_the_service_without_asking_for_a_name(client):
    page = client.get("/")
    assert page.status_code == 200
    text = soup(page).get_text(" ", strip=True)
    assert "Get help using the internet" in text
    assert "You do not need to give your name" in text
    assert soup(page).find("a", href="/questions/who_for")


def test_cannot_skip_ahead_to_later_questions(client):
    response = client.get("/questions/feelings")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/questions/who_for")


def test_unknown_question_page_is_404(client):
    assert client.get("/questions/favourite_colour").status_code == 404


def test_each_question_needs_an_answer_with_a_clear_message(client):
    response = client.post("/questions/who_for", data={"csrf_token": csrf_token(client, "/questions/who_for")})
    assert response.status_code == 200
    assert error_summary(response) == ["Select who you are getting help for"]
    assert soup(response).title.string.startswith("Error: ")


def test_a_wrong_answer_code_is_refused(client):
    response = answer(client, "who_for", "the_queen")
    assert response.status_code == 200
    assert error_summary(response)


def test_postcode_is_accepted_in_any_common_spelling(client, app):
    answer(client, "who_for", "me")
    response = answer(client, "postcode", "  le11   3du ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/questions/devices")
    with client.session_transaction() as session:
        assert session["place"]["ward_code"] == "E05014676"  # Loughborough Southfields
        assert session["place"]["postcode_sector"] == "LE11 3"


def test_not_a_postcode_gets_a_message_on_the_page(client):
    answer(client, "who_for", "me")
    response = answer(client, "postcode", "HELLO")
    assert error_summary(response) == ["Enter a real postcode, like LE11 3DU"]


def test_empty_and_huge_postcodes_get_messages(client):
    answer(client, "who_for", "me")
    assert error_summary(answer(client, "postcode", "")) == [
        "Enter your postcode, or choose 'I do not have a postcode'"
    ]
    assert error_summary(answer(client, "postcode", "L" * 5000)) == ["Postcode must be 20 characters or fewer"]


def test_unknown_postcode_in_our_districts_leads_to_choosing_an_area(client):
    answer(client, "who_for", "me")
    response = answer(client, "postcode", "LE11 1ZZ")
    assert response.headers["Location"].endswith("/questions/area")
    page = client.get("/questions/area")
    assert "We could not find the postcode you gave, starting LE11 1." in page_text(page)
    radios = soup(page).find_all("input", attrs={"name": "area"})
    assert len(radios) == 25  # the 24 wards and "I'm not sure"


def test_unknown_postcode_puts_the_likely_areas_first(client, app):
    from triage.web.extensions import db as database
    from triage.web.models import Postcode

    answer(client, "who_for", "me")
    answer(client, "postcode", "le11 1zz")
    radios = soup(client.get("/questions/area")).find_all("input", attrs={"name": "area"})
    with app.app_context():
        sector_wards = {p.ward_code for p in database.session.query(Postcode).filter(Postcode.postcode.like("LE11 1%"))}
    first = [r["value"] for r in radios[: len(sector_wards)]]
    assert set(first) == sector_wards
    assert "Other postcodes starting LE11 1 are here" in str(soup(client.get("/questions/area")))


def test_postcode_outside_the_borough_says_so_and_offers_areas(client):
    answer(client, "who_for", "me")
    answer(client, "postcode", "SW1A 1AA")
    page = client.get("/questions/area")
    assert "The postcode you gave, starting SW1A 1, is not in Charnwood." in page_text(page)


def test_no_fixed_address_leads_to_choosing_an_area(client):
    answer(client, "who_for", "me")
    token = csrf_token(client, "/questions/postcode")
    response = client.post("/questions/postcode", data={"csrf_token": token, "no_fixed_address": "1"})
    assert response.headers["Location"].endswith("/questions/area")
    assert "usually stay" in client.get("/questions/area").get_data(as_text=True)


def test_choosing_an_unknown_ward_is_refused(client):
    answer(client, "who_for", "me")
    answer(client, "postcode", "LE11 1ZZ")
    response = answer(client, "area", "E09999999")
    assert response.status_code == 200
    assert error_summary(response)


def test_whole_journey_gives_a_plan_and_stores_no_postcode(client, app):
    plan = complete_journey(client, OFFLINE)
    assert plan.status_code == 200
    page = soup(plan)
    reference = page.find(class_="signpost-reference").get_text(strip=True)
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    text = page.get_text(" ", strip=True)
    assert "Get a device" in text and "One-to-one help" in text
    assert "very high" not in text.lower() and "very_high" not in text  # residents never see a risk label
    assert "Why we suggest this:" in text
    with app.app_context():
        stored = db.session.query(Assessment).filter_by(reference=reference).one()
        assert stored.band == "very_high"
        assert stored.ward_code == "E05014676"
        assert stored.postcode_sector == "LE11 3"
        assert "LE11 3DU" not in str(stored.answers)
        assert stored.recommendations, "the plan matched no help"
        assert stored.scoring_version


def test_plan_lists_real_libraries_and_marks_sample_help(client):
    page = soup(complete_journey(client, OFFLINE))
    names = [h.get_text(strip=True) for h in page.select(".signpost-resource h3, .signpost-resource h4")]
    assert "Loughborough Library" in names
    tags = [t.get_text(strip=True) for t in page.select(".signpost-resource .govuk-tag")]
    assert "Sample" in tags
    assert "sample data" in page.get_text(" ", strip=True)


def test_low_risk_person_is_offered_volunteering_not_a_beginner_course(client):
    page = soup(complete_journey(client, CONFIDENT))
    headings = [h.get_text(strip=True) for h in page.select("section h2")]
    assert any("Help others get online" in h for h in headings)
    assert not any("Learn with others" in h for h in headings)


def test_check_answers_lists_every_answer_with_change_links(client):
    answer(client, "who_for", "me")
    answer(client, "postcode", "LE11 3DU")
    for page, value in list(CONFIDENT.items())[1:]:
        answer(client, page, value)
    page = soup(client.get("/check-your-answers"))
    keys = [k.get_text(strip=True) for k in page.select(".govuk-summary-list__key")]
    assert keys[:3] == ["Who are you getting help for?", "Postcode", "Which of these do you have that works?"]
    assert page.find("a", href="/questions/devices?change=1")
    devices = page.select(".govuk-summary-list__value")[2]
    assert list(devices.stripped_strings) == ["Smartphone", "Laptop or computer"]


def test_changing_an_answer_returns_to_check_answers(client):
    answer(client, "who_for", "me")
    answer(client, "postcode", "LE11 3DU")
    for page, value in list(CONFIDENT.items())[1:]:
        answer(client, page, value)
    token = csrf_token(client, "/questions/feelings?change=1")
    response = client.post("/questions/feelings?change=1", data={"csrf_token": token, "answer": "nervous"})
    assert response.headers["Location"].endswith("/check-your-answers")


def test_language_follow_up_is_asked_only_when_english_is_not_first_language(client):
    answer(client, "who_for", "me")
    answer(client, "postcode", "LE11 3DU")
    for page, value in list(CONFIDENT.items())[1:9]:
        answer(client, page, value)
    response = answer(client, "barriers", ["english"])
    assert response.headers["Location"].endswith("/questions/language")
    response = answer(client, "language", "pl")
    assert response.headers["Location"].endswith("/questions/help_preferences")


def test_none_of_these_cannot_be_ticked_with_other_answers(client):
    answer(client, "who_for", "me")
    answer(client, "postcode", "LE11 3DU")
    response = answer(client, "devices", ["smartphone", "none"])
    assert error_summary(response) == ["Select 'None of these' on its own, or untick it"]


def test_deadline_task_text_has_a_length_limit(client):
    answer(client, "who_for", "me")
    answer(client, "postcode", "LE11 3DU")
    for page, value in list(CONFIDENT.items())[1:-1]:
        answer(client, page, value)
    answer(client, "deadline", "yes")
    response = answer(client, "deadline_task", "x" * 201)
    assert error_summary(response) == ["What you need to do must be 200 characters or fewer"]


def test_for_someone_else_the_questions_say_they(client):
    answer(client, "who_for", "someone_i_help")
    page = soup(client.get("/questions/postcode"))
    assert page.h1.get_text(strip=True) == "What is their postcode?"


def test_start_again_forgets_the_answers(client):
    answer(client, "who_for", "me")
    token = csrf_token(client, "/questions/postcode")
    response = client.post("/start-again", data={"csrf_token": token})
    assert response.headers["Location"].endswith("/questions/who_for")
    with client.session_transaction() as session:
        assert "answers" not in session


def test_form_without_csrf_token_is_refused_kindly(client):
    response = client.post("/questions/who_for", data={"answer": "me"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_plan_can_be_found_again_by_reference_in_any_spelling(client):
    reference = soup(complete_journey(client, CONFIDENT)).find(class_="signpost-reference").get_text(strip=True)
    token = csrf_token(client, "/find-your-plan")
    typed = reference.replace("-", " ").lower()
    response = client.post("/find-your-plan", data={"csrf_token": token, "reference": typed})
    assert response.headers["Location"].endswith(f"/plan/{reference}")
    assert client.get(f"/plan/{reference.replace('-', '').lower()}").status_code == 302


def test_unknown_reference_gets_a_message_and_unknown_plan_is_404(client):
    token = csrf_token(client, "/find-your-plan")
    response = client.post("/find-your-plan", data={"csrf_token": token, "reference": "AAAA-BBBB-CCCC"})
    assert "We could not find a plan with that reference" in " ".join(error_summary(response))
    assert client.get("/plan/AAAA-BBBB-CCCC").status_code == 404
    assert client.get("/plan/not-a-reference").status_code == 404


def test_satisfaction_feedback_is_stored_with_the_ward_only(client, app):
    from triage.web.models import Feedback

    plan = complete_journey(client, CONFIDENT)
    reference = soup(plan).find(class_="signpost-reference").get_text(strip=True)
    token = csrf_token(client, f"/plan/{reference}")
    response = client.post(
        f"/plan/{reference}/feedback",
        data={"csrf_token": token, "rating": "satisfied", "comment": "Clear, thanks"},
        follow_redirects=True,
    )
    assert "Thank you for your feedback" in response.get_data(as_text=True)
    with app.app_context():
        stored = db.session.query(Feedback).one()
        assert (stored.rating, stored.comment, stored.ward_code) == ("satisfied", "Clear, thanks", "E05014676")


def test_feedback_without_a_rating_or_with_a_huge_comment_is_refused(client, app):
    from triage.web.models import Feedback

    reference = soup(complete_journey(client, CONFIDENT)).find(class_="signpost-reference").get_text(strip=True)
    token = csrf_token(client, f"/plan/{reference}")
    response = client.post(f"/plan/{reference}/feedback", data={"csrf_token": token})
    assert response.status_code == 400
    assert error_summary(response) == ["Select how you felt about this service"]
    response = client.post(
        f"/plan/{reference}/feedback", data={"csrf_token": token, "rating": "satisfied", "comment": "x" * 1201}
    )
    assert error_summary(response) == ["Your comment must be 1,200 characters or fewer"]
    with app.app_context():
        assert db.session.query(Feedback).count() == 0
