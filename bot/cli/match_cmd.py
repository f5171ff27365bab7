"""`talepbot match`: which catalog service a free text is about, as JSON (one text, or JSON lines)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli.catalog_cmd import configured_catalog
from bot.cli.errors import CliError
from bot.settings import get_settings
from bot.wiring import build_configured_matcher
from nlu import Matcher, MatchResult

MAX_CANDIDATES = 5


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("match", help="serbest metni katalogdaki hizmetlerle eşleştir (JSON)")
    parser.add_argument("text", nargs="?", help="eşleştirilecek metin")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help='standart girdiden {"text": ...} satırları oku, her biri için bir JSON satırı yaz',
    )
    parser.set_defaults(handler=_match)


def result_json(result: MatchResult) -> dict[str, Any]:
    return {
        "text": result.text,
        "decision": result.decision,
        "candidates": [
            {"id": c.service_id, "code": c.code, "title": c.title, "score": round(c.score, 4)}
            for c in result.candidates
        ],
    }


def _matcher() -> Matcher:
    try:
        return build_configured_matcher(get_settings(), configured_catalog())
    except ValueError as exc:  # a lexicon that does not fit the catalog, a threshold outside 0..1
        raise CliError(str(exc), exit_code=1) from None


def _match(args: argparse.Namespace) -> int:
    if args.jsonl == (args.text is not None):
        raise CliError("give either one text or --jsonl (JSON lines on standard input)")
    matcher = _matcher()
    if not args.jsonl:
        print(json.dumps(result_json(matcher.match(args.text, k=MAX_CANDIDATES)), ensure_ascii=False))
        return 0
    failures = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            text = json.loads(line)["text"]
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            # One answer per input line, in order: a bad line gets an error object instead of a result.
            failures += 1
            answer: dict[str, Any] = {"line": number, "error": 'expected a JSON object {"text": "..."}'}
        else:
            answer = result_json(matcher.match(text, k=MAX_CANDIDATES))
        print(json.dumps(answer, ensure_ascii=False), flush=False)
    sys.stdout.flush()
    if failures:
        print(f"talepbot: {failures} input line(s) were not {{'text': ...}} objects", file=sys.stderr)
        return 1
    return 0
