"""Turkish suffixes after digits: a suffix follows how the number is read aloud, not how it is written.

"08:30" is read "sekiz otuz", so it takes "'da"; "08:45" ("sekiz kırk beş") takes "'te", "13:00" ("on üç")
"'te". The suffix agrees with the last vowel of the last word read (vowel harmony), and its d turns into t
after a hard consonant (ç f h k p s ş t).
"""

from __future__ import annotations

_ONES = ("", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz")
_TENS = ("", "on", "yirmi", "otuz", "kırk", "elli", "altmış", "yetmiş", "seksen", "doksan")
_BACK_VOWELS = "aıou"
_VOWELS = "aıoueiöü"
_HARD_CONSONANTS = "çfhkpsşt"
# The four-way harmony of ı/i/u/ü: the suffix vowel after each last vowel.
_NARROW = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "i": "i", "ö": "ü", "ü": "ü"}


def last_spoken_word(number: int) -> str:
    """The last word of a whole number read aloud: 30 → "otuz", 45 → "beş", 100 → "yüz", 0 → "sıfır"."""
    number = abs(number)
    if number == 0:
        return "sıfır"
    if number % 10:
        return _ONES[number % 10]
    if number % 100:
        return _TENS[number // 10 % 10]
    # A multiple of 100 ends in the smallest group that is not all zeros: "iki yüz", "bin", "on milyon".
    for group, word in (1_000, "yüz"), (1_000_000, "bin"), (1_000_000_000, "milyon"):
        if number % group:
            return word
    return "milyar"


def _last_vowel(word: str) -> str:
    return next((ch for ch in reversed(word) if ch in _VOWELS), "e")


def locative(word: str) -> str:
    """The locative suffix for a word: "otuz" → "da", "beş" → "te", "iki" → "de", "kırk" → "ta"."""
    consonant = "t" if word[-1] in _HARD_CONSONANTS else "d"
    return consonant + ("a" if _last_vowel(word) in _BACK_VOWELS else "e")


def possessive(word: str) -> str:
    """The third-person possessive suffix: "seksen" → "i", "elli" → "si", "yüz" → "ü", "doksan" → "ı"."""
    vowel = _NARROW[_last_vowel(word)]
    return ("s" + vowel) if word[-1] in _VOWELS else vowel


def at_clock_time(clock: str) -> str:
    """A clock time with the locative suffix, read as its minutes unless they are zero, then as its hour:
    "08:30" → "08:30'da", "08:40" → "08:40'ta", "13:00" → "13:00'te"."""
    hour, _, minute = clock.partition(":")
    spoken = int(minute) if minute.strip("0") else int(hour)
    return f"{clock}'{locative(last_spoken_word(spoken))}"


def dative(word: str) -> str:
    """The dative suffix after a word read aloud: "otuz" → "a", "beş" → "e", "iki" → "ye", "yedi" → "ye"."""
    vowel = "a" if _last_vowel(word) in _BACK_VOWELS else "e"
    return ("y" + vowel) if word[-1] in _VOWELS else vowel


def until_clock_time(clock: str) -> str:
    """A clock time with the dative suffix, as in "saat 10:30'a kadar": "17:30'a", "09:00'a", "17:00'ye"."""
    hour, _, minute = clock.partition(":")
    spoken = int(minute) if minute.strip("0") else int(hour)
    return f"{clock}'{dative(last_spoken_word(spoken))}"


def percent_of(number: int) -> str:
    """A share of something, as in "sürenin %50'si doldu": "%50'si", "%80'i", "%100'ü"."""
    return f"%{number}'{possessive(last_spoken_word(number))}"
