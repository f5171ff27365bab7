"""Builds the application's parts from the settings; the one place that knows how they fit together."""

from __future__ import annotations

from bot.settings import Settings
from catalog.calendar import BusinessCalendar


def build_calendar(settings: Settings) -> BusinessCalendar:
    """The business calendar as configured; ValueError names a bad setting."""
    return BusinessCalendar.from_config(
        timezone=settings.timezone,
        work_days=settings.work_days,
        work_start=settings.work_start,
        work_end=settings.work_end,
        lunch_start=settings.lunch_start,
        lunch_end=settings.lunch_end,
        half_day_end=settings.half_day_end,
        extra_closures=settings.extra_closures,
    )
