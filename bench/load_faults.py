"""Load and faults: many assessments at once against the app under gunicorn with several workers, half
through the JSON API and half through the HTML journey (every question with its form token, then the
plan page), with one worker killed (SIGKILL) half way through. Then it checks that every plan a client
was given is stored and readable (GET /plan/<reference> shows it; the database has it, with all of its
help and its insight counts), that none is lost or half saved, and that nothing answered 5xx; the killed
worker's requests in flight end in connection resets, counted apart. Throughput is given as a ratio to the
bare Flask yardstick (bench/yardstick.py) under the same load in the same run.

SQLite runs always; PostgreSQL runs when given an empty database of the benchmark's own, which is emptied
first: --postgres-url or BENCH_DATABASE_URL. Exits 1 when a check fails.

    .venv/bin/python bench/load_faults.py [--assessments 1000] [--concurrency 1000] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.servers import Servers, empty_database, servers, worker_pids

TIMEOUT = 300  # seconds: under this load a request can wait a long time in the listen queue
RESETS = (ConnectionResetError, BrokenPipeError, http.client.IncompleteRead)  # RemoteDisconnected included
TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
TASK = "Renew my bus pass online"  # the answer to the deadline follow-up


@dataclass
class Log:
    """Every request made: (kind, outcome, seconds), where outcome is a status code, 'reset' or 'timeout'."""

    requests: list[tuple[str, int | str, float]] = field(default_factory=list)
    on_request: Callable[[int], None] = lambda made: None

    def add(self, kind: str, outcome: int | str, seconds: float) -> None:
        self.requests.append((kind, outcome, seconds))
        self.on_request(len(self.requests))


class Cut(Exception):
    """A request got no answer: the connection was reset (the killed worker's) or timed out."""

    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


class Unexpected(Exception):
    """A request got an answer the journey does not expect (a 4xx or 5xx, or a page without its token)."""


@dataclass
class Response:
    status: int
    location: str
    body: str


def kind_of(method: str, path: str) -> str:
    """What a request is, for the latency by kind."""
    if path.startswith("/api/"):
        return "API assessment"
    if path.startswith("/plan/"):
        return "plan page"
    return "form sent" if method == "POST" else "question page"


class Browser:
    """One person's HTTP client: a fresh connection per request (gunicorn's sync workers close them) and
    the session cookie kept, as a browser would."""

    def __init__(self, base: str, log: Log) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.log = log
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> Response:
        headers = {"Connection": "close"}
        if content_type:
            headers["Content-Type"] = content_type
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read().decode()
        except RESETS as e:
            self.log.add(kind_of(method, path), "reset", time.perf_counter() - start)
            raise Cut("reset") from e
        except TimeoutError as e:
            self.log.add(kind_of(method, path), "timeout", time.perf_counter() - start)
            raise Cut("timeout") from e
        finally:
            connection.close()
        self.log.add(kind_of(method, path), response.status, time.perf_counter() - start)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        location = urlsplit(response.headers.get("Location", ""))
        return Response(response.status, location.path + (f"?{location.query}" if location.query else ""), data)

    def expect(self, status: int, method: str, path: str, body: bytes | None = None, content_type: str = ""):
        response = self.send(method, path, body, content_type)
        if response.status != status:
            raise Unexpected(f"{method} {path}: {response.status}")
        return response

    def post_form(self, path: str, form: dict) -> Response:
        body = urlencode(form, doseq=True).encode()
        return self.expect(302, "POST", path, body, "application/x-www-form-urlencoded")


def token(page: Response) -> str:
    found = TOKEN.search(page.body)
    if not found:
        raise Unexpected("a form without its csrf_token")
    return found.group(1)


# Journeys -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """What one simulated person answers, and which way they come in."""

    channel: str  # "api" or "html"
    postcode: str
    answers: dict

    def requests(self) -> int:
        """How many requests their assessment takes when nothing goes wrong."""
        if self.channel == "api":
            return 1
        return 1 + 2 * (len(self.answers) + 1) + 3  # start, each page (and the postcode) twice, check twice, plan


@dataclass
class Outcome:
    channel: str
    reference: str | None = None
    help_count: int | None = None  # the number of pieces of help the API returned
    failure: str = ""  # "reset", "timeout" or what was unexpected


def random_answers(questions: list[dict], rng: random.Random) -> dict:
    """A valid, varied set of answers to the questionnaire (GET /api/v1/questionnaire), follow-ups included."""
    answers: dict = {}
    for q in questions:
        if q["type"] == "postcode":
            continue
        condition = q["asked_if"]
        if condition:
            given = answers.get(condition["question"])
            if condition["answer"] not in (given if isinstance(given, list) else [given]):
                continue
        codes = [o["code"] for o in q["options"]]
        if q["type"] == "single":
            answers[q["id"]] = rng.choice(codes)
        elif q["type"] == "text":
            answers[q["id"]] = TASK
        else:
            exclusive = [o["code"] for o in q["options"] if o["exclusive"]]
            shared = [c for c in codes if c not in exclusive]
            if exclusive and rng.random() < 0.2:
                answers[q["id"]] = [rng.choice(exclusive)]
            else:
                most = min(q["max_choices"] or len(shared), len(shared))
                answers[q["id"]] = rng.sample(shared, rng.randint(1, most))
    return answers


def by_api(browser: Browser, person: Person) -> Outcome:
    body = json.dumps({"postcode": person.postcode, "answers": person.answers}).encode()
    response = browser.expect(201, "POST", "/api/v1/assessments", body, "application/json")
    created = json.loads(response.body)
    return Outcome("api", created["reference"], len(created["recommendations"]))


def by_html(browser: Browser, person: Person) -> Outcome:
    start = browser.expect(200, "GET", "/")
    path = "/questions/who_for"
    if path not in start.body:
        raise Unexpected("the start page has no link to the first question")
    while path.startswith("/questions/"):
        page = path.rsplit("/", 1)[1]
        form = {"csrf_token": token(browser.expect(200, "GET", path))}
        if page == "postcode":
            form["postcode"] = person.postcode
        elif page in person.answers:
            form["answer"] = person.answers[page]
        else:
            raise Unexpected(f"asked {page}, which this person has no answer for")
        path = browser.post_form(path, form).location
    form = {"csrf_token": token(browser.expect(200, "GET", "/check-your-answers"))}
    plan_path = browser.post_form("/check-your-answers", form).location
    reference = plan_path.removeprefix("/plan/")
    if not shows_plan(browser.expect(200, "GET", plan_path), reference):
        raise Unexpected(f"{plan_path} does not show its reference")
    return Outcome("html", reference)


def shows_plan(page: Response, reference: str) -> bool:
    return f'<strong class="signpost-reference">{reference}</strong>' in page.body


def assess(base: str, log: Log, person: Person) -> Outcome:
    browser = Browser(base, log)
    try:
        return (by_api if person.channel == "api" else by_html)(browser, person)
    except Cut as e:
        return Outcome(person.channel, failure=e.outcome)
    except Unexpected as e:
        return Outcome(person.channel, failure=str(e))


# The run ----------------------------------------------------------------------------------------------------


@dataclass
class Run:
    outcomes: list[Outcome]
    log: Log
    seconds: float
    killed: int
    killed_after: int  # requests made when the worker was killed


def people(base: str, count: int, postcodes: list[str]) -> list[Person]:
    with urllib.request.urlopen(base + "/api/v1/questionnaire", timeout=60) as questionnaire:
        questions = json.load(questionnaire)["questions"]
    rng = random.Random(12)  # the same people every run
    return [
        Person("api" if n % 2 == 0 else "html", rng.choice(postcodes), random_answers(questions, rng))
        for n in range(count)
    ]


def load(running: Servers, crowd: list[Person], concurrency: int) -> Run:
    """Everyone's assessment at once (`concurrency` at a time), killing one worker half way through."""
    halfway = sum(p.requests() for p in crowd) // 2
    reached = threading.Event()
    log = Log(on_request=lambda made: reached.set() if made >= halfway else None)
    killed: list[tuple[int, int]] = []

    def kill_one_worker() -> None:
        reached.wait()
        victim = worker_pids(running.app_master)[0]
        os.kill(victim, signal.SIGKILL)
        killed.append((victim, len(log.requests)))

    killer = threading.Thread(target=kill_one_worker, daemon=True)
    killer.start()
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        outcomes = list(pool.map(lambda p: assess(running.app_url, log, p), crowd))
    seconds = time.perf_counter() - start
    reached.set()
    killer.join()
    return Run(outcomes, log, seconds, *killed[0])


def yardstick_rate(url: str, requests: int, concurrency: int) -> float:
    """Requests per second the yardstick serves: the same number of requests, as many at once (only its
    200s count)."""
    log = Log()
    left = iter(range(requests))
    lock = threading.Lock()

    def client() -> None:
        browser = Browser(url, log)
        while True:
            with lock:
                if next(left, None) is None:
                    return
            try:
                browser.send("GET", "/")
            except Cut:
                pass

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    return sum(1 for _, outcome, _ in log.requests if outcome == 200) / seconds


# The checks -----------------------------------------------------------------------------------------------


@dataclass
class Stored:
    help_counts: dict[str, int]  # reference: pieces of help stored with it
    counted: int  # assessments in the ward insight counts


def stored(database_url: str) -> Stored:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.reference, COUNT(r.position) FROM assessment a "
                "LEFT JOIN recommendation r ON r.assessment_id = a.id GROUP BY a.reference"
            )
        )
        help_counts = {reference: int(n) for reference, n in rows}
        counted = conn.execute(text("SELECT COALESCE(SUM(count), 0) FROM ward_month_stat WHERE metric = 'assessments'"))
        result = Stored(help_counts, int(counted.scalar_one()))
    engine.dispose()
    return result


