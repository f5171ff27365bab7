"""The pure time math of the SLA policy: step instants with pauses, daily repeats after a long outage, quiet
hours."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from catalog.calendar import BusinessCalendar
from catalog.model import ServiceHours
from catalog.sla_policy import DEFAULT_POLICY, SlaWindow, Stage, delivery_time, next_repeat, step_instant

Z = ZoneInfo("Europe/Istanbul")
CAL = BusinessCalendar.from_config()


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=Z)  # March 2026: Monday 2nd ... Friday 6th


def test_the_default_policy() -> None:
    assert [(s.percent, s.stage, sorted(s.audience)) for s in DEFAULT_POLICY.steps] == [
        (50, Stage.REMINDER, ["assignee"]),
        (80, Stage.REMINDER, ["assignee", "team_lead"]),
        (100, Stage.BREACH, ["assignee", "team_lead"]),
        (200, Stage.ESCALATION, ["manager"]),
    ]
    assert DEFAULT_POLICY.repeating is DEFAULT_POLICY.steps[-1]


def test_paused_time_moves_the_steps_of_a_business_window() -> None:
    # 4 working hours from Monday 15:00 (2.5 h Monday, 1.5 h Tuesday), extended by a 1-hour pause
    window = SlaWindow(ServiceHours.BUSINESS, _at(2, 15), _at(3, 11), timedelta(hours=1))
    assert window.length(CAL) == timedelta(hours=4)
    assert step_instant(CAL, window, 50) == _at(3, 9)  # 2 h + the 1 h pause: 2.5 h Monday, 30 min Tuesday
    assert step_instant(CAL, window, 100) == _at(3, 11)
    assert step_instant(CAL, window, 200) == _at(3, 15)  # 8 h + 1 h: 2.5 h Monday, 6.5 h Tuesday


def test_a_7_24_window_runs_on_wall_clock_time() -> None:
    window = SlaWindow(ServiceHours.ALWAYS, _at(7, 22), _at(8, 2))  # Saturday 22:00, 4 hours
    assert step_instant(CAL, window, 50) == _at(8, 0)
    assert step_instant(CAL, window, 200) == _at(8, 6)


@pytest.mark.parametrize(
    ("hours", "first", "after", "expected"),
    [
        # business hours: a process down from Monday to Thursday sends the next repeat only, Friday 10:00
        (ServiceHours.BUSINESS, _at(2, 10), _at(5, 12), (4, _at(6, 10))),
        (ServiceHours.BUSINESS, _at(2, 10), _at(2, 10), (1, _at(3, 10))),
        # 7/24: every 24 hours, weekend included
        (ServiceHours.ALWAYS, _at(6, 23), _at(9, 1), (3, _at(9, 23))),
    ],
)
def test_the_next_daily_repeat_is_the_first_after_now(
    hours: ServiceHours, first: datetime, after: datetime, expected: tuple[int, datetime]
) -> None:
    assert next_repeat(CAL, hours, first, after) == expected


def test_quiet_hours() -> None:
    saturday_night = _at(7, 23)
    assert delivery_time(CAL, ServiceHours.BUSINESS, saturday_night, on_call=True) == _at(9, 8, 30)
    assert delivery_time(CAL, ServiceHours.ALWAYS, saturday_night, on_call=False) == _at(9, 8, 30)
    assert delivery_time(CAL, ServiceHours.ALWAYS, saturday_night, on_call=True) == saturday_night
    assert delivery_time(CAL, ServiceHours.BUSINESS, _at(2, 9), on_call=False) == _at(2, 9)
