"""The ticket lifecycle as an explicit state machine.

    new ──assign──▶ assigned ──take──▶ in_progress ──resolve──▶ resolved ──confirm / auto_close──▶ closed
                                      │   ▲                       │
                                  ask │   │ answer / resume        └──reopen──▶ in_progress
                                      ▼   │
                              waiting_for_requester        cancel: from any status before resolved

Every operation locks the ticket row (PostgreSQL; SQLite writers are serialised), checks the transition and
the actor's right to it, changes the ticket, and appends a TicketEvent, which plans the notifications the
change implies, all in the caller's transaction. Illegal moves raise storage.errors domain errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from catalog import sla
from catalog.calendar import BusinessCalendar
from catalog.model import Service, ServiceHours
from storage import events
from storage.assignment import choose_assignee
from storage.errors import (
    IllegalTransition,
    InvalidInput,
    KvkkNotAccepted,
    NotAuthorised,
    RatingFinal,
    ServiceUnavailable,
    TicketNotFound,
)
from storage.models import (
    OPEN_STATUSES,
    Attachment,
    ChatChannel,
    EventKind,
    Person,
    StaffRole,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from storage.numbering import format_number, next_seq
from storage.people import reachable_accounts
from storage.teams import team_for_service

AUTO_CLOSE_WORKING_DAYS = 3  # a resolution nobody answers is closed after this many working days
CONTACT_MAX = 100
MAX_RATINGS = 2  # the first rating and one change of mind


class Operation(StrEnum):
    ASSIGN = "assign"
    TAKE = "take"
    ASK = "ask"
    ANSWER = "answer"
    RESUME = "resume"
    RESOLVE = "resolve"
    CONFIRM = "confirm"
    AUTO_CLOSE = "auto_close"
    REOPEN = "reopen"
    CANCEL = "cancel"
    REASSIGN = "reassign"
    RATE = "rate"
    NOTE = "note"
    ATTACH = "attach"


_S = TicketStatus
# operation -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[Operation, tuple[frozenset[TicketStatus], TicketStatus | None]] = {
    Operation.ASSIGN: (frozenset({_S.NEW}), _S.ASSIGNED),
    Operation.TAKE: (frozenset({_S.NEW, _S.ASSIGNED}), _S.IN_PROGRESS),
    Operation.ASK: (frozenset({_S.IN_PROGRESS}), _S.WAITING_FOR_REQUESTER),
    Operation.ANSWER: (frozenset({_S.WAITING_FOR_REQUESTER}), _S.IN_PROGRESS),
    Operation.RESUME: (frozenset({_S.WAITING_FOR_REQUESTER}), _S.IN_PROGRESS),
    Operation.RESOLVE: (frozenset({_S.IN_PROGRESS, _S.WAITING_FOR_REQUESTER}), _S.RESOLVED),
    Operation.CONFIRM: (frozenset({_S.RESOLVED}), _S.CLOSED),
    Operation.AUTO_CLOSE: (frozenset({_S.RESOLVED}), _S.CLOSED),
    Operation.REOPEN: (frozenset({_S.RESOLVED}), _S.IN_PROGRESS),
    Operation.CANCEL: (OPEN_STATUSES, _S.CANCELLED),
    Operation.REASSIGN: (OPEN_STATUSES, None),
    Operation.RATE: (frozenset({_S.RESOLVED, _S.CLOSED}), None),
    Operation.NOTE: (OPEN_STATUSES, None),
    # Also once resolved: a screenshot showing the problem is still there is the requester's evidence for
    # reopening, and the technician may add the report of the work done. Closed and cancelled tickets are
    # history and take nothing more.
    Operation.ATTACH: (OPEN_STATUSES | {_S.RESOLVED}, None),
}


@dataclass(frozen=True)
class NewAttachment:
    """A photo or file sent with the request: a platform file id or the path of a stored copy."""

    channel: ChatChannel
    file_id: str | None = None
    stored_path: str | None = None
    file_name: str | None = None
    mime_type: str | None = None

    def stored(self, now: datetime) -> Attachment:
        return Attachment(
            channel=self.channel,
            file_id=self.file_id,
            stored_path=self.stored_path,
            file_name=self.file_name,
            mime_type=self.mime_type,
            created_at=now,
        )


TicketRef = Ticket | str  # the ticket, or its number


def get_ticket(session: Session, number: str) -> Ticket:
    ticket = session.scalars(select(Ticket).where(_numbered(number))).one_or_none()
    if ticket is None:
        raise TicketNotFound(number)
    return ticket


def _numbered(number: str) -> ColumnElement[bool]:
    return Ticket.number == number.strip().upper()


def find_tickets(
    session: Session, status: TicketStatus | None = None, limit: int | None = None
) -> list[Ticket]:
    """Tickets, newest first, optionally of one status."""
    query = select(Ticket).order_by(Ticket.created_at.desc(), Ticket.id.desc())
    if status is not None:
        query = query.where(Ticket.status == status)
    return list(session.scalars(query.limit(limit)))


def unattended_tickets(session: Session, limit: int | None = None) -> list[Ticket]:
    """Open tickets, newest first, that nobody reachable works on: no assignee, an assignee who left the
    directory, or one no channel reaches (blocked the bot, never wrote to it on Teams, no account)."""
    query = select(Ticket).where(Ticket.status.in_(OPEN_STATUSES))
    query = query.order_by(Ticket.created_at.desc(), Ticket.id.desc())
    found = [
        ticket
        for ticket in session.scalars(query)
        if ticket.assignee is None or not ticket.assignee.active or not reachable_accounts(ticket.assignee)
    ]
    return found[:limit]


def open_ticket(
    session: Session,
    *,
    service: Service,
    requester: Person,
    channel: ChatChannel,
    text: str,
    now: datetime,
    calendar: BusinessCalendar,
    location: str | None = None,
    contact: str | None = None,
    attachments: Sequence[NewAttachment] = (),
) -> Ticket:
    """Opens a ticket: numbers it, computes its deadlines, routes and assigns it, and plans the pings."""
    if not service.active or service.response is None or service.resolution is None:
        raise ServiceUnavailable(service.id)
    if requester.needs_kvkk:  # the request text, location and contact are personal data
        raise KvkkNotAccepted(requester.id)
    text = _required("text", text)
    contact = (contact or "").strip() or None
    if contact is not None and len(contact) > CONTACT_MAX:
        raise InvalidInput("contact", f"longer than {CONTACT_MAX} characters")
    year = now.astimezone(calendar.zone).year
    seq = next_seq(session, year)
    due = sla.deadlines(calendar, service, now)
    ticket = Ticket(
        number=format_number(year, seq),
        year=year,
        seq=seq,
        service_id=service.id,
        service_code=service.code,
        service_title=service.title,
        service_hours=service.hours.value,
        requester_text=text,
        requester_id=requester.id,
        channel=channel,
        location=(location or "").strip() or None,
        contact=contact,
        status=TicketStatus.NEW,
        created_at=now,
        clock_start_at=due.start,
        response_due=due.response_due,
        resolution_due=due.resolution_due,
        paused_seconds=0,
        updated_at=now,
        attachments=[a.stored(now) for a in attachments],
    )
    session.add(ticket)
    session.flush()
    events.record(session, ticket, EventKind.OPENED, requester, now)
    _assign(session, ticket, service, now, calendar)
    return ticket


def _assign(
    session: Session, ticket: Ticket, service: Service, now: datetime, calendar: BusinessCalendar
) -> None:
    team = team_for_service(session, service)
    assignee = choose_assignee(session, team, service.hours, calendar, now) if team else None
    ticket.team = team
    ticket.assignee = assignee
    from_status = ticket.status
    if assignee is not None:
        _move(ticket, Operation.ASSIGN, now)
    data = {"team": team.code if team else None, "to_assignee": assignee.id if assignee else None}
    events.record(session, ticket, EventKind.ASSIGNED, None, now, from_status=from_status, data=data)


def take(session: Session, ref: TicketRef, actor: Person, now: datetime) -> Ticket:
    """The actor takes the ticket ("Üstlen"): the acknowledgement that the response SLA measures."""
    ticket = _locked(session, ref)
    _require_staff_on(ticket, actor, Operation.TAKE)
    from_status = _move(ticket, Operation.TAKE, now)
    data = None
    if ticket.assignee_id != actor.id:
        data = {"from_assignee": ticket.assignee_id, "to_assignee": actor.id}
        ticket.assignee = actor
    ticket.acknowledged_at = now
    events.record(session, ticket, EventKind.TAKEN, actor, now, from_status=from_status, data=data)
    return ticket


def ask(session: Session, ref: TicketRef, actor: Person, question: str, now: datetime) -> Ticket:
    """The technician asks the requester something; the resolution clock pauses until the answer."""
    ticket = _locked(session, ref)
    _require_staff_on(ticket, actor, Operation.ASK)
    question = _required("question", question)
    from_status = _move(ticket, Operation.ASK, now)
    ticket.paused_since = now
    events.record(session, ticket, EventKind.QUESTION, actor, now, from_status=from_status, note=question)
    return ticket


def answer(
    session: Session, ref: TicketRef, actor: Person, text: str, now: datetime, calendar: BusinessCalendar
) -> Ticket:
    """The requester answers the question: the clock resumes and the due time moves by the pause."""
    ticket = _locked(session, ref)
    _require_requester(ticket, actor, Operation.ANSWER)
    text = _required("answer", text)
    from_status = _move(ticket, Operation.ANSWER, now)
    data = _end_pause(ticket, now, calendar)
    events.record(
        session, ticket, EventKind.ANSWERED, actor, now, from_status=from_status, note=text, data=data
    )
    return ticket


def resume(
    session: Session, ref: TicketRef, actor: Person, now: datetime, calendar: BusinessCalendar
) -> Ticket:
    """Staff resume a waiting ticket without an answer."""
    ticket = _locked(session, ref)
    _require_staff_on(ticket, actor, Operation.RESUME)
    from_status = _move(ticket, Operation.RESUME, now)
    data = _end_pause(ticket, now, calendar)
    events.record(session, ticket, EventKind.RESUMED, actor, now, from_status=from_status, data=data)
    return ticket


def resolve(
    session: Session, ref: TicketRef, actor: Person, note: str, now: datetime, calendar: BusinessCalendar
) -> Ticket:
    """Resolves the ticket ("Çözüldü") with a short note; the requester confirms or reopens, or it closes
    itself after AUTO_CLOSE_WORKING_DAYS."""
    ticket = _locked(session, ref)
    _require_staff_on(ticket, actor, Operation.RESOLVE)
    note = _required("resolution note", note)
    from_status = _move(ticket, Operation.RESOLVE, now)
    data = _end_pause(ticket, now, calendar) if from_status is TicketStatus.WAITING_FOR_REQUESTER else None
    ticket.resolved_at = now
    ticket.resolution_note = note
    ticket.auto_close_at = calendar.add_working_days(now, AUTO_CLOSE_WORKING_DAYS)
    events.record(
        session, ticket, EventKind.RESOLVED, actor, now, from_status=from_status, note=note, data=data
    )
    return ticket


def confirm(
    session: Session, ref: TicketRef, actor: Person, now: datetime, satisfaction: int | None = None
) -> Ticket:
    """The requester confirms the resolution (optionally rating it): closed."""
    ticket = _locked(session, ref)
    _require_requester(ticket, actor, Operation.CONFIRM)
    if satisfaction is not None:
        _check_score(satisfaction)
    from_status = _move(ticket, Operation.CONFIRM, now)
    ticket.closed_at = now
    ticket.auto_close_at = None
    events.record(session, ticket, EventKind.CONFIRMED, actor, now, from_status=from_status)
    if satisfaction is not None:
        _rate(session, ticket, actor, satisfaction, now)
    return ticket


def auto_close_due(session: Session, now: datetime, limit: int = 100) -> list[Ticket]:
    """Closes resolved tickets whose confirmation window has passed (the scheduler calls this)."""
    numbers = session.scalars(
        select(Ticket.number)
        .where(Ticket.status == TicketStatus.RESOLVED, Ticket.auto_close_at <= now)
        .order_by(Ticket.auto_close_at)
        .limit(limit)
    ).all()
    closed = []
    for number in numbers:
        ticket = _locked(session, number)
        if ticket.status is not TicketStatus.RESOLVED:  # confirmed or reopened meanwhile
            continue
        from_status = _move(ticket, Operation.AUTO_CLOSE, now)
        ticket.closed_at = now
        ticket.auto_close_at = None
        events.record(session, ticket, EventKind.AUTO_CLOSED, None, now, from_status=from_status)
        closed.append(ticket)
    return closed


def reopen(session: Session, ref: TicketRef, actor: Person, reason: str, now: datetime) -> Ticket:
    """The requester rejects the resolution: back to in progress with the same technician."""
    ticket = _locked(session, ref)
    _require_requester(ticket, actor, Operation.REOPEN)
    reason = _required("reason", reason)
    from_status = _move(ticket, Operation.REOPEN, now)
    ticket.resolved_at = None
    ticket.auto_close_at = None
    events.record(session, ticket, EventKind.REOPENED, actor, now, from_status=from_status, note=reason)
    return ticket


def cancel(
    session: Session, ref: TicketRef, actor: Person, now: datetime, reason: str | None = None
) -> Ticket:
    """The requester (or a manager or admin) withdraws the ticket before it is resolved."""
    ticket = _locked(session, ref)
    if not _is_manager(actor):
        _require_requester(ticket, actor, Operation.CANCEL)
    from_status = _move(ticket, Operation.CANCEL, now)
    ticket.cancelled_at = now
    ticket.paused_since = None
    events.record(session, ticket, EventKind.CANCELLED, actor, now, from_status=from_status, note=reason)
    return ticket


def reassign(
    session: Session,
    ref: TicketRef,
    actor: Person | None,
    assignee: Person,
    now: datetime,
    note: str | None = None,
) -> Ticket:
    """Reassigns the ticket ("Yönlendir"): its team's lead, a manager or an admin gives it to other staff;
    with `actor` None the system does, on an operator's command (storage.rotation hands over the tickets of
    someone taken out of the rotation).

    The ticket follows the new assignee into their team. A new ticket becomes assigned; a taken one stays
    taken (its response SLA was already met or missed).
    """
    ticket = _locked(session, ref)
    if actor is not None and not may_reassign(actor, ticket):
        raise NotAuthorised(ticket.number, actor.id, Operation.REASSIGN)
    if not assignee.is_staff or not assignee.active:
        raise InvalidInput("assignee", f"person {assignee.id} is not active IT staff")
    if assignee.id == ticket.assignee_id:
        raise InvalidInput("assignee", f"ticket {ticket.number} is already assigned to person {assignee.id}")
    from_status = _move(ticket, Operation.REASSIGN, now)
    if ticket.status is TicketStatus.NEW:
        _move(ticket, Operation.ASSIGN, now)
    data = {"from_assignee": ticket.assignee_id, "to_assignee": assignee.id}
    ticket.assignee = assignee
    if assignee.team is not None:
        ticket.team = assignee.team
    events.record(
        session, ticket, EventKind.REASSIGNED, actor, now, from_status=from_status, note=note, data=data
    )
    return ticket


def may_reassign(actor: Person, ticket: Ticket) -> bool:
    """The ticket's team lead, a manager or an admin may reassign it (and the panel offers them to)."""
    return _is_manager(actor) or _leads(actor, ticket)


