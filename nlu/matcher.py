"""The free-text matcher: a message → ranked catalog services with calibrated scores and a decision.

The raw evidence comes from nlu.index; nlu.calibration turns it into probabilities over the services plus
"not an IT request", and the thresholds turn those into auto / ask / none. Everything is built once;
match() does no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Literal

from catalog.model import Catalog, Service
from nlu.calibration import Calibration, Thresholds, load_calibration
from nlu.examples import load_examples
from nlu.index import DEFAULT_SUFFIX_MODE, Index, RawScores
from nlu.lexicon import load_lexicon
from nlu.normalize import fold
from nlu.terms import SuffixMode

Decision = Literal["auto", "ask", "none"]
# An automatic decision needs at least this much support for the service: message words speaking for it, a
# whole lexicon phrase counting as one more. Measured on text the lexicon had never seen (tune lines written
# by another author, scored with the lexicon of before them): automatic decisions on one word were right half
# the time; on two, even at a 0.999 threshold, 97.0 %; on three, 97.1 % at 0.98 (95.8 % with two).
AUTO_MIN_WORDS = 3
# A second problem in the same message follows one of these ("bilgisayarım açılmıyor bir de outlook şifremi
# unuttum"); each clause is matched on its own. Bare "ve" is none: it mostly joins two words of one problem.
_CLAUSE_BREAK = re.compile(
    r"\s*(?:[,;]|\b(?:bir de|bi de|ayrıca|ve de|bunun yanında|bunun yanı sıra|hem de|üstelik)\b)\s*",
    re.IGNORECASE,
)
# A clause counts as a problem of its own only when it is confidently about one service: the top candidate
# holds at least this share of the probability and a lexicon or catalog word names it.
CLAUSE_MIN_SCORE = 0.5
# A help-desk title often starts with the requesting department ("İMAR MD. - yazıcı arızası", "FEN İŞLERİ
# MÜDÜRLÜĞÜ: toner"): it says who asks, not what is asked, and its name may be another service's word.
_DEPARTMENT_PREFIX = re.compile(
    r"^\W*(?:[\w.]+\s+){0,4}?(?:md|müd|müdürlüğü|müdürlük|başkanlığı|bşk|dairesi|şefliği|şube|birimi)\.?"
    r"\s*[-–—:/]+\s*",
    re.IGNORECASE,
)
# A title may also name its requester or place after a spaced dash ("FOTOKOPİ ARIZA - NİKAH SALONU", "kamera
# kaydı istendi - kaza"): a short part of other municipal words is dropped when the rest is an IT request.
_DASHES = "-–—"
_TITLE_DASH = re.compile(rf"\s+[{_DASHES}]\s+")
REQUESTER_MAX_WORDS = 4
# A short title may also name its place first, ending in the locative or dative ("zabıta amirliğinde yazıcı
# çalışmıyor", "kütüphaneye 3 bilgisayar lazım"); the last word of such a part must be one of the lexicon's
# places, and the rest must name a device or system, since a citizen writes "evimde internet yok" too.
_LOCATIVE_OR_DATIVE = re.compile(r"(?:[dt][ae]|[dt][ae]ki|[yn][ae])$")
PLACE_TITLE_MAX_WORDS = 8
# Beyond this many clauses a message is a rambling text, not a list of problems.
MAX_CLAUSES = 4
# In a message longer than this many words (an e-mail: greeting, context, the problem, thanks) a further
# clause is reported as a second problem only when a device, system or product (an anchor) speaks for its
# service: its commas mostly separate context ("cep telefonlarını aramam gerekiyor"), not problems. On
# help-desk batch 6's long one-problem messages this cut the false second problems from 27 of 140 to 8.
LONG_MESSAGE_WORDS = 12
# A signature's extension ("…, acil yardımcı olur musunuz? Dahili 2345") says how to reach the writer, not a
# telephone problem: a clause is matched without it when the split looks for further problems.
_EXTENSION = re.compile(r"\bdahili\s*(?:no|numaram|numarası|numara|tel)?\s*[:.]?\s*\d{3,5}\b", re.IGNORECASE)
# Why a "none" text is no IT request: a greeting, thanks, or another municipal service (out-of-scope words).
OutOfScopeKind = Literal["greeting", "thanks", "non_it"]


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
    # Set for some "none" decisions only; None for requests and for texts with nothing recognisable.
    out_of_scope_kind: OutOfScopeKind | None = None
    # Further problems in the same message, each matched on its own clause; () for one problem.
    additional: tuple[MatchResult, ...] = ()


def may_decide(raw: RawScores, position: int) -> bool:
    """Whether the service at `position` (catalog order) has enough evidence for an automatic decision:
    AUTO_MIN_WORDS words and an anchor among them (a device, system or product)."""
    return raw.support[position] >= AUTO_MIN_WORDS and raw.anchored[position]


def decisive_in_scope(raw: RawScores, in_scope: float) -> float:
    """P(IT request) as the none threshold sees it. A message of greetings or thanks only is small talk (0),
    whatever else its words appear in, and so is one with no evidence for any service; one that no word
    speaks against and a lexicon or catalog word speaks for is a request to ask about (1: "yazıcı",
    "internet"), however little its words weigh. A word only the examples use ("falan") is not enough."""
    if raw.small_talk or not any(score > 0.0 for score in raw.services):
        return 0.0
    return 1.0 if raw.named and raw.out_of_scope == 0.0 else in_scope


class Matcher:
    def __init__(self, index: Index, calibration: Calibration) -> None:
        self.index = index
        self.calibration = calibration
        self._positions = {service.id: i for i, service in enumerate(index.services)}

    @property
    def services(self) -> list[Service]:
        return self.index.services

    def raw_scores(self, text: str) -> RawScores:
        text = _DEPARTMENT_PREFIX.sub("", text, count=1)
        return self._without_requester(text) or self.index.raw_scores(text)

    def _without_requester(self, text: str) -> RawScores | None:
        """The evidence of a two-part title's request part, when the other part is a requester or place: at
        most REQUESTER_MAX_WORDS words that speak for out of scope more than for any service ("nikah salonu"),
        beside a part that names a service and has no word against it. The parts are split at a spaced dash
        (either may be the request) or after a short title's first place. Never enough for an automatic
        decision; None for any other text."""
        # most texts have no dash: cheaper than the regex's scan
        parts = _TITLE_DASH.split(text) if any(dash in text for dash in _DASHES) else [text]
        if len(parts) == 2:
            pairs = [(parts[0], parts[1]), (parts[1], parts[0])]
        elif place := self._place_first(text):
            pairs = [place]
        else:
            return None
        raws = {part: self.index.raw_scores(part) for pair in pairs for part in pair}
        for request, other, words in ((raws[asked], raws[by], by) for asked, by in pairs):
            if (
                (len(pairs) == 2 or any(request.anchored))
                and request.named
                and request.out_of_scope == 0.0
                and other.out_of_scope > 0.0
                and other.out_of_scope > max(other.services, default=0.0)
                and len(words.split()) <= REQUESTER_MAX_WORDS
            ):
                # Asked about, never decided: the dropped part may be one's home ("internet yok - evde").
                return replace(request, anchored=[False] * len(request.anchored))
        return None

    def _place_first(self, text: str) -> tuple[str, str] | None:
        """(request, place) of a short title whose first words end in a place of the lexicon, else None."""
        words = text.split()
        if len(words) > PLACE_TITLE_MAX_WORDS:
            return None
        places = self.index.places
        for end, word in enumerate(words[: min(REQUESTER_MAX_WORDS, len(words) - 1)], start=1):
            folded = fold(word)
            if folded.startswith(places) and folded not in places and _LOCATIVE_OR_DATIVE.search(folded):
                return " ".join(words[end:]), " ".join(words[:end])
        return None

    def match(self, text: str, k: int = 5, allowed: Collection[str] | None = None) -> MatchResult:
        """Rank the services for a message; with `allowed`, only those service ids compete. A message with
        two or more problems in clauses of their own ("… bir de …") is answered by its first clause's match,
        the others in `additional`; the first is decided automatically only if the whole message's best
        service is the same."""
        whole, _ = self._match_one(text, k, allowed)
        if whole.decision == "none":
            return whole
        clauses = [clause for clause in _CLAUSE_BREAK.split(text) if clause]
        if not 2 <= len(clauses) <= MAX_CLAUSES:
            return whole
        problems: list[MatchResult] = []
        anchored: list[bool] = []  # whether an anchor speaks for each problem's service
        for clause in clauses:
            result, raw = self._match_one(_EXTENSION.sub(" ", clause), k, allowed)
            result = replace(result, text=clause)
            top = result.candidates[0] if result.candidates else None
            if top is None or result.decision == "none" or not raw.named or top.score < CLAUSE_MIN_SCORE:
                continue
            anchor = raw.anchored[self._positions[top.service_id]]
            services = [problem.candidates[0].service_id for problem in problems]
            if top.service_id in services:  # the same problem told again: its first clause stands for it
                anchored[services.index(top.service_id)] |= anchor
            else:
                problems.append(result)
                anchored.append(anchor)
        if len(problems) < 2:
            return whole
        first = problems[0]
        if first.decision == "auto" and first.candidates[0].service_id != whole.candidates[0].service_id:
            # The whole message speaks for another service: a long e-mail's first clause is often context
            # ("Zabıta Müdürlüğü'nden yazıyorum, ... yazıcı çok yavaşladı" read as a slow computer).
            first = replace(first, decision="ask")
        further = zip(problems[1:], anchored[1:], strict=True)
        long_message = len(text.split()) > LONG_MESSAGE_WORDS
        additional = tuple(problem for problem, anchor in further if anchor or not long_message)
        return replace(first, text=text, additional=additional)

    def _match_one(self, text: str, k: int, allowed: Collection[str] | None) -> tuple[MatchResult, RawScores]:
        raw = self.raw_scores(text)
        services = self.services
        indexes = [i for i, service in enumerate(services) if allowed is None or service.id in allowed]
        probabilities, p_oos = self.calibration.probabilities(
            [raw.services[i] for i in indexes], raw.out_of_scope
        )
        ranked = sorted(zip(indexes, probabilities, strict=True), key=itemgetter(1), reverse=True)  # stable
        # A service without a single word of evidence is no candidate, whatever its share of the probability.
        evident = ((services[i], probability) for i, probability in ranked if raw.services[i] > 0.0)
        candidates = [
            Candidate(service.id, service.code, service.title, probability)
            for service, probability in islice(evident, max(k, 0))
        ]
        in_scope = 1.0 - p_oos
        decidable = bool(ranked) and may_decide(raw, ranked[0][0])
        decision = self._decide(decisive_in_scope(raw, in_scope), [p for _, p in ranked[:2]], decidable)
        kind = (raw.small_talk or ("non_it" if raw.another_service else None)) if decision == "none" else None
        return MatchResult(text, decision, candidates, in_scope, kind), raw

    def _decide(self, in_scope: float, top: list[float], decidable: bool) -> Decision:
        thresholds = self.calibration.thresholds
        if not top or in_scope < thresholds.none:
            return "none"
        second = top[1] if len(top) > 1 else 0.0
        if top[0] >= thresholds.auto and top[0] - second >= thresholds.margin and decidable:
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
        return Matcher(self.index, replace(self.calibration, thresholds=thresholds))


def build_matcher(
    catalog: Catalog,
    *,
    lexicon_path: Path | None = None,
    examples_path: Path | None = None,
    calibration_path: Path | None = None,
    mode: SuffixMode = DEFAULT_SUFFIX_MODE,
    auto_threshold: float | None = None,
    auto_margin: float | None = None,
    none_threshold: float | None = None,
) -> Matcher:
    """The matcher for a catalog with the bundled lexicon, examples and calibration; thresholds left None keep
    the measured defaults (bot settings nlu_auto_threshold, nlu_auto_margin, nlu_none_threshold)."""
    index = Index(catalog.services, load_lexicon(lexicon_path), mode, load_examples(examples_path))
    return Matcher(index, load_calibration(calibration_path)).with_thresholds(
        auto_threshold, auto_margin, none_threshold
    )
