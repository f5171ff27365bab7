"""Timing shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(action: Callable[[], object], repeats: int, *, warm: bool = False) -> float:
    """The median wall time of `repeats` runs of `action`; with `warm`, after one unmeasured run (caches,
    the statement cache)."""
    if warm:
        action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
