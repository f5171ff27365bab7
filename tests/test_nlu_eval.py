"""The labelled utterances, and the matcher's quality targets on the held-out split (issue 3).

The held-out lines were written before the lexicon and never used to tune it or the thresholds; these
assertions make a regression fail CI. The tuning lines are the matcher's own examples (nlu/data/).
"""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.nlu_eval import (
    BLIND_FILES,
    COMPLAINTS,
    Complaint,
    Report,
    Utterance,
    complaint_shares,
    evaluate,
    load_complaints,
    load_tune,
    load_utterances,
    run_matcher,
)
from catalog.loader import load_catalog
from nlu import build_matcher


@pytest.fixture(scope="module")
def utterances() -> list[Utterance]:
    """The tuning lines (the matcher's own examples, nlu/data/examples.jsonl) and the held-out lines."""
    return [*load_tune(), *load_utterances()]


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


# The blind splits (other authors, who never saw the lexicon) are scored, never tuned on; these floors sit
# just under the figures measured at the last scoring (README, "Measured quality"), so a regression fails
# while an improvement is free. Raise them when the matcher gets better.
BLIND_FLOORS = {
    "blind": {
        "top1": 0.96,
        "top3": 0.98,
        "oos_recall": 0.95,
        "in_scope_rejected": 0.01,
        "auto_precision": 0.99,
    },
    "blind-2": {
        "top1": 0.95,
        "top3": 0.98,
        "oos_recall": 0.92,
        "in_scope_rejected": 0.01,
        "auto_precision": 0.97,
    },
}


@pytest.mark.parametrize("split", BLIND_FILES)
def test_blind_split_does_not_regress(blind: dict[str, Report], split: str) -> None:
    # Only the figures, so that a failure never prints which services the blind lines were confused with.
    figures = {name: getattr(blind[split], name) for name in BLIND_FLOORS[split]}
    below = {
        name: round(value, 4)
        for name, value in figures.items()
        if name != "in_scope_rejected" and value < BLIND_FLOORS[split][name]
    }
    if figures["in_scope_rejected"] > BLIND_FLOORS[split]["in_scope_rejected"]:
        below["in_scope_rejected"] = round(figures["in_scope_rejected"], 4)
    assert not below, f"{split} below its floors {BLIND_FLOORS[split]}: {below}"


# Real municipal complaints (../shared/data, never copied into the repository): almost none is an IT
# request, so the matcher must turn them away, and must never make one an automatic IT ticket.
@pytest.fixture(scope="module")
def complaints() -> list[Complaint]:
    if not COMPLAINTS.exists():
        pytest.skip(f"{COMPLAINTS} is not here: the real complaints are kept outside the repository")
    return load_complaints()


def test_complaint_labels_still_point_at_the_lines_that_were_read(complaints: list[Complaint]) -> None:
    labelled = [c for c in complaints if c.codes]
    assert 10 <= len(labelled) <= 0.02 * len(complaints)  # load_complaints checks each line's hash
    assert all(c.codes == {"05.23.011", "05.23.012"} for c in labelled)


def test_real_complaints_are_turned_away_and_never_decided_automatically(
    complaints: list[Complaint],
) -> None:
    shares = complaint_shares(build_matcher(load_catalog()), complaints)
    overall = shares["all"]
    assert overall.lines == len(complaints)
    assert overall.auto <= 0.01, shares
    assert overall.none >= 0.92, shares
