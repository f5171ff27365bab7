"""What the panel shows and who may see it: the SLA board's rows, the ticket page's rights, the staff page.

Visibility: managers and admins see every ticket; other staff their team's tickets and the ones assigned to
them. A requester's name and phone are for staff of the ticket's team and managers only (KVKK).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from catalog.calendar import BusinessCalendar
from catalog.model import ServiceHours
from catalog.sla import elapsed
from catalog.sla_policy import SlaWindow
from storage.assignment import open_ticket_counts
from storage.models import OPEN_STATUSES, Person, StaffRole, Team, Ticket, TicketStatus
from storage.staff import DirectoryEntry, directory
from storage.types import UTCDateTime

BOARD_ROWS = 200  # the board lists the most urgent tickets; the counts cover all of them
WARNING_FRACTION = 0.8


class Urgency(StrEnum):
    ON_TRACK = "on_track"
    WARNING = "warning"  # past 80 % of the window
    BREACHED = "breached"


def sees_everything(person: Person) -> bool:
    return person.staff_role in (StaffRole.MANAGER, StaffRole.ADMIN)


def _visible(person: Person) -> ColumnElement[bool] | None:
    if sees_everything(person):
        return None
    mine = Ticket.assignee_id == person.id
    return or_(mine, Ticket.team_id == person.team_id) if person.team_id is not None else mine


def may_view(person: Person, ticket: Ticket) -> bool:
    return (
        sees_everything(person)
        or ticket.assignee_id == person.id
        or (person.team_id is not None and person.team_id == ticket.team_id)
    )


def may_see_personal_data(person: Person, ticket: Ticket) -> bool:
    """The requester's name and phone: staff of the ticket's team and managers (KVKK)."""
    return sees_everything(person) or (person.team_id is not None and person.team_id == ticket.team_id)


@dataclass(frozen=True)
class BoardFilter:
    team_id: int | None = None
    service_id: str | None = None
    assignee_id: int | None = None
    status: TicketStatus | None = None


@dataclass(frozen=True)
class BoardRow:
    number: str
    service_code: str
    service_title: str
    team: str | None
    assignee: str | None
    status: TicketStatus
    window: str  # "response" until taken, then "resolution"
    due: datetime
    left: timedelta  # SLA time left (negative: how long ago it breached), frozen while paused
    paused: bool
    urgency: Urgency


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    total: int  # open tickets matching the filter
    breached: int


def _breached(now: datetime) -> ColumnElement[bool]:
    """storage.sla_report.in_breach as SQL, for the counts."""
    at = literal(now, UTCDateTime())
    return or_(
        and_(Ticket.acknowledged_at.is_(None), Ticket.response_due <= at),
        Ticket.resolution_due <= func.coalesce(Ticket.paused_since, at),
    )


def board(
    session: Session, person: Person, calendar: BusinessCalendar, now: datetime, chosen: BoardFilter
) -> Board:
    """Open tickets `person` may see, most urgent first (nearest next deadline, response until taken)."""
    conditions: list[ColumnElement[bool]] = [Ticket.status.in_(OPEN_STATUSES)]
    visible = _visible(person)
    if visible is not None:
        conditions.append(visible)
    if chosen.team_id is not None:
        conditions.append(Ticket.team_id == chosen.team_id)
    if chosen.service_id:
        conditions.append(Ticket.service_id == chosen.service_id)
    if chosen.assignee_id is not None:
        conditions.append(Ticket.assignee_id == chosen.assignee_id)
    if chosen.status is not None:
        conditions.append(Ticket.status == chosen.status)
    total, breached = session.execute(
        select(func.count(), func.coalesce(func.sum(case((_breached(now), 1), else_=0)), 0))
        .select_from(Ticket)
        .where(*conditions)
    ).one()
    # The untaken by response due time and the taken by resolution due time, each walked in the order of its
    # index and merged: no sort of every open ticket by a computed deadline.
    untaken = _urgent(session, [*conditions, Ticket.acknowledged_at.is_(None)], Ticket.response_due)
    taken = _urgent(session, [*conditions, Ticket.acknowledged_at.is_not(None)], Ticket.resolution_due)
    rows = sorted(untaken + taken, key=lambda r: (r[9] if r[8] is None else r[10], r[0]))[:BOARD_ROWS]
    return Board([_row(calendar, now, r) for r in rows], int(total), int(breached))


def _urgent(session: Session, conditions: list[ColumnElement[bool]], due: Any) -> list[tuple[Any, ...]]:
    assignee = aliased(Person)
    rows = session.execute(
        select(
            Ticket.number,
            Ticket.service_code,
            Ticket.service_title,
            Ticket.service_hours,
            Team.name,
            assignee.name,
            Ticket.status,
            Ticket.clock_start_at,
            Ticket.acknowledged_at,
            Ticket.response_due,
            Ticket.resolution_due,
            Ticket.paused_seconds,
            Ticket.paused_since,
        )
        .outerjoin(Team, Team.id == Ticket.team_id)
        .outerjoin(assignee, assignee.id == Ticket.assignee_id)
        .where(*conditions)
        .order_by(due, Ticket.number)
        .limit(BOARD_ROWS)
    )
    return [tuple(r) for r in rows]


def _row(calendar: BusinessCalendar, now: datetime, row: Sequence[Any]) -> BoardRow:
    number, code, title, hours_value, team, assignee, status, start, acknowledged_at = row[:9]
    response_due, resolution_due, paused_seconds, paused_since = row[9:]
    hours = ServiceHours(hours_value)
    if acknowledged_at is None:
        window, at = SlaWindow(hours, start, response_due), now
    else:
        window = SlaWindow(hours, start, resolution_due, timedelta(seconds=paused_seconds))
        at = paused_since or now
    left = _signed_elapsed(calendar, hours, at, window.due)
    length = window.length(calendar)
    used = elapsed(calendar, hours, window.start, at) - window.paused
    if left <= timedelta(0):
        urgency = Urgency.BREACHED
    elif length > timedelta(0) and used >= length * WARNING_FRACTION:
        urgency = Urgency.WARNING
    else:
        urgency = Urgency.ON_TRACK
    return BoardRow(
        number,
        code,
        title,
        team,
        assignee,
        status,
        "response" if acknowledged_at is None else "resolution",
        window.due,
        left,
        paused_since is not None,
        urgency,
    )


def _signed_elapsed(calendar: BusinessCalendar, hours: ServiceHours, a: datetime, b: datetime) -> timedelta:
    return elapsed(calendar, hours, a, b) if b >= a else -elapsed(calendar, hours, b, a)


@dataclass(frozen=True)
class FilterChoices:
    teams: list[tuple[int, str]]
    services: list[tuple[str, str]]  # (service id, "code title")
    assignees: list[tuple[int, str]]


def filter_choices(session: Session) -> FilterChoices:
    """The teams, services and staff the board's filters offer."""
    teams = session.execute(select(Team.id, Team.name).order_by(Team.code))
    # Services ever requested, found through the service_id index (the first ticket of each names it).
    first_of_each = select(func.min(Ticket.id)).group_by(Ticket.service_id)
    services = session.execute(
        select(Ticket.service_id, Ticket.service_code, Ticket.service_title)
        .where(Ticket.id.in_(first_of_each))
        .order_by(Ticket.service_code, Ticket.service_id)
    )
    staff = session.execute(
        select(Person.id, Person.name)
        .where(Person.staff_role.is_not(None), Person.active.is_(True))
        .order_by(Person.name, Person.id)
    )
    return FilterChoices(
        [(i, n) for i, n in teams],
        [(i, f"{c} {t}") for i, c, t in services],
        [(i, n or f"#{i}") for i, n in staff],
    )


@dataclass(frozen=True)
class StaffEntry:
    entry: DirectoryEntry
    open_tickets: int


def staff_page(session: Session) -> list[StaffEntry]:
    """IT staff by team, with where they can be reached and their open tickets."""
    entries = [e for e in directory(session) if e.person.staff_role is not None]
    counts = open_ticket_counts(session, [e.person.id for e in entries])
    return [StaffEntry(e, counts[e.person.id]) for e in entries]


def reassign_candidates(session: Session, ticket: Ticket) -> list[Person]:
    """Active staff the ticket may go to: its team first, then everyone else, by name."""
    staff = session.scalars(
        select(Person)
        .where(Person.staff_role.is_not(None), Person.active.is_(True), Person.id != ticket.assignee_id)
        .order_by(Person.name, Person.id)
    )
    return sorted(staff, key=lambda p: p.team_id != ticket.team_id)
