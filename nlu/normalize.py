"""Turkish text normalization: the same pipeline runs over the lexicon, the catalog and every message.

A message becomes a list of ASCII tokens: "Outlook'a bağlanamıyorum!!" → ["outlook", "baglanamiyorum"].
Folding to ASCII loses the ı/i and ş/s distinctions, which is what makes "yazici" match "yazıcı";
collapsing repeated letters does the same for "yokkk" and for typing doubles ("dikat" / "dikkat").
"""

from __future__ import annotations

import re
import unicodedata

# Python's str.lower() maps "I" to "i" and "İ" to "i̇" (with a combining dot); Turkish wants ı and i.
_TURKISH_UPPER = str.maketrans({"I": "ı", "İ": "i"})
_ASCII_FOLD = str.maketrans("çğıöşüâîû", "cgiosuaiu")
# An apostrophe ends a proper noun and starts its suffix: Outlook'a, TÜBİTAK'tan, Başak Portal’da.
_APOSTROPHE_SUFFIX = re.compile(r"['’‘`´]\w*")
# A hyphen inside a word joins it: e-imza → eimza, e-posta → eposta.
_INNER_HYPHEN = re.compile(r"(?<=\w)[-‐‑–](?=\w)")
_NON_WORD = re.compile(r"[\W_]+")
_REPEATED_LETTER = re.compile(r"([a-z])\1+")
# "e imza", "e posta", "e belediye": a lone "e" before a word is the e- prefix typed with a space.
_LONE_E_PREFIX = re.compile(r"\be (?=[a-z]{3,})")


def turkish_lower(text: str) -> str:
    """Lowercase with the Turkish dotted/dotless i rules, after Unicode compatibility normalization."""
    return unicodedata.normalize("NFKC", text).translate(_TURKISH_UPPER).lower()


def fold(text: str) -> str:
    """Lowercase Turkish text and fold it to ASCII letters, digits and single spaces."""
    text = turkish_lower(text)
    text = _APOSTROPHE_SUFFIX.sub("", text)
    text = _INNER_HYPHEN.sub("", text)
    # Anything still outside ASCII after folding the Turkish letters (accents, symbols) is decomposed
    # and its combining marks dropped.
    text = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = _NON_WORD.sub(" ", text).strip()
    text = _REPEATED_LETTER.sub(r"\1", text)
    return _LONE_E_PREFIX.sub("e", text)


def tokens(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return fold(text).split()


# Suffixes of the folded forms, tried longest first. Stripping is deliberately crude: the same rules run
# over the lexicon and the message, so a word and its inflections only have to agree with each other.
_SUFFIXES = tuple(
    sorted(
        {
            # verb endings: -miyor, -iyor, -mis, -di, -abilir, -amiyor ...
            *("miyor", "muyor", "iyor", "uyor", "yor", "miyo", "muyo", "iyo", "uyo", "yo"),
            *("mis", "mus", "misim", "musum", "di", "du", "ti", "tu", "dim", "dum", "tim", "tum"),
            *("dik", "duk", "tik", "tuk", "din", "dun", "diniz", "duniz", "dir", "dur", "tir", "tur"),
            *("abilir", "ebilir", "abilirmi", "ebilirmi", "amiyor", "emiyor", "amadi", "emedi"),
            *("amiyorum", "emiyorum", "amiyoruz", "emiyoruz", "ama", "eme", "acak", "ecek"),
            *("mak", "mek", "ma", "me", "mas", "mes", "si", "su", "ler", "lar", "la", "le", "iz", "uz"),
            *("sin", "sun", "siniz", "sunuz", "um", "im", "yim", "yum", "miz", "muz", "niz", "nuz"),
            # case and possessive endings: -dan, -da, -ya, -nin, -im, -imiz ...
            *("dan", "den", "tan", "ten", "nda", "nde", "ndan", "nden", "da", "de", "ta", "te"),
            *("na", "ne", "ya", "ye", "yi", "yu", "nin", "nun", "in", "un", "ki", "yla", "yle"),
            *("i", "u", "a", "e", "m", "n", "y"),
        },
        key=len,
        reverse=True,
    )
)
MIN_STEM = 3


def stem(word: str) -> str:
    """Strip Turkish suffixes from a folded word, keeping at least MIN_STEM letters."""
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                changed = True
                break
    return word
