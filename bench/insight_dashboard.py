"""Benchmark: the ward insight pages with a large history (target: 300 ms or less per page).

Generates assessments spread over the council's wards and three years in a throwaway SQLite database
made by the real migrations (PostgreSQL too if INSIGHT_BENCH_DATABASE_URL is set: its tables are
dropped, rebuilt and dropped again), counts them with the real `rebuild` (what `flask rebuild-insight`
runs), then times the dashboard and a ward page through the Flask test client, signed in as an officer.
Run by hand:

    .venv/bin/python bench/insight_dashboard.py [--assessments 1000000] [--requests 20]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bs4 import BeautifulSoup
from flask_migrate import upgrade
from sqlalchemy import insert, text

from triage.core.routing import ROUTES
from triage.core.scoring_model import BANDS, DOMAINS
from triage.web.accounts.service import create_account
from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.insight.counts import rebuild
from triage.web.models import Assessment
from triage.web.seed import seed_all

PASSWORD = "correct horse battery staple"
GOALS = ("shopping", "health", "council", "money", "family", "work")


def generate(rng: random.Random, wards: list[str], n: int, batch: int = 20_000) -> None:
    start = datetime.now(UTC) - timedelta(days=3 * 365)
    for first in range(0, n, batch):
        rows = []
        for i in range(first, min(n, first + batch)):
            scores = {d: rng.randint(0, 10) for d, _ in DOMAINS}
            rows.append(
                {
                    "reference": f"B{i:011d}",
                    "created_at": start + timedelta(seconds=rng.randint(0, 3 * 365 * 86400)),
                    "scoring_version": "2026.1",
                    "channel": "online",
                    "who_for": "me",
                    "ward_code": rng.choice(wards),
                    "location_source": "postcode",
                    "answers": {"goals": rng.sample(GOALS, 2)},
                    **{f"score_{d}": s for d, s in scores.items()},
                    "score_reasons": {},
                    "mean_score": sum(scores.values()) / 5,
                    "band": rng.choice(BANDS),
                    "band_reasons": [],
                    "routes": [{"code": r.code, "why": ""} for r in rng.sample(ROUTES, 3)],
                }
            )
        db.session.execute(insert(Assessment), rows)
        db.session.commit()


def timed(client, path: str, requests: int) -> str:
    ms = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(path)
        ms.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    ms.sort()
    return f"mean {statistics.mean(ms):.1f} ms, median {statistics.median(ms):.1f} ms, max {ms[-1]:.1f} ms"


def bench(url: str, name: str, n: int, requests: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SIGN_IN_RATE_LIMIT": "1000/minute"})
    rng = random.Random(20261125)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        seed_all(app.extensions["council"])
        create_account("bench@example.org", "Bench", PASSWORD, "admin")
        db.session.commit()
        wards = [w for (w,) in db.session.execute(text("SELECT code FROM ward WHERE lad_code = 'E07000130'"))]
        began = time.perf_counter()
        generate(rng, wards, n)
        print(f"{name}: generated {n:,} assessments in {time.perf_counter() - began:.0f} s")
        began = time.perf_counter()
        rebuild()
        rows = db.session.execute(text("SELECT count(*) FROM ward_month_stat")).scalar()
        print(f"  counted them (flask rebuild-insight) in {time.perf_counter() - began:.0f} s: {rows:,} count rows")
    client = app.test_client()
    page = BeautifulSoup(client.get("/staff/sign-in").get_data(as_text=True), "html.parser")
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    client.post("/staff/sign-in", data={"csrf_token": token, "email": "bench@example.org", "password": PASSWORD})
    year = "year=2025"  # a whole financial year, April 2025 to March 2026
    print(f"  dashboard, one year: {timed(client, f'/staff/insight?{year}', requests)}")
    print(f"  dashboard CSV: {timed(client, f'/staff/insight?{year}&format=csv', requests)}")
    print(f"  ward page: {timed(client, f'/staff/insight/wards/{wards[0]}?{year}', requests)}")
    with app.app_context():
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{tmp}/bench.db", "SQLite", args.assessments, args.requests)
    if os.environ.get("INSIGHT_BENCH_DATABASE_URL"):
        bench(os.environ["INSIGHT_BENCH_DATABASE_URL"], "PostgreSQL", args.assessments, args.requests)


if __name__ == "__main__":
    main()
