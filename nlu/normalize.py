"""Turkish text normalization: the same pipeline runs over the lexicon, the catalog and every message.

A message becomes a list of ASCII tokens: "Outlook'a bağlanamıyorum!!" → ["outlook", "baglanamiyorum"].
Folding to ASCII loses the ı/i and ş/s distinctions, which is what makes "yazici" match "yazıcı";
collapsing letters repeated for emphasis does the same for "yokkk".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# An apostrophe ends a proper noun and starts its suffix: Outlook'a, TÜBİTAK'tan, Başak Portal’da.
_APOSTROPHE_SUFFIX = re.compile(r"['’‘`´]\w*")
# A hyphen inside a word joins it: e-imza → eimza, e-posta → eposta. The hyphen comes first in the pattern
# (looking back at the letter before it) so the regex engine scans for it instead of trying every letter.
_INNER_HYPHEN = re.compile(r"[-‐‑–](?<=\w.)(?=\w)")
# Every ASCII character but letters and digits, to a space (the text is ASCII by then; a table translates an
# ASCII text much faster than a regex substitutes).
_NON_WORD_TO_SPACE = str.maketrans({chr(code): " " for code in range(128) if not chr(code).isalnum()})
# Three or more of the same letter are emphasis ("yokkk", "çalışmıyooor"); a double may be the word's own
# ("dikkat", "Digikent'te"), so it stays.
_REPEATED_LETTER = re.compile(r"([a-z])\1{2,}")
# Both are rare: a substring search for them is much cheaper than a regex scan of a long message.
_TRIPLE_LETTERS = tuple(letter * 3 for letter in "abcdefghijklmnopqrstuvwxyz")
# "e imza", "e posta", "e belediye": a lone "e" before a word is the e- prefix typed with a space.
_LONE_E_PREFIX = re.compile(r"\be (?=[a-z]{3,})")


def turkish_lower(text: str) -> str:
    """Lowercase with the Turkish dotted/dotless i rules, after Unicode compatibility normalization."""
    # Python's str.lower() maps "I" to "i" and "İ" to "i̇" (with a combining dot); Turkish wants ı and i.
    # str.replace, not str.translate: translating a non-ASCII text looks every character up in a dict.
    return unicodedata.normalize("NFKC", text).replace("I", "ı").replace("İ", "i").lower()


def fold(text: str) -> str:
    """Lowercase Turkish text and fold it to ASCII letters, digits and single spaces."""
    text = turkish_lower(text)
    text = _APOSTROPHE_SUFFIX.sub("", text)
    text = _INNER_HYPHEN.sub("", text)
    # Decomposing drops the marks of ç ğ ö ş ü â î û with every other accent; only the dotless ı has none
    # and is folded by hand. Symbols without an ASCII form go too.
    text = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = " ".join(text.translate(_NON_WORD_TO_SPACE).split())
    if any(triple in text for triple in _TRIPLE_LETTERS):
        text = _REPEATED_LETTER.sub(r"\1", text)
    if text.startswith("e ") or " e " in text:
        text = _LONE_E_PREFIX.sub("e", text)
    return text


# A negative verb ("çalışmıyor", "açılmadı", "erişemiyorum") is how people report a fault, but the suffix
# that says so is the one stemming removes; the word "değil" is added in its place.
NEGATION = "degil"
_NEGATIVE_VERB = re.compile(r"[a-z]{2}(?:m[iu]yo|m[ae]d[iu]|m[ae]m[iu]s|m[ae]z)")


def tokens(text: str) -> list[str]:
    """The folded words of a text, in order, plus NEGATION after each negative verb."""
    folded = fold(text)
    words = folded.split()
    # One scan of the text instead of one per word; a match never spans a space, and the words are
    # separated by single spaces, so the spaces before a match count the words before its own.
    negatives = {folded.count(" ", 0, found.start()) for found in _NEGATIVE_VERB.finditer(folded)}
    for position in sorted(negatives, reverse=True):
        words.insert(position + 1, NEGATION)
    return words


# Whitespace that folding drops instead of turning into a space ("a\u2028b" folds to "ab"), found by folding
# every whitespace character (none lies beyond U+3000).
_JOINING_SPACE = re.compile(
    "[" + "".join(c for c in map(chr, range(0x3001)) if c.isspace() and fold(f"a{c}b") != "a b") + "]"
)
_LONE_E = "e"
_PIECE_CACHE_LIMIT = 50_000
# Most pieces are one word of letters and digits, ASCII or Turkish, maybe between punctuation that folds to
# spaces: such a word folds letter by letter, through a table made by folding each of its letters.
_WORD_LETTERS = "".join(
    c
    for c in "abcçdefgğhıijklmnoöprsştuüvyzqwxâîûABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZQWXÂÎÛ0123456789"
    if len(fold(c)) == 1
)
_FOLD_LETTER = str.maketrans({c: fold(c) for c in _WORD_LETTERS})
_EDGE_PUNCTUATION = "".join(
    c for c in map(chr, range(128)) if not c.isalnum() and c not in "'`" and fold(c) == ""
)


class Tokenizer:
    """tokens() with a cache per piece of a text between whitespace: a long message brings dozens of pieces,
    mostly seen before. Folding works inside a piece (its normalization, suffixes, hyphens, repeated letters
    and negative verbs never reach past whitespace), so the tokens of a text are those of its pieces in turn.
    The two exceptions take the whole text: whitespace that folding drops (it joins two pieces), and a lone
    "e", which joins the next word ("e imza")."""

    def __init__(self) -> None:
        self._pieces: dict[str, tuple[str, ...]] = {}

    def __call__(self, text: str) -> list[str]:
        if _JOINING_SPACE.search(text):
            return tokens(text)
        words: list[str] = []
        cached = self._pieces.get
        for piece in text.split():
            found = cached(piece)
            if found is None:
                if len(self._pieces) >= _PIECE_CACHE_LIMIT:
                    self._pieces.clear()
                found = self._pieces[piece] = _piece_tokens(piece)
            if _LONE_E in found:
                return tokens(text)
            words += found
        return words


def _piece_tokens(piece: str) -> tuple[str, ...]:
    """The tokens of a text without whitespace."""
    word = piece.strip(_EDGE_PUNCTUATION)
    if not word or word.strip(_WORD_LETTERS):
        return tuple(tokens(piece))
    word = word.translate(_FOLD_LETTER)
    if _REPEATED_LETTER.search(word):  # on one word, cheaper than looking for each triple
        word = _REPEATED_LETTER.sub(r"\1", word)
    return (word, NEGATION) if _NEGATIVE_VERB.search(word) else (word,)


# Suffixes of the folded forms, tried longest first. Stripping is deliberately crude: the same rules run
# over the lexicon and the message, so a word and its inflections only have to agree with each other.
_SUFFIXES = tuple(
    sorted(
        {
            # verb endings: -miyor, -iyor, -mis, -di, -abilir, -amiyor ...
            *("miyor", "muyor", "iyor", "uyor", "yor", "miyo", "muyo", "iyo", "uyo", "yo"),
            *("mis", "mus", "misim", "musum", "di", "du", "dim", "dum", "tim", "tum"),
            *("dik", "duk", "tik", "tuk", "din", "dun", "diniz", "duniz", "dir", "dur", "tir", "tur"),
            *("abilir", "ebilir", "abilirmi", "ebilirmi", "amiyor", "emiyor", "amadi", "emedi"),
            *("amiyorum", "emiyorum", "amiyoruz", "emiyoruz", "ama", "eme", "acak", "ecek"),
            *("mak", "mek", "ma", "me", "mas", "mes", "si", "su", "ler", "lar", "iz", "uz"),
            *("sin", "sun", "siniz", "sunuz", "um", "im", "yim", "yum", "miz", "muz", "niz", "nuz"),
            # case and possessive endings: -dan, -da, -ya, -nin, -im, -imiz ...
            *("dan", "den", "tan", "ten", "nda", "nde", "ndan", "nden", "da", "de", "ta", "te"),
            *("na", "ne", "ya", "ye", "yi", "yu", "nin", "nun", "in", "un", "yla", "yle"),
            *("i", "u", "a", "e", "m", "n"),
        },
        key=len,
        reverse=True,
    )
)
# A stem keeps at least this many letters; a one-letter suffix needs one more, so "hata" stays "hata".
MIN_STEM = 3
_VOWELS = frozenset("aeiou")


# The suffixes by length, longest first: a word's ending is looked up once per length.
_SUFFIXES_BY_LENGTH = tuple(
    (length, frozenset(suffix for suffix in _SUFFIXES if len(suffix) == length))
    for length in sorted({len(suffix) for suffix in _SUFFIXES}, reverse=True)
)


def _strip_once(word: str) -> str | None:
    for length, suffixes in _SUFFIXES_BY_LENGTH:
        rest = len(word) - length
        if rest < MIN_STEM or word[rest:] not in suffixes:
            continue
        suffix = word[rest:]
        # A one-letter suffix: possessive -m/-n follows a vowel (masa-m), a bare case vowel follows a
        # consonant (kart-ı).
        if len(suffix) == 1 and (rest < MIN_STEM + 1 or (suffix in "mn") != (word[-2] in _VOWELS)):
            continue
        return word[:rest]
    return None


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip up to three Turkish suffixes from a folded word, keeping at least MIN_STEM letters."""
    for _ in range(3):
        shorter = _strip_once(word)
        if shorter is None:
            break
        word = shorter
    return word