def rate(session: Session, ref: TicketRef, actor: Person, score: int, now: datetime) -> Ticket:
    """The requester's satisfaction, 1-5, once the ticket is resolved (a later rating replaces it)."""
    ticket = _locked(session, ref)
    _require_requester(ticket, actor, Operation.RATE)
    _check_score(score)
    _move(ticket, Operation.RATE, now)
    _rate(session, ticket, actor, score, now)
    return ticket


def add_note(session: Session, ref: TicketRef, actor: Person, text: str, now: datetime) -> Ticket:
    """A message on an open ticket from its requester or its staff; the other side is notified."""
    ticket = _locked(session, ref)
    if actor.id != ticket.requester_id:
        _require_staff_on(ticket, actor, Operation.NOTE)
    text = _required("note", text)
    _move(ticket, Operation.NOTE, now)
    events.record(session, ticket, EventKind.NOTE, actor, now, note=text)
    return ticket


def add_attachment(
    session: Session,
    ref: TicketRef,
    actor: Person,
    attachment: NewAttachment,
    now: datetime,
    caption: str | None = None,
) -> Attachment:
    """A photo or file added to an opened ticket by its requester or its staff (see Operation.ATTACH for
    when); the event's note is the file name, its data the attachment id and the sender's caption, and the
    other side is notified."""
    ticket = _locked(session, ref)
    if actor.id != ticket.requester_id:
        _require_staff_on(ticket, actor, Operation.ATTACH)
    if attachment.file_id is None and attachment.stored_path is None:
        raise InvalidInput("attachment", "neither a file id nor a stored path")
    _move(ticket, Operation.ATTACH, now)
    stored = attachment.stored(now)
    ticket.attachments.append(stored)
    session.flush()
    data: dict[str, object] = {"attachment_id": stored.id}
    caption = (caption or "").strip()
    if caption:
        data["caption"] = caption
    events.record(
        session, ticket, EventKind.ATTACHMENT_ADDED, actor, now, note=attachment.file_name, data=data
    )
    return stored


