"""Turning raw evidence into probabilities, and the decision thresholds over them.

The matcher's raw score of a service is a sum of IDF-weighted word evidence; it grows with the length of
the message and means nothing on its own. The calibrated score is a softmax over all services plus one
"not an IT request" outcome:

    P(service s) ∝ exp(S_s / T)          P(out of scope) ∝ exp((B + W·O) / T)

with S_s the raw score of s, O the raw score of the out-of-scope lexicon, T a temperature, B the evidence a
message needs before it counts as an IT request at all, and W the weight of out-of-scope words. T, B and W
are fitted by maximum likelihood on the tuning split (``python -m benchmarks.nlu_eval --calibrate``),
so a score of 0.9 means right about nine times in ten there. The thresholds are then chosen on the same
split, and every value lands in nlu/data/calibration.yaml, which the matcher reads when it is built.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

DEFAULT_CALIBRATION = Path(__file__).parent / "data" / "calibration.yaml"


@dataclass(frozen=True)
class Thresholds:
    """auto: top score ≥ auto and top − second ≥ margin; none: P(IT request) < none; otherwise ask."""

    auto: float
    margin: float
    none: float

    def __post_init__(self) -> None:
        for name in ("auto", "margin", "none"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"matcher threshold {name}={value} must lie between 0 and 1")


@dataclass(frozen=True)
class Calibration:
    temperature: float
    null_bias: float
    oos_weight: float
    thresholds: Thresholds

    def probabilities(self, scores: Sequence[float], oos_score: float) -> tuple[list[float], float]:
        """Calibrated P(service) for each raw score, and P(out of scope)."""
        logits = [score / self.temperature for score in scores]
        oos_logit = (self.null_bias + self.oos_weight * oos_score) / self.temperature
        top = max(oos_logit, *logits) if logits else oos_logit
        weights = [math.exp(logit - top) for logit in logits]
        oos_weight = math.exp(oos_logit - top)
        total = sum(weights) + oos_weight
        return [weight / total for weight in weights], oos_weight / total


def load_calibration(path: Path | None = None) -> Calibration:
    raw = yaml.safe_load((path or DEFAULT_CALIBRATION).read_text(encoding="utf-8"))
    return Calibration(
        temperature=float(raw["temperature"]),
        null_bias=float(raw["null_bias"]),
        oos_weight=float(raw["oos_weight"]),
        thresholds=Thresholds(**{name: float(value) for name, value in raw["thresholds"].items()}),
    )


def save_calibration(calibration: Calibration, path: Path, header: str) -> None:
    body = yaml.safe_dump(asdict(calibration), sort_keys=False, allow_unicode=True)
    path.write_text(header + body, encoding="utf-8")


# One labelled example for fitting: the raw score of every service, the out-of-scope score, and the
# indexes of the right services (empty: out of scope).
Example = tuple[Sequence[float], float, frozenset[int]]


def log_likelihood(
    temperature: float, null_bias: float, oos_weight: float, examples: Sequence[Example]
) -> float:
    total = 0.0
    for scores, oos_score, gold in examples:
        # Services without evidence all have logit 0; they are counted, not exponentiated one by one.
        logits = [score / temperature for score in scores if score > 0.0]
        oos_logit = (null_bias + oos_weight * oos_score) / temperature
        top = max(0.0, oos_logit, *logits)
        partition = (len(scores) - len(logits)) * math.exp(-top) + math.exp(oos_logit - top)
        partition += sum(math.exp(logit - top) for logit in logits)
        if gold:
            right = sum(math.exp(scores[i] / temperature - top) for i in gold)
        else:
            right = math.exp(oos_logit - top)
        total += math.log(max(right / partition, 1e-300))
    return total


def fit(examples: Sequence[Example], thresholds: Thresholds) -> Calibration:
    """Maximum-likelihood temperature, null bias and out-of-scope weight, by coordinate search."""
    params = [1.0, 2.0, 1.0]  # temperature, null bias, out-of-scope weight
    steps = [0.5, 1.0, 0.5]
    lower = [0.05, -20.0, 0.0]
    best = log_likelihood(params[0], params[1], params[2], examples)
    while max(steps) > 1e-2:
        improved = False
        for i in range(3):
            for direction in (1.0, -1.0):
                trial = list(params)
                trial[i] = max(lower[i], trial[i] + direction * steps[i])
                value = log_likelihood(trial[0], trial[1], trial[2], examples)
                if value > best + 1e-9:
                    params, best, improved = trial, value, True
                    break
        if not improved:
            steps = [step / 2 for step in steps]
    return Calibration(round(params[0], 4), round(params[1], 4), round(params[2], 4), thresholds)
