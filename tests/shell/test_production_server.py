"""The production server: gunicorn with gunicorn.conf.py, two processes sharing the suite's database (and Redis
when REDIS_URL is set), as two workers or two machines behind a load balancer would. One browser's requests
go to each in turn: every step works, wherever its previous step was answered (issue 12)."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from helpers import OFFLINE, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
PUBLIC_HOST = "signpost.example.gov.uk"  # the address residents use, which the proxy passes on as the Host
LIMIT = 10  # sign-in attempts an address may make an hour, on the servers started here
MEMORY_WARNING = "The sign-in rate limit is counted in each worker's memory"
REDIS = os.environ.get("REDIS_URL")


@dataclass
class Server:
    base: str
    stdout: Path
    stderr: Path

    def access_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.read_text().splitlines()]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(logs: Path, **env: str) -> Iterator[Server]:
    """gunicorn started as an operator would (its settings from gunicorn.conf.py), on a free loopback port;
    stopped afterwards."""
    port = _free_port()
    server = Server(f"http://127.0.0.1:{port}", logs / f"{port}.out", logs / f"{port}.err")
    with server.stdout.open("w") as out, server.stderr.open("w") as err:
        process = subprocess.Popen(
            [str(GUNICORN)], cwd=ROOT, env={**os.environ, "BIND": f"127.0.0.1:{port}", **env}, stdout=out, stderr=err
        )
        try:
            _wait_until_up(server, process)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_up(server: Server, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn stopped: {server.stderr.read_text()}"
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(server.base + "/healthz", timeout=5):
                return
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer in {timeout} s: {server.stderr.read_text()}")


@pytest.fixture(scope="module")
def servers(app, tmp_path_factory) -> Iterator[tuple[Server, Server]]:
    """Two app processes on the suite's database, configured as behind a TLS proxy (the Browser plays it)."""
    env = {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "the-same-key-on-every-machine",
        "FORCE_HTTPS": "1",
        "PROXY_COUNT": "1",
        "SESSION_COOKIE_SECURE": "0",  # only because the pretend proxy hands the cookie jar plain HTTP
        "WEB_CONCURRENCY": "1",
        "SIGN_IN_RATE_LIMIT": f"{LIMIT} per hour",
        "RATELIMIT_KEY_PREFIX": f"signpost-test-{uuid.uuid4().hex}",  # counters from another run never count
    }
    logs = tmp_path_factory.mktemp("gunicorn")
    with gunicorn(logs, **env) as first, gunicorn(logs, **env) as second:
        yield first, second


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is a response to look at, and the next request goes to the other server


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str
    server: Server

    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.text, "html.parser")

    def csrf_token(self) -> str:
        return self.soup().find("input", attrs={"name": "csrf_token"})["value"]


class Browser:
    """One person's browser, with one cookie jar, whose requests go to each server in turn. It sends the
    page it is on as the Referer, as browsers do (the CSRF check over HTTPS compares it with the Host)."""

    def __init__(self, servers: tuple[Server, Server], address: str, scheme: str = "https") -> None:
        self.servers = itertools.cycle(servers)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirects)
        # What the TLS proxy in front sends on: the public Host, the client's address (so each test is its own
        # client) and the scheme the client used.
        self.proxy_headers = {"Host": PUBLIC_HOST, "X-Forwarded-For": address, "X-Forwarded-Proto": scheme}
        self.page = "/"

    def open(self, path: str, form: dict | None = None, headers: dict[str, str] | None = None) -> Response:
        server = next(self.servers)
        data = urlencode(form, doseq=True).encode() if form is not None else None
        referer = {"Referer": f"https://{PUBLIC_HOST}{self.page}"}
        request = urllib.request.Request(server.base + path, data, self.proxy_headers | referer | (headers or {}))
        try:
            with self.opener.open(request, timeout=30) as response:
                answer = Response(response.status, dict(response.headers), response.read().decode(), server)
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read().decode(), server)
        if data is None and answer.status == 200:
            self.page = path
        return answer

    def submit(self, path: str, fields: dict) -> Response:
        """Fetch a form's page, post it with the page's CSRF token, and follow the redirect, as a browser does:
        three requests, so the next form starts on the other server."""
        page = self.open(path)
        assert page.status == 200, page.text
        posted = self.open(path, {"csrf_token": page.csrf_token(), **fields})
        if posted.status == 302:
            landed = self.open(posted.headers["Location"])
            assert landed.status == 200, landed.text
            landed.headers["Location"] = posted.headers["Location"]
            return landed
        return posted


def _sign_in_attempt(browser: Browser, token: str, email: str, password: str) -> Response:
    return browser.open("/staff/sign-in", {"csrf_token": token, "email": email, "password": password})


def test_a_resident_and_a_member_of_staff_use_both_processes_as_one_service(servers, make_user):
    resident = Browser(servers, "192.0.2.10")
    resident.submit("/questions/who_for", {"answer": OFFLINE["who_for"]})
    resident.submit("/questions/postcode", {"postcode": "LE11 3DU"})
    for page, value in OFFLINE.items():
        if page != "who_for":
            resident.submit(f"/questions/{page}", {"answer": value})
    plan = resident.submit("/check-your-answers", {})
    assert plan.headers["Location"].startswith("/plan/")
    reference = plan.soup().find(class_="signpost-reference").get_text(strip=True)
    assert reference in plan.headers["Location"]
    for server in servers:  # both took answers
        assert any(line["method"] == "POST" for line in server.access_lines())

    staff = Browser(servers, "192.0.2.11")
    home = staff.submit("/staff/sign-in", {"email": make_user("staff"), "password": PASSWORD})
    assert home.headers["Location"] == "/staff/" and "Sign out" in home.text
    opened = staff.open(f"/staff/plans/{reference}")
    assert opened.status == 200 and reference in opened.text


