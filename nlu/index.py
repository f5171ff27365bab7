"""The matcher's index: each active service as a bag of IDF-weighted words, and the raw evidence of a text.

A bag holds the words of the service's catalog title (weight 1) and scope text (0.4) and of its lexicon entry;
the out-of-scope lexicon and the out-of-scope examples are two more bags. The labelled examples (nlu.examples)
add their words to their services' bags as phrases do. A message word adds, for each bag, the best weight
among the terms it resolves to (exact, suffix-tolerant or fuzzy, see nlu.terms), times the word's IDF: how
few bags any of its readings reaches through the lexicon and the catalog. So "toner" or "vpn" (one or two
services) counts much and "arıza" or "işlemleri" (most services) next to nothing. The IDF belongs to the
message word, not to each term it reads as: "bilgisayarda" reads as "bilgisayar" (many services) and as the
rare inflected form in one lexicon phrase, and it is as common as the former. All the words of a lexicon
phrase together add a bonus.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from catalog.model import Service
from nlu.examples import LabelledExample
from nlu.lexicon import Entry, Lexicon, LexiconError
from nlu.normalize import NEGATION, Tokenizer, fold, tokens
from nlu.ordinary import ordinary_words
from nlu.small_talk import SmallTalk, SmallTalkKind
from nlu.terms import Resolution, SuffixMode, Vocabulary

# Chosen by measurement: prefix matching beat stemming on the noisy tuning variants (make eval prints both).
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
# A message longer than this many words (stopwords aside) has its evidence for each service scaled by
# DENSITY_WORDS / words: evidence is a sum over words, and a long complaint collects many weak ones that the
# calibration would otherwise read as certainty. IT requests are short (tuning lines: median 6 words, 98 %
# at most 12); on the real complaints (../shared/data) 8, 12 and 16 gave 97.6, 96.1 and 92.7 % none.
DENSITY_WORDS = 12


@dataclass(frozen=True)
class RawScores:
    """Uncalibrated evidence per active service (catalog order) and for out of scope."""

    services: list[float]
    out_of_scope: float
    # The out-of-scope lexicon spoke, which names other municipal services: the message is one of theirs
    # (out-of-scope examples count in out_of_scope but say no such thing: "asdf" or a greeting is one too).
    another_service: bool
    small_talk: SmallTalkKind | None  # a message of greetings or thanks only
    # Some message word, read without typo correction, speaks for a service through the lexicon or the
    # catalog, not only through examples.
    named: bool
    # How many distinct message words gave each service evidence, plus one for a whole lexicon phrase (catalog
    # order): a word or two may be meant in another sense ("site", "kamera", "rapor"), so the matcher does not
    # decide on so little by itself.
    support: list[int]
    # Some message word that is an anchor (a device, system or product, see the lexicon) speaks for the
    # service (catalog order): only then may the matcher choose it by itself.
    anchored: list[bool]


class _WordEvidence(NamedTuple):
    """What one message word adds: (bag, weight × IDF) per bag it reaches, its vocabulary readings (for the
    phrase bonus), whether it is an anchor, and whether it names a service in writing. A named tuple: a
    long message brings dozens of new words, and a frozen dataclass is slow to make."""

    values: tuple[tuple[int, float], ...]
    readings: Resolution
    anchor: bool
    named: bool


# Most words of a long complaint read as no vocabulary term at all.
_NO_EVIDENCE = _WordEvidence((), (), False, False)
_EVIDENCE_CACHE_LIMIT = 50_000


class _Bag:
    """The weighted words of one service, or of the out-of-scope lexicon, before IDF."""

    def __init__(self) -> None:
        self.weights: dict[int, float] = {}
        self.phrases: set[tuple[int, ...]] = set()
        self.written: set[int] = set()  # terms from the lexicon or the catalog, not only from examples

    def add(self, term_ids: Iterable[int], weight: float, written: bool = True) -> None:
        for term_id in term_ids:
            self.weights[term_id] = max(weight, self.weights.get(term_id, 0.0))
            if written:
                self.written.add(term_id)

    def add_phrase(
        self, term_ids: Sequence[int], written: bool = True, neutral: Collection[int] = frozenset()
    ) -> None:
        """The phrase's words as evidence, except the neutral ones, which only count in the whole phrase."""
        self.add([term_id for term_id in term_ids if term_id not in neutral], PHRASE_WORD_WEIGHT, written)
        if len(set(term_ids)) >= 2:
            self.phrases.add(tuple(sorted(set(term_ids))))


