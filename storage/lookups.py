"""Read-only queries the chat commands need (/taleplerim, /islerim, forwarding choices)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import OPEN_STATUSES, ChatAccount, ChatChannel, Person, PersonKind, Ticket


def tickets_of_requester(session: Session, person_id: int, limit: int = 10) -> list[Ticket]:
    """The person's most recent tickets, newest first."""
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.requester_id == person_id)
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .limit(limit)
        )
    )


def open_tickets_of_assignee(session: Session, person_id: int, limit: int = 20) -> list[Ticket]:
    """Open tickets assigned to the person, the most urgent first."""
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.assignee_id == person_id, Ticket.status.in_(OPEN_STATUSES))
            .order_by(Ticket.resolution_due, Ticket.id)
            .limit(limit)
        )
    )


def active_staff(session: Session, team_id: int | None = None) -> list[Person]:
    """Active IT staff, of one team when given, by name."""
    query = select(Person).where(Person.kind == PersonKind.STAFF, Person.active.is_(True))
    if team_id is not None:
        query = query.where(Person.team_id == team_id)
    return list(session.scalars(query.order_by(Person.name, Person.id)))


def staff_external_ids(session: Session, channel: ChatChannel) -> list[str]:
    """The chat account ids of active IT staff on a channel (for their command menus)."""
    return list(
        session.scalars(
            select(ChatAccount.external_id)
            .join(Person)
            .where(
                ChatAccount.channel == channel,
                ChatAccount.blocked.is_(False),
                Person.kind == PersonKind.STAFF,
                Person.active.is_(True),
            )
            .order_by(ChatAccount.id)
        )
    )
