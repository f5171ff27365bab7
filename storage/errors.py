"""Domain errors of storage: each has a machine-readable `code` that the bot turns into a Turkish message.

The English message is for logs and operators; users never see it.
"""

from __future__ import annotations


class StorageError(Exception):
    code = "storage_error"


class TicketNotFound(StorageError):
    code = "ticket_not_found"

    def __init__(self, number: str) -> None:
        super().__init__(f"no ticket {number}")
        self.number = number


class IllegalTransition(StorageError):
    """The ticket's status does not allow the operation (e.g. resolving a closed ticket)."""

    code = "illegal_transition"

    def __init__(self, number: str, status: str, operation: str) -> None:
        super().__init__(f"ticket {number} is {status}: cannot {operation}")
        self.number = number
        self.status = status
        self.operation = operation


class NotAuthorised(StorageError):
    """The actor may not do this to the ticket (not its requester, not staff of its team, not a lead)."""

    code = "not_authorised"

    def __init__(self, number: str, actor_id: int, operation: str) -> None:
        super().__init__(f"person {actor_id} may not {operation} ticket {number}")
        self.number = number
        self.actor_id = actor_id
        self.operation = operation


class InvalidInput(StorageError):
    """A value the operation cannot accept (empty resolution note, rating outside 1-5, ...)."""

    code = "invalid_input"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class RatingFinal(StorageError):
    """The requester already rated the ticket and changed the rating once (see tickets.MAX_RATINGS)."""

    code = "rating_final"

    def __init__(self, number: str) -> None:
        super().__init__(f"ticket {number} was already rated and re-rated")
        self.number = number


class KvkkNotAccepted(StorageError):
    """A citizen's personal data may only be stored after they accept the KVKK notice."""

    code = "kvkk_not_accepted"

    def __init__(self, person_id: int | None) -> None:
        super().__init__(f"person {person_id} has not accepted the KVKK notice: personal data not stored")
        self.person_id = person_id


class ServiceUnavailable(StorageError):
    """The service cannot be requested (inactive placeholder, no SLA durations)."""

    code = "service_unavailable"

    def __init__(self, service_id: str) -> None:
        super().__init__(f"service {service_id} cannot be requested")
        self.service_id = service_id


class AppendOnlyViolation(StorageError):
    """Ticket events are an audit trail: they are never changed or deleted (privacy purge aside)."""

    code = "append_only"

    def __init__(self, event_id: int) -> None:
        super().__init__(f"ticket event {event_id} is append-only")
        self.event_id = event_id