# --- helpers ---------------------------------------------------------------------------------------------


def _locked(session: Session, ref: TicketRef) -> Ticket:
    """The ticket's current row, locked for the rest of the transaction (FOR UPDATE on PostgreSQL)."""
    which = Ticket.id == ref.id if isinstance(ref, Ticket) else _numbered(ref)
    query = select(Ticket).where(which).with_for_update().execution_options(populate_existing=True)
    ticket = session.scalars(query).one_or_none()
    if ticket is None:
        raise TicketNotFound(ref.number if isinstance(ref, Ticket) else ref)
    return ticket


def _move(ticket: Ticket, operation: Operation, now: datetime) -> TicketStatus:
    """Applies the state machine; returns the status it left."""
    allowed_from, to_status = TRANSITIONS[operation]
    if ticket.status not in allowed_from:
        raise IllegalTransition(ticket.number, ticket.status.value, operation.value)
    from_status = ticket.status
    if to_status is not None:
        ticket.status = to_status
    ticket.updated_at = now
    return from_status


def _end_pause(ticket: Ticket, now: datetime, calendar: BusinessCalendar) -> dict[str, int]:
    """Ends the waiting period: the resolution due time moves by the paused SLA time."""
    assert ticket.paused_since is not None
    hours = ServiceHours(ticket.service_hours)
    paused = max(sla.elapsed(calendar, hours, ticket.paused_since, now), timedelta(0))
    ticket.resolution_due = sla.extend(calendar, hours, ticket.resolution_due, paused)
    ticket.paused_seconds += int(paused.total_seconds())
    ticket.paused_since = None
    return {"paused_seconds": int(paused.total_seconds())}


