"""Notifications as rows: planned in the transaction of the ticket change that implies them, then sent.

Storage holds no text: the bot renders a message from the notification's kind, its ticket and its event.

Kinds:
- updates caused by an event, named like the event (EventKind): "assigned" (the technician's ping, also to
  the new assignee on reassignment), "reassigned" (to the previous assignee), "taken", "question",
  "answered", "resolved", "confirmed", "auto_closed", "reopened", "cancelled", "rated", "note",
  "attachment_added" (to the other side; the event's data names the attachment), and
  "unassigned" (to managers and admins when nobody could be assigned). Nobody is notified of their own
  action: the bot answers the actor directly.
- SLA rows planned by the scheduler: "<reminder|breach|escalation>:<response|resolution>:<detail>", e.g.
  "reminder:response:50". They are retired (skipped) here when the ticket's progress makes them moot.

Sending is idempotent: every mark_* changes a row only while it is still pending and says whether it did,
so two processes can never both mark the same notification sent.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.util import identity_key

from storage.db import insert_for
from storage.models import (
    EventKind,
    Notification,
    NotificationStatus,
    Person,
    Ticket,
    TicketEvent,
)
from storage.teams import managers_and_admins, team_leads

SLA_KIND_PREFIXES = ("reminder:", "breach:", "escalation:")
UNASSIGNED = "unassigned"
# To the team lead, managers and admins when the assignee's ping could not be delivered for good.
UNREACHABLE_ASSIGNEE = "unreachable_assignee"
# How long a dispatcher owns a claimed notification before another may retry it (see claim_due).
CLAIM_LEASE = timedelta(minutes=2)

# Who hears of an event, besides never its actor.
_REQUESTER, _ASSIGNEE, _PREVIOUS_ASSIGNEE, _MANAGERS = (
    "requester",
    "assignee",
    "previous_assignee",
    "managers",
)
_AUDIENCE: dict[str, tuple[str, ...]] = {
    EventKind.ASSIGNED: (_ASSIGNEE,),
    EventKind.REASSIGNED: (_ASSIGNEE, _PREVIOUS_ASSIGNEE),
    EventKind.TAKEN: (_REQUESTER,),
    EventKind.QUESTION: (_REQUESTER,),
    EventKind.ANSWERED: (_ASSIGNEE,),
    EventKind.RESOLVED: (_REQUESTER,),
    EventKind.CONFIRMED: (_ASSIGNEE,),
    EventKind.AUTO_CLOSED: (_REQUESTER, _ASSIGNEE),
    EventKind.REOPENED: (_ASSIGNEE,),
    EventKind.CANCELLED: (_ASSIGNEE, _REQUESTER),
    EventKind.RATED: (_ASSIGNEE,),
    EventKind.NOTE: (_ASSIGNEE, _REQUESTER),
    EventKind.ATTACHMENT_ADDED: (_ASSIGNEE, _REQUESTER),
}

# Which pending SLA rows an event makes moot: the response window ends when the ticket is taken; a pause
# moves the resolution due time (the scheduler plans new rows on resume); the end of the ticket ends all.
_RETIRES: dict[str, tuple[str, ...]] = {
    EventKind.TAKEN: (":response",),
    EventKind.REASSIGNED: ("",),  # re-planned for the new assignee
    EventKind.QUESTION: (":resolution",),
    EventKind.RESOLVED: ("",),
    EventKind.CONFIRMED: ("",),
    EventKind.AUTO_CLOSED: ("",),
    EventKind.CANCELLED: ("",),
}


def key_for(ticket_id: int, kind: str, recipient_id: int, discriminator: str | None = None) -> str:
    """The unique key: ticket, kind and recipient, plus what tells recurring ones apart (the event id, or
    the due time of a re-planned reminder)."""
    base = f"{ticket_id}:{kind}:{recipient_id}"
    return f"{base}:{discriminator}" if discriminator else base


def is_sla_kind(kind: str) -> bool:
    return kind.startswith(SLA_KIND_PREFIXES)


@dataclass(frozen=True)
class Planned:
    """One notification to plan: what, for whom, when, under which unique key."""

    kind: str
    recipient_id: int
    due_at: datetime
    key: str


def plan(
    session: Session,
    ticket: Ticket,
    kind: str,
    recipient_id: int,
    due_at: datetime,
    now: datetime,
    *,
    key: str | None = None,
    event: TicketEvent | None = None,
) -> Notification:
    """Plans one notification; planning the same key again returns the existing row unchanged."""
    wanted = Planned(kind, recipient_id, due_at, key or key_for(ticket.id, kind, recipient_id))
    return plan_many(session, ticket, [wanted], now, event=event)[0]


def plan_many(
    session: Session,
    ticket: Ticket,
    wanted: Sequence[Planned],
    now: datetime,
    *,
    event: TicketEvent | None = None,
) -> list[Notification]:
    """Plans the notifications in one statement and returns their rows in the order asked; a key planned
    before keeps its existing row unchanged.

    One INSERT … ON CONFLICT DO NOTHING: safe when another process plans the same keys at the same moment.
    """
    if not wanted:
        return []
    statement = (
        insert_for(session, Notification)
        .on_conflict_do_nothing(index_elements=[Notification.key])
        .returning(Notification)
    )
    values = [
        {
            "key": w.key,
            "ticket_id": ticket.id,
            "kind": w.kind,
            "recipient_id": w.recipient_id,
            "event_id": event.id if event else None,
            "due_at": w.due_at,
            "status": NotificationStatus.PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for w in wanted
    ]
    # A list of parameter sets goes out as one INSERT of many VALUES (SQLAlchemy's insertmanyvalues).
    rows = {row.key: row for row in session.scalars(statement, values)}
    earlier = [w.key for w in wanted if w.key not in rows]
    if earlier:  # planned before
        rows.update((row.key, row) for row in _by_keys(session, earlier))
    return [rows[w.key] for w in wanted]


def plan_for_event(session: Session, ticket: Ticket, event: TicketEvent) -> list[Notification]:
    """Every notification a ticket event implies, planned in the event's transaction.

    This is the one place planning happens: the updates to the people concerned now, and the retirement of
    SLA rows the event made moot. (The scheduler adds the SLA reminder rows for the new deadlines here.)
    """
    _retire_sla_rows(session, ticket, event)
    wanted = [
        Planned(
            kind,
            recipient_id,
            event.at,
            key_for(ticket.id, kind, recipient_id, _occasion(kind, ticket, event)),
        )
        for recipient_id, kind in _recipients(session, ticket, event)
    ]
    return plan_many(session, ticket, wanted, event.at, event=event)


def _occasion(kind: str, ticket: Ticket, event: TicketEvent) -> str:
    """What tells two notifications of one kind to one person apart: the event, except that an unreachable
    assignee is announced once per ticket and assignee, however many of their pings fail."""
    return f"a{ticket.assignee_id}" if kind == UNREACHABLE_ASSIGNEE else f"e{event.id}"


def _recipients(session: Session, ticket: Ticket, event: TicketEvent) -> list[tuple[int, str]]:
    """Nobody forgotten: a ticket nobody could be assigned, or whose assignee cannot be reached, goes to the
    team lead, the managers and the admins at once."""
    if event.kind == EventKind.ASSIGNED and ticket.assignee_id is None:
        return [(p.id, UNASSIGNED) for p in _overseers(session, ticket) if p.id != event.actor_id]
    if event.kind == EventKind.DELIVERY_FAILED and _assignee_given_up(ticket, event):
        return [
            (p.id, UNREACHABLE_ASSIGNEE) for p in _overseers(session, ticket) if p.id != ticket.assignee_id
        ]
    found: list[tuple[int, str]] = []
    for audience in _AUDIENCE.get(event.kind, ()):
        person_id, kind = _audience_member(ticket, event, audience)
        if person_id is not None and person_id != event.actor_id and all(p != person_id for p, _ in found):
            found.append((person_id, kind))
    return found


def _overseers(session: Session, ticket: Ticket) -> list[Person]:
    """The ticket team's leads first, then the managers and admins; each once."""
    leads = team_leads(session, ticket.team_id) if ticket.team_id is not None else []
    found: dict[int, Person] = {}
    for person in [*leads, *managers_and_admins(session)]:
        found.setdefault(person.id, person)
    return list(found.values())


