"""Every text stored fits its column and carries no control characters, on SQLite as on PostgreSQL.

PostgreSQL refuses NUL in text and JSON and a string longer than its VARCHAR; SQLite stores both, so the same
input would behave differently per database (and on PostgreSQL a failed flush breaks the conversation for
good). A mapper listener cleans each row before it is written: control characters other than tab and newline
are removed, and a text longer than its column is cut with "…". JSON values are cleaned recursively.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from sqlalchemy import JSON, String, event
from sqlalchemy.orm import Mapper

ELLIPSIS = "…"
# C0 controls but tab and newline, DEL and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str, limit: int | None = None) -> str:
    """`text` without control characters (\\r\\n becomes \\n), cut to `limit` characters with "…"."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n"))
    if limit is not None and len(text) > limit:
        return text[: limit - 1] + ELLIPSIS
    return text


def clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    return value


def _clean_row(mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    for prop in mapper.column_attrs:
        column_type = prop.columns[0].type
        value = getattr(target, prop.key, None)
        if isinstance(value, str) and isinstance(column_type, String):
            cleaned = clean_text(value, column_type.length)
        elif isinstance(column_type, JSON) and value is not None:
            cleaned = clean_json(value)
        else:
            continue
        if cleaned != value:
            setattr(target, prop.key, cleaned)


def bound_every_table(base: type[Any]) -> None:
    """Installs the cleaning on every mapped class of `base` (storage.models calls it once)."""
    event.listen(base, "before_insert", _clean_row, propagate=True)
    event.listen(base, "before_update", _clean_row, propagate=True)


def clean_fields(value: Any) -> Any:
    """A frozen dataclass (an inbound event, an account reference) with every text in it cleaned, so it can
    also be used in a query: PostgreSQL refuses a NUL even in a WHERE clause."""
    if type(value) is str:  # not a StrEnum member
        return clean_text(value)
    if isinstance(value, tuple):
        return tuple(clean_fields(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: clean_fields(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value
