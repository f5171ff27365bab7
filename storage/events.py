"""The append-only ticket event trail, and the one place events turn into planned notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage import notifications, sla_plan
from storage.models import EventKind, Person, Ticket, TicketEvent, TicketStatus


def record(
    session: Session,
    ticket: Ticket,
    kind: EventKind,
    actor: Person | None,
    now: datetime,
    *,
    from_status: TicketStatus | None = None,
    note: str | None = None,
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    """Appends an event (to_status is the ticket's status now) and plans the notifications it implies, in
    the caller's transaction."""
    event = TicketEvent(
        ticket_id=ticket.id,
        at=now,
        actor_id=actor.id if actor else None,
        kind=kind.value,
        from_status=from_status,
        to_status=ticket.status,
        note=note,
        data=data,
    )
    session.add(event)
    session.flush()  # the event id is part of the notification keys
    notifications.plan_for_event(session, ticket, event)  # first: retires the SLA rows made moot
    sla_plan.plan_for_event(session, ticket, event)  # then: SLA rows for the new deadlines
    return event
