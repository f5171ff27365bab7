"""Catalog durations as published ("1 Saat", "2 Gün", "2 Saat 30 Dakika") and their ISO-8601 form."""

from __future__ import annotations

import re

from catalog.model import Duration

# Units from the largest down; a duration names each at most once, in this order.
_UNITS = ("gün", "saat", "dakika")
_MINUTES_PER_UNIT = {"saat": 60, "dakika": 1}
_UNIT_NAMES = "Gün, Saat or Dakika"

# The published catalog writes "X Saat" / "X Gün" for a time not decided yet.
_PLACEHOLDER = re.compile(r"X\s+(?:Gün|Saat|Dakika)", re.IGNORECASE)


class DurationError(ValueError):
    """A duration text that cannot be read; the message says why, for the operator."""


def _fold(word: str) -> str:
    """Lower-case the Turkish way, so "GÜN", "Saat" and "DAKİKA" all read."""
    return word.replace("İ", "i").replace("I", "ı").lower()


def is_placeholder(text: str) -> bool:
    """True for the catalog's "not decided yet" times such as "X Saat"."""
    return _PLACEHOLDER.fullmatch(text.strip()) is not None


def parse_duration(text: str) -> Duration:
    """Read "N Dakika", "N Saat", "N Gün" or a combination from the largest unit down."""
    words = text.split()
    if not words:
        raise DurationError("empty duration; write e.g. 1 Saat, 2 Gün or 2 Saat 30 Dakika")
    if len(words) % 2:
        raise DurationError(f'"{text}" is not a duration: write a number and a unit ({_UNIT_NAMES}) per part')
    days = minutes = 0
    last_rank = -1
    for amount, unit_word in zip(words[::2], words[1::2], strict=True):
        unit = _fold(unit_word)
        if unit not in _UNITS:
            raise DurationError(f'"{text}" is not a duration: unknown unit "{unit_word}" (use {_UNIT_NAMES})')
        if not amount.isascii() or not amount.isdigit():
            raise DurationError(f'"{text}" is not a duration: "{amount}" is not a whole number')
        rank = _UNITS.index(unit)
        if rank <= last_rank:
            raise DurationError(
                f'"{text}" is not a duration: name each unit once, from the largest down ({_UNIT_NAMES})'
            )
        last_rank = rank
        if unit == "gün":
            days = int(amount)
        else:
            minutes += int(amount) * _MINUTES_PER_UNIT[unit]
    if days == 0 and minutes == 0:
        raise DurationError(f'"{text}" is not a duration: it is zero')
    return Duration(text=" ".join(words), days=days, minutes=minutes)


def to_iso8601(duration: Duration) -> str:
    """PT1H, P2D, PT2H30M: days stay days (working days for business-hours services), never 24 hours."""
    hours, minutes = divmod(duration.minutes, 60)
    date_part = f"{duration.days}D" if duration.days else ""
    time_part = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if not date_part and not time_part:
        return "PT0S"
    return "P" + date_part + (f"T{time_part}" if time_part else "")
