"""The vocabulary of the index and how a message word finds its vocabulary terms.

Two ways to tolerate Turkish suffixes are implemented, because the issue asks to measure both
(`make eval` prints them side by side):

- ``stem``: both the vocabulary and the message words are cut by the crude suffix stripper of
  nlu.normalize, then compared exactly, then fuzzily.
- ``prefix``: the vocabulary keeps whole words; a message word matches the longest vocabulary word that
  starts it ("yazıcıdan" → "yazıcı", also through a softened final consonant: "kulaklığı" → "kulaklık"),
  then fuzzily against prefixes of the same length, which also catches a typo before the suffix ("yazcıdan").

Fuzzy comparison uses rapidfuzz's plain ``fuzz.ratio`` (normalized Indel similarity) with a high cut-off,
over words of four letters or more that share the first letter only: partial_ratio and WRatio would let
short words match inside long ones, which is exactly the false evidence a bag of words cannot afford.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from nlu.normalize import stem

SuffixMode = Literal["stem", "prefix"]
SUFFIX_MODES: tuple[SuffixMode, ...] = ("stem", "prefix")

# Below this length a word only matches exactly: "vpn" must not become "dns".
MIN_FUZZY_LENGTH = 4
# Shortest vocabulary word that may match as the start of a longer message word ("pc" must not start "pcnin").
MIN_PREFIX_LENGTH = 4
FUZZY_CUTOFF = 80.0
# How many close words of each length a fuzzy probe keeps.
_NEAR_PER_LENGTH = 3
_CACHE_LIMIT = 50_000

# (term id, similarity in 0..1)
Resolution = tuple[tuple[int, float], ...]


def _fuzzy_similarity(score: float) -> float:
    """Map a ratio at or above the cut-off to 0.6..0.9: a corrected typo is weaker evidence than a hit."""
    return 0.6 + 0.3 * (score - FUZZY_CUTOFF) / (100.0 - FUZZY_CUTOFF)


_SAME_WORD = _fuzzy_similarity(100.0)


# A final k, t, p softens before a vowel suffix (kulaklık → kulaklığı, kağıt → kağıdı, dolap → dolabı);
# folded to ASCII that is g, d, b.
_HARDENED = {"g": "k", "d": "t", "b": "p"}
_VOWELS = frozenset("aeiou")


def _prefix_forms(key: str, end: int) -> tuple[str, ...]:
    """The vocabulary forms that the first `end` letters of a word may stand for: themselves and, when a
    vowel suffix follows a softened consonant, the dictionary form with the hard one."""
    start = key[:end]
    hard = _HARDENED.get(start[-1])
    if hard is None or end == len(key) or key[end] not in _VOWELS:
        return (start,)
    return (start, start[:-1] + hard)


class Vocabulary:
    """Interned vocabulary keys plus the lookup structures for one suffix mode."""

    def __init__(self, mode: SuffixMode, ordinary: frozenset[str] = frozenset()) -> None:
        self.mode = mode
        self._ordinary = ordinary  # words never searched fuzzily (nlu.ordinary)
        self._ids: dict[str, int] = {}
        self.keys: list[str] = []
        self._near: dict[tuple[int, str], _NearWords] = {}
        self._cache: dict[str, Resolution] = {}
        self._probe_cache: dict[str, Resolution] = {}
        self._prefixes: frozenset[str] = frozenset()  # every start of every key
        self._extended: dict[str, list[int]] = {}
        self._exact_only: set[int] = set()

    def key(self, word: str) -> str:
        """The form under which a folded word is stored and looked up."""
        return stem(word) if self.mode == "stem" else word

    def add(self, word: str, fuzzy: bool = True) -> int:
        """The term id of a word; with fuzzy=False a new term is only found exactly or by its suffixes."""
        key = self.key(word)
        term_id = self._ids.get(key)
        if term_id is None:
            term_id = self._ids[key] = len(self.keys)
            self.keys.append(key)
            if not fuzzy:
                self._exact_only.add(term_id)
        elif fuzzy:
            self._exact_only.discard(term_id)
        return term_id

    def freeze(self) -> None:
        """Build the buckets used by fuzzy lookups; call once after the last add()."""
        buckets: dict[tuple[int, str], list[str]] = defaultdict(list)
        for term_id, key in enumerate(self.keys):
            if len(key) >= MIN_FUZZY_LENGTH and term_id not in self._exact_only:
                buckets[(len(key), key[0])].append(key)
        self._near = _near_words(buckets)
        # The lexicon and the scope texts bring inflected words ("arşive"); a message with the plain word
        # ("arşiv") must reach them too, as long as it covers their stem.
        extended: dict[str, list[int]] = defaultdict(list)
        if self.mode == "prefix":
            for term_id, key in enumerate(self.keys):
                for end in range(max(MIN_PREFIX_LENGTH, len(stem(key))), len(key)):
                    extended[key[:end]].append(term_id)
        self._extended = dict(extended)
        self._prefixes = frozenset(key[:end] for key in self.keys for end in range(1, len(key) + 1))
        self._cache.clear()
        self._probe_cache.clear()

    def resolve(self, word: str) -> Resolution:
        """The vocabulary terms a folded message word stands for, best first (cached per word)."""
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[word] = self._resolve(word)
        return found

    def _resolve(self, word: str) -> Resolution:
        key = self.key(word)
        if self.mode == "prefix":
            # The word itself and every vocabulary word that starts it, covers at least half of it and reaches
            # its stem: the catalog's scope text brings inflected forms ("bilgisayarı"), which must not hide
            # "bilgisayar", while "bilgi" is no reading of "bilgisayar" (what follows it is no suffix).
            starts = self._starts(key)
            starts += [(term_id, 1.0) for term_id in self._extended.get(key, ())]
            if starts:
                return tuple(starts)
        exact = self._ids.get(key)
        if exact is not None:
            return ((exact, 1.0),)
        if len(key) < MIN_FUZZY_LENGTH:
            return ()
        return self._fuzzy(key, typo=word not in self._ordinary)

    def _starts(self, key: str) -> list[tuple[int, float]]:
        """The vocabulary words that start a key, longest first (see _resolve)."""
        # A start, or its form with a hard final consonant, begins with a start of the key that begins some
        # vocabulary word; most words of a long message have none that long (said before stemming them),
        # and the rest have fewer letters to try.
        shortest = max(MIN_PREFIX_LENGTH, (len(key) + 1) // 2)
        if key[: shortest - 1] not in self._prefixes:
            return []
        shortest = max(shortest, len(stem(key)))
        if key[: shortest - 1] not in self._prefixes:
            return []
        longest = min(len(key), self._longest_known_start(key, shortest - 1) + 1)
        return [
            (term_id, 1.0)
            for end in range(longest, shortest - 1, -1)
            for start in _prefix_forms(key, end)
            if (term_id := self._ids.get(start)) is not None
        ]

    def _longest_known_start(self, key: str, known: int) -> int:
        """The length of the longest start of `key` that begins some vocabulary word, given that its first
        `known` letters do (a binary search: every start of such a start does too)."""
        low, high = known, len(key)
        while low < high:
            middle = (low + high + 1) // 2
            if key[:middle] in self._prefixes:
                low = middle
            else:
                high = middle - 1
        return low

    def _fuzzy(self, key: str, typo: bool) -> Resolution:
        """The vocabulary words near the key or its starts. An ordinary word (typo=False) is spelled right:
        a start of it only reads as the vocabulary word it is, so a suffix the stemmer does not know still
        falls away ("başkanla" → "başkan"), but no near word is taken for a typo ("bekledim" → "belge")."""
        read = self._near_readings if typo else self._same_reading
        best: dict[int, float] = {}
        # In prefix mode the typo may sit before a suffix, so each prefix is compared with the words of
        # its own length; in stem mode the suffix is already gone and only the whole key is compared.
        shortest = max(MIN_FUZZY_LENGTH + 1, (len(key) + 1) // 2)
        lengths = range(min(shortest, len(key)), len(key) + 1) if self.mode == "prefix" else (len(key),)
        for length in lengths:
            for term_id, similarity in read(key[:length]):
                if similarity > best.get(term_id, 0.0):
                    best[term_id] = similarity
        if not best:  # most unknown words of a long message
            return ()
        return tuple(sorted(best.items(), key=lambda item: -item[1])[:3])

    def _same_reading(self, probe: str) -> Resolution:
        """The fuzzy search's reading of a probe that is itself a vocabulary word it searches (probes are
        never shorter than MIN_FUZZY_LENGTH, so only the exact-only words are not searched)."""
        term_id = self._ids.get(probe)
        return () if term_id is None or term_id in self._exact_only else ((term_id, _SAME_WORD),)

    def _near_readings(self, probe: str) -> Resolution:
        """The vocabulary words close to a probe (cached per probe: the words of a long message share their
        starts, "baglanamiyorum" and "baglanti"), best three of each length first."""
        found = self._probe_cache.get(probe)
        if found is None:
            if len(self._probe_cache) >= _CACHE_LIMIT:
                self._probe_cache.clear()
            found = self._probe_cache[probe] = self._compare_near(probe)
        return found

    def _compare_near(self, probe: str) -> Resolution:
        """The best three words at or above the cut-off of each length from one shorter to one longer than
        the probe, with its first letter (people rarely mistype the first letter, and a long message brings
        dozens of unknown words, each compared with a twentieth of the vocabulary): shorter words first,
        each length best first. One comparison call covers the three lengths."""
        near = self._near.get((len(probe), probe[0]))
        if near is None:
            return ()
        found = process.extract(probe, near.words, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None)
        if not found:
            return ()
        kept: tuple[list[tuple[int, float]], ...] = ([], [], [])
        # extract orders by score, then by position: within one length, the order of a call of its own.
        for choice, score, position in found:
            length = bisect_right(near.ends, position)
            if len(kept[length]) < _NEAR_PER_LENGTH:
                kept[length].append((self._ids[choice], _fuzzy_similarity(score)))
        return tuple(reading for readings in kept for reading in readings)


@dataclass(frozen=True)
class _NearWords:
    """The fuzzy candidates of a probe length and first letter: the words one shorter, as long and one
    longer, in that order; ends holds where the first two lengths end."""

    words: list[str]
    ends: tuple[int, int]


def _near_words(buckets: dict[tuple[int, str], list[str]]) -> dict[tuple[int, str], _NearWords]:
    """The fuzzy candidates of each probe length and first letter, from the words by length and letter."""
    near: dict[tuple[int, str], _NearWords] = {}
    for length, letter in {(length + shift, letter) for length, letter in buckets for shift in (-1, 0, 1)}:
        shorter, same, longer = (buckets.get((length + shift, letter), []) for shift in (-1, 0, 1))
        near[(length, letter)] = _NearWords(
            [*shorter, *same, *longer], (len(shorter), len(shorter) + len(same))
        )
    return near
