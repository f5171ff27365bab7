"""Sends the notifications that are due: `dispatch_due(session_factory, notifier, now)`.

Called right after each message that changed a ticket, on a short periodic tick, and by the SLA scheduler
at its instants. Three short steps, so no database transaction stays open while a platform is slow:
collect the due rows and render them; send them; record the outcomes (sent, retry later, rerouted,
given up — every failure also lands on the ticket as an event).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.channels import DeliveryFailed, DeliveryUncertain, Unreachable
from bot.engine.events import Reply
from bot.notifier import Notifier, Route
from storage import events, notifications, people, sla_plan
from storage.models import ChatAccount, ChatChannel, EventKind, Notification, Ticket

log = logging.getLogger(__name__)

BATCH = 100
# Waits before retrying a transient failure; after the last one the notification is given up.
RETRY_DELAYS = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30))


@dataclass
class _Job:
    notification_id: int
    recipient_id: int
    attempts: int
    replies: list[Reply]
    routes: list[Route]
    # where an earlier delivery was cut short, and how many of its platform messages went out there
    started_on: ChatChannel | None = None
    delivered: int = 0
    delivered_on: Route | None = None
    unreachable: list[Route] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    transient: bool = False


async def dispatch_due(
    session_factory: sessionmaker[Session],
    notifier: Notifier,
    now: datetime,
    lease: timedelta = notifications.CLAIM_LEASE,
) -> int:
    """Sends every notification due by `now`; returns how many went out. Each person's notifications go
    out in order, different people's side by side: a manager's burst of escalations, paced by the
    platform's per-chat limit, holds up nobody else's. Each row's outcome is committed as soon as it is
    known, so a crash repeats at most the one send in flight per person; a row claimed and not yet sent
    goes out when the claim's `lease` ends."""
    sent = 0
    async with notifier.dispatch_lock:  # one dispatcher per process; storage settles each row once
        while True:
            jobs, claimed = await asyncio.to_thread(_collect, session_factory, notifier, now, lease)
            by_person: dict[int, list[_Job]] = defaultdict(list)
            for job in jobs:
                by_person[job.recipient_id].append(job)
            counts = await asyncio.gather(
                *(_send_in_order(session_factory, notifier, queue, now) for queue in by_person.values())
            )
            sent += sum(counts)
            if claimed < BATCH:  # not len(jobs): a batch of stale rows has nothing to send, yet more are due
                return sent


async def _send_in_order(
    session_factory: sessionmaker[Session], notifier: Notifier, jobs: list[_Job], now: datetime
) -> int:
    """One person's notifications, one after another; how many went out."""
    sent = 0
    for job in jobs:
        await _deliver(session_factory, notifier, job)
        await asyncio.to_thread(_settle, session_factory, job, now)
        sent += job.delivered_on is not None
    return sent


def _collect(
    session_factory: sessionmaker[Session], notifier: Notifier, now: datetime, lease: timedelta
) -> tuple[list[_Job], int]:
    """The jobs to send now, and how many rows were claimed."""
    with session_factory() as session, session.begin():
        # claimed before sending: never sent twice
        claimed = notifications.claim_due(session, now, BATCH, lease, recipients=notifier.recipients)
        # stale reminders skipped, the next repeat of an escalation planned
        due = sla_plan.drop_stale(session, claimed, now)
        jobs = [_job(notifier, n) for n in due if n.ticket is not None]
        # A side process (talepbot chat) leaves what it cannot reach to the serving process: the claim's
        # lease runs out and `talepbot run` sends it, or records the failure.
        return [job for job in jobs if job.routes or notifier.records_failures], len(claimed)


def _job(notifier: Notifier, notification: Notification) -> _Job:
    routes = notifier.routes(notification.recipient, _asked_on(notification))
    replies = notifier.render(notification)
    job = _Job(notification.id, notification.recipient_id, notification.attempts, replies, routes)
    job.transient = not routes and notifier.waits_for_start(notification.recipient)
    if notification.delivered and notification.channel is not None:
        # The rest goes where the start went, if that channel is still usable; elsewhere it goes whole.
        job.started_on, job.delivered = notification.channel, notification.delivered
        job.routes.sort(key=lambda route: route.channel is not notification.channel)
    return job


