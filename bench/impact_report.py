"""Benchmark: the impact report, "Help given" and ward insight with 1,000,000 session logs over three years
(target: 300 ms or less per page, for an account limited to a district too), and the time to save one log (target:
under 20 ms).

Builds a throwaway database with the real migrations (SQLite; PostgreSQL too if HELP_BENCH_DATABASE_URL is set:
its tables are dropped, rebuilt and dropped again) and the seed data, then adds 40 organisations with two venues
each and 300 Digital Champions who each work two days a week at one venue: a quarter of their one-to-one sessions
are with someone's plan (about two sessions a plan), one in ten is a group. The day tallies are made by the real
`flask rebuild-insight` (tallies.rebuild). Pages are timed through the Flask test client, signed in, with a bare
Flask page (bench/yardstick.py) timed in the same run so the figures can be read as a ratio on a busy machine.
Run by hand:

    .venv/bin/python bench/impact_report.py [--sessions 1000000] [--requests 15]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bs4 import BeautifulSoup
from flask_migrate import upgrade
from insight_dashboard import generate as generate_plans
from sqlalchemy import insert, select, text
from yardstick import app as yardstick_app

from triage.core.help_sessions import GIVEN, INDEPENDENCE, LENGTH_PRESETS, TASKS
from triage.core.impact import CONNECTING
from triage.web.accounts.service import create_account
from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.help_sessions import tallies
from triage.web.help_sessions.service import today
from triage.web.insight.counts import rebuild
from triage.web.models import Assessment, HelpSession, Organisation, Resource, StaffUser, Ward
from triage.web.seed import seed_all

PASSWORD = "correct horse battery staple"
ORGANISATIONS, CHAMPIONS, DAYS = 40, 300, 3 * 365
TASK_CODES, GIVEN_CODES = list(TASKS), list(GIVEN)


def _organisations(wards: list[str]) -> list[tuple[int, list[tuple[int, str]]]]:
    """Bench organisations, each with two venues (marked sample data): [(organisation id, [(venue, ward)])]."""
    made = []
    for i in range(ORGANISATIONS):
        org = Organisation(name=f"Bench organisation {i}", is_sample=True)
        db.session.add(org)
        db.session.flush()
        venues = []
        for j in range(2):
            ward = wards[(2 * i + j) % len(wards)]
            venue = Resource(
                slug=f"bench-venue-{i}-{j}",
                kind="digital_champion",
                name=f"Bench venue {i}-{j}",
                is_sample=True,
                address="Sample address",
                ward_code=ward,
                organisation_id=org.id,
            )
            db.session.add(venue)
            db.session.flush()
            venues.append((venue.id, ward))
        made.append((org.id, venues))
    db.session.commit()
    return made


def _champions(organisations) -> list[tuple[int, int, tuple[int, str], tuple[int, int]]]:
    """Bench champions who never sign in: (account, organisation, venue, their two weekdays)."""
    rows = [
        {
            "email": f"bench-champion-{i}@example.org",
            "name": f"Bench champion {i}",
            "password_hash": "!",  # no password: cannot sign in
            "role": "champion",
            "organisation_id": organisations[i % ORGANISATIONS][0],
        }
        for i in range(CHAMPIONS)
    ]
    db.session.execute(insert(StaffUser), rows)
    db.session.commit()
    ids = db.session.execute(
        select(StaffUser.id, StaffUser.organisation_id).where(StaffUser.email.like("bench-champion-%"))
    ).all()
    venues = dict(organisations)
    return [(cid, org, venues[org][cid % 2], (cid % 5, (cid + 2) % 5)) for cid, org in ids]


def generate(rng: random.Random, n: int, wards: list[str], plans: list[tuple[int, str]], batch: int = 20_000) -> None:
    organisations = _organisations(wards)
    champions = _champions(organisations)
    start = today() - timedelta(days=DAYS)
    working = [
        (start + timedelta(days=d), c)
        for d in range(DAYS)
        for c in champions
        if (start + timedelta(days=d)).weekday() in c[3]
    ]
    extra = set(rng.sample(range(len(working)), n % len(working)))
    rows: list[dict] = []
    next_plan = 0
    for i, (day, (champion, org, (venue, venue_ward), _)) in enumerate(working):
        for _ in range(n // len(working) + (1 if i in extra else 0)):
            group = rng.random() < 0.1
            plan = None
            if not group and rng.random() < 0.25:
                if rng.random() < 0.5 and next_plan < len(plans) - 1:
                    next_plan += 1
                plan = plans[max(0, next_plan - rng.randint(0, 20))]
            place = "venue" if rng.random() < 0.8 else rng.choice(["home", "phone", "online"])
            given = [g for g in GIVEN_CODES if rng.random() < 0.03]
            rows.append(
                {
                    "logged_by_id": champion,
                    "organisation_id": org,
                    "assessment_id": None if plan is None else plan[0],
                    "session_date": day,
                    "minutes": rng.choice(LENGTH_PRESETS),
                    "kind": "group" if group else "one_to_one",
                    "headcount": rng.randint(2, 15) if group else 1,
                    "place": place,
                    "venue_id": venue if place == "venue" else None,
                    "tasks": rng.sample(TASK_CODES, rng.randint(1, 3)),
                    "device": "own",
                    "independence": rng.choice(list(INDEPENDENCE)),
                    "given": given,
                    "first_visit": rng.random() < 0.3,
                    "ward_code": plan[1] if plan else (venue_ward if place == "venue" else rng.choice(wards)),
                    "connecting": bool(set(given) & CONNECTING),
                }
            )
            if len(rows) >= batch:
                db.session.execute(insert(HelpSession), rows)
                db.session.commit()
                rows = []
    if rows:
        db.session.execute(insert(HelpSession), rows)
        db.session.commit()


def timed(client, path: str, requests: int, method: str = "get", data=None) -> list[float]:
    ms = []
    for _ in range(requests):
        payload = data() if callable(data) else data
        began = time.perf_counter()
        response = getattr(client, method)(path, data=payload)
        ms.append((time.perf_counter() - began) * 1000)
        assert response.status_code in (200, 302), (path, response.status_code)
    return ms


def summary(ms: list[float], yardstick: float) -> str:
    median = statistics.median(ms)
    return f"median {median:.1f} ms, max {max(ms):.1f} ms, {median / yardstick:.0f} x the yardstick"


def sign_in(client, email: str) -> None:
    page = BeautifulSoup(client.get("/staff/sign-in").get_data(as_text=True), "html.parser")
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    client.post("/staff/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD})


def _analyse(name: str) -> None:
    if name == "PostgreSQL":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def _drop() -> None:
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def bench(url: str, name: str, n: int, requests: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SIGN_IN_RATE_LIMIT": "1000/minute"})
    rng = random.Random(20261203)
    with app.app_context():
        _drop()
        upgrade()
        seed_all(app.extensions["council"])
        create_account("bench@example.org", "Bench", PASSWORD, "admin")
        db.session.commit()
        in_area = Ward.lad_code.in_(app.extensions["council"].lads)
        wards = list(db.session.execute(select(Ward.code).where(in_area)).scalars())
        began = time.perf_counter()
        generate_plans(rng, wards, n // 8)
        plans = [(a, w) for a, w in db.session.execute(select(Assessment.id, Assessment.ward_code)).all()]
        rng.shuffle(plans)
        generate(rng, n, wards, plans)
        logged = db.session.scalar(select(db.func.count()).select_from(HelpSession))
        print(
            f"{name}: generated {logged:,} session logs and {len(plans):,} plans in {time.perf_counter() - began:.0f} s"
        )
        began = time.perf_counter()
        rebuild()
        tallied = tallies.rebuild()
        rows = db.session.scalar(text("SELECT count(*) FROM help_tally"))
        print(
            f"  tallied {tallied:,} logs (flask rebuild-insight) in {time.perf_counter() - began:.0f} s: {rows:,} rows"
        )
        _analyse(name)
        champion_org = db.session.scalar(select(Organisation).where(Organisation.name == "Bench organisation 0"))
        create_account("bench-champion@example.org", "Bench champion", PASSWORD, "champion", champion_org)
        district = app.extensions["council"].lads[0]  # every bench log's district: the district filter at its dearest
        create_account("bench-district@example.org", "Bench district", PASSWORD, "admin", district_code=district)
        db.session.commit()
    yardstick = statistics.median(timed(yardstick_app.test_client(), "/", requests * 4))
    print(f"  yardstick (a bare Flask page): median {yardstick:.2f} ms")
    officer, champion, limited = app.test_client(), app.test_client(), app.test_client()
    sign_in(officer, "bench@example.org")
    sign_in(champion, "bench-champion@example.org")
    sign_in(limited, "bench-district@example.org")
    year = "from=2025-04-01&to=2026-03-31"
    this_year = ""  # the default: this financial year to today
    pages = {
        "impact report, a whole year (officer)": (officer, f"/staff/impact?{year}"),
        "impact report, this year to date (officer)": (officer, f"/staff/impact{this_year}"),
        "impact report, a whole year (champion)": (champion, f"/staff/impact?{year}"),
        "impact report, three years (officer)": (officer, f"/staff/impact?from={today() - timedelta(days=DAYS)}"),
        "impact report, a whole year (officer limited to a district)": (limited, f"/staff/impact?{year}"),
        "impact report CSV, a whole year": (officer, f"/staff/impact?{year}&format=csv"),
        "help given, a whole year (officer)": (officer, f"/staff/help-given?{year}"),
        "help given, a whole year (champion)": (champion, f"/staff/help-given?{year}"),
        "help given, a whole year (officer limited to a district)": (limited, f"/staff/help-given?{year}"),
        "ward insight, a whole year": (officer, "/staff/insight?year=2025"),
        "ward insight, gap by help delivered": (officer, "/staff/insight?year=2025&gap=delivered"),
    }
    for label, (client, path) in pages.items():
        timed(client, path, 1)  # warm
        print(f"  {label}: {summary(timed(client, path, requests), yardstick)}")

    def form() -> dict:
        page = BeautifulSoup(champion.get("/staff/help-sessions/new").get_data(as_text=True), "html.parser")
        day = today()
        return {
            "csrf_token": page.find("input", attrs={"name": "csrf_token"})["value"],
            "session_date": [str(day.day), str(day.month), str(day.year)],
            "length": "30",
            "kind": "one_to_one",
            "place": "phone",
            "tasks": ["join_wifi"],
            "device": "own",
            "independence": "some_help",
            "first_visit": "yes",
        }

    saves = timed(champion, "/staff/help-sessions/new", requests * 2, "post", form)
    print(f"  saving one log (the form's POST): {summary(saves, yardstick)}")
    with app.app_context():
        _drop()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{tmp}/bench.db", "SQLite", args.sessions, args.requests)
    if os.environ.get("HELP_BENCH_DATABASE_URL"):
        bench(os.environ["HELP_BENCH_DATABASE_URL"], "PostgreSQL", args.sessions, args.requests)


if __name__ == "__main__":
    main()
