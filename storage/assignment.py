"""Who works on a ticket: the team by routing, the technician by workload and duty."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.calendar import BusinessCalendar
from catalog.model import ServiceHours
from storage.models import OPEN_STATUSES, Person, PersonKind, StaffRole, Team, Ticket
from storage.teams import team_leads


def workload(session: Session, team_id: int) -> dict[int, int]:
    """Open tickets per active member of the team (members without any count 0)."""
    members = session.scalars(select(Person.id).where(Person.team_id == team_id, Person.active.is_(True)))
    return open_ticket_counts(session, list(members))


def open_ticket_counts(session: Session, person_ids: list[int]) -> dict[int, int]:
    """Open tickets assigned to each of the people (those without any count 0)."""
    rows = session.execute(
        select(Ticket.assignee_id, func.count())
        .where(Ticket.assignee_id.in_(person_ids), Ticket.status.in_(OPEN_STATUSES))
        .group_by(Ticket.assignee_id)
    )
    counts: dict[int | None, int] = {person_id: count for person_id, count in rows}
    return {person_id: counts.get(person_id, 0) for person_id in person_ids}


def on_duty_technicians(
    session: Session, team: Team, hours: ServiceHours, at_working_time: bool
) -> list[Person]:
    """The team's active technicians who may take a ticket now.

    A 7/24 service outside business hours goes only to on-call staff; at other times everyone is on duty
    (a business-hours ticket's clock only starts at the next opening anyway).
    """
    query = select(Person).where(
        Person.team_id == team.id,
        Person.kind == PersonKind.STAFF,
        Person.staff_role == StaffRole.TECHNICIAN,
        Person.active.is_(True),
    )
    if hours is ServiceHours.ALWAYS and not at_working_time:
        query = query.where(Person.on_call.is_(True))
    return list(session.scalars(query.order_by(Person.id)))


def choose_assignee(
    session: Session, team: Team, hours: ServiceHours, calendar: BusinessCalendar, now: datetime
) -> Person | None:
    """The on-duty technician with the fewest open tickets (ties: the lowest id), else the team lead."""
    candidates = on_duty_technicians(session, team, hours, calendar.is_working(now))
    if candidates:
        load = open_ticket_counts(session, [p.id for p in candidates])
        return min(candidates, key=lambda p: (load[p.id], p.id))
    leads = team_leads(session, team.id)
    return leads[0] if leads else None