def _rate(session: Session, ticket: Ticket, actor: Person, score: int, now: datetime) -> None:
    """The first rating pings the assignee; one change of mind is recorded silently; then it is final."""
    kinds = (EventKind.RATED.value, EventKind.RATING_CHANGED.value)
    given = session.scalar(
        select(func.count()).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind.in_(kinds))
    )
    if given and given >= MAX_RATINGS:
        raise RatingFinal(ticket.number)
    ticket.satisfaction = score
    kind = EventKind.RATING_CHANGED if given else EventKind.RATED
    events.record(session, ticket, kind, actor, now, data={"satisfaction": score})


def _check_score(score: int) -> None:
    if not 1 <= score <= 5:
        raise InvalidInput("satisfaction", f"{score} is not between 1 and 5")


def _required(field: str, text: str) -> str:
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(field, "empty")
    return stripped


def _require_requester(ticket: Ticket, actor: Person, operation: Operation) -> None:
    if actor.id != ticket.requester_id:
        raise NotAuthorised(ticket.number, actor.id, operation)


def _require_staff_on(ticket: Ticket, actor: Person, operation: Operation) -> None:
    """Staff may work on their own tickets and their team's; managers and admins on any."""
    allowed = (
        actor.is_staff
        and actor.active
        and (
            actor.id == ticket.assignee_id
            or (actor.team_id is not None and actor.team_id == ticket.team_id)
            or _is_manager(actor)
        )
    )
    if not allowed:
        raise NotAuthorised(ticket.number, actor.id, operation)


def _is_manager(actor: Person) -> bool:
    return actor.is_staff and actor.active and actor.staff_role in (StaffRole.MANAGER, StaffRole.ADMIN)


def _leads(actor: Person, ticket: Ticket) -> bool:
    return (
        actor.is_staff
        and actor.active
        and actor.staff_role is StaffRole.TEAM_LEAD
        and actor.team_id is not None
        and actor.team_id == ticket.team_id
    )