def _assignee_given_up(ticket: Ticket, event: TicketEvent) -> bool:
    """A notification to the ticket's assignee that will not be retried (unreachable, or out of retries)."""
    data = event.data or {}
    return (
        ticket.assignee_id is not None
        and data.get("recipient") == ticket.assignee_id
        and "retry_at" not in data
    )


def _audience_member(ticket: Ticket, event: TicketEvent, audience: str) -> tuple[int | None, str]:
    if audience == _REQUESTER:
        return ticket.requester_id, event.kind
    if audience == _PREVIOUS_ASSIGNEE:
        previous = (event.data or {}).get("from_assignee")
        return (previous if isinstance(previous, int) else None), EventKind.REASSIGNED
    # The assignee's ping has one kind whether the assignment was automatic or by a lead.
    kind = EventKind.ASSIGNED if event.kind == EventKind.REASSIGNED else event.kind
    return ticket.assignee_id, kind


def _retire_sla_rows(session: Session, ticket: Ticket, event: TicketEvent) -> None:
    windows = _RETIRES.get(event.kind)
    if windows:
        retire_sla_rows(session, ticket, windows)


def retire_sla_rows(session: Session, ticket: Ticket, windows: tuple[str, ...]) -> None:
    """Pending SLA rows of the ticket whose kind contains one of `windows` (":response", ":resolution";
    "" for all) become skipped."""
    sla_kind = or_(*(Notification.kind.startswith(prefix) for prefix in SLA_KIND_PREFIXES))
    window = or_(*(Notification.kind.contains(w) for w in windows))
    session.execute(
        update(Notification)
        .where(Notification.ticket_id == ticket.id, _pending(), sla_kind, window)
        .values(status=NotificationStatus.SKIPPED)
        .execution_options(synchronize_session="fetch")
    )


