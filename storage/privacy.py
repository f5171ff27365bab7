"""KVKK: anonymising closed citizen tickets after the retention period, keeping the statistics; deleting
citizens who declined the notice, or who have had no ticket and no contact for the retention period.

What identifies or describes the citizen goes: the request text, location, contact, resolution note,
attachments, the texts of the ticket's events (questions, answers, notes, file names and the captions sent
with files), and the link to the person, whose own name, phone and e-mail are cleared once no ticket of
theirs is left un-anonymised. What the statistics need stays: number, service, team, assignee, status, every
timestamp and deadline, paused time, rating.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from storage.models import (
    Attachment,
    ChatAccount,
    EventKind,
    Person,
    PersonKind,
    Ticket,
    TicketEvent,
    TicketStatus,
)

ANONYMISED_TEXT = ""
_FINISHED = (TicketStatus.CLOSED, TicketStatus.CANCELLED)


def purge(session: Session, now: datetime, older_than: timedelta) -> int:
    """Anonymises citizen tickets closed or cancelled before `now - older_than`; returns how many."""
    cutoff = now - older_than
    finished_at = Ticket.closed_at.is_not(None) & (Ticket.closed_at < cutoff)
    cancelled_at = Ticket.cancelled_at.is_not(None) & (Ticket.cancelled_at < cutoff)
    citizens = select(Person.id).where(Person.kind == PersonKind.CITIZEN)
    targets = list(
        session.execute(
            select(Ticket.id, Ticket.requester_id).where(
                Ticket.status.in_(_FINISHED),
                finished_at | cancelled_at,
                Ticket.anonymised_at.is_(None),
                Ticket.requester_id.in_(citizens),
            )
        )
    )
    if not targets:
        return 0
    ticket_ids = [ticket_id for ticket_id, _ in targets]
    session.execute(
        update(Ticket)
        .where(Ticket.id.in_(ticket_ids))
        .values(
            requester_text=ANONYMISED_TEXT,
            location=None,
            contact=None,
            resolution_note=None,
            requester_id=None,
            anonymised_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(Attachment).where(Attachment.ticket_id.in_(ticket_ids)))
    # The one sanctioned change to the append-only trail: a Core UPDATE, not an ORM one.
    session.execute(
        update(TicketEvent)
        .where(TicketEvent.ticket_id.in_(ticket_ids))
        .values(note=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(  # their data names the deleted attachment and holds the sender's caption
        update(TicketEvent)
        .where(TicketEvent.ticket_id.in_(ticket_ids), TicketEvent.kind == EventKind.ATTACHMENT_ADDED.value)
        .values(data=None)
        .execution_options(synchronize_session=False)
    )
    _forget_people(session, {person_id for _, person_id in targets if person_id is not None})
    session.expire_all()
    return len(ticket_ids)


def forget_declined(session: Session, person: Person) -> bool:
    """Deletes a citizen who declined the notice, with their chat accounts and dialog state (the database
    cascades), unless requests of theirs exist: those stay until `purge`. True when deleted.

    Pending changes are written first and the session is emptied after, so nothing of them is written again.
    """
    if person.kind is not PersonKind.CITIZEN or _has_tickets(session, person.id):
        return False
    session.flush()
    session.execute(delete(Person).where(Person.id == person.id))
    session.expunge_all()
    return True


def purge_idle_citizens(session: Session, now: datetime, older_than: timedelta) -> int:
    """Deletes citizens with no ticket (never opened one, or all anonymised) who have not written since
    `now - older_than`, with their accounts and dialog state; returns how many."""
    cutoff = now - older_than
    recent = exists().where(
        ChatAccount.person_id == Person.id,
        ChatAccount.last_seen_at.is_not(None),
        ChatAccount.last_seen_at >= cutoff,
    )
    idle = list(
        session.scalars(
            select(Person.id).where(
                Person.kind == PersonKind.CITIZEN,
                Person.created_at < cutoff,
                ~exists().where(Ticket.requester_id == Person.id),
                ~recent,
            )
        )
    )
    if idle:
        session.execute(
            delete(Person).where(Person.id.in_(idle)).execution_options(synchronize_session=False)
        )
        session.expire_all()
    return len(idle)


def _has_tickets(session: Session, person_id: int) -> bool:
    return bool(session.scalar(select(exists().where(Ticket.requester_id == person_id))))


def _forget_people(session: Session, person_ids: set[int]) -> None:
    """Clears the citizens' own data once none of their tickets keeps it."""
    still_referenced = exists().where(Ticket.requester_id == Person.id)
    session.execute(
        update(Person)
        .where(Person.id.in_(person_ids), ~still_referenced)
        .values(name=None, phone=None, email=None)
        .execution_options(synchronize_session=False)
    )
