"""Taking a member of staff out of the rotation (left the directorate, long leave) and back.

An inactive person gets no new tickets (storage.assignment picks active people only), is left out of new
SLA reminder and escalation audiences (storage.sla_plan), and the rows already planned for them are skipped
at dispatch unless they are about the person's own requests. Their open tickets are not left behind:
deactivation hands each one over within its team by the usual assignment rule, and reports those nobody
there can take.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from catalog.calendar import BusinessCalendar
from catalog.model import ServiceHours
from storage import tickets
from storage.assignment import choose_assignee
from storage.models import OPEN_STATUSES, ChatAccount, Person, PersonKind, Ticket
from storage.phones import normalise_phone


@dataclass(frozen=True)
class Handover:
    """One open ticket of a deactivated person: who has it now, or None when nobody active in its team
    could take it and it stays with them."""

    ticket: Ticket
    to: Person | None


def find_directory_people(session: Session, who: str) -> list[Person]:
    """Employees and staff whose e-mail, phone (any spelling), Telegram id, Teams AAD object id or exact
    name is `who`, by id."""
    wanted = who.strip()
    if not wanted:
        return []
    conditions = [
        Person.name == wanted,
        Person.email == wanted.lower(),
        Person.accounts.any(ChatAccount.external_id == wanted),
    ]
    with suppress(ValueError):  # not a phone number: the other identifiers may still match
        conditions.append(Person.phone == normalise_phone(wanted))
    query = select(Person).where(Person.kind != PersonKind.CITIZEN, or_(*conditions)).order_by(Person.id)
    return list(session.scalars(query))


def deactivate(session: Session, person: Person, calendar: BusinessCalendar, now: datetime) -> list[Handover]:
    """Takes `person` out of the rotation and hands their open tickets over, in the caller's transaction.

    Each ticket goes to whom its team's assignment rule picks now (the on-duty technician with the fewest
    open tickets, else the team lead) as a reassignment by the system. Safe to run again on an inactive
    person: the tickets still with them are tried again (after the team got someone who can take them).
    """
    person.active = False
    session.flush()
    open_tickets = session.scalars(
        select(Ticket)
        .where(Ticket.assignee_id == person.id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.id)
    ).all()
    handovers = []
    for ticket in open_tickets:
        hours = ServiceHours(ticket.service_hours)
        to = choose_assignee(session, ticket.team, hours, calendar, now) if ticket.team is not None else None
        if to is not None:
            tickets.reassign(session, ticket, None, to, now)
        handovers.append(Handover(ticket, to))
    return handovers


def activate(person: Person) -> bool:
    """Puts `person` back in the rotation; False if they were active already."""
    if person.active:
        return False
    person.active = True
    return True
