"""A webhook's JSON body, read without letting its nesting reach the interpreter's recursion limit.

The json module recurses once per level: a body of 100,000 "[" made it raise RecursionError near the limit,
where anything else that runs at that moment (the garbage collector finalizing an object) fails too. Real
activities and updates nest a dozen levels, so a body nested deeper than MAX_DEPTH is refused unparsed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

MAX_DEPTH = 64
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


class MalformedJson(ValueError):
    """The body is no JSON, or nests deeper than MAX_DEPTH."""


def too_deep(body: bytes) -> bool:
    """Whether a JSON text nests deeper than MAX_DEPTH. Fewer brackets than that in all settle it at once
    (most bodies); otherwise the brackets outside strings are counted as they open and close."""
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return False
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub(b"", body)):
        depth += 1 if bracket.group() in (b"[", b"{") else -1
        if depth > MAX_DEPTH:
            return True
    return False


async def read_json(request: web.Request) -> Any:
    """The request's body as JSON; MalformedJson when it is none or nests too deep."""
    body = await request.read()
    if too_deep(body):
        raise MalformedJson(f"nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(body)
    except ValueError as exc:  # includes UnicodeDecodeError
        raise MalformedJson(str(exc)) from exc