def unreadable(base: str, references: list[str]) -> list[str]:
    """The references whose plan page does not answer 200 with the plan (read back after the load)."""

    def readable(reference: str) -> bool:
        try:
            return shows_plan(Browser(base, Log()).send("GET", f"/plan/{reference}"), reference)
        except Cut:
            return False

    with ThreadPoolExecutor(8) as pool:
        return [r for r, ok in zip(references, pool.map(readable, references), strict=True) if not ok]


def server_errors(log_path: Path) -> Counter:
    """The exceptions the app logged, by their last line (SIGKILL notices from the master are expected)."""
    lines = log_path.read_text(errors="replace").splitlines()
    found: Counter = Counter()
    for n, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((m for m in range(n + 1, len(lines)) if not lines[m].startswith((" ", "\t"))), n)
            found[lines[end][:160]] += 1
    return found


def percentile(ms: list[float], p: int) -> float:
    return statistics.quantiles(ms, n=100, method="inclusive")[p - 1]


def report(
    engine: str,
    workers: int,
    concurrency: int,
    run: Run,
    yardsticks: tuple[float, float],
    running: Servers,
    log_path: Path,
) -> bool:
    """Print the figures and the checks; True when every check passes."""
    outcomes = run.outcomes
    done = [o for o in outcomes if o.reference]
    references = [o.reference for o in done if o.reference]
    statuses = Counter(outcome for _, outcome, _ in run.log.requests)
    five_xx = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500)
    failures = Counter(o.failure for o in outcomes if o.failure)
    answered = [(kind, s * 1000) for kind, outcome, s in run.log.requests if isinstance(outcome, int)]
    ms = [m for _, m in answered]
    rate = len(run.log.requests) / run.seconds
    yardstick = statistics.mean(yardsticks)
    db = stored(running.database_url)
    lost = [r for r in references if r not in db.help_counts]
    cut_help = [
        o.reference for o in done if o.help_count is not None and db.help_counts.get(o.reference or "") != o.help_count
    ]
    unread = unreadable(running.app_url, references)
    unacknowledged = len(set(db.help_counts) - set(references))
    by_channel = Counter(o.channel for o in done)
    errors = server_errors(log_path)
    print(f"\n{engine}, {workers} gunicorn workers: {len(outcomes)} assessments, {concurrency} at a time")
    now = worker_pids(running.app_master)
    replaced = run.killed not in now and len(now) == workers
    print(
        f"  worker {run.killed} killed (SIGKILL) after {run.killed_after} of {len(run.log.requests)} requests; "
        f"{'replaced by the master' if replaced else 'NOT replaced'}"
    )
    print(
        f"  throughput   {len(run.log.requests)} requests in {run.seconds:.1f} s, {rate:.0f} per second; "
        f"{rate / yardstick:.3f} x the yardstick ({yardstick:.0f} per second under the same load: "
        f"{yardsticks[0]:.0f} before the run, {yardsticks[1]:.0f} after)"
    )
    print(
        f"  latency      p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
        f"p99 {percentile(ms, 99):.0f} ms"
    )
    kinds = sorted({kind for kind, _ in answered})
    medians = (f"{k} {statistics.median(m for kind, m in answered if kind == k):.0f} ms" for k in kinds)
    print(f"  median by kind: {', '.join(medians)}")
    print(
        f"  succeeded    {len(done)} ({by_channel['api']} API, {by_channel['html']} HTML journey); "
        f"cut by the kill (connection reset): {failures.pop('reset', 0)}; timed out: {failures.pop('timeout', 0)}"
    )
    print(f"  other failures {sum(failures.values())} {dict(failures) or ''}; 5xx answers {five_xx}")
    print(
        f"  stored       {len(db.help_counts)} assessments; insight counts {db.counted}; "
        f"stored but the answer was cut by the kill: {unacknowledged}"
    )
    print(
        f"  checks       lost {len(lost)}, not readable at /plan/<reference> {len(unread)}, "
        f"help missing {len(cut_help)}, duplicate references {len(references) - len(set(references))}"
    )
    for line, n in errors.most_common(5):
        print(f"  app logged   {n} x {line}")
    problems = {
        "lost": lost,
        "unreadable": unread,
        "help missing": cut_help,
        "5xx": five_xx,
        "failures": sum(failures.values()),
        "duplicates": len(references) != len(set(references)),
        "insight counts": db.counted != len(db.help_counts),
        "too many unacknowledged": unacknowledged > statuses["reset"] + statuses["timeout"],
        "exceptions": sum(errors.values()),
        "worker not replaced": not replaced,
    }
    failed = [name for name, problem in problems.items() if problem]
    print(f"  result       {'FAILED: ' + ', '.join(failed) if failed else 'every check passed'}")
    return not failed


