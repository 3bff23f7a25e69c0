"""Benchmark: booking help under a rush, and the free-times query of a busy venue.

1. --people (200) people send the last step of booking at the same moment for a dated session with --places
   (20): real concurrent requests, each from its own test client and thread, through the whole journey. Exactly
   --places must succeed, none may be lost (every other answer is "that time has just been taken"), and the seats
   must be 1 to --places. The time for the rush is beside the yardstick of the same threads fetching the
   accessibility statement at once (a page the booking code does not touch), so the ratio cancels the machine.
2. The free times of one venue with a year of weekly slots (five weekly rules, Monday to Friday 09:00 to 17:00,
   30-minute slots, 3 places each, BOOKING_DAYS_AHEAD raised to 365) and --taken bookings in them, as the time
   page asks for them (target under 50 ms), beside the yardstick of one indexed count of the venue's bookings.

On a throwaway SQLite database made by the real migrations, and on PostgreSQL with --database-url (a database of
its own: it is emptied first), e.g.

    .venv/bin/python bench/booking.py
    .venv/bin/python bench/booking.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test_reminders

It prints the figures, and exits 1 if the rush booked more or fewer than the places or lost anyone; nothing here
is a test.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import threading
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bs4 import BeautifulSoup
from flask_migrate import upgrade
from helpers import OFFLINE
from sqlalchemy import func, select, text

from triage.core.booking_slots import ACTIVE
from triage.web.app import create_app
from triage.web.booking import service
from triage.web.extensions import db
from triage.web.models import Availability, Booking, Resource
from triage.web.seed import seed_all

DROP_IN = "Digital Champion drop-in at Loughborough Library"
LIMITS = ("BOOKING_RATE_LIMIT", "BOOKING_LOOKUP_RATE_LIMIT", "SAVE_PLAN_RATE_LIMIT")


def make_app(url: str, people: int):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            **dict.fromkeys(LIMITS, "100000 per minute"),
            # one connection a thread, as gunicorn's threads have; PostgreSQL's max_connections is 100
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": min(people, 80), "max_overflow": 0, "pool_timeout": 120},
        }
    )


def empty_database(app) -> None:
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        seed_all(app.extensions["council"])


def plan_with_session(app, places: int) -> tuple[str, int]:
    """A plan whose drop-in has one dated session (three days ahead, 14:00 to 15:30) with `places` places."""
    answer = app.test_client().post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE})
    body = answer.get_json()
    resource_id = next(r["resource"]["id"] for r in body["recommendations"] if r["resource"]["name"] == DROP_IN)
    with app.app_context():
        db.session.add(
            Availability(
                resource_id=resource_id,
                kind="dated",
                mode="in_person",
                title="Bench session",
                on_date=service.today() + timedelta(days=3),
                starts=clock(14),
                ends=clock(15, 30),
                minutes=90,
                places=places,
            )
        )
        db.session.commit()
    return body["reference"], resource_id


def up_to_check(app, reference: str, resource_id: int):
    client = app.test_client()
    base = f"/plan/{reference}/book/{resource_id}"
    page = BeautifulSoup(client.get(base).get_data(as_text=True), "html.parser")
    slot = page.select_one("input[name=slot]")["value"]
    steps = [(base, {"slot": slot}), (f"{base}/name", {"first_name": "Asha"})]
    steps += [(f"{base}/contact", {"phone": "", "email": ""}), (f"{base}/needs", {"access_needs": ""})]
    for path, data in steps:
        assert client.post(path, data=data).status_code == 302, path
    return client, f"{base}/check"


def at_once(n: int, send) -> tuple[list, float]:
    """send(i) from n threads released together; the answers and the seconds from release to the last."""
    start = threading.Barrier(n + 1)
    answers: list = [None] * n

    def run(i: int) -> None:
        start.wait()
        answers[i] = send(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return answers, time.perf_counter() - began


def rush(app, people: int, places: int) -> bool:
    reference, resource_id = plan_with_session(app, places)
    ready = [up_to_check(app, reference, resource_id) for _ in range(people)]
    answers, took = at_once(people, lambda i: ready[i][0].post(ready[i][1], data={}))
    locations = [a.headers.get("Location", "") for a in answers]
    booked = [loc for loc in locations if loc.endswith("/booked")]
    taken = [i for i, loc in enumerate(locations) if loc.endswith(f"/book/{resource_id}")]
    told = sum("has just been taken" in ready[i][0].get(locations[i]).get_data(as_text=True) for i in taken)
    other = [a.status_code for i, a in enumerate(answers) if not locations[i].endswith("/booked") and i not in taken]
    with app.app_context():
        seats = sorted(db.session.scalars(select(Booking.seat).where(Booking.status == ACTIVE)))
    statics = [app.test_client() for _ in range(people)]
    _pages, yardstick = at_once(people, lambda i: statics[i].get("/accessibility"))
    right = len(booked) == places and len(taken) == people - places and told == len(taken) and not other
    right = right and seats == list(range(1, places + 1))
    print(
        f"{people} people at once for {places} places: {len(booked)} booked, {len(taken)} told the time was just "
        f"taken ({told} saw it said), {len(other)} other answers {sorted(set(other))}; seats {seats[:3]}...{seats[-2:]}"
    )
    print(
        f"  the rush took {took * 1000:.0f} ms; yardstick, {people} fetching the accessibility statement at once: "
        f"{yardstick * 1000:.0f} ms; the rush is {took / yardstick:.1f} x it. {'RIGHT' if right else 'WRONG'}"
    )
    return right


def busy_venue(app, taken: int) -> int:
    """The other entry with a year of weekday slots and `taken` bookings in them; its id."""
    with app.app_context():
        resource = db.session.scalars(select(Resource).where(Resource.name != DROP_IN).order_by(Resource.id)).first()
        resource.status = "active"
        today = service.today()
        rules = [
            Availability(
                resource_id=resource.id, kind="weekly", mode="in_person", weekday=day, starts=clock(9), ends=clock(17),
                minutes=30, places=3, valid_from=today, valid_until=today + timedelta(days=365),
            )
            for day in range(5)
        ]  # fmt: skip
        db.session.add_all(rules)
        db.session.flush()
        app.config["BOOKING_DAYS_AHEAD"] = 365
        with app.test_request_context():
            slots = [slot for slot, _free in service.free_times(resource)]
        for n in range(taken):
            slot = slots[(n * 7) % len(slots)]
            seat = 1 + (n * 7) // len(slots)
            db.session.add(
                Booking(
                    reference=f"BNCH-{n:04d}-SLOT", availability_id=slot.offer_id, resource_id=resource.id,
                    starts_at=slot.starts_at, ends_at=slot.ends_at, seat=seat, mode=slot.mode, status=ACTIVE,
                )
            )  # fmt: skip
        db.session.commit()
        print(f"a venue with {len(slots)} weekly slots in a year and {taken} bookings in them")
        return resource.id


def free_times_query(app, resource_id: int, rounds: int) -> None:
    asked, yardstick = [], []
    with app.test_request_context():
        for _ in range(rounds):
            db.session.expire_all()
            resource = db.session.get(Resource, resource_id)
            start = time.perf_counter()
            found = service.free_times(resource)
            asked.append(time.perf_counter() - start)
            start = time.perf_counter()
            db.session.scalar(select(func.count()).where(Booking.resource_id == resource_id))
            yardstick.append(time.perf_counter() - start)
    median, base = statistics.median(asked) * 1000, statistics.median(yardstick) * 1000
    p95 = sorted(asked)[int(len(asked) * 0.95)] * 1000
    print(
        f"free times of that venue ({len(found)} with a place left): median {median:.1f} ms, p95 {p95:.1f} ms "
        f"(target under 50 ms); yardstick, one count of its bookings: {base:.2f} ms; {median / base:.0f} x it"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--places", type=int, default=20)
    parser.add_argument("--taken", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        app = make_app(url, args.people)
        empty_database(app)
        print(f"database: {url.split(':', 1)[0]}")
        gc.freeze()  # as wsgi.py does once the app is made: full collections leave its long-lived objects alone
        right = rush(app, args.people, args.places)
        free_times_query(app, busy_venue(app, args.taken), args.rounds)
        with app.app_context():
            db.engine.dispose()
    sys.exit(0 if right else 1)


if __name__ == "__main__":
    main()
