"""gunicorn's settings for Signpost, read by default from the directory gunicorn starts in: `gunicorn wsgi:app`.

Environment: WEB_CONCURRENCY (workers), GUNICORN_THREADS (threads per worker), BIND or PORT (where to listen),
LOG_LEVEL. GUNICORN_CMD_ARGS and command-line options override anything here. docs/deploy.md explains each.
"""

from __future__ import annotations

import os

from triage.web.config import MEMORY_STORAGE, public_address_warning, rate_limit_storage
from triage.web.shell.logs import GunicornLogger, gunicorn_logconfig

wsgi_app = "wsgi:app"
proc_name = "signpost"

# BIND wins ("127.0.0.1:8000", "unix:/run/signpost.sock"); a platform that gives PORT is listened to on every
# address, as gunicorn itself does; otherwise loopback only, for a proxy on the same machine.
if os.environ.get("BIND"):
    bind = [os.environ["BIND"]]
elif os.environ.get("PORT"):
    bind = [f"0.0.0.0:{os.environ['PORT']}"]
else:
    bind = ["127.0.0.1:8000"]


def _cores() -> int:
    """The cores this process may run on (a container's share, not the host's), at least one."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# 2 x cores + 1, as gunicorn advises, but at most 8: each worker holds up to `threads` database connections,
# and 8 workers of 4 threads on each of several machines stay well inside PostgreSQL's default 100.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cores() + 1, 8))
# Threads let a worker go on answering while one request waits on the database or a slow client (a sync
# worker is held by each one). Kept-open connections are not shared out between workers, so the proxy in
# front should open one a request (docs/deploy.md).
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)

timeout = 30  # a worker silent for this long is restarted
graceful_timeout = 30  # on a restart or deploy, requests in flight get this long to finish
# Longer than the idle timeout of nginx's upstream pool and of common load balancers (60 s), so the proxy
# always closes an idle connection first and never sends a request down one gunicorn has just closed.
keepalive = 75
# Each worker is replaced after about twenty thousand requests (the jitter keeps them from all restarting
# at once), so a slow leak in any library never grows without bound. Not fewer: a new worker loads the app
# and renders its pages afresh, and at a thousand bench/serve_pages.py saw workers replaced every few
# seconds under load, with p95 latencies over a second.
max_requests = 20000
max_requests_jitter = 2000
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # the workers' heartbeat files: memory, never a slow or full disk

# Off: each worker imports the app itself after the fork, so no database or Redis connection made at import
# is ever shared between processes, and `kill -HUP` picks up new code without restarting the master.
preload_app = False

# No control socket for `gunicornc`: its one default path per user would be shared by every gunicorn on the
# machine; signals (HUP to reload, TERM to stop) do the same work.
control_socket_disable = True

loglevel = os.environ.get("LOG_LEVEL", "info")
accesslog = "-"  # stdout, as JSON lines without query strings (triage/web/shell/logs.py)
logger_class = GunicornLogger
logconfig_dict = gunicorn_logconfig(loglevel)


def when_ready(server) -> None:
    """Said once, when the master starts: the service's address left to each request's Host header, and
    rate limits in memory, which several workers multiply."""
    address_warning = public_address_warning(os.environ)
    if address_warning:
        server.log.warning(address_warning)
    if server.cfg.workers > 1 and rate_limit_storage(os.environ) == MEMORY_STORAGE:
        server.log.warning(
            "The sign-in rate limit is counted in each worker's memory, so %d workers allow %d times as many "
            "attempts: set REDIS_URL (for example redis://127.0.0.1:6379/0) so every worker and machine counts "
            "together.",
            server.cfg.workers,
            server.cfg.workers,
        )
