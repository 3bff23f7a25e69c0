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
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

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
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # TimeoutError: a busy machine
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
    """The environment the app runs with in a benchmark: a fixed key, plain HTTP on loopback."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-" + "0" * 58,
        "SESSION_COOKIE_SECURE": "0",
        **(extra or {}),
    }


@contextlib.contextmanager
def gunicorn(
    app: str, env: dict[str, str], workers: int = 2, health_path: str = "/"
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `app` (a module:variable) under gunicorn on a free loopback port; yields its base URL and the
    master process, and stops it afterwards."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", app]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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


@contextlib.contextmanager
def app_and_yardstick(
    workers: int = 2, database_url: str | None = None, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """The app on a seeded database and the yardstick, both under gunicorn with `workers` workers; yields
    their base URLs."""
    with tempfile.TemporaryDirectory() as tmp:
        url = seeded_database(database_url, Path(tmp))
        env = server_env(url, extra_env)
        with (
            gunicorn("wsgi:app", env, workers, "/healthz") as (app_url, _),
            gunicorn(YARDSTICK, env, workers) as (yardstick_url, _),
        ):
            yield app_url, yardstick_url
