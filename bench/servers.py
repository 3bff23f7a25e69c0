"""Real servers for the benchmarks that load the service over HTTP: the app under gunicorn on a seeded
database of its own, and a bare Flask page (the yardstick) under the same server with the same settings,
so a page's requests per second can be given as a ratio to the yardstick's in the same run."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
YARDSTICK = "bench.yardstick:app"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped before answering (exit code {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:  # refused, reset or timed out (URLError is one): not up yet, or too busy to answer
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} within {timeout} seconds")


def seeded_database(database_url: str | None, workdir: Path) -> str:
    """A database with the migrations and the seed data loaded: the URL given (emptied first by the
    caller), or a new SQLite file in `workdir`."""
    url = database_url or f"sqlite:///{workdir / 'bench.db'}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench"}
    for command in (["db", "upgrade"], ["seed"]):
        done = subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"flask {' '.join(command)} failed:\n{done.stderr}")
    return url


def server_env(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment the app runs with in a benchmark: a fixed key, plain HTTP on loopback, and one address
    playing thousands of residents, so neither the limits on anonymous writes nor the ward insight cap per
    address apply."""
    unlimited = "1000000 per minute"
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-" + "0" * 58,
        "SESSION_COOKIE_SECURE": "0",
        "SAVE_PLAN_RATE_LIMIT": unlimited,
        "CONTACT_ME_RATE_LIMIT": unlimited,
        "CONTACT_ME_PER_PLAN_RATE_LIMIT": unlimited,
        "FEEDBACK_RATE_LIMIT": unlimited,
        "FEEDBACK_PER_PLAN_RATE_LIMIT": unlimited,
        "SEND_PLAN_RATE_LIMIT": unlimited,
        "SEND_PLAN_PER_PLAN_RATE_LIMIT": unlimited,
        "INSIGHT_PLANS_PER_ADDRESS_PER_DAY": "1000000",
        **(extra or {}),
    }


@contextlib.contextmanager
def gunicorn(
    app: str, env: dict[str, str], workers: int = 2, health_path: str = "/", log: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `app` (a module:variable) under gunicorn on a free loopback port; yields its base URL and the
    master process, and stops it afterwards. Its error log goes to `log` when given."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", app]
    log_file = log.open("w") if log else None
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_file or subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + health_path, process)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if log_file:
            log_file.close()


def empty_database(database_url: str) -> None:
    """Drop everything in a PostgreSQL database of the benchmark's own, so the migrations start from nothing."""
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def worker_pids(master: subprocess.Popen) -> list[int]:
    """The PIDs of a gunicorn master's workers, its child processes (read from Linux's /proc)."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text()
    return [int(pid) for pid in children.split()]


@dataclass(frozen=True)
class Servers:
    """The app and the yardstick running: their base URLs, the app's gunicorn master (to find its workers)
    and the seeded database the app uses."""

    app_url: str
    yardstick_url: str
    app_master: subprocess.Popen
    database_url: str


@contextlib.contextmanager
def servers(
    workers: int = 2,
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    app_log: Path | None = None,
) -> Iterator[Servers]:
    """The app on a seeded database and the yardstick, both under gunicorn with `workers` workers; the
    app's error log goes to `app_log` when given."""
    with tempfile.TemporaryDirectory() as tmp:
        url = seeded_database(database_url, Path(tmp))
        env = server_env(url, extra_env)
        with (
            gunicorn("wsgi:app", env, workers, "/healthz", app_log) as (app_url, app_master),
            gunicorn(YARDSTICK, env, workers) as (yardstick_url, _),
        ):
            yield Servers(app_url, yardstick_url, app_master, url)


@contextlib.contextmanager
def app_and_yardstick(
    workers: int = 2, database_url: str | None = None, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """The app on a seeded database and the yardstick, both under gunicorn with `workers` workers; yields
    their base URLs."""
    with servers(workers, database_url, extra_env) as running:
        yield running.app_url, running.yardstick_url
