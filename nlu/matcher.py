"""The free-text matcher: a message → ranked catalog services with calibrated scores and a decision.

Each active service is a bag of weighted words from its catalog title and scope and from the lexicon;
the out-of-scope lexicon is one more bag. A word's weight is its IDF over these bags, so "toner" or
"vpn" (one or two services) counts much and "arıza" or "işlemleri" (most services) next to nothing.
A message word adds, for each bag, the best weight among the terms it resolves to (exact, suffix-tolerant
or fuzzy, see nlu.terms); all the words of a lexicon phrase together add a bonus. The raw sums are
calibrated into probabilities (nlu.calibration), and the decision follows the thresholds.

Everything is built once; match() does no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from catalog.model import Catalog, Service
from nlu.calibration import Calibration, Thresholds, load_calibration
from nlu.lexicon import Entry, Lexicon, LexiconError, load_lexicon
from nlu.normalize import tokens
from nlu.terms import SuffixMode, Vocabulary

Decision = Literal["auto", "ask", "none"]

# Chosen by measurement on the tuning split (make eval prints both modes).
DEFAULT_SUFFIX_MODE: SuffixMode = "prefix"
# The catalog's titles are short and precise; its scope texts are long lists in which one word says less.
TITLE_WEIGHT = 1.0
SCOPE_WEIGHT = 0.4
LEXICON_WEIGHT = 1.0
# Naming the system ("e-belediye", "Outlook") says more than naming the problem ("şifre").
PRODUCT_WEIGHT = 1.5
# A word that only appears inside a phrase is context ("e-posta sunucusu" is not about servers); the phrase
# bonus rewards it when the whole phrase is there.
PHRASE_WORD_WEIGHT = 0.6
# A lexicon phrase found whole adds this share of its words' IDF once more.
PHRASE_BONUS = 0.5


@dataclass(frozen=True)
class Candidate:
    service_id: str
    code: str
    title: str
    score: float  # calibrated probability that this is the service meant


@dataclass(frozen=True)
class MatchResult:
    text: str
    decision: Decision
    candidates: list[Candidate]  # best first
    in_scope: float  # calibrated probability that the text is an IT request at all


@dataclass(frozen=True)
class RawScores:
    """Uncalibrated evidence per active service (catalog order) and for out of scope."""

    services: list[float]
    out_of_scope: float


class _Bag:
    """The weighted words of one service, or of the out-of-scope lexicon, before IDF."""

    def __init__(self) -> None:
        self.weights: dict[int, float] = {}
        self.phrases: set[tuple[int, ...]] = set()

    def add(self, term_ids: Iterable[int], weight: float) -> None:
        for term_id in term_ids:
            self.weights[term_id] = max(weight, self.weights.get(term_id, 0.0))


class Matcher:
    def __init__(
        self,
        services: Sequence[Service],
        lexicon: Lexicon,
        calibration: Calibration,
        mode: SuffixMode = DEFAULT_SUFFIX_MODE,
    ) -> None:
        self.services = [service for service in services if service.active]
        unknown = sorted(set(lexicon.services) - {service.id for service in self.services})
        if unknown:
            raise LexiconError(f"{lexicon.source}: no active catalog service with id {', '.join(unknown)}")
        self.calibration = calibration
        self.mode = mode
        self._stopwords = frozenset(word for stopword in lexicon.stopwords for word in tokens(stopword))
        self._vocabulary = Vocabulary(mode)
        self._groups = lexicon.groups
        bags = [
            self._service_bag(service, lexicon.services.get(service.id, Entry())) for service in self.services
        ]
        bags.append(self._lexicon_bag(lexicon.out_of_scope))
        # Stopwords are terms without postings, so "akşamdan" stops at "akşam" instead of passing for "masam".
        for stopword in self._stopwords:
            self._vocabulary.add(stopword)
        self._vocabulary.freeze()
        self._oos = len(bags) - 1
        self._index(bags)

    # -- building ---------------------------------------------------------------------------------

    def _term_ids(self, text: str) -> list[int]:
        return [self._vocabulary.add(word) for word in tokens(text) if word not in self._stopwords]

    def _lexicon_bag(self, entry: Entry, bag: _Bag | None = None) -> _Bag:
        bag = bag or _Bag()
        for keyword in entry.keywords + tuple(word for name in entry.groups for word in self._groups[name]):
            bag.add(self._term_ids(keyword), LEXICON_WEIGHT)
        for product in entry.products:
            bag.add(self._term_ids(product), PRODUCT_WEIGHT)
        for phrase in entry.phrases:
            term_ids = self._term_ids(phrase)
            bag.add(term_ids, PHRASE_WORD_WEIGHT)
            if len(set(term_ids)) >= 2:
                bag.phrases.add(tuple(sorted(set(term_ids))))
        return bag

    def _service_bag(self, service: Service, entry: Entry) -> _Bag:
        bag = _Bag()
        bag.add(self._term_ids(service.scope), SCOPE_WEIGHT)
        bag.add(self._term_ids(service.title), TITLE_WEIGHT)
        return self._lexicon_bag(entry, bag)

    def _index(self, bags: list[_Bag]) -> None:
        document_frequency = [0] * len(self._vocabulary.keys)
        for bag in bags:
            for term_id in bag.weights:
                document_frequency[term_id] += 1
        documents = len(bags)
        self._idf = [max(0.0, math.log((documents + 1) / (df + 0.5))) for df in document_frequency]
        self._postings: list[list[tuple[int, float]]] = [[] for _ in self._vocabulary.keys]
        self._phrases_by_term: list[list[tuple[int, tuple[int, ...], float]]] = [
            [] for _ in self._vocabulary.keys
        ]
        for bag_index, bag in enumerate(bags):
            for term_id, weight in bag.weights.items():
                if self._idf[term_id] > 0:
                    self._postings[term_id].append((bag_index, weight * self._idf[term_id]))
            for phrase in bag.phrases:
                bonus = PHRASE_BONUS * sum(self._idf[term_id] for term_id in phrase)
                # Indexed under its rarest word: a phrase can only be complete if that word is there.
                rarest = max(phrase, key=lambda term_id: self._idf[term_id])
                self._phrases_by_term[rarest].append((bag_index, phrase, bonus))

    # -- matching ---------------------------------------------------------------------------------

    def raw_scores(self, text: str) -> RawScores:
        scores = [0.0] * (self._oos + 1)
        matched: dict[int, float] = {}
        seen: set[str] = set()
        for word in tokens(text):
            if word in self._stopwords or word in seen:
                continue
            seen.add(word)
            best: dict[int, float] = {}
            for term_id, similarity in self._vocabulary.resolve(word):
                matched[term_id] = max(similarity, matched.get(term_id, 0.0))
                for bag_index, weight in self._postings[term_id]:
                    value = similarity * weight
                    if value > best.get(bag_index, 0.0):
                        best[bag_index] = value
            for bag_index, value in best.items():
                scores[bag_index] += value
        phrase_bonus: dict[int, float] = {}
        for term_id in matched:
            for bag_index, phrase, bonus in self._phrases_by_term[term_id]:
                if bonus > phrase_bonus.get(bag_index, 0.0) and all(t in matched for t in phrase):
                    phrase_bonus[bag_index] = bonus * min(matched[t] for t in phrase)
        for bag_index, bonus in phrase_bonus.items():
            scores[bag_index] += bonus
        return RawScores(services=scores[: self._oos], out_of_scope=scores[self._oos])

    def match(self, text: str, k: int = 5, allowed: Collection[str] | None = None) -> MatchResult:
        """Rank the services for a message; with `allowed`, only those service ids compete."""
        raw = self.raw_scores(text)
        indexes = [i for i, service in enumerate(self.services) if allowed is None or service.id in allowed]
        probabilities, p_oos = self.calibration.probabilities(
            [raw.services[i] for i in indexes], raw.out_of_scope
        )
        ranked = sorted(zip(indexes, probabilities, strict=True), key=lambda pair: -pair[1])
        # A service without a single word of evidence is no candidate, whatever its share of the probability.
        candidates = [
            Candidate(self.services[i].id, self.services[i].code, self.services[i].title, probability)
            for i, probability in ranked
            if raw.services[i] > 0.0
        ][: max(k, 0)]
        in_scope = 1.0 - p_oos
        return MatchResult(text, self._decide(in_scope, [p for _, p in ranked[:2]]), candidates, in_scope)

    def _decide(self, in_scope: float, top: list[float]) -> Decision:
        thresholds = self.calibration.thresholds
        if not top or in_scope < thresholds.none:
            return "none"
        second = top[1] if len(top) > 1 else 0.0
        if top[0] >= thresholds.auto and top[0] - second >= thresholds.margin:
            return "auto"
        return "ask"

    def with_thresholds(
        self, auto: float | None = None, margin: float | None = None, none: float | None = None
    ) -> Matcher:
        """A matcher sharing this index, with some thresholds replaced (None keeps the measured default)."""
        current = self.calibration.thresholds
        thresholds = Thresholds(
            auto=current.auto if auto is None else auto,
            margin=current.margin if margin is None else margin,
            none=current.none if none is None else none,
        )
        clone = object.__new__(Matcher)
        clone.__dict__.update(self.__dict__)
        clone.calibration = replace(self.calibration, thresholds=thresholds)
        return clone


def build_matcher(
    catalog: Catalog,
    *,
    lexicon_path: Path | None = None,
    calibration_path: Path | None = None,
    mode: SuffixMode = DEFAULT_SUFFIX_MODE,
    auto_threshold: float | None = None,
    auto_margin: float | None = None,
    none_threshold: float | None = None,
) -> Matcher:
    """The matcher for a catalog with the bundled lexicon and calibration; thresholds left None keep the
    measured defaults (bot settings nlu_auto_threshold, nlu_auto_margin, nlu_none_threshold)."""
    matcher = Matcher(catalog.services, load_lexicon(lexicon_path), load_calibration(calibration_path), mode)
    return matcher.with_thresholds(auto_threshold, auto_margin, none_threshold)
