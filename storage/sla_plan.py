"""SLA reminder, breach and escalation rows: planned from a ticket's deadlines with catalog.sla_policy.

Planned in the transaction of the event that sets new deadlines (storage.events.record calls `plan_for_event`
here, right after storage.notifications retired the rows the event made moot): the assignment at opening and
a reassignment plan both windows; an answer, a resume or a reopening plan the resolution window again; a
ticket taken by someone other than its assignee re-plans the resolution window for them. The events that end
a window (take, question, resolve, cancel, ...) retire its pending rows in storage.notifications. Every row of
one planning shares the event's id in its key, so a later planning never collides with rows an earlier one
retired.

When a dispatcher has claimed due rows, `drop_stale` records stale reminders as skipped (a 50 % reminder when
the breach is due for the same person) and plans the next daily repeat of an escalation that is going out.

The calendar and the policy come from the session (`configure` puts them on the session factory), so the
ticket operations need no extra parameters; an unconfigured session plans with the default calendar and
policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from catalog.calendar import BusinessCalendar
from catalog.model import ServiceHours
from catalog.sla_policy import (
    DEFAULT_POLICY,
    Audience,
    SlaPolicy,
    SlaWindow,
    Stage,
    Window,
    delivery_time,
    next_repeat,
    step_instant,
)
from storage import notifications
from storage.models import (
    EventKind,
    Notification,
    NotificationStatus,
    Person,
    StaffRole,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from storage.teams import managers_and_admins, team_leads

INFO_KEY = "talepbot.sla_planner"

# Events that set new deadlines, and the windows they plan.
_PLANS: dict[str, tuple[Window, ...]] = {
    EventKind.ASSIGNED: (Window.RESPONSE, Window.RESOLUTION),
    EventKind.REASSIGNED: (Window.RESPONSE, Window.RESOLUTION),
    EventKind.ANSWERED: (Window.RESOLUTION,),
    EventKind.RESUMED: (Window.RESOLUTION,),
    EventKind.REOPENED: (Window.RESOLUTION,),
}
_RESPONSE_RUNNING = frozenset({TicketStatus.NEW, TicketStatus.ASSIGNED})
_RESOLUTION_RUNNING = frozenset({TicketStatus.NEW, TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS})


@dataclass(frozen=True)
class SlaPlanner:
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar.from_config)
    policy: SlaPolicy = DEFAULT_POLICY


def configure(factory: sessionmaker[Session], planner: SlaPlanner) -> None:
    """Every session of `factory` plans SLA rows with this calendar and policy."""
    info = dict(factory.kw.get("info") or {})
    info[INFO_KEY] = planner
    factory.configure(info=info)


def planner_of(session: Session) -> SlaPlanner:
    planner = session.info.get(INFO_KEY)
    return planner if isinstance(planner, SlaPlanner) else _default_planner()


@cache
def _default_planner() -> SlaPlanner:
    return SlaPlanner()


def plan_for_event(session: Session, ticket: Ticket, event: TicketEvent) -> list[Notification]:
    """The SLA rows for the windows `event` (re)starts, from the ticket's deadlines now."""
    planner = planner_of(session)
    planned: list[Notification] = []
    windows = _PLANS.get(event.kind, ())
    if event.kind == EventKind.TAKEN and (event.data or {}).get("to_assignee") is not None:
        # taken by someone other than the assignee: the resolution steps follow the new assignee
        notifications.retire_sla_rows(session, ticket, (f":{Window.RESOLUTION}",))
        windows = (Window.RESOLUTION,)
    running = [window for window in windows if is_running(ticket, window)]
    if running:
        audiences = _audiences(session, ticket)  # the same people for both windows: read once
        for window in running:
            planned += _plan_window(session, planner, ticket, window, event, audiences)
    return planned


def is_running(ticket: Ticket, window: Window) -> bool:
    if window is Window.RESPONSE:
        return ticket.acknowledged_at is None and ticket.status in _RESPONSE_RUNNING
    return ticket.status in _RESOLUTION_RUNNING


def sla_window(ticket: Ticket, window: Window) -> SlaWindow:
    hours = ServiceHours(ticket.service_hours)
    if window is Window.RESPONSE:
        return SlaWindow(hours, ticket.clock_start_at, ticket.response_due)
    return SlaWindow(hours, ticket.clock_start_at, ticket.resolution_due, ticket.paused)


def _plan_window(
    session: Session,
    planner: SlaPlanner,
    ticket: Ticket,
    window: Window,
    event: TicketEvent,
    audiences: dict[Audience, list[Person]],
) -> list[Notification]:
    sla = sla_window(ticket, window)
    wanted = []
    for step in planner.policy.steps:
        instant = step_instant(planner.calendar, sla, step.percent)
        if instant <= event.at:  # already past: it was planned (and sent or retired) before
            continue
        kind = step.kind(window)
        for person in _people(audiences, step.audience):
            due_at = delivery_time(planner.calendar, sla.hours, instant, on_call=person.on_call)
            key = notifications.key_for(ticket.id, kind, person.id, f"e{event.id}")
            wanted.append(notifications.Planned(kind, person.id, due_at, key))
    return notifications.plan_many(session, ticket, wanted, event.at, event=event)


