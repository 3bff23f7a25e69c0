"""Benchmark: a 10-item plan page and Find help for a postcode over HTTP, as a ratio to the yardstick.

Starts the app under gunicorn on a seeded SQLite database beside the bare Flask yardstick
(bench/servers.py), makes a 10-item plan through the JSON API, then loads each page with wrk (one thread,
8 connections) in turn with the yardstick, and prints requests per second, the ratio to the
yardstick's, and the median and p95 latency. The ratio is what to compare between runs: the machine
is shared, so absolute figures move with its load. When other work takes the CPU, even the ratio
moves, so it also prints the workers' CPU time per request (from /proc, on Linux), which moves much
less. Needs wrk on the PATH. Run by hand:

    .venv/bin/python bench/plan_and_find_http.py [--seconds 8] [--workers 2]

It prints the figures; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from score_and_match import random_answers
from servers import YARDSTICK, gunicorn, seeded_database, server_env

POSTCODE = "LE11 3DU"
# wrk prints the figures this benchmark reads, as one JSON line, when a run is done.
REPORT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def make_plan(app_url: str, items: int = 10) -> tuple[str, int]:
    """A plan with `items` pieces of help (random answers until one has that many), through the JSON API."""
    rng = random.Random(20261203)
    for _ in range(200):
        body = {"postcode": POSTCODE, "answers": random_answers(rng)}
        request = urllib.request.Request(
            app_url + "/api/v1/assessments", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request) as response:
            plan = json.load(response)
        if len(plan["recommendations"]) >= items:
            break
    return plan["reference"], len(plan["recommendations"])


def worker_cpu_seconds(master: subprocess.Popen) -> float:
    """User and system CPU time of a gunicorn master's workers so far (Linux /proc; 0 elsewhere)."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    if not children.exists():
        return 0.0
    total = 0
    for pid in children.read_text().split():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def load(url: str, seconds: int, script: str, server: subprocess.Popen) -> dict:
    cpu = worker_cpu_seconds(server)
    done = subprocess.run(
        ["wrk", "-t1", "-c8", f"-d{seconds}s", "-s", script, url], capture_output=True, text=True, check=True
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["cpu_ms"] = (worker_cpu_seconds(server) - cpu) * 1000 / max(1, figures["requests"])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("This benchmark needs wrk (apt-get install wrk).")
    with tempfile.TemporaryDirectory() as tmp, tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(REPORT)
        script.flush()
        env = server_env(seeded_database(None, Path(tmp)))
        with (
            gunicorn("wsgi:app", env, args.workers, "/healthz") as (app_url, app_server),
            gunicorn(YARDSTICK, env, args.workers) as (yardstick_url, yardstick_server),
        ):
            reference, items = make_plan(app_url)
            pages = {
                f"plan page ({items} items)": f"{app_url}/plan/{reference}",
                "find help by postcode": f"{app_url}/find-help?postcode={POSTCODE.replace(' ', '+')}",
            }
            for url in pages.values():
                urllib.request.urlopen(url).read()  # warm each worker's caches before measuring
            print(f"wrk -t1 -c8 -d{args.seconds}s, {args.workers} gunicorn workers")
            for name, url in pages.items():
                yardstick = load(yardstick_url + "/", args.seconds, script.name, yardstick_server)
                page = load(url, args.seconds, script.name, app_server)
                print(
                    f"{name:<24} {page['rps']:7.1f} req/s, {page['rps'] / yardstick['rps']:5.3f} x the yardstick "
                    f"({yardstick['rps']:.0f} req/s); p50 {page['p50']:6.1f} ms, p95 {page['p95']:6.1f} ms, "
                    f"{page['errors']} errors; CPU {page['cpu_ms']:.2f} ms a request, "
                    f"{yardstick['cpu_ms'] / page['cpu_ms'] if page['cpu_ms'] else 0:.3f} x the yardstick's"
                )


if __name__ == "__main__":
    main()
