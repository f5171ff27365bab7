"""SLA arithmetic: when a service's clock starts and when its response and resolution are due.

Rules (also in README, "SLA due times"):

- **24/7 services** (`ServiceHours.ALWAYS`): the clock starts when the ticket is opened and
  due = start + duration in elapsed time; "1 Gün" is 24 hours. (Europe/Istanbul has no daylight saving,
  so this is also the wall-clock sum.)
- **Business-hours services** (`ServiceHours.BUSINESS`): the clock starts at the next opening of the
  business calendar: at once during working time, else at the next working instant (Saturday → Monday
  08:30).
  - Minutes and hours ("2 Saat 30 Dakika"): only working minutes count; weekends, holidays, the
    afternoon of a half-day eve, extra closures and the lunch break do not. A due time can be a closing
    instant: 17:00 + 30 minutes is due at 17:30 the same day, not at 08:30 the next.
  - Days ("2 Gün"): due at the same working time of day that many working days later (opened Tuesday
    10:15 with "1 Gün" → Wednesday 10:15). If the target day closes before that time (a 13:00 half-day
    eve), the rest of the day's working time carries over into the next working day: opened 16:00 the
    day before a 13:00 eve, "1 Gün" is due at 11:30 on the next working day after the eve.
  - Days and hours ("1 Gün 2 Saat", not in the catalog today): the days first, then the working
    minutes from there.
- `elapsed` measures a window the same way (working time for business services, elapsed time for 24/7)
  so reminders can sit at a fraction of it; `extend` moves a due time by paused time measured that way.

Everything here is pure: no clock, no I/O. Results are in the calendar's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from catalog.calendar import BusinessCalendar, as_utc
from catalog.model import Duration, Service, ServiceHours


@dataclass(frozen=True)
class Deadlines:
    start: datetime  # when the SLA clock starts
    response_due: datetime  # Ele Alma Süresi
    resolution_due: datetime  # Tamamlanma Süresi


def clock_start(calendar: BusinessCalendar, at: datetime, hours: ServiceHours) -> datetime:
    if hours is ServiceHours.ALWAYS:
        return as_utc(at).astimezone(calendar.zone)
    return calendar.next_opening(at)


def due_time(
    calendar: BusinessCalendar, start: datetime, duration: Duration, hours: ServiceHours
) -> datetime:
    """When `duration` is up for a ticket opened at `start` (the clock start is applied here)."""
    if hours is ServiceHours.ALWAYS:
        return _elapsed_plus(calendar, start, duration.as_timedelta())
    after_days = calendar.add_working_days(start, duration.days)
    return calendar.add_working(after_days, timedelta(minutes=duration.minutes))


def deadlines(calendar: BusinessCalendar, service: Service, opened_at: datetime) -> Deadlines:
    """Start, response and resolution due times of a ticket for `service` opened at `opened_at`."""
    if service.response is None or service.resolution is None:
        raise ValueError(f"service {service.id} has no SLA durations (inactive placeholder)")
    start = clock_start(calendar, opened_at, service.hours)
    return Deadlines(
        start=start,
        response_due=due_time(calendar, start, service.response, service.hours),
        resolution_due=due_time(calendar, start, service.resolution, service.hours),
    )


def elapsed(calendar: BusinessCalendar, hours: ServiceHours, a: datetime, b: datetime) -> timedelta:
    """Time from `a` to `b` as the SLA counts it: working time, or elapsed time for 24/7 services."""
    if hours is ServiceHours.ALWAYS:
        return as_utc(b) - as_utc(a)
    return calendar.working_time_between(a, b)


def extend(calendar: BusinessCalendar, hours: ServiceHours, due: datetime, paused: timedelta) -> datetime:
    """`due` moved later by `paused`, which was measured with `elapsed` for the same hours."""
    if paused < timedelta(0):
        raise ValueError(f"cannot extend by negative paused time {paused}")
    if hours is ServiceHours.ALWAYS:
        return _elapsed_plus(calendar, due, paused)
    return calendar.add_working(due, paused)


def _elapsed_plus(calendar: BusinessCalendar, t: datetime, delta: timedelta) -> datetime:
    return (as_utc(t) + delta).astimezone(calendar.zone)