def _audiences(session: Session, ticket: Ticket) -> dict[Audience, list[Person]]:
    assignee = [ticket.assignee] if ticket.assignee is not None and ticket.assignee.active else []
    leads = team_leads(session, ticket.team_id) if ticket.team_id is not None else []
    return {Audience.ASSIGNEE: assignee, Audience.TEAM_LEAD: leads, Audience.MANAGER: _managers(session)}


def _people(audiences: dict[Audience, list[Person]], wanted: Iterable[Audience]) -> list[Person]:
    """The members of the wanted audiences, each once (an assignee who is also the lead hears it once)."""
    seen: dict[int, Person] = {}
    for audience in sorted(wanted):
        for person in audiences[audience]:
            seen.setdefault(person.id, person)
    return list(seen.values())


def _managers(session: Session) -> list[Person]:
    """Managers; where the directory has none, admins (somebody must hear of an escalation)."""
    found = managers_and_admins(session)
    return [p for p in found if p.staff_role is StaffRole.MANAGER] or found


# --- before a dispatch ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SlaKey:
    """What a pending SLA row is about: its place in the policy and, for repeats, which repeat."""

    stage: Stage
    window: Window
    percent: int
    repeat: int

    @classmethod
    def of(cls, row: Notification) -> _SlaKey | None:
        parts = row.kind.split(":")
        if len(parts) != 3 or not notifications.is_sla_kind(row.kind) or not parts[2].isdigit():
            return None
        repeat_tag = row.key.rsplit(":", 1)[-1].partition("r")[2]
        return cls(Stage(parts[0]), Window(parts[1]), int(parts[2]), int(repeat_tag or 0))

    @property
    def rank(self) -> tuple[int, int]:
        return self.percent, self.repeat


def drop_stale(session: Session, claimed: list[Notification], now: datetime) -> list[Notification]:
    """Of the rows a dispatcher claimed, those to send; plans the next daily repeat of escalations going out.

    A row for someone taken out of the rotation (storage.rotation) is skipped unless it is about their own
    request. An SLA row is skipped, not sent late, when a later step of the same window for the same person
    is due too (claimed with it, or pending and due). Skips and plans are idempotent, so concurrent
    dispatchers may both run this.
    """
    addressable = []
    for row in claimed:
        if _out_of_rotation(row):
            notifications.mark_skipped(session, row)
        else:
            addressable.append(row)
    keys = {row.id: key for row in addressable if (key := _SlaKey.of(row)) is not None}
    if not keys:
        return addressable
    rivals = session.scalars(
        select(Notification).where(
            Notification.ticket_id.in_({row.ticket_id for row in addressable if row.id in keys}),
            Notification.status == NotificationStatus.PENDING,
            or_(Notification.due_at <= now, Notification.id.in_(keys)),
            or_(*(Notification.kind.startswith(prefix) for prefix in notifications.SLA_KIND_PREFIXES)),
        )
    )
    latest: dict[tuple[int, Window, int], tuple[int, int]] = {}
    for rival in rivals:
        key = _SlaKey.of(rival)
        if key is not None:
            group = (rival.ticket_id, key.window, rival.recipient_id)
            latest[group] = max(latest.get(group, key.rank), key.rank)
    planner = planner_of(session)
    repeating = planner.policy.repeating
    to_send = []
    for row in addressable:
        key = keys.get(row.id)
        if key is not None and key.rank < latest[(row.ticket_id, key.window, row.recipient_id)]:
            notifications.mark_skipped(session, row)
            continue
        to_send.append(row)
        if key is not None and repeating is not None and key.percent == repeating.percent:
            _plan_repeat(session, planner, row, key, now)
    return to_send


def _out_of_rotation(row: Notification) -> bool:
    return not row.recipient.active and row.recipient_id != row.ticket.requester_id


def _plan_repeat(
    session: Session, planner: SlaPlanner, row: Notification, key: _SlaKey, now: datetime
) -> None:
    ticket = row.ticket
    if not is_running(ticket, key.window):
        return
    sla = sla_window(ticket, key.window)
    first = step_instant(planner.calendar, sla, key.percent)
    n, instant = next_repeat(planner.calendar, sla.hours, first, now)
    due_at = delivery_time(planner.calendar, sla.hours, instant, on_call=row.recipient.on_call)
    base = row.key.rsplit(":", 1)[-1].partition("r")[0]  # the planning event's tag, "e<id>"
    repeat_key = notifications.key_for(ticket.id, row.kind, row.recipient_id, f"{base}r{n}")
    notifications.plan(
        session, ticket, row.kind, row.recipient_id, due_at, now, key=repeat_key, event=row.event
    )


def next_wake(session: Session) -> datetime | None:
    """The earliest instant the scheduler has work: a pending notification or an auto-close."""
    candidates = [
        notifications.next_due_at(session),
        session.scalars(
            select(Ticket.auto_close_at)
            .where(Ticket.status == TicketStatus.RESOLVED, Ticket.auto_close_at.is_not(None))
            .order_by(Ticket.auto_close_at)
            .limit(1)
        ).first(),
    ]
    found = [c for c in candidates if c is not None]
    return min(found) if found else None
