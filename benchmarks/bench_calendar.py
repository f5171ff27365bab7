"""Due-time arithmetic speed: SLA due times per second against plain `datetime + timedelta` in the same run.

The scheduler and ticket operations compute due times and elapsed working time often, so the calendar must
stay cheap once its holiday years and day intervals are cached. The cold figure includes loading the
holiday data for the years touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from catalog.calendar import BusinessCalendar
from catalog.model import Duration, ServiceHours
from catalog.sla import due_time, elapsed

_ZONE = ZoneInfo("Europe/Istanbul")
_DURATIONS = (
    Duration("1 Saat", days=0, minutes=60),
    Duration("2 Saat 30 Dakika", days=0, minutes=150),
    Duration("8 Saat", days=0, minutes=480),
    Duration("2 Gün", days=2, minutes=0),
)
_HOURS = (ServiceHours.BUSINESS, ServiceHours.BUSINESS, ServiceHours.BUSINESS, ServiceHours.ALWAYS)
# Opening instants every 37 minutes over two years: all times of day, weekends, eves and holidays.
_STARTS = [
    datetime(2026, 1, 1, tzinfo=_ZONE) + timedelta(minutes=37 * i) for i in range(2 * 365 * 24 * 60 // 37)
]
_CASES = [(s, _DURATIONS[i % 4], _HOURS[i // 4 % 4]) for i, s in enumerate(_STARTS)]


def _per_second(work: Callable[[], None], count: int) -> float:
    begin = time.perf_counter()
    work()
    return count / (time.perf_counter() - begin)


def run() -> None:
    calendar = BusinessCalendar.from_config()
    n = len(_CASES)

    def due_times() -> None:
        for start, duration, hours in _CASES:
            due_time(calendar, start, duration, hours)

    def elapsed_times() -> None:
        for start, duration, _ in _CASES:
            elapsed(calendar, ServiceHours.BUSINESS, start, start + duration.as_timedelta())

    def baseline() -> None:
        for start, duration, _ in _CASES:
            _ = start + duration.as_timedelta()

    cold = _per_second(due_times, n)
    baseline_rate = _per_second(baseline, n)
    print(f"cases: {n} opening instants over 2026-2027, durations 1 h / 2.5 h / 8 h / 2 days")
    print(f"{'baseline datetime + timedelta':32} {baseline_rate:12,.0f} /s")
    for label, rate in (
        ("due_time, first pass", cold),
        ("due_time, warm caches", _per_second(due_times, n)),
        ("elapsed (working time)", _per_second(elapsed_times, n)),
    ):
        print(f"{label:32} {rate:12,.0f} /s  ({baseline_rate / rate:5.1f}x the baseline's time)")
