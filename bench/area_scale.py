"""Benchmark: a national-size council (targets: `flask seed` under 5 minutes on PostgreSQL, a postcode look-up
under 1 ms and an assessment under 10 ms at the 95th percentile).

Generates 1.7 million postcodes in 9,000 wards (300 districts of 30 wards; synthetic, in the area packs'
format) in a temporary folder with a profile serving every district, then, on SQLite and on PostgreSQL (a
database given by --postgres, emptied first), times `seed_all` from an empty migrated database; the resident
journey's look-up (places.find_postcode, then place_from_postcode) of random postcodes, in a request whose
connection is open and in a fresh session (which adds the pool's checkout, its ping and the BEGIN); and the
app's create_assessment of random answers at random postcodes. The machine is shared, so each figure is also
given as a ratio to the yardstick of bench/score_and_match.py (sorting 20,000 floats) timed between
measurements in the same run. Run by hand:

    PYTHONPATH=. .venv/bin/python bench/area_scale.py \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test_areabuild [--postcodes 1700000]

It prints the figures; nothing here is a test.
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from score_and_match import random_answers, yardstick
from servers import empty_database

from triage.core import area_build, area_packs
from triage.web.app import create_app
from triage.web.areas import packs, profiles
from triage.web.extensions import db

DISTRICTS, WARDS_PER_DISTRICT = 300, 30
FIRST = "ABCDEFGHIJKLMNOPRSTUWYZ"  # letters a postcode area may start with
SECOND = "ABCDEFGHKLMNOPQRSTUVWXY"
UNITS = "ABDEFGHJLNPQRSTUWXYZ"


def postcodes(n: int):
    """n distinct postcodes of the real shape, in order (AB1 0AA, AB1 0AB, ...)."""
    made = 0
    for first in FIRST:
        for second in SECOND:
            for district in range(1, 100):
                for sector in range(10):
                    for u1 in UNITS:
                        for u2 in UNITS:
                            yield f"{first}{second}{district} {sector}{u1}{u2}"
                            made += 1
                            if made == n:
                                return


def generate(root: Path, n: int, rng: random.Random) -> list[str]:
    """The packs and the profile; the LAD codes."""
    lads = [f"E09{900000 + d}" for d in range(DISTRICTS)]
    centres = {}
    for d, lad in enumerate(lads):
        slug = f"district_{d:03d}"
        folder = root / "areas" / f"{lad}_{slug}"
        folder.mkdir(parents=True)
        with open(folder / area_packs.file_name(slug, "wards"), "w", newline="") as f:
            writer = csv.DictWriter(f, area_build.WARD_HEADER, lineterminator="\n")
            writer.writeheader()
            for w in range(WARDS_PER_DISTRICT):
                code = f"E05{900000 + d * WARDS_PER_DISTRICT + w}"
                lat, lon = rng.uniform(50.5, 55.5), rng.uniform(-4.5, 1.5)
                centres[code] = (lad, lat, lon)
                writer.writerow(
                    {"ward_code": code, "ward_name": f"Ward {code[3:]}", "lad_code": lad, "lad_name": f"District {d}"}
                    | {"ons_ref_latitude": f"{lat:.5f}", "ons_ref_longitude": f"{lon:.5f}", "boundary_set": "bench"}
                )
        with open(folder / area_packs.file_name(slug, "libraries"), "w", newline="") as f:
            csv.writer(f, lineterminator="\n").writerow(area_build.LIBRARY_HEADER)
    ward_codes = list(centres)
    files: dict[str, tuple] = {}
    for i, postcode in enumerate(postcodes(n)):
        ward = ward_codes[i * len(ward_codes) // n]  # neighbouring postcodes share a ward, as in life
        lad, lat, lon = centres[ward]
        if lad not in files:
            d = lads.index(lad)
            f = open(root / "areas" / f"{lad}_district_{d:03d}" / f"district_{d:03d}_postcodes.csv", "w", newline="")
            writer = csv.DictWriter(f, area_build.POSTCODE_HEADER, lineterminator="\n")
            writer.writeheader()
            files[lad] = (f, writer)
        files[lad][1].writerow(
            {
                "postcode": postcode,
                "ward_code": ward,
                "lad_code": lad,
                "county_code": "",
                "latitude": f"{lat + rng.uniform(-0.02, 0.02):.5f}",
                "longitude": f"{lon + rng.uniform(-0.03, 0.03):.5f}",
            }
        )
    for f, _ in files.values():
        f.close()
    (root / "councils").mkdir()
    (root / "councils" / "national.toml").write_text(
        f'name = "A national council"\narea = "England"\nlads = [{", ".join(repr(lad) for lad in lads)}]\n'.replace(
            "'", '"'
        )
        + 'website = "https://www.example.gov.uk"\nbrand_colour = "#0b5e55"\n'
        'data_controller = "A national council"\nlibrary_authority = "A national council"\n'
    )
    return lads


def line(name: str, seconds: list[float], sticks: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    stick = statistics.median(sticks) * 1000
    p95 = ms[int(len(ms) * 0.95)]
    return (
        f"  {name:<22} {len(ms)} runs: median {statistics.median(ms):.3f} ms, p95 {p95:.3f} ms "
        f"({p95 / stick:.2f} yardsticks; yardstick median {stick:.2f} ms)"
    )


def run(engine_name: str, url: str, sample: list[str], rng: random.Random, lookups: int, assessments: int) -> None:
    from triage.web.assessments.places import find_postcode, place_from_postcode
    from triage.web.assessments.service import create_assessment
    from triage.web.seed import seed_all

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "COUNCIL": "national"})
    gc.freeze()  # as wsgi.py does once the app is made: full collections leave its long-lived objects alone
    with app.app_context():
        upgrade()
        stick = yardstick()
        start = time.perf_counter()
        counts = seed_all(app.extensions["council"])
        load = time.perf_counter() - start
        print(
            f"{engine_name}: seed_all loaded {counts['postcodes_added']:,} postcodes in {load:.1f} s "
            f"({load / stick:,.0f} yardsticks of {stick * 1000:.2f} ms)"
        )
    with app.test_request_context():
        begin = time.perf_counter()
        find_postcode(sample[0])  # the first reads the districts the database covers, once per process
        print(f"  first look-up (reads the covered districts once) {(time.perf_counter() - begin) * 1000:.0f} ms")
        for fresh in (False, True):
            db.session.remove()
            find_postcode(sample[1])  # the request's connection, checked out
            found, sticks = [], []
            for _ in range(lookups):
                postcode = rng.choice(sample)
                begin = time.perf_counter()
                place_from_postcode(find_postcode(postcode))
                found.append(time.perf_counter() - begin)
                if fresh:
                    db.session.remove()
                sticks.append(yardstick())
            print(line("look-up, fresh session" if fresh else "look-up", found, sticks))
        made, sticks = [], []
        for _ in range(assessments):
            place = place_from_postcode(find_postcode(rng.choice(sample)))
            answers = random_answers(rng)
            begin = time.perf_counter()
            create_assessment(answers, place, "web")
            made.append(time.perf_counter() - begin)
            db.session.remove()
            sticks.append(yardstick())
        print(line("assessment", made, sticks))
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postcodes", type=int, default=1_700_000)
    parser.add_argument("--postgres", help="An empty PostgreSQL database (emptied first): its SQLAlchemy URL")
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--assessments", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(20261204)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        generate(root, args.postcodes, rng)
        print(
            f"Generated {args.postcodes:,} postcodes in {DISTRICTS * WARDS_PER_DISTRICT:,} wards "
            f"({DISTRICTS} districts) in {time.perf_counter() - start:.1f} s"
        )
        packs.AREAS = root / "areas"
        profiles.COUNCILS = root / "councils"
        every = list(postcodes(args.postcodes))
        sample = rng.sample(every, 20_000)
        run("SQLite", f"sqlite:///{root / 'bench.db'}", sample, rng, args.lookups, args.assessments)
        if args.postgres:
            empty_database(args.postgres)
            run("PostgreSQL", args.postgres, sample, rng, args.lookups, args.assessments)


if __name__ == "__main__":
    main()