def postcodes(database_url: str, count: int = 60) -> list[str]:
    """Some of the council's postcodes, spread over its wards."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT postcode FROM postcode ORDER BY postcode"))
        every = [r for (r,) in rows]
    engine.dispose()
    return every[:: max(1, len(every) // count)]


def bench(engine: str, database_url: str | None, args: argparse.Namespace) -> bool:
    if database_url:
        empty_database(database_url)
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "app.log"
        with servers(args.workers, database_url, app_log=log_path) as running:
            crowd = people(running.app_url, args.assessments, postcodes(running.database_url))
            requests = sum(p.requests() for p in crowd)
            # The yardstick just before and just after the run, so a change in the machine's load is shared.
            before = yardstick_rate(running.yardstick_url, requests, args.concurrency)
            run = load(running, crowd, args.concurrency)
            after = yardstick_rate(running.yardstick_url, requests, args.concurrency)
            return report(engine, args.workers, args.concurrency, run, (before, after), running, log_path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assessments", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=1000, help="assessments in flight at once")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    passed = True
    if args.engine in ("sqlite", "both"):
        passed &= bench("SQLite", None, args)
    if args.engine in ("postgresql", "both"):
        if args.postgres_url:
            passed &= bench("PostgreSQL", args.postgres_url, args)
        else:
            print("\nPostgreSQL skipped: give --postgres-url or BENCH_DATABASE_URL (an empty database of its own)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
