"""Labelled example messages (nlu/data/examples.jsonl): how people really asked for each service.

Each line is {"text": ..., "codes": [service ids]} ([] for a message that is no IT request). The index reads
every example as one more phrase of its services (or of out of scope), so wording that the hand-written
lexicon lacks still counts. The lines are the evaluation's tuning split too: `make eval` scores them by
cross-validation, each with an index built without it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from nlu.lexicon import LexiconError

DEFAULT_EXAMPLES = Path(__file__).parent / "data" / "examples.jsonl"


@dataclass(frozen=True)
class LabelledExample:
    text: str
    codes: frozenset[str]  # service ids; empty: out of scope


def load_examples(path: Path | None = None) -> tuple[LabelledExample, ...]:
    """Read an examples file (None: the bundled one); a bad line is named by file and line number."""
    path = path or DEFAULT_EXAMPLES
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    examples = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            text, codes = raw["text"], raw["codes"]
        except (ValueError, TypeError, KeyError) as exc:
            raise LexiconError(f'{path}:{number}: expected {{"text": ..., "codes": [...]}}: {exc}') from exc
        if (
            not isinstance(text, str)
            or not isinstance(codes, list)
            or not all(isinstance(c, str) for c in codes)
        ):
            raise LexiconError(f"{path}:{number}: text must be a string and codes a list of service ids")
        examples.append(LabelledExample(text, frozenset(codes)))
    return tuple(examples)