def _asked_on(notification: Notification) -> ChatChannel | None:
    """A requester hears back on the channel they asked on first; staff by the notifier's preference."""
    ticket = notification.ticket
    return ticket.channel if notification.recipient_id == ticket.requester_id else None


async def _deliver(session_factory: sessionmaker[Session], notifier: Notifier, job: _Job) -> None:
    for route in job.routes:
        try:
            await _send(session_factory, notifier, job, route)
        except _CutShort as exc:  # the rest goes on this channel later, never whole elsewhere
            job.transient = True
            job.errors.append(f"{route.channel.value}: {exc}")
            return
        except Unreachable as exc:
            job.unreachable.append(route)
            job.errors.append(f"{route.channel.value}: {exc}")
        except DeliveryFailed as exc:
            job.transient = True
            job.errors.append(f"{route.channel.value}: {exc}")
        else:
            job.delivered_on = route
            return
    if not job.routes:
        job.errors.append("no reachable channel")


class _CutShort(Exception):
    """Part of the notification went out on a route and the rest failed for now."""


async def _send(session_factory: sessionmaker[Session], notifier: Notifier, job: _Job, route: Route) -> None:
    """Sends the job's platform messages on `route` from where an earlier attempt stopped; each one after the
    first is recorded at once, so a crash or a failure repeats none that went out."""
    messages = notifier.messages(route, job.replies)
    start = job.delivered if route.channel is job.started_on else 0
    for index in range(start, len(messages)):
        try:
            await messages[index]()
        except DeliveryUncertain as exc:  # it may have arrived: not repeated, so at most once
            log.warning("notification %s: delivery unconfirmed, not repeated: %s", job.notification_id, exc)
        except DeliveryFailed as exc:
            if index > 0:
                raise _CutShort(str(exc)) from exc
            raise
        if index + 1 < len(messages):
            await asyncio.to_thread(_progress, session_factory, job.notification_id, index + 1, route)


def _progress(
    session_factory: sessionmaker[Session], notification_id: int, delivered: int, route: Route
) -> None:
    with session_factory() as session, session.begin():
        notifications.mark_progress(session, notification_id, delivered, route.channel.value)


def _settle(session_factory: sessionmaker[Session], job: _Job, now: datetime) -> None:
    with session_factory() as session, session.begin():
        for route in job.unreachable:
            account = session.get(ChatAccount, route.account_id)
            if account is not None:
                people.mark_blocked(account, now)
        row = session.get(Notification, job.notification_id)
        if row is None:
            return
        if job.delivered_on is not None:
            if notifications.mark_sent(session, row, now, job.delivered_on.channel.value) and job.errors:
                _record(session, row.ticket, EventKind.DELIVERY_REROUTED, row, now, job)
            return
        retry = job.transient and job.attempts < len(RETRY_DELAYS)
        retry_at = now + RETRY_DELAYS[job.attempts] if retry else None
        error = "; ".join(job.errors)
        if notifications.mark_failed(session, row, error, retry_at=retry_at):
            if retry_at is None:
                log.warning("notification %s given up: %s", row.key, error)
            # every failed attempt is on the ticket; a retried one says when the next attempt is
            _record(session, row.ticket, EventKind.DELIVERY_FAILED, row, now, job, retry_at)


def _record(
    session: Session,
    ticket: Ticket,
    kind: EventKind,
    row: Notification,
    now: datetime,
    job: _Job,
    retry_at: datetime | None = None,
) -> None:
    data: dict[str, object] = {"notification": row.key, "recipient": row.recipient_id}
    if job.delivered_on is not None:
        data["channel"] = job.delivered_on.channel.value
    if retry_at is not None:
        data["retry_at"] = retry_at.isoformat()
    events.record(session, ticket, kind, None, now, note="; ".join(job.errors), data=data)