def test_failed_sign_ins_on_both_processes_lock_the_account(servers, make_user):
    email = make_user("staff", email="locked@example.org")
    browser = Browser(servers, "192.0.2.12")
    token = browser.open("/staff/sign-in").csrf_token()
    failures = [_sign_in_attempt(browser, token, email, "not the password") for _ in range(5)]
    assert {response.server.base for response in failures} == {server.base for server in servers}
    assert all(response.status == 200 for response in failures)
    locked = _sign_in_attempt(browser, token, email, PASSWORD)  # even the right password, while locked
    assert "Too many failed attempts. Try again in 15 minutes" in locked.text


@pytest.mark.skipif(not REDIS, reason="needs REDIS_URL: without Redis each process counts on its own")
def test_the_sign_in_rate_limit_is_counted_across_both_processes(servers):
    browser = Browser(servers, "192.0.2.13")
    token = browser.open("/staff/sign-in").csrf_token()
    attempts = [_sign_in_attempt(browser, token, "x@example.org", "wrong password!!") for _ in range(LIMIT + 1)]
    remaining = [int(response.headers["X-RateLimit-Remaining"]) for response in attempts[:LIMIT]]
    assert remaining == list(range(LIMIT - 1, -1, -1))  # one count, whichever process answered
    assert [response.status for response in attempts] == [200] * LIMIT + [429]


def test_the_access_log_has_the_request_id_and_no_query_string_or_plan_reference(servers):
    browser = Browser(servers, "192.0.2.14")
    request_id = f"test-{uuid.uuid4().hex}"
    response = browser.open("/plan/K7QM-3XHP-RT9W?postcode=LE11+3DU&lang=pl", headers={"X-Request-Id": request_id})
    assert response.status == 404 and response.headers["X-Request-Id"] == request_id
    line = _logged(response.server, request_id)
    assert (line["method"], line["path"], line["status"]) == ("GET", "/plan/<reference>", 404)
    assert line["logger"] == "gunicorn.access" and line["time"]
    log = response.server.stdout.read_text()
    assert "K7QM" not in log and "LE11" not in log and "?" not in log


def _logged(server: Server, request_id: str, timeout: float = 10) -> dict:
    """The access line for a request: gunicorn writes it just after the response is sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [line for line in server.access_lines() if line.get("request_id") == request_id]
        if lines:
            return lines[0]
        time.sleep(0.1)
    raise AssertionError(f"no access line for {request_id}")


def test_behind_the_proxy_pages_go_to_https_and_health_checks_answer_over_plain_http(servers):
    for path in ("/healthz", "/readyz"):
        for server in servers:
            with urllib.request.urlopen(server.base + path, timeout=30) as response:  # as a load balancer probes
                assert response.status == 200 and json.load(response)["status"] == "ok"
    response = Browser(servers, "192.0.2.15", scheme="http").open("/questions/who_for")
    assert response.status == 302 and response.headers["Location"].startswith("https://")


@pytest.mark.parametrize(("workers", "redis_url", "warned"), [("2", "", True), ("1", "", False), ("2", REDIS, False)])
def test_several_workers_counting_in_memory_are_warned_of_at_start(app, tmp_path, workers, redis_url, warned):
    if redis_url is None:
        pytest.skip("needs REDIS_URL")
    env = {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "k", "WEB_CONCURRENCY": workers}
    with gunicorn(tmp_path, **env, REDIS_URL=redis_url, RATELIMIT_STORAGE_URI="") as server:
        pass
    said = [json.loads(line)["message"] for line in server.stderr.read_text().splitlines()]
    assert sum(MEMORY_WARNING in message for message in said) == (1 if warned else 0)
    if warned:
        assert "REDIS_URL" in next(message for message in said if MEMORY_WARNING in message)


@pytest.mark.parametrize("configured", [True, False])
def test_the_public_address_and_trusted_hosts_are_read_and_their_absence_warned_of_once(app, tmp_path, configured):
    env = {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "k", "WEB_CONCURRENCY": "2"}
    # 127.0.0.1 as well: the health check here (as on a machine of one's own) asks by address.
    address = {"PUBLIC_URL": f"https://{PUBLIC_HOST}", "TRUSTED_HOSTS": f" {PUBLIC_HOST}, 127.0.0.1 "}
    unset = {"PUBLIC_URL": "", "TRUSTED_HOSTS": ""}
    with gunicorn(tmp_path, **env, **(address if configured else unset)) as server:
        request = urllib.request.Request(server.base + "/healthz", headers={"Host": "attacker.example"})
        try:
            status = urllib.request.urlopen(request, timeout=30).status
        except urllib.error.HTTPError as error:
            status = error.code
    said = [json.loads(line)["message"] for line in server.stderr.read_text().splitlines()]
    warnings = [m for m in said if "PUBLIC_URL is not set" in m and "TRUSTED_HOSTS is not set" in m]
    assert (status, len(warnings)) == ((400, 0) if configured else (200, 1))


def test_the_entry_point_freezes_what_the_app_made_so_full_collections_skip_it(app):
    """wsgi.py, as gunicorn imports it in each worker: the app's long-lived objects are out of the collector's way
    (and a collection afterwards still finds the garbage made later)."""
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "k"}
    code = (
        "import gc, wsgi; frozen = gc.get_freeze_count(); gc.collect(); "
        "loop = []; loop.append(loop); del loop; print(frozen, gc.collect())"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    frozen, collected = map(int, done.stdout.split())
    assert frozen > 10_000  # the app's routes, templates, tables and libraries
    assert collected >= 1  # the cycle made after the freeze
