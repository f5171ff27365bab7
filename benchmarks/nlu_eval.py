"""`make eval`: the matcher's quality on the labelled utterances per split, beside a plain-rapidfuzz baseline.

    python -m benchmarks.nlu_eval                 # report (tuning, held-out and blind splits)
    python -m benchmarks.nlu_eval --errors        # the tuning split's mistakes, for lexicon work
    python -m benchmarks.nlu_eval --calibrate     # refit nlu/data/calibration.yaml on the tuning split
    python -m benchmarks.nlu_eval --split complaints   # only the real municipal complaints
    python -m benchmarks.nlu_eval --batch new.jsonl    # a new batch of labelled lines, before learning it

The tuning split is the matcher's own labelled examples (nlu/data/examples.jsonl), so it is scored by
cross-validation: the lines are cut into FOLDS consecutive blocks (lines written together stay together),
and each block is matched by an index built from the lexicon and the other blocks' examples. Calibration
and thresholds are fitted on those scores. Only the tuning split is ever used to fit or to look at
mistakes; the held-out split (tests/data/utterances.jsonl) is only scored.
The blind splits (tests/data/utterances-blind.jsonl, utterances-blind-2.jsonl) were each written by another
author who never saw the lexicon, the tuning lines or the matcher's answers: they are the honest estimate for
new text. Never look at their lines' mistakes, or they stop being blind: `--errors` does not list them and the
report gives only their aggregate figures, no confusion pairs.
The real complaints (../shared/data/belediye-sikayetleri.jsonl, text that citizens wrote to municipalities)
are read from there, never copied: the report gives the shares of none, ask and auto, overall and per the
file's source_label. The few lines about a municipality's own online systems, which may be IT requests, are
labelled by line number and text hash in tests/data/belediye-sikayetleri-labels.jsonl.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rapidfuzz import process, utils

from catalog.loader import load_catalog
from catalog.model import Catalog
from nlu.calibration import DEFAULT_CALIBRATION, Calibration, Example, Thresholds, fit, save_calibration
from nlu.examples import LabelledExample, load_examples
from nlu.index import DEFAULT_SUFFIX_MODE, Index
from nlu.lexicon import load_lexicon
from nlu.matcher import Matcher, MatchResult, build_matcher, decisive_in_scope, may_decide
from nlu.normalize import fold
from nlu.terms import SUFFIX_MODES, SuffixMode

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
UTTERANCES = DATA / "utterances.jsonl"
# Each blind file is its own split, named after it; "blind-all" scores them together.
BLIND_FILES = {"blind": DATA / "utterances-blind.jsonl", "blind-2": DATA / "utterances-blind-2.jsonl"}
# Real text, kept outside the repository (see the module docstring).
REAL_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
COMPLAINTS = REAL_DATA / "belediye-sikayetleri.jsonl"
COMPLAINT_LABELS = DATA / "belediye-sikayetleri-labels.jsonl"
SPLITS = ("tune", "heldout", *BLIND_FILES, "blind-all", "complaints")
# Threshold choice on the tuning split: the most automatic decisions that are still right this often,
# and the most out-of-scope recall that rejects at most this share of IT requests.
AUTO_PRECISION_GOAL = 0.99
REJECTION_BUDGET = 0.02
FOLDS = 5


@dataclass(frozen=True)
class Utterance:
    text: str
    codes: frozenset[str]  # service ids; empty: out of scope
    split: str


def load_utterances(path: Path = UTTERANCES, split: str | None = None) -> list[Utterance]:
    """Lines carry their split, unless `split` names the one the whole file belongs to."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        rows.append(Utterance(raw["text"], frozenset(raw["codes"]), split or raw["split"]))
    return rows


def load_tune() -> list[Utterance]:
    return [Utterance(example.text, example.codes, "tune") for example in load_examples()]


def load_blind_utterances() -> list[Utterance]:
    return [u for split, path in BLIND_FILES.items() for u in load_utterances(path, split=split)]


def is_blind(split: str) -> bool:
    return split.startswith("blind")


