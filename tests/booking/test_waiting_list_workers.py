"""Two messages workers offering freed places at the same moment (threads, each its own connection, on the suite's
database: a SQLite file, or PostgreSQL with TEST_DATABASE_URL): each free place is offered once, to the first in
line, and a hold that ran out is ended once and its place offered once."""

from __future__ import annotations

import threading
from datetime import timedelta

from test_booking import book, made, publish_session
from test_waiting_list import PUBLIC, entries, join, messages

from triage.web.booking import service
from triage.web.booking.waiting_list import offer_freed_places
from triage.web.extensions import db
from triage.web.models import Booking

WORKERS = 2


def run_workers_at_once(app) -> list:
    start = threading.Barrier(WORKERS)
    results: list = [None] * WORKERS

    def work(n: int) -> None:
        with app.app_context():
            start.wait()
            results[n] = offer_freed_places()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_workers_offer_each_freed_place_once_in_order(app, people, plan, monkeypatch):
    reference, resource_id = plan
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)
    publish_session(people("champion@example.org"), resource_id, places=2)
    for n in range(2):
        assert book(people(None), reference, resource_id, email=f"booked{n}@example.com").status_code == 302
    for n in range(3):
        assert join(people(None), reference, resource_id, email=f"waiting{n}@example.com").status_code == 302
    with app.app_context():  # two places freed with no offer made yet (say the web request died after the cancel)
        for booking in db.session.query(Booking).all():
            booking.status = "cancelled"
        db.session.commit()

    results = run_workers_at_once(app)
    assert sum(r.offered for r in results) == 2
    first, second, third = entries(app)
    assert (first.status, second.status, third.status) == ("offered", "offered", "waiting")
    held = sorted((b for b in made(app) if b.status == "held"), key=lambda b: b.seat)
    assert [b.seat for b in held] == [1, 2] and {b.id for b in held} == {first.booking_id, second.booking_id}
    offers = messages(app, "waiting-list-offer")
    assert sorted(m.recipient for m in offers) == ["waiting0@example.com", "waiting1@example.com"]

    with app.app_context():  # both holds run out
        for booking in db.session.query(Booking).filter_by(status="held"):
            booking.held_until = service.now() - timedelta(minutes=1)
        db.session.commit()
    results = run_workers_at_once(app)
    assert sum(r.expired for r in results) == 2 and sum(r.offered for r in results) == 1
    assert [e.status for e in entries(app)] == ["expired", "expired", "offered"]
    assert len([b for b in made(app) if b.status == "held"]) == 1
    assert [m.recipient for m in messages(app, "waiting-list-offer")][2:] == ["waiting2@example.com"]
