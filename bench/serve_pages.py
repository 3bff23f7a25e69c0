"""Benchmark: the public pages served for real, as requests per second against a bare Flask yardstick.

Starts the app under gunicorn on a seeded database beside the yardstick (bench/servers.py), goes through
the questionnaire once as a resident would (each page fetched, its form sent with its CSRF token), keeping
the session cookie each question page was reached with, and saves a plan through the JSON API. Then wrk
loads, in turn: the start page, every question page (with the cookie of a session that has answered the
questions before it; the area page from a journey without a postcode), find help for a postcode and the
plan page, each in several short rounds alternating with the yardstick, so every ratio is to a yardstick
measured a moment before on the same, shared machine; each figure is the median over the rounds (the
yardstick alone moves several-fold between windows here). Requests ask for compression, as browsers do,
and each comes on a new connection, as nginx sends them in docs/deploy.md (with connections kept open, the
kernel hands them all to one worker as often as not, and the yardstick alone moved between 1,500 and 7,300
req/s: `--keep-alive` measures that way). The first row is /healthz, a page with no template, a query of
one row and every request's own work (session, security headers, CSRF check, rate limiter, request id):
no page can be faster than it, so its ratio is a ceiling for the rest. For each page it prints req/s,
the ratio to the yardstick, p50 and p95 latency, and whether it meets its target. Run by hand (needs wrk,
which `make bench` installs):

    .venv/bin/python bench/serve_pages.py [--duration 3] [--rounds 3] [--connections 8] [--workers 2]
    .venv/bin/python bench/serve_pages.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

A PostgreSQL database given with --database-url is emptied first. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from helpers import OFFLINE

from bench.servers import app_and_yardstick, empty_database

COOKIE = "signpost_session"
POSTCODE = "LE11 3DU"
# The tests' offline person, with the answers that ask every follow-up (the language, the deadline task);
# they get a plan of 10 items.
ANSWERS: dict[str, str | list[str]] = {
    **OFFLINE,
    "goals": ["health", "council", "money_banking"],
    "barriers": ["sight", "english"],
    "language": "pl",
    "help_preferences": ["one_to_one", "home_visit", "group"],
    "deadline": "yes",
    "deadline_task": "Apply for a bus pass by Friday",
}
QUESTION_PAGE, FIND_HELP, PLAN = 0.5, 0.25, 0.25  # targets, as a share of the yardstick's requests per second
P95_MS = 100
ACCEPT_ENCODING = "gzip, deflate, br"
# wrk's own summary has no p95; this prints what the bench reads, as JSON on one line.
REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass(frozen=True)
class Load:
    """What wrk measured for one address."""

    per_second: float
    p50_ms: float
    p95_ms: float
    failures: int


class Browser:
    """One person's visits over plain HTTP: keeps the session cookie, sends forms with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.host = urllib.parse.urlsplit(base).netloc
        self.cookie = ""

    def request(self, method: str, path: str, body: str = "", content_type: str = "") -> tuple[int, str, str]:
        """Status, Location and body, following nothing."""
        connection = http.client.HTTPConnection(self.host, timeout=30)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith(COOKIE + "="):
                self.cookie = header.split(";")[0]
        connection.close()
        return response.status, response.headers.get("Location", ""), text

    def page(self, path: str) -> str:
        status, _, text = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}, not 200")
        return text

    def send(self, path: str, fields: dict[str, str | list[str]]) -> str:
        """Fetch the page's form, send it with these fields, and return where it went next."""
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.page(path))
        if token is None:
            raise RuntimeError(f"{path} has no CSRF token")
        body = urllib.parse.urlencode({"csrf_token": token.group(1), **fields}, doseq=True)
        status, location, _ = self.request("POST", path, body, "application/x-www-form-urlencoded")
        if status not in (302, 303):
            raise RuntimeError(f"POST {path} answered {status}, not a redirect: check ANSWERS")
        return urllib.parse.urlsplit(location).path


