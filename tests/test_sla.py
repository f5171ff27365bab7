"""SLA due times on the real calendar; expected instants are worked out by hand (see test_calendar)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from catalog.calendar import BusinessCalendar
from catalog.model import Channel, Duration, Service, ServiceGroup, ServiceHours
from catalog.sla import Deadlines, clock_start, deadlines, due_time, elapsed, extend

IST = ZoneInfo("Europe/Istanbul")
ALWAYS, BUSINESS = ServiceHours.ALWAYS, ServiceHours.BUSINESS
ONE_HOUR = Duration("1 Saat", days=0, minutes=60)
TWO_DAYS = Duration("2 Gün", days=2, minutes=0)
TWO_HOURS_HALF = Duration("2 Saat 30 Dakika", days=0, minutes=150)
DAY_AND_TWO_HOURS = Duration("1 Gün 2 Saat", days=1, minutes=120)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=IST)


def service(hours: ServiceHours, response: Duration | None, resolution: Duration | None) -> Service:
    return Service(
        id="05.21.001",
        code="05.21.001",
        title="Deneme Hizmeti",
        group=ServiceGroup("05.21", "Teknik Servis Hizmetleri"),
        scope="Deneme",
        channels=frozenset({Channel.EMPLOYEE}),
        response=response,
        resolution=resolution,
        hours=hours,
        active=response is not None,
    )


@pytest.fixture(scope="module")
def cal() -> BusinessCalendar:
    return BusinessCalendar.from_config()


def test_business_ticket_opened_on_saturday(cal: BusinessCalendar) -> None:
    got = deadlines(cal, service(BUSINESS, ONE_HOUR, TWO_DAYS), at(2026, 11, 28, 10, 45))
    assert got == Deadlines(
        start=at(2026, 11, 30, 8, 30),
        response_due=at(2026, 11, 30, 9, 30),
        resolution_due=at(2026, 12, 2, 8, 30),
    )


def test_always_open_service_at_three_in_the_morning(cal: BusinessCalendar) -> None:
    got = deadlines(cal, service(ALWAYS, ONE_HOUR, TWO_DAYS), at(2026, 11, 28, 3))
    assert got == Deadlines(
        start=at(2026, 11, 28, 3),
        response_due=at(2026, 11, 28, 4),
        resolution_due=at(2026, 11, 30, 3),
    )


def test_always_open_service_ignores_holidays(cal: BusinessCalendar) -> None:
    assert due_time(cal, at(2026, 10, 28, 12, 30), ONE_HOUR, ALWAYS) == at(2026, 10, 28, 13, 30)


def test_business_minutes_and_hours(cal: BusinessCalendar) -> None:
    assert clock_start(cal, at(2026, 11, 27, 17), BUSINESS) == at(2026, 11, 27, 17)
    assert due_time(cal, at(2026, 11, 27, 17), ONE_HOUR, BUSINESS) == at(2026, 11, 30, 9)
    # Friday 16:00: 90 minutes until closing, 60 more on Monday.
    assert due_time(cal, at(2026, 11, 27, 16), TWO_HOURS_HALF, BUSINESS) == at(2026, 11, 30, 9, 30)
    assert due_time(cal, at(2026, 10, 28, 12, 30), ONE_HOUR, BUSINESS) == at(2026, 10, 30, 9)


def test_business_days(cal: BusinessCalendar) -> None:
    # Friday 10:15 + 2 working days: Tuesday 10:15.
    assert due_time(cal, at(2026, 11, 27, 10, 15), TWO_DAYS, BUSINESS) == at(2026, 12, 1, 10, 15)
    # The Ramazan Bayramı eve is a working day (until 13:00): Wednesday 18 March 11:00 + 2 days is
    # Monday 23 March 11:00 (19 March counts, 20-22 do not).
    assert due_time(cal, at(2026, 3, 18, 11), TWO_DAYS, BUSINESS) == at(2026, 3, 23, 11)
    # Opened at 19:00 on 30 December: the clock starts 31 Dec 08:30; 1 Jan and the weekend do not count.
    assert due_time(cal, at(2026, 12, 30, 19), TWO_DAYS, BUSINESS) == at(2027, 1, 5, 8, 30)


def test_days_then_hours(cal: BusinessCalendar) -> None:
    # Friday 16:00 + 1 day = Monday 16:00; + 2 working hours = 1.5 on Monday, 0.5 on Tuesday.
    assert due_time(cal, at(2026, 11, 27, 16), DAY_AND_TWO_HOURS, BUSINESS) == at(2026, 12, 1, 9)
    assert due_time(cal, at(2026, 11, 27, 16), DAY_AND_TWO_HOURS, ALWAYS) == at(2026, 11, 28, 18)


def test_placeholder_without_durations_has_no_deadlines(cal: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="no SLA"):
        deadlines(cal, service(BUSINESS, None, None), at(2026, 11, 30, 10))


def test_elapsed_places_a_reminder_at_half_the_window(cal: BusinessCalendar) -> None:
    start = at(2026, 11, 27, 16)
    due = due_time(cal, start, TWO_HOURS_HALF, BUSINESS)
    window = elapsed(cal, BUSINESS, start, due)
    assert window == timedelta(hours=2, minutes=30)
    # Halfway is 75 working minutes in: Friday 17:15.
    assert cal.add_working(start, window / 2) == at(2026, 11, 27, 17, 15)
    assert elapsed(cal, BUSINESS, start, at(2026, 11, 30, 9)) == timedelta(hours=2)
    # The same instants on the wall clock for a 24/7 service.
    assert elapsed(cal, ALWAYS, start, due) == timedelta(hours=65, minutes=30)


def test_days_window_onto_a_half_day_is_a_full_working_day(cal: BusinessCalendar) -> None:
    start = at(2026, 10, 27, 16)
    due = due_time(cal, start, Duration("1 Gün", days=1, minutes=0), BUSINESS)
    assert due == at(2026, 10, 30, 11, 30)
    assert elapsed(cal, BUSINESS, start, due) == timedelta(hours=9)


def test_extend_by_paused_time(cal: BusinessCalendar) -> None:
    due = at(2026, 11, 30, 9, 30)
    # Paused for 8 working hours: the rest of Monday exactly.
    assert extend(cal, BUSINESS, due, timedelta(hours=8)) == at(2026, 11, 30, 17, 30)
    assert extend(cal, BUSINESS, due, timedelta(hours=9)) == at(2026, 12, 1, 9, 30)
    assert extend(cal, ALWAYS, due, timedelta(hours=9)) == at(2026, 11, 30, 18, 30)
    # A pause measured with elapsed() moves the due time by exactly that much working time.
    paused = elapsed(cal, BUSINESS, at(2026, 11, 27, 17), at(2026, 11, 30, 9))
    assert paused == timedelta(hours=1)
    assert extend(cal, BUSINESS, due, paused) == at(2026, 11, 30, 10, 30)
    with pytest.raises(ValueError, match="negative"):
        extend(cal, ALWAYS, due, timedelta(minutes=-5))


def test_naive_instants_are_refused(cal: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="aware"):
        clock_start(cal, datetime(2026, 11, 30, 3), ALWAYS)
