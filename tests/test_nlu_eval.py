"""The labelled utterances, and the matcher's quality targets on the held-out split (issue 3).

The held-out lines were written before the lexicon and never used to tune it or the thresholds; these
assertions make a regression fail CI.
"""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.nlu_eval import BLIND_FILES, Report, Utterance, evaluate, load_utterances, run_matcher
from catalog.loader import load_catalog
from nlu import build_matcher


@pytest.fixture(scope="module")
def utterances() -> list[Utterance]:
    return load_utterances()


@pytest.fixture(scope="module")
def heldout(utterances: list[Utterance]) -> Report:
    matcher = build_matcher(load_catalog())
    return evaluate(run_matcher(matcher, [u for u in utterances if u.split == "heldout"]))


def test_the_data_set_is_large_varied_and_labelled_with_active_service_ids(
    utterances: list[Utterance],
) -> None:
    active = {service.id for service in load_catalog().active_services()}
    assert len(utterances) >= 500
    assert sum(not u.codes for u in utterances) >= 60
    assert {u.split for u in utterances} == {"tune", "heldout"}
    assert all(u.codes <= active for u in utterances)
    per_service = Counter(code for u in utterances for code in u.codes)
    assert {code for code, count in per_service.items() if count >= 6} == active
    texts = [u.text for u in utterances]
    assert len(set(texts)) == len(texts), "a line in both splits would leak the held-out split"


def test_every_active_service_is_in_the_heldout_split(utterances: list[Utterance]) -> None:
    active = {service.id for service in load_catalog().active_services()}
    assert {code for u in utterances if u.split == "heldout" for code in u.codes} == active


def test_heldout_top1_and_top3(heldout: Report) -> None:
    assert heldout.top1 >= 0.92
    assert heldout.top3 >= 0.98


def test_heldout_out_of_scope_recall_with_few_in_scope_rejections(heldout: Report) -> None:
    assert heldout.oos_recall >= 0.90
    assert heldout.in_scope_rejected <= 0.03


def test_heldout_automatic_decisions_are_right(heldout: Report) -> None:
    assert heldout.auto_precision >= 0.97
    assert heldout.auto_rate > 0.5  # the matcher still decides most lines by itself


@pytest.fixture(scope="module")
def blind() -> dict[str, Report]:
    matcher = build_matcher(load_catalog())
    return {
        split: evaluate(run_matcher(matcher, load_utterances(path, split=split)))
        for split, path in BLIND_FILES.items()
    }


@pytest.mark.parametrize("split", BLIND_FILES)
def test_blind_split_is_disjoint_and_labelled_with_active_service_ids(
    utterances: list[Utterance], split: str
) -> None:
    rows = load_utterances(BLIND_FILES[split], split=split)
    active = {service.id for service in load_catalog().active_services()}
    assert len(rows) >= 200
    assert sum(not u.codes for u in rows) >= 40
    assert all(u.codes <= active for u in rows)
    others = [
        u for other, path in BLIND_FILES.items() if other != split for u in load_utterances(path, other)
    ]
    # Two authors may both write a one-word greeting; anything longer in both would mean a copied line.
    shared = {u.text for u in rows} & {u.text for u in [*utterances, *others]}
    assert all(len(text.split()) == 1 for text in shared), shared


# The blind splits (other authors, who never saw the lexicon) miss some of the targets; these floors
# are the figures measured when each was added or last improved (README, "Measured quality"), so a regression
# fails while an improvement is free. Raise them when the matcher gets better; never tune on the blind lines.
BLIND_FLOORS = {
    "blind": {
        "top1": 0.93,
        "top3": 0.97,
        "oos_recall": 0.95,
        "in_scope_rejected": 0.03,
        "auto_precision": 0.94,
    },
    # measured with the matcher of before it was added: top-1 88.4 %, top-3 96.9 %, OOS recall 78.0 %
    "blind-2": {
        "top1": 0.88,
        "top3": 0.96,
        "oos_recall": 0.78,
        "in_scope_rejected": 0.03,
        "auto_precision": 0.92,
    },
}


@pytest.mark.parametrize("split", BLIND_FILES)
def test_blind_split_does_not_regress(blind: dict[str, Report], split: str) -> None:
    report, floors = blind[split], BLIND_FLOORS[split]
    assert report.top1 >= floors["top1"]
    assert report.top3 >= floors["top3"]
    assert report.oos_recall >= floors["oos_recall"]
    assert report.in_scope_rejected <= floors["in_scope_rejected"]
    assert report.auto_precision >= floors["auto_precision"]