def question_pages(base: str) -> list[tuple[str, str, str]]:
    """(name, path, cookie) for the start page and every question page, each with the cookie of a session
    that has answered the questions before it."""
    browser = Browser(base)
    browser.page("/")
    pages = [("start page", "/", browser.cookie)]
    path = "/questions/who_for"
    while path.startswith("/questions/"):
        page = path.rsplit("/", 1)[1]
        browser.page(path)  # the session now holds the form token, so the cookie stays valid for wrk
        pages.append((f"question {page}", path, browser.cookie))
        path = browser.send(path, {"postcode": POSTCODE} if page == "postcode" else {"answer": ANSWERS[page]})
    if path != "/check-your-answers":
        raise RuntimeError(f"the journey ended at {path}, not at check your answers")
    without_postcode = Browser(base)
    without_postcode.send("/questions/who_for", {"answer": ANSWERS["who_for"]})
    area = without_postcode.send("/questions/postcode", {"no_fixed_address": "1"})
    without_postcode.page(area)
    pages.insert(3, ("question area", area, without_postcode.cookie))
    return pages


def saved_plan(base: str) -> tuple[str, int]:
    """A plan saved through the JSON API: its page's path and how many items of help it lists."""
    status, _, text = Browser(base).request(
        "POST", "/api/v1/assessments", json.dumps({"postcode": POSTCODE, "answers": ANSWERS}), "application/json"
    )
    if status != 201:
        raise RuntimeError(f"the API answered {status}: {text[:300]}")
    body = json.loads(text)
    return f"/plan/{body['reference']}", len(body["recommendations"])


def wrk(url: str, cookie: str, args: argparse.Namespace, script: Path) -> Load:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "-s", str(script)]
    command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if not args.keep_alive:
        command += ["-H", "Connection: close"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
    got = json.loads(line.removeprefix("BENCH "))
    return Load(got["requests"] / got["seconds"], got["p50"], got["p95"], got["errors"] + got["bad_status"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=3, help="seconds of load per round (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of yardstick then page, per page (default 3)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for the app and the yardstick")
    parser.add_argument("--keep-alive", action="store_true", help="keep each connection open between requests")
    parser.add_argument("--database-url", help="a PostgreSQL database to use (emptied first) instead of SQLite")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: run `make bench`, or apt-get install wrk")
    if args.database_url:
        empty_database(args.database_url)
    with tempfile.TemporaryDirectory() as tmp, app_and_yardstick(args.workers, args.database_url) as (app, yardstick):
        script = Path(tmp) / "report.lua"
        script.write_text(REPORT)
        plan, items = saved_plan(app)
        targets: list[tuple[str, str, str, float | None]] = [("the stack alone: /healthz", "/healthz", "", None)]
        targets += [(name, path, cookie, QUESTION_PAGE) for name, path, cookie in question_pages(app)]
        targets += [
            ("find help for a postcode", "/find-help?" + urllib.parse.urlencode({"postcode": POSTCODE}), "", FIND_HELP),
            (f"plan of {items} items", plan, "", PLAN),
        ]
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print(
            f"{engine}, {args.workers} workers; wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
            f"{'connections kept open' if args.keep_alive else 'a new connection a request'}, {args.rounds} rounds "
            "each; medians over the rounds, each ratio to the yardstick measured just before"
        )
        print(f"{'page':<28} {'req/s':>7} {'ratio':>6} {'target':>6} {'p50 ms':>7} {'p95 ms':>7}  meets yardstick")
        missed = 0
        for name, path, cookie, target in targets:
            rounds = [
                (wrk(yardstick + "/", "", args, script), wrk(app + path, cookie, args, script))
                for _ in range(args.rounds)
            ]
            base = statistics.median(b.per_second for b, _ in rounds)
            load = Load(
                statistics.median(page.per_second for _, page in rounds),
                statistics.median(page.p50_ms for _, page in rounds),
                statistics.median(page.p95_ms for _, page in rounds),
                sum(page.failures for _, page in rounds),
            )
            ratio = statistics.median(page.per_second / b.per_second for b, page in rounds if b.per_second)
            failures = f", {load.failures} failed" if load.failures else ""
            if target is None:
                verdict, shown_target = "", "-"
            else:
                meets = ratio >= target and load.p95_ms < P95_MS and load.failures == 0
                missed += not meets
                verdict, shown_target = "yes" if meets else "NO", f"{target:.2f}"
            print(
                f"{name:<28} {load.per_second:7.0f} {ratio:6.2f} {shown_target:>6} {load.p50_ms:7.1f} "
                f"{load.p95_ms:7.1f}  {verdict:<5} {base:.0f} req/s{failures}"
            )
        print(
            f"targets: start and question pages {QUESTION_PAGE} of the yardstick, find help and the plan {PLAN}; "
            f"p95 under {P95_MS} ms. {len(targets) - 1 - missed} of {len(targets) - 1} met."
        )


if __name__ == "__main__":
    main()
