"""The directorate's business calendar: when the SLA clock of a business-hours service runs.

A day's working time is the configured working hours (minus the optional lunch break) on the configured
working days, except:

- Turkish public holidays (the `holidays` package, category ``public``): closed all day;
- half-day eves (category ``half_day``: the eves of Ramazan and Kurban Bayramı, 28 October): work ends at
  ``half_day_end`` (13:00);
- extra closure days (idari izin) from the configuration, single dates or inclusive ranges: closed all day.

Working intervals are half-open: at the opening instant it is working time, at the closing instant it is not.
All methods take aware datetimes in any zone and return instants in the calendar's zone. Interval arithmetic
runs in UTC, so a zone with daylight saving would still count real elapsed time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

# A day's working intervals as (opening, closing) instants in UTC.
Intervals: TypeAlias = tuple[tuple[datetime, datetime], ...]

_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)
MAX_CLOSURE_DAYS = 366  # a longer EXTRA_CLOSURES range is a mistyped year, not an administrative leave
_CLOCK_TIME = re.compile(r"(\d{1,2}):(\d{2})")


class BusinessCalendar:
    def __init__(
        self,
        zone: ZoneInfo,
        work_days: frozenset[int],
        work_start: time,
        work_end: time,
        lunch: tuple[time, time] | None = None,
        half_day_end: time = time(13, 0),
        extra_closures: frozenset[date] = frozenset(),
    ) -> None:
        """`work_days` are ISO weekdays (Monday = 1). Prefer `from_config`, which validates its strings."""
        if not work_days:
            raise ValueError("at least one working day is needed")
        if work_start >= work_end:
            raise ValueError(f"work start {work_start:%H:%M} must be before work end {work_end:%H:%M}")
        if lunch is not None and not work_start < lunch[0] < lunch[1] < work_end:
            raise ValueError(
                f"lunch break {lunch[0]:%H:%M}-{lunch[1]:%H:%M} must lie inside the working hours "
                f"{work_start:%H:%M}-{work_end:%H:%M}"
            )
        self.zone = zone
        self.work_days = work_days
        self.extra_closures = extra_closures
        # A regular day's intervals as wall-clock times; a half day keeps the part before half_day_end.
        pieces = [(work_start, lunch[0]), (lunch[1], work_end)] if lunch else [(work_start, work_end)]
        self._regular = tuple(pieces)
        self._half = tuple((a, min(b, half_day_end)) for a, b in pieces if a < half_day_end)
        self._days: dict[date, Intervals] = {}
        self._holiday_years: dict[int, tuple[frozenset[date], frozenset[date]]] = {}

    @classmethod
    def from_config(
        cls,
        timezone: str = "Europe/Istanbul",
        work_days: str = "1-5",
        work_start: str = "08:30",
        work_end: str = "17:30",
        lunch_start: str | None = None,
        lunch_end: str | None = None,
        half_day_end: str = "13:00",
        extra_closures: str = "",
    ) -> BusinessCalendar:
        """Build from the settings' strings (see bot/settings.py); ValueError names the bad value."""
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {timezone!r}") from None
        if bool(lunch_start) != bool(lunch_end):
            raise ValueError("lunch break needs both LUNCH_START and LUNCH_END, or neither")
        lunch = (
            (_parse_time("LUNCH_START", lunch_start), _parse_time("LUNCH_END", lunch_end))
            if lunch_start and lunch_end
            else None
        )
        return cls(
            zone=zone,
            work_days=_parse_work_days(work_days),
            work_start=_parse_time("WORK_START", work_start),
            work_end=_parse_time("WORK_END", work_end),
            lunch=lunch,
            half_day_end=_parse_time("HALF_DAY_END", half_day_end),
            extra_closures=_parse_closures(extra_closures),
        )

    # --- queries -------------------------------------------------------------------------------------

    def is_working(self, t: datetime) -> bool:
        u = as_utc(t)
        return any(opening <= u < closing for opening, closing in self._intervals(self._local_date(u)))

    def next_opening(self, t: datetime) -> datetime:
        """The first working instant at or after `t`: `t` itself during working time."""
        u = as_utc(t)
        for opening, closing in self._intervals_from(u):
            if u < closing:
                return max(opening, u).astimezone(self.zone)
        raise AssertionError("unreachable: _intervals_from never ends")

    def add_working(self, start: datetime, delta: timedelta) -> datetime:
        """The earliest instant by which `delta` of working time has passed since `start`.

        The result may be a closing instant (17:00 + 30 minutes = 17:30); adding nothing returns `start`.
        """
        if delta < _ZERO:
            raise ValueError(f"cannot add negative working time {delta}")
        u = as_utc(start)
        if not delta:
            return u.astimezone(self.zone)
        remaining = delta
        for opening, closing in self._intervals_from(u):
            if u >= closing:
                continue
            begin = max(opening, u)
            available = closing - begin
            if remaining <= available:
                return (begin + remaining).astimezone(self.zone)
            remaining -= available
        raise AssertionError("unreachable: _intervals_from never ends")

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same working time of day `days` working days later, counting from the next opening.

        "Same working time of day" is the working time a regular day has had by then (08:30 → 14:00 is
        5 h 30 min); on a regular target day that is the same wall-clock time. When the target day closes
        earlier (a half-day eve), the rest carries over into the next working day, so e.g. 16:00 + 1 day
        onto a 13:00 eve is due at 11:30 on the working day after the eve.
        """
        if days < 0:
            raise ValueError(f"cannot add a negative number of working days ({days})")
        begin = self.next_opening(start)
        offset = self._regular_time_before(begin.time())
        day = begin.date()
        for _ in range(days):
            day = self._next_working_day(day)
        first_opening = self._intervals(day)[0][0]
        return self.add_working(first_opening, offset)

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time in [a, b); negative when b is before a."""
        ua, ub = as_utc(a), as_utc(b)
        if ub < ua:
            return -self.working_time_between(b, a)
        total = _ZERO
        for opening, closing in self._intervals_from(ua):
            if opening >= ub:
                break
            overlap = min(closing, ub) - max(opening, ua)
            if overlap > _ZERO:
                total += overlap
        return total

    def is_holiday(self, day: date) -> bool:
        """Closed all day although a working weekday: public holiday or extra closure."""
        closed, _ = self._holidays(day.year)
        return day in closed or day in self.extra_closures

    def is_half_day(self, day: date) -> bool:
        closed, half = self._holidays(day.year)
        return day in half and day not in closed and day not in self.extra_closures

    # --- internals -----------------------------------------------------------------------------------

    def _local_date(self, u: datetime) -> date:
        return u.astimezone(self.zone).date()

    def _intervals(self, day: date) -> Intervals:
        """The day's working intervals in UTC, cached: the scheduler asks about the same days often."""
        cached = self._days.get(day)
        if cached is None:
            if day.isoweekday() not in self.work_days or self.is_holiday(day):
                pieces: tuple[tuple[time, time], ...] = ()
            else:
                pieces = self._half if self.is_half_day(day) else self._regular
            cached = tuple((self._instant(day, a), self._instant(day, b)) for a, b in pieces)
            self._days[day] = cached
        return cached

    def _instant(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.zone).astimezone(UTC)

    def _intervals_from(self, u: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Every working interval from the local day of `u` on, without end (working days always come)."""
        day = self._local_date(u)
        while True:
            yield from self._intervals(day)
            day += _ONE_DAY

    def _next_working_day(self, day: date) -> date:
        day += _ONE_DAY
        while not self._intervals(day):
            day += _ONE_DAY
        return day

    def _regular_time_before(self, at: time) -> timedelta:
        """Working time a regular day has had by wall-clock time `at`."""
        anchor = date(2000, 1, 1)  # any date: only naive wall-clock differences are taken
        moment = datetime.combine(anchor, at)
        total = _ZERO
        for a, b in self._regular:
            start, end = datetime.combine(anchor, a), datetime.combine(anchor, b)
            total += max(_ZERO, min(end, moment) - start)
        return total

    def _holidays(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """(closed days, half days) of a year, looked up once per year: the package is slow to expand."""
        cached = self._holiday_years.get(year)
        if cached is None:
            closed = holidays.country_holidays("TR", years=year, categories=("public",))
            half = holidays.country_holidays("TR", years=year, categories=("half_day",))
            cached = (frozenset(closed), frozenset(half))
            self._holiday_years[year] = cached
        return cached


def as_utc(t: datetime) -> datetime:
    """`t` in UTC; ValueError for a naive datetime, whose instant is unknown."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"an aware datetime is needed, got naive {t.isoformat()}")
    return t.astimezone(UTC)


def _parse_time(name: str, text: str | None) -> time:
    match = _CLOCK_TIME.fullmatch((text or "").strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"{name} must be a clock time HH:MM, got {text!r}")
    return time(int(match[1]), int(match[2]))


def _parse_work_days(text: str) -> frozenset[int]:
    """'1-5' or '1,2,3,4,5' or '1-3,5': ISO weekdays, Monday = 1."""
    days: set[int] = set()
    for part in text.split(","):
        bounds = part.strip().split("-")
        if len(bounds) > 2 or not all(b.strip().isdigit() and 1 <= int(b) <= 7 for b in bounds):
            raise ValueError(f"WORK_DAYS must be ISO weekdays 1-7 as a range or comma list, got {text!r}")
        first, last = int(bounds[0]), int(bounds[-1])
        if first > last:
            raise ValueError(f"WORK_DAYS range {part.strip()!r} runs backwards")
        days.update(range(first, last + 1))
    return frozenset(days)


def _parse_closures(text: str) -> frozenset[date]:
    """Comma-separated dates and inclusive ranges: "2026-12-31..2027-01-02, 2027-03-10"."""
    closures: set[date] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        first, dots, last = part.partition("..")
        start, end = _closure_date(part, first), _closure_date(part, last) if dots else None
        if end is None:
            closures.add(start)
            continue
        if end < start:
            raise ValueError(f"EXTRA_CLOSURES range {part!r} runs backwards: write the earlier date first")
        if (end - start).days >= MAX_CLOSURE_DAYS:
            raise ValueError(f"EXTRA_CLOSURES range {part!r} is longer than {MAX_CLOSURE_DAYS} days: a typo?")
        closures.update(start + timedelta(days=n) for n in range((end - start).days + 1))
    return frozenset(closures)


def _closure_date(part: str, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            "EXTRA_CLOSURES must be comma-separated dates YYYY-MM-DD or ranges YYYY-MM-DD..YYYY-MM-DD, "
            f"got {part!r}"
        ) from None
