"""Storage's domain errors as Turkish messages."""

from __future__ import annotations

import re

from bot import texts
from storage.errors import (
    IllegalTransition,
    KvkkNotAccepted,
    NotAuthorised,
    RatingFinal,
    StorageError,
    TicketNotFound,
)

# A number typed with /durum or /iptal that is not the requester's: as if it did not exist, so nobody learns
# about other people's tickets by trying numbers.
_TYPED_NUMBER_OPERATIONS = frozenset({"status", "cancel"})
# What only the requester does; anything else refused is staff work.
_REQUESTER_OPERATIONS = frozenset({"follow up", "answer", "confirm", "reopen", "rate"})
_TICKET_NUMBER = re.compile(r"BIM-\d{4}-\d{6}", re.IGNORECASE)


def explain(exc: StorageError) -> str:
    if isinstance(exc, TicketNotFound) or (
        isinstance(exc, NotAuthorised) and exc.operation in _TYPED_NUMBER_OPERATIONS
    ):
        return texts.ticket_not_found(exc.number, bool(_TICKET_NUMBER.fullmatch(exc.number.strip())))
    if isinstance(exc, IllegalTransition):
        if exc.operation == "cancel":
            return texts.cannot_cancel(exc.number, exc.status)
        if exc.operation == "attach":
            return texts.cannot_attach(exc.number, exc.status)
        return texts.action_not_allowed(exc.number, exc.status)
    if isinstance(exc, NotAuthorised):
        return texts.NOT_YOUR_REQUEST if exc.operation in _REQUESTER_OPERATIONS else texts.NOT_YOUR_TICKET
    if isinstance(exc, RatingFinal):
        return texts.rating_final(exc.number)
    if isinstance(exc, KvkkNotAccepted):
        return texts.KVKK_REQUIRED
    return texts.DOMAIN_ERROR
