"""Storage's domain errors as Turkish messages."""

from __future__ import annotations

from bot import texts
from storage.errors import IllegalTransition, KvkkNotAccepted, NotAuthorised, StorageError, TicketNotFound


def explain(exc: StorageError) -> str:
    if isinstance(exc, TicketNotFound):
        return texts.ticket_not_found(exc.number)
    if isinstance(exc, IllegalTransition):
        if exc.operation == "cancel":
            return texts.cannot_cancel(exc.number, exc.status)
        return texts.action_not_allowed(exc.number, exc.status)
    if isinstance(exc, NotAuthorised):
        return texts.NOT_YOUR_TICKET if exc.operation != "follow up" else texts.NOT_YOUR_REQUEST
    if isinstance(exc, KvkkNotAccepted):
        return texts.KVKK_REQUIRED
    return texts.DOMAIN_ERROR
