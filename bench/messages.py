"""Benchmark: queueing a message inside a request (target under 5 ms), and how many messages a minute one
`flask send-messages` worker sends to GOV.UK Notify (target 3,000), each beside a yardstick from the same run.

Saves varied plans in a throwaway SQLite database made by the real migrations (or the database named by
BENCH_DATABASE_URL, which must be an empty one of its own), then:
- times `queue("plan-sms", ...)` with its flush, and before it `plan_fields` (the plan written out), as the
  counter's send does inside its request, beside the yardstick of adding one audit line and flushing it
  (what every request that changes something already pays);
- queues --messages text messages and times one worker, then two side by side (workers share the queue by
  leases, as on several machines), sending them all to the Notify stand-in the tests use (tests/messages/
  conftest.py, in a process of its own on loopback, checking each JWT as Notify does), beside the yardstick of
  the same number of notifications sent straight from the Notify client in one process, with no database.
  The ratio says what claiming and recording each message costs on top of Notify's own API calls.

    .venv/bin/python bench/messages.py [--plans 100] [--messages 1500]

It prints the figures; nothing here is a test.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "messages"))

from conftest import API_KEY, EMAIL_TEMPLATE, SMS_TEMPLATE, FakeNotify, NotifyHandler
from flask_migrate import upgrade
from notifications_python_client.notifications import NotificationsAPIClient
from plan_page import save_plans
from sqlalchemy import func, select, update

from triage.web.app import create_app
from triage.web.assessments.service import find_assessment
from triage.web.extensions import db
from triage.web.messages.delivery import send_batch
from triage.web.messages.sending import plan_fields, queue
from triage.web.models import AuditEvent, OutboxMessage
from triage.web.seed import seed_all

PHONE = "+447700900982"


def serve_notify(port: multiprocessing.Value) -> None:  # type: ignore[valid-type]
    """The tests' Notify stand-in, answering every request at once."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (NotifyHandler,), {"notify": FakeNotify()}))
    port.value = server.server_address[1]
    server.serve_forever()


def ms(seconds: list[float]) -> tuple[float, float]:
    values = sorted(s * 1000 for s in seconds)
    return statistics.median(values), values[int(len(values) * 0.95)]


def queue_times(app, references: list[str], rounds: int) -> None:
    written, queued, yardstick = [], [], []
    with app.test_request_context():
        plans = [find_assessment(reference) for reference in references]
        for _ in range(rounds):
            for plan in plans:
                subject = f"plan {plan.reference}"  # loads the plan, and begins the transaction, before timing
                start = time.perf_counter()
                db.session.add(AuditEvent(action="bench", subject=subject, detail="yardstick"))
                db.session.flush()
                yardstick.append(time.perf_counter() - start)
                start = time.perf_counter()
                fields = plan_fields(plan)
                written.append(time.perf_counter() - start)
                start = time.perf_counter()
                queue("plan-sms", PHONE, fields, assessment_id=plan.id)
                queued.append(time.perf_counter() - start)
                db.session.commit()
    (median, p95), (plan, plan_p95), (base, _) = ms(queued), ms(written), ms(yardstick)
    print(f"queue a text message inside a request: median {median:.2f} ms, p95 {p95:.2f} ms (target under 5 ms)")
    print(f"  before it, writing the plan's fields (plan_fields): median {plan:.2f} ms, p95 {plan_p95:.2f} ms")
    print(
        f"  yardstick, one audit line added and flushed: median {base:.2f} ms; "
        f"queueing is {median / base:.1f} x it, queueing with the plan's fields {(median + plan) / base:.1f} x"
    )


def notify_settings(notify_url: str) -> dict:
    return {
        "NOTIFICATION_BACKEND": "notify",
        "NOTIFY_API_KEY": API_KEY,
        "NOTIFY_BASE_URL": notify_url,
        "NOTIFY_EMAIL_TEMPLATE_ID": EMAIL_TEMPLATE,
        "NOTIFY_SMS_TEMPLATE_ID": SMS_TEMPLATE,
        "NOTIFY_RECEIPT_TOKEN": "bench-receipt-token",
    }


def drain(database_url: str, notify_url: str) -> None:
    """One `flask send-messages` worker, in a process of its own, sending until nothing is left for it."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", **notify_settings(notify_url)})
    with app.app_context():
        while send_batch().sent:
            pass
        db.engine.dispose()


def worker_rate(app, count: int, notify_url: str, workers: int) -> float:
    """Messages a minute that `workers` workers send together, from `count` queued."""
    app.config.update(notify_settings(notify_url))
    with app.test_request_context():
        for n in range(count):
            queue("referral-accepted-sms", PHONE, {"service": f"Help {n}", "link": "https://x.example/plan/X"})
        db.session.commit()
        db.engine.dispose()  # the workers' processes open their own connections
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    processes = [multiprocessing.Process(target=drain, args=(url, notify_url)) for _ in range(workers)]
    start = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - start
    with app.app_context():
        sent = db.session.scalar(select(func.count()).where(OutboxMessage.status == "sent"))
        db.session.execute(update(OutboxMessage).values(status="bench: done"))
        db.session.commit()
    per_minute = sent / elapsed * 60
    print(f"{workers} worker(s): {sent} of {count} messages sent in {elapsed:.1f} s, {per_minute:,.0f} a minute")
    return per_minute


def client_rate(count: int, notify_url: str) -> float:
    """The yardstick: the Notify client alone, sending as fast as one process can, with no database."""
    client = NotificationsAPIClient(API_KEY, base_url=notify_url)
    start = time.perf_counter()
    for _ in range(count):
        client.send_sms_notification(phone_number=PHONE, template_id=SMS_TEMPLATE, personalisation={"body": "x"})
    return count / (time.perf_counter() - start) * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--messages", type=int, default=1500)
    args = parser.parse_args()
    rng = random.Random(20261203)
    port = multiprocessing.Value("i", 0)
    stand_in = multiprocessing.Process(target=serve_notify, args=(port,), daemon=True)
    stand_in.start()
    while not port.value:
        time.sleep(0.05)
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "PUBLIC_URL": "https://x.example"})
        with app.app_context():
            upgrade()
            seed_all(app.extensions["council"])
            references = save_plans(rng, args.plans)
            db.session.commit()
        print(f"database: {url.split(':', 1)[0]}; {args.plans} plans")
        queue_times(app, references, args.rounds)
        notify_url = f"http://127.0.0.1:{port.value}"
        rates = {n: worker_rate(app, args.messages, notify_url, n) for n in (1, 2)}
        direct = client_rate(args.messages, notify_url)
        print(
            f"  yardstick, the Notify client alone in one process: {direct:,.0f} a minute; one worker sends at "
            f"{rates[1] / direct:.2f} x it, two at {rates[2] / direct:.2f} x (target 3,000 a minute)"
        )
        with app.app_context():
            db.engine.dispose()
    stand_in.terminate()


if __name__ == "__main__":
    main()