@dataclass(frozen=True)
class Complaint:
    text: str
    source_label: str  # the data set's own category (water, transport, parks ...)
    codes: frozenset[str]  # labelled here: the services it may be an IT request for; empty: out of scope


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_complaints(path: Path = COMPLAINTS, labels: Path = COMPLAINT_LABELS) -> list[Complaint]:
    """The real complaints with our labels; a label whose line no longer has its text is an error."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    codes: dict[int, frozenset[str]] = {}
    for line in labels.read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        if _text_hash(rows[label["line"]]["text"]) != label["sha256"]:
            raise ValueError(f"{labels}: line {label['line']} of {path} is not the line that was labelled")
        codes[label["line"]] = frozenset(label["codes"])
    return [
        Complaint(row["text"], row["source_label"], codes.get(i, frozenset())) for i, row in enumerate(rows)
    ]


@dataclass(frozen=True)
class Shares:
    lines: int
    none: float
    ask: float
    auto: float


def decision_shares(results: Sequence[MatchResult]) -> Shares:
    counts = Counter(r.decision for r in results)
    return Shares(
        len(results), *(_share(counts[decision], len(results)) for decision in ("none", "ask", "auto"))
    )


def complaint_shares(matcher: Matcher, complaints: Sequence[Complaint]) -> dict[str, Shares]:
    """Decision shares on every line ("all"), on the lines labelled out of scope, and per source label."""
    results = [(c, matcher.match(c.text)) for c in complaints]
    groups: dict[str, list[MatchResult]] = {"all": [r for _, r in results]}
    groups["out of scope"] = [r for c, r in results if not c.codes]
    for c, r in results:
        groups.setdefault(c.source_label, []).append(r)
    return {name: decision_shares(group) for name, group in groups.items()}


def labelled_in_scope(matcher: Matcher, complaints: Sequence[Complaint]) -> Report:
    """The lines labelled as possible IT requests, scored as utterances."""
    rows = [Utterance(c.text, c.codes, "complaints") for c in complaints if c.codes]
    return evaluate(run_matcher(matcher, rows))


@dataclass(frozen=True)
class Report:
    lines: int
    in_scope: int
    top1: float
    top3: float
    oos_recall: float
    in_scope_rejected: float
    auto_rate: float  # share of all lines decided automatically
    auto_precision: float  # share of automatic decisions that named a right service
    confusions: list[tuple[tuple[str, str], int]]  # (expected, got) → count, most frequent first


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def evaluate(results: Sequence[tuple[Utterance, MatchResult]]) -> Report:
    in_scope = [(u, r) for u, r in results if u.codes]
    out_scope = [(u, r) for u, r in results if not u.codes]

    def top(result: MatchResult, n: int) -> list[str]:
        return [candidate.service_id for candidate in result.candidates[:n]]

    autos = [(u, r) for u, r in results if r.decision == "auto"]
    confusions: Counter[tuple[str, str]] = Counter()
    for u, r in results:
        got = (top(r, 1) or ["none"])[0] if r.decision != "none" else "none"
        expected = min(u.codes) if u.codes else "none"
        if (got not in u.codes) if u.codes else got != "none":
            confusions[(expected, got)] += 1
    return Report(
        lines=len(results),
        in_scope=len(in_scope),
        top1=_share(sum(bool(set(top(r, 1)) & u.codes) for u, r in in_scope), len(in_scope)),
        top3=_share(sum(bool(set(top(r, 3)) & u.codes) for u, r in in_scope), len(in_scope)),
        oos_recall=_share(sum(r.decision == "none" for _, r in out_scope), len(out_scope)),
        in_scope_rejected=_share(sum(r.decision == "none" for _, r in in_scope), len(in_scope)),
        auto_rate=_share(len(autos), len(results)),
        auto_precision=_share(sum(bool(set(top(r, 1)) & u.codes) for u, r in autos), len(autos)),
        confusions=confusions.most_common(8),
    )


def run_matcher(matcher: Matcher, rows: Sequence[Utterance]) -> list[tuple[Utterance, MatchResult]]:
    return [(u, matcher.match(u.text, k=5)) for u in rows]


def baseline_topk(
    catalog: Catalog, rows: Sequence[Utterance], processor: Callable[..., str] | None
) -> tuple[float, float]:
    """Top-1 and top-3 of plain `process.extract` over the service titles (default scorer WRatio)."""
    active = catalog.active_services()
    titles = [service.title for service in active]
    hits1 = hits3 = 0
    in_scope = [u for u in rows if u.codes]
    for u in in_scope:
        found = process.extract(u.text, titles, limit=3, processor=processor)
        ids = [active[index].id for _, _, index in found]
        hits1 += ids[0] in u.codes
        hits3 += bool(set(ids) & u.codes)
    return _share(hits1, len(in_scope)), _share(hits3, len(in_scope))


def fit_examples(matcher: Matcher, rows: Sequence[Utterance]) -> list[Example]:
    position = {service.id: i for i, service in enumerate(matcher.services)}
    examples: list[Example] = []
    for u in rows:
        raw = matcher.raw_scores(u.text)
        examples.append((raw.services, raw.out_of_scope, frozenset(position[code] for code in u.codes)))
    return examples


# (in scope?, P(IT request) as the none threshold sees it, top score, second score, top right?, evidence
# enough for auto: support and an anchor?)
Scored = tuple[bool, float, float, float, bool, bool]


def scored_rows(matcher: Matcher, rows: Sequence[Utterance]) -> list[Scored]:
    position = {service.id: i for i, service in enumerate(matcher.services)}
    scored = []
    for u, r in run_matcher(matcher, rows):
        first, second = (*[(c.score, c.service_id) for c in r.candidates[:2]], (0.0, ""), (0.0, ""))[:2]
        raw = matcher.raw_scores(u.text)
        decidable = bool(first[1]) and may_decide(raw, position[first[1]])
        decisive = decisive_in_scope(raw, r.in_scope)
        scored.append((bool(u.codes), decisive, first[0], second[0], first[1] in u.codes, decidable))
    return scored


def choose_thresholds(scored: Sequence[Scored]) -> Thresholds:
    """Pick the none threshold, then the auto threshold and margin, on scored (tuning) rows."""
    grid = [i / 100 for i in range(1, 100)]
    in_scope = [p for is_in, p, *_ in scored if is_in]
    out_scope = [p for is_in, p, *_ in scored if not is_in]

    def recall(t: float) -> float:
        return _share(sum(p < t for p in out_scope), len(out_scope))

    feasible = [t for t in grid if _share(sum(p < t for p in in_scope), len(in_scope)) <= REJECTION_BUDGET]
    optimal = [t for t in feasible if recall(t) == max(map(recall, feasible))]
    none = round((optimal[0] + optimal[-1]) / 2, 2)  # the middle of the best interval, for robustness

    # An automatic choice must at least be likelier than all the others together, and clear of the second.
    options = []  # (share right, automatic decisions, threshold, margin)
    for margin in (0.1, 0.2, 0.3, 0.4, 0.5):
        for threshold in (t for t in grid if t >= 0.5):
            autos = [
                right
                for _, p, top, second, right, enough in scored
                if p >= none and top >= threshold and top - second >= margin and enough
            ]
            if autos:
                options.append((_share(sum(autos), len(autos)), len(autos), threshold, margin))
    good = [option for option in options if option[0] >= AUTO_PRECISION_GOAL]
    # The most automatic decisions at the goal (lowest threshold and margin on a tie); a matcher that never
    # reaches it (the stem mode, compared in the report) gets its most precise setting instead.
    _, _, auto, margin = (
        max(good, key=lambda o: (o[1], -o[2], -o[3])) if good else max(options, key=lambda o: (o[0], o[1]))
    )
    return Thresholds(auto=auto, margin=margin, none=none)


_FILLERS = (
    "merhaba",
    "hocam kolay gelsin",
    "acil yardım lütfen",
    "dün akşamdan beri",
    "sabahtan beri uğraşıyorum",
    "bakabilir misiniz",
    "rica etsem",
    "iyi çalışmalar",
)


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # a letter left out
        return word[:i] + word[i + 1 :]
    if kind == 1:  # two letters swapped
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiklmnrst") + word[i + 1 :]  # a wrong letter


def noisy_variants(rows: Sequence[Utterance], seed: int = 20261128) -> list[Utterance]:
    """Harder copies of the tuning lines: a typo, a word left out, chatter around it (a robustness check)."""
    rng = random.Random(seed)
    variants = []
    for u in rows:
        for variant in range(3):
            words = u.text.split()
            if variant == 1 and len(words) >= 3:
                del words[rng.randrange(len(words))]
            long_words = [i for i, word in enumerate(words) if len(word) >= 5]
            if long_words:
                i = rng.choice(long_words)
                words[i] = _typo(words[i], rng)
            if variant == 2:
                words.insert(0 if rng.random() < 0.5 else len(words), rng.choice(_FILLERS))
            variants.append(Utterance(" ".join(words), u.codes, "tune-noisy"))
    return variants


@dataclass(frozen=True)
class CrossValidated:
    matcher: Matcher  # the lexicon and every tuning line, with the fitted calibration and thresholds
    results: list[tuple[Utterance, MatchResult]]  # each tuning line, matched without its own block
    noisy: list[tuple[Utterance, MatchResult]]  # their noisy variants, likewise


def cross_validated(catalog: Catalog, mode: SuffixMode, tune: Sequence[Utterance]) -> CrossValidated:
    """Fit calibration and thresholds for `mode` on the tuning lines, each scored by an index built without
    its block (see the module docstring)."""
    lexicon = load_lexicon()
    size = -(-len(tune) // FOLDS)
    blocks = [list(tune[start : start + size]) for start in range(0, len(tune), size)]

    def index_without(k: int | None) -> Index:
        examples = [
            LabelledExample(u.text, u.codes) for j, block in enumerate(blocks) if j != k for u in block
        ]
        return Index(catalog.services, lexicon, mode, examples)

    indexes = [index_without(k) for k in range(len(blocks))]
    # Typos and chatter come with real messages: the noisy variants count in the fit and the thresholds.
    noisy_blocks = [noisy_variants(block) for block in blocks]
    placeholder = Calibration(1.0, 0.0, 1.0, Thresholds(1.0, 0.0, 0.0))
    fit_rows = [
        row
        for index, block, noisy in zip(indexes, blocks, noisy_blocks, strict=True)
        for row in fit_examples(Matcher(index, placeholder), [*block, *noisy])
    ]
    fitted = fit(fit_rows, placeholder.thresholds)
    scored = [
        row
        for index, block, noisy in zip(indexes, blocks, noisy_blocks, strict=True)
        for row in scored_rows(Matcher(index, fitted), [*block, *noisy])
    ]
    calibration = replace(fitted, thresholds=choose_thresholds(scored))
    matchers = [Matcher(index, calibration) for index in indexes]
    return CrossValidated(
        matcher=Matcher(index_without(None), calibration),
        results=[
            pair
            for matcher, block in zip(matchers, blocks, strict=True)
            for pair in run_matcher(matcher, block)
        ],
        noisy=[
            pair
            for matcher, noisy in zip(matchers, noisy_blocks, strict=True)
            for pair in run_matcher(matcher, noisy)
        ],
    )


def _print_report(name: str, report: Report) -> None:
    print(
        f"  {name:<10} lines {report.lines:>4} (in scope {report.in_scope:>3})  "
        f"top-1 {report.top1:6.1%}  top-3 {report.top3:6.1%}  "
        f"OOS recall {report.oos_recall:6.1%}  in-scope rejected {report.in_scope_rejected:5.1%}  "
        f"auto {report.auto_rate:5.1%} of lines, right {report.auto_precision:6.1%}"
    )


def _print_reliability(results: Sequence[tuple[Utterance, MatchResult]]) -> None:
    """Top score bins against how often the top candidate was right (in-scope lines)."""
    bins: dict[int, list[bool]] = {}
    for u, r in results:
        if u.codes:
            score, service_id = (
                (r.candidates[0].score, r.candidates[0].service_id) if r.candidates else (0.0, "")
            )
            bins.setdefault(min(int(score * 5), 4), []).append(service_id in u.codes)
    for b in sorted(bins):
        hits = bins[b]
        right = _share(sum(hits), len(hits))
        print(f"    top score {b / 5:.1f}–{(b + 1) / 5:.1f}: {len(hits):>3} lines, right {right:6.1%}")


def _print_phrase_overlap(results: Sequence[tuple[Utterance, MatchResult]]) -> None:
    """Top-1 apart for the lines that contain a lexicon phrase word for word: the same person wrote the
    held-out lines and then the lexicon, so those lines measure memory as much as the matcher."""
    phrases = {fold(p) for entry in load_lexicon().services.values() for p in entry.phrases if " " in fold(p)}
    groups: dict[bool, list[bool]] = {True: [], False: []}
    for u, r in results:
        if u.codes:
            padded = f" {fold(u.text)} "
            verbatim = any(f" {phrase} " in padded for phrase in phrases)
            groups[verbatim].append(bool(r.candidates) and r.candidates[0].service_id in u.codes)
    for verbatim, label in ((True, "with"), (False, "without")):
        hits = groups[verbatim]
        top1 = _share(sum(hits), len(hits))
        print(f"    lines {label} a lexicon phrase verbatim: {len(hits):>4}, top-1 {top1:6.1%}")


def _print_complaints(matcher: Matcher) -> None:
    if not COMPLAINTS.exists():
        print(f"\nReal complaints: {COMPLAINTS} not found, not scored")
        return
    complaints = load_complaints()
    print(f"\nReal municipal complaints ({COMPLAINTS.name}; targets: auto <= 1 %, none >= 92 %):")
    for name, shares in complaint_shares(matcher, complaints).items():
        print(
            f"  {name:<28} lines {shares.lines:>4}  none {shares.none:6.1%}  ask {shares.ask:6.1%}  "
            f"auto {shares.auto:5.1%}"
        )
    report = labelled_in_scope(matcher, complaints)
    print(
        f"  labelled as possible IT requests (05.23.011/012): {report.lines} lines, "
        f"rejected {report.in_scope_rejected:.1%}, top-3 {report.top3:.1%}, auto {report.auto_rate:.1%}"
    )


def score_batch(matcher: Matcher, rows: Sequence[Utterance]) -> None:
    """A batch's first-sight figures, for lines the matcher has not learned yet, then its misses (a batch
    is learned afterwards, so its lines may be read; never pass a blind split)."""
    results = run_matcher(matcher, rows)
    report = evaluate(results)
    autos = [(u, r) for u, r in results if r.decision == "auto"]
    right = sum(bool({c.service_id for c in r.candidates[:1]} & u.codes) for u, r in autos)
    _print_report("batch", report)
    print(f"    automatic decisions right: {right} / {len(autos)}")
    for u, r in results:
        hit = bool({c.service_id for c in r.candidates[:1]} & u.codes) if u.codes else r.decision == "none"
        if not hit or r.decision == "none" or (r.decision == "auto" and not hit):
            shown = ", ".join(f"{c.service_id} {c.score:.2f}" for c in r.candidates[:3])
            print(f"{sorted(u.codes) or 'OOS'} {r.decision:<4} | {u.text} | {shown}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.nlu_eval")
    parser.add_argument(
        "--calibrate", action="store_true", help="refit nlu/data/calibration.yaml on the tuning split"
    )
    parser.add_argument("--errors", action="store_true", help="list the tuning split's mistakes")
    parser.add_argument(
        "--mode", choices=SUFFIX_MODES, default=DEFAULT_SUFFIX_MODE, help="suffix mode for --errors"
    )
    parser.add_argument("--noisy", action="store_true", help="with --errors: also the noisy tuning variants")
    parser.add_argument("--split", choices=SPLITS, action="append", help="report only these splits")
    parser.add_argument(
        "--batch", type=Path, help="score a new batch of labelled lines ({text, codes}) and list its misses"
    )
    args = parser.parse_args(argv)

    catalog = load_catalog()
    if args.batch:
        score_batch(build_matcher(catalog), load_utterances(args.batch, split="batch"))
        return 0
    tune = load_tune()

    if args.calibrate:
        matcher = cross_validated(catalog, DEFAULT_SUFFIX_MODE, tune).matcher
        header = (
            "# Written by `python -m benchmarks.nlu_eval --calibrate`: fitted on the tuning lines\n"
            f"# (nlu/data/examples.jsonl), {FOLDS}-fold cross-validated (see benchmarks/nlu_eval.py and\n"
            "# nlu/calibration.py). Thresholds: the highest auto rate whose decisions are right\n"
            f"# >= {AUTO_PRECISION_GOAL:.0%} there; the none threshold with the best out-of-scope recall\n"
            f"# that rejects <= {REJECTION_BUDGET:.0%} of IT requests there.\n"
        )
        save_calibration(matcher.calibration, DEFAULT_CALIBRATION, header)
        print(f"wrote {DEFAULT_CALIBRATION}: {matcher.calibration}")

    if args.errors:
        mistakes = cross_validated(catalog, args.mode, tune)
        for u, r in [*mistakes.results, *(mistakes.noisy if args.noisy else [])]:
            right = (
                bool({c.service_id for c in r.candidates[:1]} & u.codes) if u.codes else r.decision == "none"
            )
            if not right or (r.decision == "auto" and not u.codes):
                shown = ", ".join(f"{c.service_id} {c.score:.2f}" for c in r.candidates[:3])
                print(f"{sorted(u.codes) or 'OOS'} {r.decision:<4} in={r.in_scope:.2f} | {u.text} | {shown}")
        return 0

    # Only the report reads the blind lines, only to score them, and only when asked for a blind split.
    splits = args.split or SPLITS
    rows = [*load_utterances(), *(load_blind_utterances() if any(map(is_blind, splits)) else [])]
    by_split = {
        split: [u for u in rows if (is_blind(u.split) if split == "blind-all" else u.split == split)]
        for split in splits
        if split not in ("tune", "complaints")
    }
    validated = (
        {mode: cross_validated(catalog, mode, tune) for mode in SUFFIX_MODES} if "tune" in splits else {}
    )

    def results(matcher: Matcher, mode: SuffixMode) -> dict[str, list[tuple[Utterance, MatchResult]]]:
        tuned = {"tune": validated[mode].results, "tune-noisy": validated[mode].noisy} if validated else {}
        return tuned | {split: run_matcher(matcher, split_rows) for split, split_rows in by_split.items()}

    print(
        f"Matcher ({DEFAULT_SUFFIX_MODE} suffix mode, bundled calibration; tune lines {FOLDS}-fold "
        f"cross-validated), {len(tune) + len(rows)} utterances"
    )
    for split, split_results in results(build_matcher(catalog), DEFAULT_SUFFIX_MODE).items():
        report = evaluate(split_results)
        _print_report(split, report)
        if not is_blind(split):  # which services a blind line was confused with is a hint at its wording
            print(
                "    most frequent confusions (expected → got): "
                + ", ".join(f"{expected}→{got} ×{count}" for (expected, got), count in report.confusions)
            )
        _print_reliability(split_results)
        _print_phrase_overlap(split_results)

    if "complaints" in splits:
        _print_complaints(build_matcher(catalog))

    if validated:
        print("\nSuffix tolerance, each calibrated and thresholded on the tuning split:")
        for mode, cross in validated.items():
            print(f" {mode}:")
            for split, split_results in results(cross.matcher, mode).items():
                _print_report(split, evaluate(split_results))

    if "tune" in splits:
        by_split = {"tune": tune, "tune-noisy": noisy_variants(tune)} | by_split
    print("\nBaseline: rapidfuzz.process.extract(text, titles) with the default scorer (WRatio):")
    for label, processor in (
        ("processor=None (the default)", None),
        ("utils.default_process", utils.default_process),
    ):
        for split in by_split:
            top1, top3 = baseline_topk(catalog, by_split[split], processor)
            print(
                f"  {label:<30} {split:<10} top-1 {top1:6.1%}  top-3 {top3:6.1%}  (no out-of-scope detection)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
