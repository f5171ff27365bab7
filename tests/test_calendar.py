"""The business calendar on the real Turkish holiday data; every expected instant is worked out by hand.

2026 facts used below: 27 November is a Friday; 19 March (Thursday) is the Ramazan Bayramı eve (half day),
20-22 March the Bayram (22 is a Sunday); 28 October (Wednesday) is a half day before Republic Day on the
29th; 31 December is a Thursday and 1 January 2027 a Friday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from catalog.calendar import BusinessCalendar

IST = ZoneInfo("Europe/Istanbul")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=IST)


@pytest.fixture(scope="module")
def cal() -> BusinessCalendar:
    return BusinessCalendar.from_config()


def test_friday_afternoon_plus_one_hour_runs_into_monday(cal: BusinessCalendar) -> None:
    # 30 minutes on Friday until 17:30, the other 30 from Monday's 08:30 opening.
    assert cal.add_working(at(2026, 11, 27, 17), timedelta(hours=1)) == at(2026, 11, 30, 9)


def test_saturday_waits_for_monday_opening(cal: BusinessCalendar) -> None:
    saturday = at(2026, 11, 28, 10, 45)
    assert not cal.is_working(saturday)
    assert cal.next_opening(saturday) == at(2026, 11, 30, 8, 30)
    assert cal.add_working(saturday, timedelta(hours=1)) == at(2026, 11, 30, 9, 30)


def test_half_day_before_republic_day(cal: BusinessCalendar) -> None:
    # 28 Oct: 30 minutes until 13:00; 29 Oct closed; 30 Oct (Friday) 08:30 + 30 minutes.
    assert cal.is_half_day(date(2026, 10, 28))
    assert cal.is_holiday(date(2026, 10, 29))
    assert cal.add_working(at(2026, 10, 28, 12, 30), timedelta(hours=1)) == at(2026, 10, 30, 9)
    assert cal.is_working(at(2026, 10, 28, 12, 59))
    assert not cal.is_working(at(2026, 10, 28, 13))


def test_ramazan_bayrami_eve_and_holidays(cal: BusinessCalendar) -> None:
    assert cal.is_half_day(date(2026, 3, 19))
    assert [cal.is_holiday(date(2026, 3, d)) for d in (19, 20, 21, 22, 23)] == [
        False,
        True,
        True,
        True,
        False,
    ]
    # Noon on the eve + 2 hours: 1 hour until 13:00, the rest on Monday 23 March.
    assert cal.add_working(at(2026, 3, 19, 12), timedelta(hours=2)) == at(2026, 3, 23, 9, 30)
    assert cal.next_opening(at(2026, 3, 19, 14)) == at(2026, 3, 23, 8, 30)
    assert not cal.is_working(at(2026, 3, 20, 10))
    # The eve at 12:00 is 3.5 hours into a regular day: one working day later is Monday at 12:00.
    assert cal.add_working_days(at(2026, 3, 19, 12), 1) == at(2026, 3, 23, 12)


def test_year_boundary_skips_new_years_day_and_weekend(cal: BusinessCalendar) -> None:
    # 31 Dec 16:00: 1.5 hours left; 1 Jan holiday, 2-3 Jan weekend; Monday 4 Jan 2027.
    assert cal.add_working(at(2026, 12, 31, 16), timedelta(hours=2)) == at(2027, 1, 4, 9)
    assert cal.add_working_days(at(2026, 12, 31, 16), 1) == at(2027, 1, 4, 16)


def test_kurban_bayrami_eve_then_long_holiday(cal: BusinessCalendar) -> None:
    # 26 May 2026 (Tuesday) is the eve, 27-30 May the Bayram, 31 May a Sunday: next opening 1 June.
    assert cal.next_opening(at(2026, 5, 26, 13)) == at(2026, 6, 1, 8, 30)


def test_closing_instant_is_not_working_and_due_can_fall_on_it(cal: BusinessCalendar) -> None:
    assert cal.is_working(at(2026, 11, 30, 8, 30))
    assert not cal.is_working(at(2026, 11, 30, 17, 30))
    assert cal.add_working(at(2026, 11, 30, 17), timedelta(minutes=30)) == at(2026, 11, 30, 17, 30)
    assert cal.next_opening(at(2026, 11, 30, 17, 30)) == at(2026, 12, 1, 8, 30)


def test_adding_nothing_returns_the_start(cal: BusinessCalendar) -> None:
    assert cal.add_working(at(2026, 11, 28, 10), timedelta(0)) == at(2026, 11, 28, 10)


def test_other_zones_in_calendar_zone_out(cal: BusinessCalendar) -> None:
    friday_five_pm_utc = datetime(2026, 11, 27, 14, tzinfo=UTC)  # 17:00 in Istanbul
    due = cal.add_working(friday_five_pm_utc, timedelta(hours=1))
    assert due == at(2026, 11, 30, 9)
    assert due.tzinfo == IST
    assert due.isoformat() == "2026-11-30T09:00:00+03:00"


def test_naive_datetimes_are_refused(cal: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="aware"):
        cal.is_working(datetime(2026, 11, 30, 10))


def test_negative_amounts_are_refused(cal: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        cal.add_working(at(2026, 11, 30, 10), timedelta(minutes=-1))
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_days(at(2026, 11, 30, 10), -1)


def test_working_days_keep_the_time_of_day(cal: BusinessCalendar) -> None:
    assert cal.add_working_days(at(2026, 11, 27, 10, 15), 1) == at(2026, 11, 30, 10, 15)
    assert cal.add_working_days(at(2026, 11, 27, 10, 15), 0) == at(2026, 11, 27, 10, 15)
    # Opened after closing on Friday: counting starts Monday 08:30, one day later is Tuesday 08:30.
    assert cal.add_working_days(at(2026, 11, 27, 18), 1) == at(2026, 12, 1, 8, 30)


def test_working_day_onto_a_half_day_carries_the_rest(cal: BusinessCalendar) -> None:
    # 27 Oct 16:00 is 7.5 hours into the day; 28 Oct has only 4.5 (until 13:00), 29 Oct is closed,
    # so the remaining 3 hours run from 30 Oct 08:30.
    assert cal.add_working_days(at(2026, 10, 27, 16), 1) == at(2026, 10, 30, 11, 30)
    # 13:00 is 4.5 hours into the day: exactly the whole half day, due at its closing.
    assert cal.add_working_days(at(2026, 10, 27, 13), 1) == at(2026, 10, 28, 13)


def test_working_time_between_across_weekend_and_half_day(cal: BusinessCalendar) -> None:
    # Friday 16:00-17:30 and Monday 08:30-10:00.
    assert cal.working_time_between(at(2026, 11, 27, 16), at(2026, 11, 30, 10)) == timedelta(hours=3)
    # 27 Oct 1.5 h + 28 Oct half day 4.5 h + 29 Oct none + 30 Oct 9 h + weekend none + 2 Nov 0.5 h.
    start, end = at(2026, 10, 27, 16), at(2026, 11, 2, 9)
    assert cal.working_time_between(start, end) == timedelta(hours=15, minutes=30)
    assert cal.working_time_between(end, start) == -timedelta(hours=15, minutes=30)
    assert cal.working_time_between(at(2026, 11, 28), at(2026, 11, 29, 23)) == timedelta(0)


def test_add_working_and_working_time_between_agree(cal: BusinessCalendar) -> None:
    starts = [at(2026, 3, 18, 16, 7), at(2026, 10, 28, 12, 30), at(2026, 12, 31, 16), at(2026, 11, 28, 3)]
    deltas = [timedelta(minutes=m) for m in (1, 59, 90, 270, 540, 541, 2000, 10_000)]
    for start in starts:
        for delta in deltas:
            due = cal.add_working(start, delta)
            assert cal.working_time_between(start, due) == delta, (start, delta)
            # ...and it is the earliest such instant.
            assert cal.working_time_between(start, due - timedelta(microseconds=1)) < delta, (start, delta)


def test_lunch_break_is_skipped() -> None:
    cal = BusinessCalendar.from_config(lunch_start="12:00", lunch_end="13:00")
    assert not cal.is_working(at(2026, 11, 30, 12, 30))
    assert cal.next_opening(at(2026, 11, 30, 12, 15)) == at(2026, 11, 30, 13)
    assert cal.add_working(at(2026, 11, 30, 11, 30), timedelta(hours=1)) == at(2026, 11, 30, 13, 30)
    assert cal.working_time_between(at(2026, 11, 30), at(2026, 12, 1)) == timedelta(hours=8)
    # A half day keeps the morning only: 08:30-12:00.
    assert cal.working_time_between(at(2026, 10, 28), at(2026, 10, 29)) == timedelta(hours=3, minutes=30)


def test_lunch_break_across_half_day_end() -> None:
    cal = BusinessCalendar.from_config(lunch_start="12:30", lunch_end="13:30")
    assert cal.working_time_between(at(2026, 10, 28), at(2026, 10, 29)) == timedelta(hours=4)
    # 14:00 is 4.5 working hours into a regular day; the eve has 4, so 30 minutes go to 30 Oct.
    assert cal.add_working_days(at(2026, 10, 27, 14), 1) == at(2026, 10, 30, 9)


def test_extra_closure_days() -> None:
    cal = BusinessCalendar.from_config(extra_closures=" 2026-12-30, 2026-12-31 ,")
    assert cal.is_holiday(date(2026, 12, 30))
    # Tuesday 29 Dec 17:00: 30 minutes, then 30-31 Dec closures, 1 Jan holiday, weekend.
    assert cal.add_working(at(2026, 12, 29, 17), timedelta(hours=1)) == at(2027, 1, 4, 9)


def test_extra_closure_ranges_are_inclusive_and_mix_with_dates() -> None:
    cal = BusinessCalendar.from_config(
        extra_closures="2026-12-29..2026-12-31, 2027-01-05 , 2027-01-04..2027-01-04"
    )
    closed = [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 4), date(2027, 1, 5)]
    assert all(cal.is_holiday(d) for d in closed)
    assert not cal.is_holiday(date(2026, 12, 28)) and not cal.is_holiday(date(2027, 1, 6))
    # Monday 28 Dec 17:00: 30 minutes, then the closures, 1 Jan holiday, weekend, closures: Wed 6 Jan.
    assert cal.add_working(at(2026, 12, 28, 17), timedelta(hours=1)) == at(2027, 1, 6, 9)


def test_configured_hours_days_and_half_day_end() -> None:
    cal = BusinessCalendar.from_config(
        work_days="1-3,5", work_start="09:00", work_end="18:00", half_day_end="12:00"
    )
    assert not cal.is_working(at(2026, 12, 3, 10))  # a Thursday
    assert cal.next_opening(at(2026, 12, 2, 18)) == at(2026, 12, 4, 9)
    assert cal.working_time_between(at(2026, 10, 28), at(2026, 10, 29)) == timedelta(hours=3)


def test_half_day_end_before_opening_closes_the_eve() -> None:
    cal = BusinessCalendar.from_config(half_day_end="08:00")
    assert cal.next_opening(at(2026, 10, 28, 7)) == at(2026, 10, 30, 8, 30)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"timezone": "Europe/Nowhere"}, "unknown time zone"),
        ({"work_days": "1-8"}, "WORK_DAYS"),
        ({"work_days": "5-1"}, "backwards"),
        ({"work_days": "pzt-cum"}, "WORK_DAYS"),
        ({"work_start": "8.30"}, "WORK_START"),
        ({"work_end": "25:00"}, "WORK_END"),
        ({"work_start": "18:00"}, "before work end"),
        ({"lunch_start": "12:00"}, "both"),
        ({"lunch_start": "07:00", "lunch_end": "08:00"}, "inside the working hours"),
        ({"half_day_end": ""}, "HALF_DAY_END"),
        ({"extra_closures": "2026-13-01"}, "EXTRA_CLOSURES"),
        ({"extra_closures": "2027-01-02..2026-12-31"}, "range '2027-01-02..2026-12-31' runs backwards"),
        (
            {"extra_closures": "2026-12-31..2027-13-01"},
            r"or ranges YYYY-MM-DD\.\.YYYY-MM-DD, got '2026-12-31",
        ),
        ({"extra_closures": "2026-12-31.."}, "EXTRA_CLOSURES must be"),
        ({"extra_closures": "2026-12-31..2062-12-31"}, "longer than 366 days"),
    ],
)
def test_bad_configuration_is_named(setting: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessCalendar.from_config(**setting)
