"""What reaches the log: secrets redacted everywhere, chatty HTTP libraries kept at WARNING.

httpx logs every request line at INFO, and a Telegram Bot API URL carries the bot token; PTB and aiohttp put
URLs into exception messages too. So the token is kept out twice: the HTTP libraries stay at WARNING whatever
LOG_LEVEL says, and every handler's formatter replaces each configured secret, in messages and tracebacks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

# Libraries whose INFO and DEBUG lines are request URLs and headers.
QUIET_LIBRARIES = ("httpx", "httpcore", "hpack", "urllib3", "msal")
REDACTED = "[redacted]"
# PostgreSQL's DETAIL quotes the row or key values ("Failing row contains (…)", "Key (email)=(…)"), and
# psycopg puts it into the exception's text. SQLAlchemy's hide_parameters keeps the statement's parameters
# out; the server's echo of them is cut here: the detail of every database error a record carries is
# replaced wherever it appears (over several lines, or escaped by a repr), and any other DETAIL line too.
SERVER_DETAIL = re.compile(r"^\s*DETAIL:.*$", re.MULTILINE)


class RedactingFormatter(logging.Formatter):
    """Formats as `inner` does, then replaces every secret and PostgreSQL's DETAIL text with [redacted]."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self._inner = inner
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = self._inner.format(record)
        for detail in _server_details(record):
            text = text.replace(detail, REDACTED).replace(repr(detail)[1:-1], REDACTED)
        text = SERVER_DETAIL.sub(f"DETAIL: {REDACTED}", text)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def _server_details(record: logging.LogRecord) -> set[str]:
    """The DETAIL of each database error in the record's exception or arguments, with their causes."""
    args = record.args.values() if isinstance(record.args, Mapping) else record.args or ()
    pending = [a for a in args if isinstance(a, BaseException)]
    if record.exc_info and record.exc_info[1] is not None:
        pending.append(record.exc_info[1])
    seen: set[int] = set()
    details: set[str] = set()
    while pending:
        error = pending.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        detail = getattr(getattr(error, "diag", None), "message_detail", None)  # psycopg's errors
        if isinstance(detail, str) and detail:
            details.add(detail)
        # SQLAlchemy wraps the driver's error as `orig`
        linked = (getattr(error, "orig", None), error.__cause__, error.__context__)
        pending.extend(e for e in linked if isinstance(e, BaseException))
    return details


def protect(level: str, secrets: Iterable[str]) -> None:
    """Sets the root level (ValueError for an unknown one), quiets the HTTP libraries and redacts `secrets`
    in every handler of the root logger."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    wanted = [s for s in secrets if s]
    for handler in root.handlers:
        inner = handler.formatter or logging.Formatter()
        if isinstance(inner, RedactingFormatter):
            inner = inner._inner
        handler.setFormatter(RedactingFormatter(inner, wanted))
