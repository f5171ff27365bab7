"""Suffixes after clock times and numbers follow how they are read aloud (bot.turkish)."""

from __future__ import annotations

import pytest

from bot.turkish import at_clock_time, last_spoken_word, locative, percent_of, possessive, until_clock_time


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ("08:30", "08:30'da"),  # sekiz otuz
        ("08:40", "08:40'ta"),  # sekiz kırk: hard k
        ("09:00", "09:00'da"),  # dokuz
        ("08:45", "08:45'te"),  # sekiz kırk beş
        ("13:00", "13:00'te"),  # on üç
        ("12:00", "12:00'de"),  # on iki
        ("10:00", "10:00'da"),  # on
        ("07:15", "07:15'te"),  # yedi on beş
        ("08:20", "08:20'de"),  # sekiz yirmi
        ("08:50", "08:50'de"),  # sekiz elli
        ("06:00", "06:00'da"),  # altı
        ("17:30", "17:30'da"),
        ("09:05", "09:05'te"),  # dokuz beş
        ("09:04", "09:04'te"),  # dokuz dört: hard t
        ("00:00", "00:00'da"),  # sıfır
    ],
)
def test_a_clock_time_takes_the_suffix_of_how_it_is_read(clock: str, expected: str) -> None:
    assert at_clock_time(clock) == expected


@pytest.mark.parametrize(
    ("number", "word"),
    [
        (0, "sıfır"),
        (7, "yedi"),
        (40, "kırk"),
        (45, "beş"),
        (100, "yüz"),
        (300, "yüz"),
        (1000, "bin"),
        (1100, "yüz"),
        (4096, "altı"),
        (20000, "bin"),
        (3_000_000, "milyon"),
        (2_000_000_000, "milyar"),
    ],
)
def test_the_last_word_read_aloud(number: int, word: str) -> None:
    assert last_spoken_word(number) == word


@pytest.mark.parametrize(
    ("word", "suffix"),
    [
        ("otuz", "da"),
        ("kırk", "ta"),
        ("iki", "de"),
        ("beş", "te"),
        ("dört", "te"),
        ("yüz", "de"),
        ("altı", "da"),
    ],
)
def test_locative_follows_vowel_harmony_and_hard_consonants(word: str, suffix: str) -> None:
    assert locative(word) == suffix


@pytest.mark.parametrize(
    ("word", "suffix"),
    [
        ("seksen", "i"),
        ("elli", "si"),
        ("doksan", "ı"),
        ("yüz", "ü"),
        ("otuz", "u"),
        ("altı", "sı"),
        ("dört", "ü"),
    ],
)
def test_possessive_follows_four_way_harmony_and_takes_s_after_a_vowel(word: str, suffix: str) -> None:
    assert possessive(word) == suffix


@pytest.mark.parametrize(
    ("number", "expected"), [(50, "%50'si"), (80, "%80'i"), (90, "%90'ı"), (100, "%100'ü"), (75, "%75'i")]
)
def test_a_percentage_of_something(number: int, expected: str) -> None:
    assert percent_of(number) == expected


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ("10:30", "10:30'a"),  # on otuz → otuza
        ("11:00", "11:00'e"),  # on bir → on bire
        ("17:00", "17:00'ye"),  # on yedi → on yediye
        ("12:00", "12:00'ye"),  # on iki → on ikiye
        ("09:00", "09:00'a"),  # dokuz → dokuza
        ("08:45", "08:45'e"),  # sekiz kırk beş → beşe
        ("16:40", "16:40'a"),  # dört kırk → kırka
        ("14:00", "14:00'e"),  # on dört → on dörde
        ("13:06", "13:06'ya"),  # on üç altı → altıya
    ],
)
def test_until_a_clock_time_takes_the_dative_of_how_it_is_read(clock: str, expected: str) -> None:
    assert until_clock_time(clock) == expected
