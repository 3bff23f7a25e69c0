"""Benchmark: time to render a resident's plan page, as a ratio to a static page rendered in the same run.

Saves varied plans (random valid answers at random Charnwood postcodes) against the seed directory
in a throwaway SQLite database, then fetches each plan page, its easy-read version and the
accessibility statement (the yardstick: a page of about the same size that the plan code does not
touch) in turn, several rounds, through the app. The ratio is what to compare between runs: the
machine is shared, so absolute times move with its load. Run by hand:

    .venv/bin/python bench/plan_page.py [--plans 200] [--rounds 5]

It prints the figures; nothing here is a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from flask_migrate import upgrade
from page_timing import summary, timed
from score_and_match import random_answers

from triage.core.geography import Point
from triage.web.app import create_app
from triage.web.assessments.places import Place
from triage.web.assessments.service import create_assessment
from triage.web.extensions import db
from triage.web.models import Postcode, Ward
from triage.web.seed import seed_all


def save_plans(rng: random.Random, count: int) -> list[str]:
    """Save `count` plans of random valid answers at random seeded postcodes; their references."""
    postcodes = db.session.query(Postcode).all()
    references = []
    for _ in range(count):
        row = rng.choice(postcodes)
        ward = db.session.get(Ward, row.ward_code)
        place = Place("postcode", ward.code, ward.name, Point(row.lat, row.lon), row.postcode[:-2])
        references.append(create_assessment(random_answers(rng), place, "online").reference)
    return references


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(20261202)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            seed_all(app.extensions["council"])
            references = save_plans(rng, args.plans)
            db.session.remove()
        client = app.test_client()
        plan, easy, yardstick = [], [], []
        for path in ("/accessibility", f"/plan/{references[0]}", f"/plan/{references[0]}/easy-read"):
            timed(client, path)  # warm the template cache
        for _ in range(args.rounds):
            for reference in references:
                yardstick.append(timed(client, "/accessibility"))
                plan.append(timed(client, f"/plan/{reference}"))
                easy.append(timed(client, f"/plan/{reference}/easy-read"))
        base = statistics.median(yardstick) * 1000
        print(f"{args.plans} plans, {args.rounds} rounds; yardstick /accessibility median {base:.2f} ms")
        print(summary("plan page", plan, base))
        print(summary("easy-read plan page", easy, base))
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
