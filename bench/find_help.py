"""Benchmark: the public search, GET /find-help?postcode=... (and ?area=...), on a large directory.

Loads the seed data (Charnwood's wards, postcodes and directory) into a throwaway SQLite database made
by the real migrations, adds generated active entries across Charnwood (5,000 by default: local help
at a place near a seeded postcode covering two wards, some borough-wide and national help), then
fetches search pages for random seeded postcodes and wards, on random result pages, and the
accessibility statement (the yardstick: a page the search code does not touch) in turn. The ratio is
what to compare between runs: the machine is shared, so absolute times move with its load. Run by hand:

    .venv/bin/python bench/find_help.py [--entries 5000] [--searches 50]

It prints the figures; nothing here is a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from page_timing import summary, timed
from sqlalchemy import func, insert, select

from triage.core import matching
from triage.core.routing import ROUTES
from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.models import Postcode, Resource, Ward, resource_ward
from triage.web.seed import seed_all


def entries(rng: random.Random, n: int, first_id: int, postcodes: list[Postcode], wards: list[str], lad: str):
    now = datetime.now(UTC)
    routes = [r.code for r in ROUTES]
    rows, links = [], []
    for i in range(n):
        coverage = rng.choices(("local", "borough", "national"), weights=(90, 9, 1))[0]
        near = rng.choice(postcodes)
        local = coverage == "local"
        row_id = first_id + i
        rows.append(
            {
                "id": row_id,
                "slug": f"bench-find-{i}",
                "kind": rng.choice(matching.KINDS),
                "name": f"Generated help {i}",
                "organisation": f"Organisation {i % 500}",
                "description": "Generated for bench/find_help.py.",
                "is_sample": True,
                "source": "bench/find_help.py",
                "coverage": coverage,
                "borough_code": lad if coverage == "borough" else None,
                "address": f"{i} High Street" if local else "",
                "postcode": near.postcode if local else None,
                "lat": near.lat + rng.uniform(-0.005, 0.005) if local else None,
                "lon": near.lon + rng.uniform(-0.008, 0.008) if local else None,
                "ward_code": near.ward_code if local else None,
                "free": rng.random() < 0.8,
                "cost": "",
                "languages": ["en", *rng.sample(["pl", "gu", "ur"], rng.randint(0, 1))],
                "accessibility": rng.sample(matching.ACCESSIBILITY_FEATURES, rng.randint(0, 2)),
                "delivery_modes": rng.sample(matching.DELIVERY_MODES, rng.randint(1, 2)),
                "needs": rng.sample(routes, rng.randint(1, 3)),
                "status": "active",
                "updated_at": now,
            }
        )
        if local:
            links += [{"resource_id": row_id, "ward_code": w} for w in {near.ward_code, rng.choice(wards)}]
    return rows, links


def build(app, rng: random.Random, n: int) -> tuple[list[str], list[str]]:
    with app.app_context():
        upgrade()
        lad = app.extensions["council"].lads[0]
        seed_all(app.extensions["council"])
        postcodes = list(db.session.execute(select(Postcode)).scalars())
        wards = list(db.session.execute(select(Ward.code).where(Ward.lad_code == lad)).scalars())
        first_id = (db.session.scalar(select(func.max(Resource.id))) or 0) + 1
        rows, links = entries(rng, n, first_id, postcodes, wards, lad)
        for chunk in range(0, len(rows), 5_000):
            db.session.execute(insert(Resource), rows[chunk : chunk + 5_000])
        db.session.execute(insert(resource_ward), links)
        db.session.commit()
        active = db.session.scalar(select(func.count(Resource.id)).where(Resource.status == "active"))
        print(f"  directory: {active} active entries ({n} generated), {len(wards)} wards, {len(postcodes)} postcodes")
        return [p.postcode for p in postcodes], wards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5_000, help="generated entries added to the seed directory")
    parser.add_argument("--searches", type=int, default=50, help="searches of each kind")
    args = parser.parse_args()
    rng = random.Random(20261203)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench"})
        postcodes, wards = build(app, rng, args.entries)
        client = app.test_client()
        for path in ("/accessibility", f"/find-help?postcode={postcodes[0]}", f"/find-help?area={wards[0]}"):
            timed(client, path)  # warm the template cache and build the matcher's index once
        by_postcode, by_area, yardstick = [], [], []
        for _ in range(args.searches):
            page = rng.randint(1, 20)
            yardstick.append(timed(client, "/accessibility"))
            by_postcode.append(timed(client, f"/find-help?postcode={rng.choice(postcodes)}&page={page}"))
            by_area.append(timed(client, f"/find-help?area={rng.choice(wards)}&page={page}"))
        base = statistics.median(yardstick) * 1000
        print(f"  {args.searches} searches of each kind; yardstick /accessibility median {base:.2f} ms")
        print(summary("search by postcode", by_postcode, base))
        print(summary("search by area", by_area, base))
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
