from __future__ import annotations

import pytest

from catalog.durations import DurationError, is_placeholder, parse_duration, to_iso8601
from catalog.model import Duration


@pytest.mark.parametrize(
    ("text", "days", "minutes", "iso"),
    [
        ("1 Saat", 0, 60, "PT1H"),
        ("2 Gün", 2, 0, "P2D"),
        ("2 Saat 30 Dakika", 0, 150, "PT2H30M"),
        ("45 Dakika", 0, 45, "PT45M"),
        ("1 Gün 4 Saat", 1, 240, "P1DT4H"),
        ("20 Gün", 20, 0, "P20D"),
        ("90 Dakika", 0, 90, "PT1H30M"),
        ("  1   saat ", 0, 60, "PT1H"),
        ("3 GÜN", 3, 0, "P3D"),
        ("10 DAKİKA", 0, 10, "PT10M"),
    ],
)
def test_parses_units_and_combinations(text: str, days: int, minutes: int, iso: str) -> None:
    duration = parse_duration(text)
    assert (duration.days, duration.minutes) == (days, minutes)
    assert to_iso8601(duration) == iso


def test_keeps_the_text_as_published_with_blanks_tidied() -> None:
    assert parse_duration(" 2 Saat  30 Dakika").text == "2 Saat 30 Dakika"


def test_days_stay_days() -> None:
    # a business-hours "1 Gün" is one working day, not 24 hours of working time
    assert parse_duration("1 Gün").is_days
    assert not parse_duration("24 Saat").is_days


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty duration"),
        ("Saat", "a number and a unit"),
        ("2 Saat 30", "a number and a unit"),
        ("2 Sat", 'unknown unit "Sat"'),
        ("1,5 Saat", '"1,5" is not a whole number'),
        ("-1 Saat", "not a whole number"),
        ("X Saat", '"X" is not a whole number'),
        ("30 Dakika 2 Saat", "from the largest down"),
        ("1 Saat 1 Saat", "name each unit once"),
        ("0 Gün", "it is zero"),
    ],
)
def test_rejects_what_is_not_a_duration_and_says_why(text: str, reason: str) -> None:
    with pytest.raises(DurationError, match=reason):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "expected"), [("X Saat", True), ("X Gün", True), ("x saat", True), ("1 Saat", False)]
)
def test_recognises_the_catalogs_placeholder_times(text: str, expected: bool) -> None:
    assert is_placeholder(text) is expected


def test_a_zero_duration_built_by_hand_still_renders() -> None:
    assert to_iso8601(Duration(text="0", days=0, minutes=0)) == "PT0S"
