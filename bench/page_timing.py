"""What the page benchmarks share: timing one request through the Flask test client, and a line that
gives the median and p95 with the ratio to a yardstick page timed in the same run (the machine is
shared and noisy, so only the ratio compares across runs)."""

from __future__ import annotations

import statistics
import time


def timed(client, path: str) -> float:
    """Seconds to fetch one page, which must answer 200."""
    start = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def summary(name: str, seconds: list[float], yardstick: float, width: int = 28) -> str:
    """The median and p95 in milliseconds, and the median as a multiple of the yardstick's median (in ms)."""
    ms = sorted(s * 1000 for s in seconds)
    median = statistics.median(ms)
    return (
        f"{name:<{width}} median {median:7.2f} ms, p95 {ms[int(len(ms) * 0.95)]:7.2f} ms; "
        f"{median / yardstick:5.2f} x the yardstick"
    )
