"""How deep a webhook body may nest (bot.json_body): counted outside strings, refused beyond MAX_DEPTH."""

from __future__ import annotations

import json

from bot.json_body import MAX_DEPTH, too_deep


def _nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def test_nesting_up_to_the_limit_passes_and_one_level_more_is_refused() -> None:
    assert not too_deep(_nested(MAX_DEPTH))
    assert too_deep(_nested(MAX_DEPTH + 1))
    assert too_deep(_nested(100_000))


def test_many_brackets_side_by_side_are_no_depth() -> None:
    wide = json.dumps([{"id": i, "tags": [i, [i]]} for i in range(500)]).encode()
    assert not too_deep(wide)


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"text": "[" * 500 + '{"quoted \\" [' + "}" * 10, "entities": [[1]]}).encode()
    assert not too_deep(text)
    assert too_deep(json.dumps({"text": "[["}).encode()[:-1] + _nested(MAX_DEPTH) + b"}")
