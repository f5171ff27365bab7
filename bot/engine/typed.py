"""What a typed reply means where the bot offered options: yes and no, an option's number, ordinal or label,
the control words (onayla, düzenle, iptal, atla, devam) and ratings. Pure functions of the text.

Short replies only: a sentence of more than `SHORT_WORDS` words is a message of its own ("evet ama yazıcı
hâlâ …" still starts with a yes, but a long text with a new problem is asked about by the engine).
"""

from __future__ import annotations

import re
from enum import StrEnum

SHORT_WORDS = 5
TICKET_NUMBER = re.compile(r"\b(?:bim[-\s]?)?(20\d\d)[-\s](\d{1,6})\b", re.IGNORECASE)

_ASCII = str.maketrans("çğıöşüâîû", "cgiosuaiu")
_NOT_WORD = re.compile(r"[^\w\s⭐★]+")


class Intent(StrEnum):
    YES = "yes"
    NO = "no"
    CONFIRM = "confirm"  # onayla: open the request as summarised
    EDIT = "edit"
    CANCEL = "cancel"
    SKIP = "skip"
    CONTINUE = "continue"  # devam: go on without (more) files


# Folded phrases (ASCII, lower case) that mean each intent when a reply starts with them. Longer phrases
# first within an intent does not matter: a reply is matched word by word against whole phrases.
_PHRASES: dict[Intent, tuple[str, ...]] = {
    Intent.CANCEL: ("iptal", "vazgectim", "vazgec", "bosver", "bos ver", "istemiyorum artik"),
    Intent.CONFIRM: ("onayla", "onayliyorum", "onay", "gonder", "kaydet"),
    Intent.EDIT: ("duzenle", "duzelt", "degistir", "duzeltmek istiyorum"),
    Intent.SKIP: ("atla", "gec", "pas", "pas gec", "bos birak", "gerek yok"),
    Intent.CONTINUE: ("devam", "devam et", "dosya yok", "eklemeyecegim", "eklemiyorum"),
    Intent.YES: (
        "evet", "evt", "tamam", "tmm", "olur", "dogru", "aynen", "he", "hee", "hi hi", "tabii", "tabi",
        "ok", "okey", "kesinlikle", "elbette", "oldu", "cozuldu", "okudum",
    ),
    Intent.NO: ("hayir", "hayr", "yok", "degil", "yanlis", "olmaz", "olmadi", "cozulmedi", "yo"),
}  # fmt: skip

_ORDINALS = {
    "ilk": 1, "ilki": 1, "birinci": 1, "birincisi": 1, "bir": 1,
    "ikinci": 2, "ikincisi": 2, "iki": 2,
    "ucuncu": 3, "ucuncusu": 3, "uc": 3,
    "dorduncu": 4, "dorduncusu": 4, "dort": 4,
    "besinci": 5, "besincisi": 5, "bes": 5,
}  # fmt: skip
_LAST = ("son", "sonuncu", "sonuncusu", "en son", "en sondaki")

# Ratings from 1 (çok kötü) to 5 (çok iyi); word phrases longest first so "çok iyi" is not read as "iyi".
_RATING_WORDS = (
    ("cok kotu", 1), ("berbat", 1), ("rezalet", 1), ("kotu", 2), ("idare eder", 3), ("orta", 3),
    ("fena degil", 3), ("cok iyi", 5), ("mukemmel", 5), ("harika", 5), ("super", 5), ("iyi", 4),
)  # fmt: skip
_RATING_NUMBER = re.compile(r"^(\d)(?: 5)?(?: yildiz| puan)?$")  # folded: "4/5" reads "4 5"


def fold(text: str) -> str:
    """Lower case (Turkish İ/I), ASCII, no punctuation, single spaces: "Vazgeçtim!" → "vazgectim"."""
    lowered = text.replace("İ", "i").replace("I", "ı").lower().translate(_ASCII)
    return " ".join(_NOT_WORD.sub(" ", lowered).split())


def words(text: str) -> list[str]:
    return fold(text).split()


def is_short(text: str) -> bool:
    return len(words(text)) <= SHORT_WORDS


def intent(text: str) -> Intent | None:
    """The intent a short reply starts with ("evet oldu çok teşekkürler" → YES), None otherwise."""
    said = words(text)
    if not said or len(said) > SHORT_WORDS:
        return None
    for meaning, phrases in _PHRASES.items():
        for phrase in phrases:
            head = phrase.split()
            if said[: len(head)] == head:
                return meaning
    return None


def ordinal(text: str, count: int) -> int | None:
    """The 1-based option a reply names by number or ordinal ("2", "2.", "ikincisi", "sonuncusu")."""
    said = fold(text)
    if said.isdigit():
        number = int(said)
    elif said in _LAST:
        number = count
    else:
        number = _ORDINALS.get(said.removesuffix(" olan").removesuffix(" secenek"), 0)
    return number if 1 <= number <= count else None


def label_match(text: str, labels: list[str]) -> int | None:
    """The 0-based index of the one label a reply repeats (whole, or its start of at least 3 letters)."""
    said = fold(text)
    if len(said) < 3:
        return None
    folded = [fold(label) for label in labels]
    exact = [i for i, label in enumerate(folded) if label == said]
    if exact:
        return exact[0]
    starts = [i for i, label in enumerate(folded) if label.startswith(said)]
    return starts[0] if len(starts) == 1 else None


def rating(text: str) -> int | None:
    """A score 1..5 from "5", "5 yıldız", "4/5", "⭐⭐⭐⭐" or words ("çok iyi" → 5, "kötü" → 2)."""
    stars = sum(text.count(star) for star in "⭐★")
    if 1 <= stars <= 5 and not fold(text.replace("⭐", "").replace("★", "")):
        return stars
    said = fold(text)
    number = _RATING_NUMBER.match(said)
    if number:
        score = int(number.group(1))
        return score if 1 <= score <= 5 else None
    for phrase, score in _RATING_WORDS:
        if said == phrase or said.startswith(phrase + " "):
            return score
    return None


def ticket_number(text: str) -> str | None:
    """A ticket number in a reply, in its canonical form: "bim 2026 4" → "BIM-2026-000004"."""
    found = TICKET_NUMBER.search(text)
    if found is None:
        return None
    return f"BIM-{found.group(1)}-{int(found.group(2)):06d}"
