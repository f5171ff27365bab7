"""Routing to a team and picking the technician: workload, duty, on-call, fallbacks, reassignment."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from storage_world import ISTANBUL, MONDAY_10, Directory, open_ticket

from catalog.calendar import BusinessCalendar
from catalog.model import Service
from storage import tickets
from storage.assignment import workload
from storage.errors import InvalidInput, NotAuthorised
from storage.models import Notification, StaffRole, Ticket, TicketStatus
from storage.notifications import is_sla_kind
from storage.teams import set_route

SATURDAY_03 = datetime(2026, 3, 7, 3, 0, tzinfo=ISTANBUL)


def _pings(session: Session, ticket: Ticket) -> list[tuple[str, int]]:
    rows = session.scalars(
        select(Notification).where(Notification.ticket_id == ticket.id).order_by(Notification.id)
    )
    return [(n.kind, n.recipient_id) for n in rows if not is_sla_kind(n.kind)]


def test_the_technician_with_the_fewest_open_tickets_gets_it(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    first = directory.staff(StaffRole.TECHNICIAN)
    second = directory.staff(StaffRole.TECHNICIAN)
    lead = directory.staff(StaffRole.TEAM_LEAD)
    employee = directory.employee()
    assignees = [open_ticket(session, printer, employee, calendar).assignee_id for _ in range(4)]
    assert assignees == [first.id, second.id, first.id, second.id]
    # Closed work does not count: once the first's two are resolved, the next two go to the first.
    for ticket in session.scalars(select(Ticket).where(Ticket.assignee_id == first.id)):
        tickets.take(session, ticket, first, MONDAY_10)
        tickets.resolve(session, ticket, first, "tamam", MONDAY_10, calendar)
    assert workload(session, first.team_id or 0) == {first.id: 0, second.id: 2, lead.id: 0}
    assert [open_ticket(session, printer, employee, calendar).assignee_id for _ in range(2)] == [
        first.id,
        first.id,
    ]


def test_a_247_service_at_night_goes_to_on_call_staff_only(
    session: Session, directory: Directory, ebelediye: Service, printer: Service, calendar: BusinessCalendar
) -> None:
    directory.staff(StaffRole.TECHNICIAN, "05.23")
    on_call = directory.staff(StaffRole.TECHNICIAN, "05.23", on_call=True)
    citizen = directory.citizen()
    assert [
        open_ticket(session, ebelediye, citizen, calendar, SATURDAY_03).assignee_id for _ in range(2)
    ] == [
        on_call.id,
        on_call.id,
    ]
    # In working hours everyone is on duty again.
    assert open_ticket(session, ebelediye, citizen, calendar).assignee_id != on_call.id


def test_a_business_hours_service_at_night_goes_to_anyone(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    assert open_ticket(session, printer, directory.employee(), calendar, SATURDAY_03).assignee_id == tech.id


def test_without_technicians_the_team_lead_gets_it(
    session: Session, directory: Directory, ebelediye: Service, calendar: BusinessCalendar
) -> None:
    directory.staff(StaffRole.TECHNICIAN, "05.23")  # not on call
    lead = directory.staff(StaffRole.TEAM_LEAD, "05.23")
    ticket = open_ticket(session, ebelediye, directory.citizen(), calendar, SATURDAY_03)
    assert (ticket.assignee_id, ticket.status) == (lead.id, TicketStatus.ASSIGNED)
    assert _pings(session, ticket) == [("assigned", lead.id)]


def test_without_anybody_managers_hear_of_the_unassigned_ticket(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    manager = directory.staff(StaffRole.MANAGER, None)
    admin = directory.staff(StaffRole.ADMIN, None)
    ticket = open_ticket(session, printer, directory.employee(), calendar)
    assert (ticket.assignee_id, ticket.status) == (None, TicketStatus.NEW)
    assert ticket.team is None  # no team 05.21 exists yet
    assert _pings(session, ticket) == [("unassigned", manager.id), ("unassigned", admin.id)]
    # A manager can still hand it to someone.
    tech = directory.staff(StaffRole.TECHNICIAN)
    tickets.reassign(session, ticket, manager, tech, MONDAY_10)
    assert (ticket.assignee_id, ticket.status, ticket.team_id) == (
        tech.id,
        TicketStatus.ASSIGNED,
        tech.team_id,
    )


def test_routes_send_a_service_or_a_group_to_another_team(
    session: Session, directory: Directory, ebelediye: Service, printer: Service, calendar: BusinessCalendar
) -> None:
    directory.staff(StaffRole.TECHNICIAN, "05.23")
    network = directory.staff(StaffRole.TECHNICIAN, "05.25")
    web = directory.staff(StaffRole.TECHNICIAN, "05.21")
    citizen = directory.citizen()
    set_route(session, "05.23.012", directory.team("05.25"))
    assert open_ticket(session, ebelediye, citizen, calendar).assignee_id == network.id
    set_route(session, "05.21", directory.team("05.23"))
    set_route(session, "05.21.001", directory.team("05.21"))  # the service's own route wins
    assert open_ticket(session, printer, directory.employee(), calendar).assignee_id == web.id


def test_a_team_lead_reassigns_and_both_technicians_hear_of_it(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    first = directory.staff(StaffRole.TECHNICIAN)
    second = directory.staff(StaffRole.TECHNICIAN)
    lead = directory.staff(StaffRole.TEAM_LEAD)
    other_lead = directory.staff(StaffRole.TEAM_LEAD, "05.25")
    ticket = open_ticket(session, printer, directory.employee(), calendar)
    tickets.take(session, ticket, first, MONDAY_10)
    with pytest.raises(NotAuthorised):
        tickets.reassign(session, ticket, other_lead, second, MONDAY_10)
    tickets.reassign(session, ticket, lead, second, MONDAY_10, note="Bu binaya o bakıyor")
    assert (ticket.assignee_id, ticket.status) == (second.id, TicketStatus.IN_PROGRESS)
    event = ticket.events[-1]
    assert (event.kind, event.actor_id, event.note) == ("reassigned", lead.id, "Bu binaya o bakıyor")
    assert event.data == {"from_assignee": first.id, "to_assignee": second.id}
    assert _pings(session, ticket)[-2:] == [("assigned", second.id), ("reassigned", first.id)]
    with pytest.raises(InvalidInput):
        tickets.reassign(session, ticket, lead, second, MONDAY_10)