def due_notifications(
    session: Session, now: datetime, limit: int = 100, *, lock: bool = False
) -> list[Notification]:
    """Pending notifications due by `now`, oldest first.

    With `lock` on PostgreSQL the rows are locked (skipping rows another process holds) until the caller's
    transaction ends, so concurrent dispatchers share the work instead of racing for it.
    """
    return list(session.scalars(_due(select(Notification), now, limit, lock=lock)))


def _due(query: Select[Any], now: datetime, limit: int, *, lock: bool) -> Select[Any]:
    """Pending rows due by `now`, oldest first; with `lock`, locked, skipping rows another process holds."""
    query = query.where(_pending(), Notification.due_at <= now)
    query = query.order_by(Notification.due_at, Notification.id).limit(limit)
    return query.with_for_update(skip_locked=True) if lock else query


def claim_due(
    session: Session,
    now: datetime,
    limit: int = 100,
    lease: timedelta = CLAIM_LEASE,
    recipients: Collection[int] | None = None,
) -> list[Notification]:
    """Pending notifications due by `now` that this caller now owns, oldest first; with `recipients`, only
    theirs (a console serves only its own person and leaves the rest alone, unclaimed).

    The claim moves each row's due_at (its next attempt time) to `now + lease` with a conditional UPDATE
    (still pending, still due) before anything is sent, so no other dispatcher, in this process or another,
    takes the same row; mark_sent / mark_failed then settle it. A process that dies between the claim and
    the settlement loses the claim when the lease ends and the row goes out then: never lost, and sent
    twice only if the process died after the platform accepted it and before the commit.
    """
    query = select(Notification.id)
    if recipients is not None:
        query = query.where(Notification.recipient_id.in_(list(recipients)))
    ids = list(session.scalars(_due(query, now, limit, lock=True)))  # rows come below
    if not ids:
        return []
    claimed = set(
        session.scalars(
            update(Notification)
            .where(Notification.id.in_(ids), _pending(), Notification.due_at <= now)
            .values(due_at=now + lease)
            .returning(Notification.id)
            .execution_options(synchronize_session=False)
        )
    )
    rows = session.scalars(
        select(Notification)
        .where(Notification.id.in_(claimed))
        .order_by(Notification.id)
        .options(
            selectinload(Notification.ticket),
            selectinload(Notification.event),
            selectinload(Notification.recipient).selectinload(Person.accounts),
        )
        .execution_options(populate_existing=True)
    )
    return list(rows)


def next_due_at(session: Session) -> datetime | None:
    """When the next pending notification falls due (for the scheduler's wake-up)."""
    return session.scalars(
        select(Notification.due_at).where(_pending()).order_by(Notification.due_at).limit(1)
    ).first()


def mark_sent(session: Session, notification: Notification | int, now: datetime, channel: str) -> bool:
    """Records delivery on `channel`; False if it was no longer pending (sent, skipped or failed)."""
    return _settle(session, notification, status=NotificationStatus.SENT, sent_at=now, channel=channel)


def mark_progress(session: Session, notification_id: int, delivered: int, channel: str) -> bool:
    """Records that the first `delivered` platform messages went out on `channel`; False if no longer
    pending."""
    return _settle(session, notification_id, delivered=delivered, channel=channel)


def mark_skipped(session: Session, notification: Notification | int) -> bool:
    """Records that it will not be sent (stale, or the ticket moved on); False if no longer pending."""
    return _settle(session, notification, status=NotificationStatus.SKIPPED)


def mark_failed(
    session: Session, notification: Notification | int, error: str, *, retry_at: datetime | None = None
) -> bool:
    """Counts a failed attempt: with `retry_at` it stays pending until then, else it is given up.

    False if it was no longer pending.
    """
    values: dict[str, object] = {"attempts": Notification.attempts + 1, "last_error": error}
    if retry_at is None:
        values["status"] = NotificationStatus.FAILED
    else:
        values["due_at"] = retry_at
    return _settle(session, notification, **values)


def _settle(session: Session, notification: Notification | int, **values: object) -> bool:
    """A conditional UPDATE: only a pending row changes, so concurrent settlers cannot both succeed."""
    notification_id = notification if isinstance(notification, int) else notification.id
    result = session.execute(
        update(Notification)
        .where(Notification.id == notification_id, _pending())
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    loaded = session.identity_map.get(identity_key(Notification, notification_id))
    if loaded is not None:
        session.expire(loaded)  # reloaded with the database's values on next access
    return _rowcount(result) == 1


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _pending() -> ColumnElement[bool]:
    return Notification.status == NotificationStatus.PENDING


def _by_keys(session: Session, keys: list[str]) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.key.in_(keys))))


def notifications_of(session: Session, ticket_id: int) -> list[Notification]:
    """A ticket's notifications, planned, sent, skipped and failed, by due time."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.ticket_id == ticket_id)
            .order_by(Notification.due_at, Notification.id)
        )
    )
