"""No double booking, enforced by the database: many people sending the last places at the same moment, as real
concurrent requests (threads, each its own client and connection), on the suite's database (a SQLite file, or
PostgreSQL with TEST_DATABASE_URL). Exactly as many win as there are places; every other gets "just taken"."""

from __future__ import annotations

import threading

from test_booking import book_up_to_check, made, publish_session

PEOPLE = 8
PLACES = 2


def test_people_booking_the_last_places_at_once_get_one_place_each_or_a_clear_answer(app, people, plan):
    reference, resource_id = plan
    publish_session(people("champion@example.org"), resource_id, places=PLACES)
    ready = [book_up_to_check(people(None), reference, resource_id) for _ in range(PEOPLE)]
    start = threading.Barrier(PEOPLE)
    answers: list = [None] * PEOPLE

    def send(n: int) -> None:
        client, path, token = ready[n]
        start.wait()
        answers[n] = client.post(path, data={"csrf_token": token})

    threads = [threading.Thread(target=send, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    places = [a.headers["Location"] for a in answers if "/booked" in a.headers.get("Location", "")]
    taken = [a for a in answers if a.headers.get("Location", "").endswith(f"/book/{resource_id}")]
    assert len(places) == PLACES and len(taken) == PEOPLE - PLACES  # none lost, none doubled
    bookings = made(app)
    assert len(bookings) == PLACES and sorted(b.seat for b in bookings) == list(range(1, PLACES + 1))
    assert {b.reference for b in bookings} == {location.split("/")[-2] for location in places}
    for n, answer in enumerate(answers):
        if answer in taken:
            client = ready[n][0]
            assert "Sorry, that time has just been taken" in client.get(answer.headers["Location"]).get_data(
                as_text=True
            )
