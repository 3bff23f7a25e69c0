"""Benchmark: GET /oruk/service_at_locations?postcode=...&proximity=... on a 100,000-entry directory.

Builds a generated national-size directory (9,000 wards, 300 boroughs, 100,000 entries: 90% local with a
place and three wards, 9% borough-wide, 1% national, like bench/score_and_match.py) in a throwaway
SQLite database made by the real migrations (with their indexes on resource.lat and
resource_ward.ward_code), then times requests through the Flask test client. Run by hand:

    .venv/bin/python bench/oruk_proximity.py [--requests 300]

Set ORUK_BENCH_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/oruk_bench) to run it
on PostgreSQL too: that database's tables are dropped, rebuilt and dropped again. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from sqlalchemy import insert, text

from triage.core import matching
from triage.core.routing import ROUTES
from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.models import Postcode, Resource, Ward, resource_ward

LAT, LON = (50.2, 55.6), (-5.4, 1.6)  # roughly England
PROXIMITIES = (1000, 5000, 10000)  # metres
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def directory(rng: random.Random, wards: int = 9000, resources: int = 100_000, postcodes: int = 2000):
    now = datetime.now(UTC)
    ward_rows = [
        {"code": f"E05{900000 + n:06d}", "name": f"Ward {n}", "lad_code": f"E07{900000 + n // 30:06d}"}
        | {"lat": rng.uniform(*LAT), "lon": rng.uniform(*LON)}
        for n in range(wards)
    ]
    postcode_rows = []
    for n in range(postcodes):  # valid-looking postcodes ("ZY12 3AB"), each near a ward's centre
        ward = rng.choice(ward_rows)
        code = f"ZY{1 + n // 400} {n % 10}{UNIT_LETTERS[n // 10 % 20]}{UNIT_LETTERS[n // 200 % 2]}"
        lat, lon = ward["lat"] + rng.uniform(-0.01, 0.01), ward["lon"] + rng.uniform(-0.015, 0.015)
        postcode_rows.append({"postcode": code, "ward_code": ward["code"], "lat": lat, "lon": lon})
    routes = [r.code for r in ROUTES]
    resource_rows, links = [], []
    for n in range(resources):
        home = rng.choice(ward_rows)
        coverage = rng.choices(("local", "borough", "national"), weights=(90, 9, 1))[0]
        local = coverage == "local"
        resource_rows.append(
            {
                "id": n + 1,
                "slug": f"bench-{n}",
                "kind": rng.choice(matching.KINDS),
                "name": f"Resource {n}",
                "organisation": f"Organisation {n % 5000}",
                "description": "Generated for the benchmark.",
                "is_sample": True,
                "source": "bench/oruk_proximity.py",
                "coverage": coverage,
                "borough_code": home["lad_code"] if coverage != "national" else None,
                "address": f"{n} High Street, Town {n % 700}" if local else "",
                "lat": home["lat"] + rng.uniform(-0.02, 0.02) if local else None,
                "lon": home["lon"] + rng.uniform(-0.03, 0.03) if local else None,
                "ward_code": home["code"] if local else None,
                "opening_times": [{"day": "tuesday", "opens": "10:00", "closes": "12:00"}],
                "languages": ["en"],
                "accessibility": rng.sample(matching.ACCESSIBILITY_FEATURES, rng.randint(0, 2)),
                "delivery_modes": rng.sample(matching.DELIVERY_MODES, rng.randint(1, 2)),
                "needs": rng.sample(routes, rng.randint(1, 3)),
                "updated_at": now,
            }
        )
        if local:
            covered = {home["code"], *(w["code"] for w in rng.sample(ward_rows, 2))}
            links += [{"resource_id": n + 1, "ward_code": code} for code in covered]
    return ward_rows, postcode_rows, resource_rows, links


def build(app, rng: random.Random) -> list[str]:
    wards, postcodes, resources, links = directory(rng)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        start = time.perf_counter()
        db.session.execute(insert(Ward), wards)
        db.session.execute(insert(Postcode), postcodes)
        for chunk in range(0, len(resources), 10_000):
            db.session.execute(insert(Resource), resources[chunk : chunk + 10_000])
        db.session.execute(insert(resource_ward), links)
        db.session.commit()
        print(
            f"  built {len(resources)} entries, {len(links)} ward links, {len(wards)} wards and {len(postcodes)} "
            f"postcodes in {time.perf_counter() - start:.1f} s"
        )
    return [p["postcode"] for p in postcodes]


def time_requests(app, rng: random.Random, postcodes: list[str], n: int, label: str) -> None:
    client = app.test_client()
    for postcode in postcodes[:5]:  # warm up: postcode districts and the first queries
        client.get(f"/oruk/service_at_locations?postcode={postcode}&proximity=5000")
    for proximity in PROXIMITIES:
        timings, totals = [], []
        for _ in range(n):
            url = f"/oruk/service_at_locations?postcode={rng.choice(postcodes)}&proximity={proximity}"
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.get_data(as_text=True)
            totals.append(response.get_json()["total_items"])
        ms = sorted(timings)
        print(
            f"  {label}, proximity {proximity} m: {n} requests; mean {statistics.mean(ms):.1f} ms, "
            f"median {statistics.median(ms):.1f} ms, p95 {ms[int(len(ms) * 0.95)]:.1f} ms, max {ms[-1]:.1f} ms; "
            f"mean {statistics.mean(totals):.0f} results (first page of 50 returned)"
        )


def bench(url: str, name: str, requests: int) -> None:
    print(f"{name}:")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    rng = random.Random(20261125)
    postcodes = build(app, rng)
    with app.app_context(), db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    time_requests(app, rng, postcodes, requests, "schema as migrated")
    with app.app_context():
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per proximity")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{tmp}/bench.db", "SQLite", args.requests)
    if os.environ.get("ORUK_BENCH_DATABASE_URL"):
        bench(os.environ["ORUK_BENCH_DATABASE_URL"], "PostgreSQL", args.requests)


if __name__ == "__main__":
    main()
