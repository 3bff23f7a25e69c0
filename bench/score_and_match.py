"""Benchmark: time to score, route and match one assessment (target: 10 ms or less at the 95th percentile).

Two directories: the seed directory (real Charnwood libraries plus the sample entries, loaded into a
throwaway SQLite database through the real migrations and loader), and a generated national-size
directory of 9,000 wards and 100,000 resources spread over England. The machine is shared, so each
figure is also given as a ratio to a yardstick timed between assessments in the same run (sorting
20,000 floats): compare ratios between runs, not milliseconds. Run by hand:

    .venv/bin/python bench/score_and_match.py [--assessments 2000]

It prints the figures; nothing here is a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from triage.core import matching, routing, scoring
from triage.core.geography import Point
from triage.core.questionnaire import ANSWER_QUESTIONS, NONE, is_asked, validate_answers
from triage.core.routing import ROUTES

LAT, LON = (50.2, 55.6), (-5.4, 1.6)  # roughly England


def random_answers(rng: random.Random) -> dict:
    """A valid, varied answer set: each question answered at random within its rules."""
    answers: dict = {}
    for q in ANSWER_QUESTIONS:
        if not is_asked(q, answers):
            continue
        if q.kind == "text":
            answers[q.id] = "renew my bus pass by Friday"
        elif q.kind == "single":
            answers[q.id] = rng.choice(q.codes)
        else:
            plain = [o.code for o in q.options if not o.exclusive]
            if NONE in q.codes and rng.random() < 0.15:
                answers[q.id] = [NONE]
            else:
                answers[q.id] = rng.sample(plain, rng.randint(1, min(q.max_choices or 3, len(plain))))
    return validate_answers(answers)


def national_directory(rng: random.Random, wards: int = 9000, resources: int = 100_000):
    ward_points = {f"W{n:05d}": Point(rng.uniform(*LAT), rng.uniform(*LON)) for n in range(wards)}
    codes = list(ward_points)
    boroughs = {code: f"B{int(code[1:]) // 30:03d}" for code in codes}  # 300 boroughs of 30 wards
    route_codes = [r.code for r in ROUTES]
    kinds = list(matching.KINDS)
    items = []
    for n in range(resources):
        home = rng.choice(codes)
        coverage = rng.choices(("local", "borough", "national"), weights=(90, 9, 1))[0]
        p = ward_points[home]
        items.append(
            matching.Resource(
                id=n,
                kind=rng.choice(kinds),
                name=f"Resource {n}",
                needs=frozenset(rng.sample(route_codes, rng.randint(1, 3))),
                coverage=coverage,
                wards=frozenset([home, *rng.sample(codes, 2)]) if coverage == "local" else frozenset(),
                point=Point(p.lat + rng.uniform(-0.02, 0.02), p.lon + rng.uniform(-0.03, 0.03))
                if coverage == "local"
                else None,
                borough=boroughs[home],
                free=rng.random() < 0.8,
                languages=frozenset(["en", *rng.sample(["pl", "gu", "ur", "pa", "ar"], rng.randint(0, 2))]),
                accessibility=frozenset(rng.sample(list(matching.ACCESSIBILITY_FEATURES), rng.randint(0, 3))),
                delivery_modes=frozenset(rng.sample(list(matching.DELIVERY_MODES), rng.randint(1, 3))),
            )
        )
    return ward_points, boroughs, items


YARDSTICK = random.Random(1).sample(range(10**9), 20_000)


def yardstick() -> float:
    start = time.perf_counter()
    sorted(float(x) for x in YARDSTICK)
    return time.perf_counter() - start


def one(index, answers: dict, ward: str | None, point: Point | None, borough: str | None):
    result = scoring.score(answers)
    routes = routing.routes_for(answers, result)
    person = matching.Person.from_answers(answers, ward, ward, point, borough, result.band)
    return matching.match(index, person, routes).recommendations


def report(name: str, timings: list[float], recs: list[int], sticks: list[float]) -> None:
    ms = sorted(t * 1000 for t in timings)
    stick = statistics.median(sticks) * 1000
    p95 = ms[int(len(ms) * 0.95)]
    print(
        f"{name}: {len(ms)} assessments; per assessment mean {statistics.mean(ms):.2f} ms, "
        f"median {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms, max {ms[-1]:.2f} ms; "
        f"mean {statistics.mean(recs):.1f} recommendations; yardstick median {stick:.2f} ms, "
        f"so median {statistics.median(ms) / stick:.2f} and p95 {p95 / stick:.2f} yardsticks"
    )


def bench_seed(rng: random.Random, n: int) -> None:
    from flask_migrate import upgrade

    from triage.web.app import create_app
    from triage.web.directory.index import current_index
    from triage.web.extensions import db
    from triage.web.models import Postcode
    from triage.web.seed import seed_all

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            seed_all(app.extensions["council"])
            index = current_index()
            places = [(p.ward_code, Point(p.lat, p.lon)) for p in db.session.query(Postcode).all()]
            print(f"seed directory: {len(index.resources)} active resources, {len(places)} postcodes")
            timings, recs, sticks = [], [], []
            for _ in range(n):
                answers = random_answers(rng)
                ward, point = rng.choice(places)
                start = time.perf_counter()
                result = one(index, answers, ward, point, app.extensions["council"].lads[0])
                timings.append(time.perf_counter() - start)
                recs.append(len(result))
                sticks.append(yardstick())
            report("seed directory", timings, recs, sticks)
            db.engine.dispose()


def bench_national(rng: random.Random, n: int) -> None:
    ward_points, boroughs, items = national_directory(rng)
    start = time.perf_counter()
    index = matching.DirectoryIndex.build(items)
    print(
        f"national directory: {len(items)} resources over {len(ward_points)} wards; "
        f"index built once in {time.perf_counter() - start:.2f} s"
    )
    codes = list(ward_points)
    timings, recs, sticks = [], [], []
    for _ in range(n):
        answers = random_answers(rng)
        ward = rng.choice(codes)
        p = ward_points[ward]
        point = Point(p.lat + rng.uniform(-0.01, 0.01), p.lon + rng.uniform(-0.01, 0.01))
        start = time.perf_counter()
        result = one(index, answers, ward, point, boroughs[ward])
        timings.append(time.perf_counter() - start)
        recs.append(len(result))
        sticks.append(yardstick())
    report("national directory", timings, recs, sticks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(20261124)
    bench_seed(rng, args.assessments)
    bench_national(rng, args.assessments)


if __name__ == "__main__":
    main()