class Index:
    """The word bags of the active services and of out of scope, with IDF weights; built once, then read."""

    def __init__(
        self,
        services: Sequence[Service],
        lexicon: Lexicon,
        mode: SuffixMode = DEFAULT_SUFFIX_MODE,
        examples: Sequence[LabelledExample] = (),
    ) -> None:
        # Only active services are indexed: the inactive placeholder is never a candidate.
        self.services = [service for service in services if service.active]
        unknown = sorted(set(lexicon.services) - {service.id for service in self.services})
        if unknown:
            raise LexiconError(f"{lexicon.source}: no active catalog service with id {', '.join(unknown)}")
        self.mode = mode
        self._stopwords = frozenset(word for stopword in lexicon.stopwords for word in tokens(stopword))
        self.small_talk = SmallTalk(lexicon.small_talk, self._stopwords, mode)
        self._vocabulary = Vocabulary(mode, ordinary_words())
        self._groups = lexicon.groups
        self._anchors = frozenset(term for anchor in lexicon.anchors for term in self._term_ids(anchor))
        self.places = tuple(fold(place) for place in lexicon.places)
        bags = [
            self._service_bag(service, lexicon.services.get(service.id, Entry())) for service in self.services
        ]
        self._add_examples(bags, examples)
        # A word that speaks for a service is no evidence against a request when it comes in a phrase of
        # what is not IT ("oyun bilgisayarı", "evdeki yazıcı"): only the whole phrase is. Otherwise
        # "bilgisayar" or "yazıcı bozuk" alone would weigh as much against a request as for one.
        neutral = self._neutral_terms(bags, lexicon.out_of_scope, examples)
        bags.append(self._lexicon_bag(lexicon.out_of_scope, neutral=neutral, against=True))
        # Out-of-scope examples in a bag of their own: they never make a text another municipal service's.
        out_of_scope = _Bag()
        for example in examples:
            if not example.codes:
                out_of_scope.add_phrase(
                    self._term_ids(example.text, fuzzy=False, against=True), written=False, neutral=neutral
                )
        bags.append(out_of_scope)
        # Stopwords are terms without postings, so "akşamdan" stops at "akşam" instead of passing for "masam".
        for stopword in self._stopwords:
            self._vocabulary.add(stopword)
        self._vocabulary.freeze()
        self._oos = len(bags) - 2  # the out-of-scope lexicon, then the out-of-scope examples
        self._index(bags)
        self._evidence_cache: dict[str, _WordEvidence] = {}
        self._tokens = Tokenizer()

    # -- building ---------------------------------------------------------------------------------

    def _term_ids(self, text: str, fuzzy: bool = True, against: bool = False) -> list[int]:
        """against: for the out-of-scope bags, without the negation marker a negative verb brings
        ("temizlenmiyor" → "değil"): a fault word, never one against a request."""
        return [
            self._vocabulary.add(word, fuzzy)
            for word in tokens(text)
            if word not in self._stopwords and not (against and word == NEGATION)
        ]

    def _neutral_terms(
        self, bags: Sequence[_Bag], out_of_scope: Entry, examples: Sequence[LabelledExample]
    ) -> frozenset[int]:
        """The words of out-of-scope phrases and examples that read as a service's word, inflected too
        ("interneti" is "internet")."""
        service_terms = {term_id for bag in bags for term_id in bag.weights}
        texts = [*out_of_scope.phrases, *(example.text for example in examples if not example.codes)]
        candidates = {term_id for text in texts for term_id in self._term_ids(text, fuzzy=False)}
        self._vocabulary.freeze()  # to resolve with; frozen again once every word is in
        return frozenset(
            term_id
            for term_id in candidates
            if any(
                found in service_terms
                for found, similarity in self._vocabulary.resolve(self._vocabulary.keys[term_id])
                if similarity == 1.0
            )
        )

    def _add_examples(self, bags: list[_Bag], examples: Sequence[LabelledExample]) -> None:
        """Each example with services is one more phrase of them. Example words are matched exactly or by
        their suffixes only: typos in examples are no vocabulary to correct towards, and keeping them out
        of the fuzzy search keeps matching fast."""
        position = {service.id: i for i, service in enumerate(self.services)}
        unknown = sorted({code for example in examples for code in example.codes} - set(position))
        if unknown:
            raise LexiconError(f"examples: no active catalog service with id {', '.join(unknown)}")
        for example in examples:
            for code in example.codes:
                bags[position[code]].add_phrase(self._term_ids(example.text, fuzzy=False), written=False)

    def _lexicon_bag(
        self,
        entry: Entry,
        bag: _Bag | None = None,
        neutral: Collection[int] = frozenset(),
        against: bool = False,
    ) -> _Bag:
        bag = bag or _Bag()
        for keyword in entry.keywords + tuple(word for name in entry.groups for word in self._groups[name]):
            bag.add(self._term_ids(keyword, against=against), LEXICON_WEIGHT)
        for product in entry.products:
            bag.add(self._term_ids(product, against=against), PRODUCT_WEIGHT)
        for phrase in entry.phrases:
            bag.add_phrase(self._term_ids(phrase, against=against), neutral=neutral)
        return bag

    def _service_bag(self, service: Service, entry: Entry) -> _Bag:
        bag = _Bag()
        bag.add(self._term_ids(service.scope), SCOPE_WEIGHT)
        bag.add(self._term_ids(service.title), TITLE_WEIGHT)
        return self._lexicon_bag(entry, bag)

    def _index(self, bags: list[_Bag]) -> None:
        # How common a word is comes from the lexicon and the catalog: examples mention "yazıcı" under many
        # services (a move, a cable, a new one) without making it a common word. A word only the examples
        # use is counted over them.
        written_bags: list[set[int]] = [set() for _ in self._vocabulary.keys]
        anywhere = [0] * len(self._vocabulary.keys)
        for bag_index, bag in enumerate(bags):
            for term_id in bag.weights:
                anywhere[term_id] += 1
            for term_id in bag.written:
                written_bags[term_id].add(bag_index)
        self._documents = len(bags)
        # Per term, for the phrase bonus only; a message word's own IDF is taken when it is read.
        self._idf = [
            self._inverse_frequency(len(w) or a) for w, a in zip(written_bags, anywhere, strict=True)
        ]
        self._postings: list[list[tuple[int, float]]] = [[] for _ in self._vocabulary.keys]
        # Per term, the bags it reaches through the lexicon or the catalog, and whether a service is one.
        self._written_bags = [frozenset(found) for found in written_bags]
        self._names_service = [any(i < self._oos for i in found) for found in written_bags]
        self._phrases_by_term: list[list[tuple[int, frozenset[int], float]]] = [
            [] for _ in self._vocabulary.keys
        ]
        for bag_index, bag in enumerate(bags):
            for term_id, weight in bag.weights.items():
                self._postings[term_id].append((bag_index, weight))
            for phrase in bag.phrases:
                bonus = PHRASE_BONUS * sum(self._idf[term_id] for term_id in phrase)
                # Indexed under its rarest word: a phrase can only be complete if that word is there.
                rarest = max(phrase, key=lambda term_id: self._idf[term_id])
                self._phrases_by_term[rarest].append((bag_index, frozenset(phrase), bonus))
        self._phrase_terms = frozenset(
            term_id for term_id, found in enumerate(self._phrases_by_term) if found
        )
        # The evidence of a word that reads as one term exactly (most words that read as any), made once: the
        # word's IDF is then the term's own.
        self._exact_values = [
            tuple((bag_index, weight * idf) for bag_index, weight in postings)
            for postings, idf in zip(self._postings, self._idf, strict=True)
        ]

    def _inverse_frequency(self, bags: int) -> float:
        return max(0.0, math.log((self._documents + 1) / (bags + 0.5)))

    # -- matching ---------------------------------------------------------------------------------

    def _word_evidence(self, word: str) -> _WordEvidence:
        """What one message word adds, cached per word: a long message brings many, mostly seen before."""
        found = self._evidence_cache.get(word)
        if found is None:
            if len(self._evidence_cache) >= _EVIDENCE_CACHE_LIMIT:
                self._evidence_cache.clear()
            found = self._evidence_cache[word] = self._read_word(word)
        return found

    def _read_word(self, word: str) -> _WordEvidence:
        readings = self._vocabulary.resolve(word)
        if not readings:
            return _NO_EVIDENCE
        if len(readings) == 1 and readings[0][1] == 1.0:
            term_id = readings[0][0]
            return _WordEvidence(
                self._exact_values[term_id],
                readings,
                self._is_anchor(term_id, word),
                self._names_service[term_id],
            )
        best: dict[int, float] = {}
        reached_in_writing: set[int] = set()
        anchor = named = False
        for term_id, similarity in readings:
            anchor = anchor or (similarity == 1.0 and self._is_anchor(term_id, word))
            for bag_index, weight in self._postings[term_id]:
                value = similarity * weight
                if value > best.get(bag_index, 0.0):
                    best[bag_index] = value
            reached_in_writing |= self._written_bags[term_id]
            named = named or (similarity == 1.0 and self._names_service[term_id])
        idf = self._inverse_frequency(len(reached_in_writing) or len(best))
        values = tuple([(bag_index, value * idf) for bag_index, value in best.items()])
        return _WordEvidence(values, readings, anchor, named)

    def _is_anchor(self, term_id: int, word: str) -> bool:
        """Whether a word read exactly as a term is an anchor: an anchor is read from the word itself or its
        start, never through a typo correction or as the longer word that a short one starts ("sıra" is no
        "sıramatik")."""
        return term_id in self._anchors and len(self._vocabulary.keys[term_id]) <= len(word)

    def raw_scores(self, text: str) -> RawScores:
        """The evidence for each active service (catalog order) and for out of scope."""
        scores = [0.0] * (self._oos + 2)
        support = [0] * (self._oos + 2)
        anchored = [False] * (self._oos + 2)
        matched: dict[int, float] = {}
        named = False
        words = self._tokens(text)
        seen = [word for word in dict.fromkeys(words) if word not in self._stopwords]  # distinct, in order
        cached = self._evidence_cache.get  # inlined look-up: a long message brings dozens of known words
        for word in seen:
            evidence = cached(word) or self._word_evidence(word)
            if evidence is _NO_EVIDENCE:
                continue
            values, readings, anchor, word_named = evidence
            for term_id, similarity in readings:
                if similarity > matched.get(term_id, 0.0):
                    matched[term_id] = similarity
            named = named or word_named
            for bag_index, value in values:
                scores[bag_index] += value
                support[bag_index] += 1
            if anchor:
                for bag_index, _ in values:
                    anchored[bag_index] = True
        for bag_index, bonus in self._phrase_bonus(matched).items():
            scores[bag_index] += bonus
            support[bag_index] += 1
        length = len(seen) - (NEGATION in seen)
        density = min(1.0, DENSITY_WORDS / length) if length else 1.0
        return RawScores(
            services=[score * density for score in scores[: self._oos]],
            out_of_scope=scores[self._oos] + scores[self._oos + 1],
            another_service=scores[self._oos] > 0.0,
            small_talk=self.small_talk.kind(words),
            named=named,
            support=support[: self._oos],
            anchored=anchored[: self._oos],
        )

    def _phrase_bonus(self, matched: dict[int, float]) -> dict[int, float]:
        """The bonus of the lexicon phrases whose words are all among the matched terms (term → best
        similarity), per bag: the best phrase of each."""
        bonus_by_bag: dict[int, float] = {}
        found = matched.keys()
        # Most matched terms index no phrase (the order does not matter: each bag keeps its best phrase). The
        # intersection iterates over its argument: the few matched terms, not the many phrase terms.
        for term_id in self._phrase_terms.intersection(matched):
            for bag_index, phrase, bonus in self._phrases_by_term[term_id]:
                if found >= phrase:
                    # A phrase found through typo corrections counts as much as its weakest word.
                    value = bonus * min(matched[t] for t in phrase)
                    bonus_by_bag[bag_index] = max(value, bonus_by_bag.get(bag_index, 0.0))
        return bonus_by_bag
