"""What reaches the log: secrets redacted everywhere, chatty HTTP libraries kept at WARNING.

httpx logs every request line at INFO, and a Telegram Bot API URL carries the bot token; PTB and aiohttp put
URLs into exception messages too. So the token is kept out twice: the HTTP libraries stay at WARNING whatever
LOG_LEVEL says, and every handler's formatter replaces each configured secret, in messages and tracebacks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# Libraries whose INFO and DEBUG lines are request URLs and headers.
QUIET_LIBRARIES = ("httpx", "httpcore", "hpack", "urllib3", "msal")
REDACTED = "[redacted]"
# PostgreSQL's DETAIL line quotes the row or key values ("Failing row contains (…)", "Key (email)=(…)").
# SQLAlchemy's hide_parameters keeps the statement's parameters out; this keeps the server's echo of them out.
SERVER_DETAIL = re.compile(r"^\s*DETAIL:.*$", re.MULTILINE)


class RedactingFormatter(logging.Formatter):
    """Formats as `inner` does, then replaces every secret and PostgreSQL's DETAIL lines with [redacted]."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self._inner = inner
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = SERVER_DETAIL.sub(f"DETAIL: {REDACTED}", self._inner.format(record))
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


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
