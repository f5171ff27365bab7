"""SLA scheduler figures with 50,000 open tickets and their planned SLA rows, on SQLite and PostgreSQL.

- start-up reconciliation: SlaScheduler.start() (leadership, auto-close sweep, stale sweep, claim of what is
  due, arming the one date job), against a bare SELECT of the pending rows, which any scheduler that kept a
  job per row would have to read at start-up;
- the scheduler's memory: tracemalloc peak and RSS growth of that start-up, against the same bare SELECT;
- dispatch rate: DUE rows fall due at once and bot.dispatcher.dispatch_due sends them (render, claim, send
  to a fake in-process channel, settle), against a bare SELECT of those rows plus one UPDATE per row.

The rows are bulk-inserted as storage.sla_plan would plan them (catalog.sla_policy instants, quiet hours).
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.orm import Session

from benchmarks.databases import measured_engines
from benchmarks.timing import median_seconds
from bot.channels import Address, PlatformMessage
from bot.dispatcher import dispatch_due
from bot.engine.events import ChannelKind, Reply
from bot.notifier import Notifier
from bot.scheduler import SlaScheduler, leadership_for
from catalog.calendar import BusinessCalendar
from catalog.clock import SettableClock
from catalog.loader import load_catalog
from catalog.model import Service
from catalog.sla import Deadlines, deadlines
from catalog.sla_policy import DEFAULT_POLICY, Audience, SlaWindow, Window, delivery_time, step_instant
from storage import sla_plan
from storage.db import session_factory
from storage.models import (
    ChatAccount,
    ChatChannel,
    Notification,
    NotificationStatus,
    Person,
    PersonKind,
    StaffRole,
    Team,
    Ticket,
    TicketStatus,
)
from storage.teams import group_team

TICKETS = 50_000
DUE = 5_000  # rows falling due at once for the dispatch figure
TECHNICIANS_PER_TEAM = 5
ZONE = ZoneInfo("Europe/Istanbul")
NOW = datetime(2027, 1, 11, 10, 0, tzinfo=ZONE)  # a Monday morning
BATCH = 20_000


class _FakeChannel:
    """An in-process channel that accepts everything: the figure is the scheduler's, not a platform's."""

    channel = ChannelKind.TELEGRAM

    def __init__(self) -> None:
        self.sent = 0

    def messages(self, address: Address, replies: Sequence[Reply]) -> list[PlatformMessage]:
        return [self._accept for _ in replies]

    async def _accept(self) -> None:
        self.sent += 1


def run() -> None:
    for name, engine in measured_engines():
        _measure(name, engine)


def _measure(name: str, engine: Engine) -> None:
    calendar = BusinessCalendar.from_config()
    sessions = session_factory(engine)
    sla_plan.configure(sessions, sla_plan.SlaPlanner(calendar))
    started = time.perf_counter()
    pending = _populate(engine, calendar)
    print(f"{name}: {TICKETS:,} open tickets with {pending:,} pending SLA rows inserted in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip

    channel = _FakeChannel()
    notifier = Notifier({ChannelKind.TELEGRAM: channel}, ZONE)

    async def start_up() -> SlaScheduler:
        scheduler = SlaScheduler(sessions, notifier, SettableClock(NOW), leadership_for(engine))
        await scheduler.start()
        await scheduler.stop()
        return scheduler

    baseline = median_seconds(lambda: _select_pending(engine), 3)
    startup = median_seconds(lambda: asyncio.run(start_up()), 3)
    armed = asyncio.run(start_up()).armed_at
    _, baseline_peak, baseline_rss = _memory(lambda: _select_pending(engine))
    _, peak, rss = _memory(lambda: asyncio.run(start_up()))
    armed_text = f"{armed.astimezone(ZONE):%Y-%m-%d %H:%M}" if armed else "nothing"
    print(
        f"{name}: start-up reconciliation {startup * 1000:.1f} ms (armed for {armed_text}, sent "
        f"{channel.sent}); baseline bare SELECT of the pending rows {baseline * 1000:.1f} ms; "
        f"ratio {startup / baseline:.3f}x"
    )
    print(
        f"{name}: scheduler memory at start-up: tracemalloc peak {peak / 1024:.0f} KiB, "
        f"RSS +{rss / 1024:.0f} KiB; baseline bare SELECT {baseline_peak / 1024:.0f} KiB, "
        f"RSS +{baseline_rss / 1024:.0f} KiB; ratio {peak / baseline_peak:.4f}x"
    )

    due_at = _nth_due(engine, DUE)
    baseline = _select_and_update(engine, due_at)
    started = time.perf_counter()
    sent = asyncio.run(dispatch_due(sessions, notifier, due_at))
    elapsed = time.perf_counter() - started
    skipped = _count(engine, NotificationStatus.SKIPPED)
    settled = sent + skipped
    print(
        f"{name}: dispatch of {settled:,} due rows ({sent:,} sent to the fake channel, "
        f"{skipped:,} skipped as stale) {settled / elapsed:,.0f} rows/s ({sent / elapsed:,.0f} sends/s); "
        f"baseline SELECT + one UPDATE per row {settled / baseline:,.0f} rows/s; "
        f"ratio {elapsed / baseline:.1f}x"
    )


def _populate(engine: Engine, calendar: BusinessCalendar) -> int:
    """The directory, the tickets and their SLA rows as sla_plan plans them; returns the pending rows."""
    services = load_catalog().active_services()
    with session_factory(engine).begin() as session:
        people = _directory(session, services)
    plan = _planner(calendar)
    tickets: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    pending = 0
    with engine.begin() as conn:
        for i in range(TICKETS):
            service = services[i % len(services)]
            opened = NOW - timedelta(minutes=5 * (i % 96))  # spread over the 8 hours before NOW
            team = service.group.code
            assignee = people.technicians[team][i % TECHNICIANS_PER_TEAM]
            due, steps = plan(service, opened)
            tickets.append(_ticket(i, service, opened, due, people.requester, people.teams[team], assignee))
            recipients = {
                Audience.ASSIGNEE: [assignee],
                Audience.TEAM_LEAD: [people.leads[team]],
                Audience.MANAGER: people.managers,
            }
            for kind, audience, due_at in steps:
                for person in {p for a in audience for p in recipients[a]}:
                    if due_at > NOW:  # the ones before were sent before the restart
                        rows.append(_row(i + 1, kind, person, due_at))
            if len(rows) >= BATCH:
                pending += len(rows)
                _flush(conn, tickets, rows)
        pending += len(rows)
        _flush(conn, tickets, rows)
        conn.execute(text("ANALYZE"))
    return pending


_Steps = list[tuple[str, frozenset[Audience], datetime]]


def _planner(calendar: BusinessCalendar) -> Callable[[Service, datetime], tuple[Deadlines, _Steps]]:
    """A ticket's deadlines and its SLA steps with their delivery times, as sla_plan computes them."""

    @cache
    def plan(service: Service, opened: datetime) -> tuple[Deadlines, _Steps]:
        due = deadlines(calendar, service, opened)
        steps = []
        for window, window_due in (
            (Window.RESPONSE, due.response_due),
            (Window.RESOLUTION, due.resolution_due),
        ):
            sla = SlaWindow(service.hours, due.start, window_due)
            for step in DEFAULT_POLICY.steps:
                instant = step_instant(calendar, sla, step.percent)
                steps.append(
                    (
                        step.kind(window),
                        step.audience,
                        delivery_time(calendar, service.hours, instant, on_call=False),
                    )
                )
        return due, steps

    return plan


@dataclass
class _Directory:
    requester: int = 0
    managers: list[int] = field(default_factory=list)
    teams: dict[str, int] = field(default_factory=dict)
    leads: dict[str, int] = field(default_factory=dict)
    technicians: dict[str, list[int]] = field(default_factory=dict)


def _directory(session: Session, services: list[Service]) -> _Directory:
    """A team per service group with its lead and technicians, a manager and a requester, all on Telegram."""
    created: list[Person] = []

    def person(kind: PersonKind, role: StaffRole | None, team: Team | None = None) -> Person:
        p = Person(kind=kind, staff_role=role, name=f"Kişi {len(created)}", team=team, created_at=NOW)
        p.accounts.append(
            ChatAccount(channel=ChatChannel.TELEGRAM, external_id=str(len(created)), created_at=NOW)
        )
        session.add(p)
        created.append(p)
        return p

    manager = person(PersonKind.STAFF, StaffRole.MANAGER)
    requester = person(PersonKind.EMPLOYEE, None)
    teams: dict[str, tuple[Team, Person, list[Person]]] = {}
    for code in sorted({s.group.code for s in services}):
        team = group_team(session, code, None)
        lead = person(PersonKind.STAFF, StaffRole.TEAM_LEAD, team)
        techs = [person(PersonKind.STAFF, StaffRole.TECHNICIAN, team) for _ in range(TECHNICIANS_PER_TEAM)]
        teams[code] = (team, lead, techs)
    session.flush()
    return _Directory(
        requester=requester.id,
        managers=[manager.id],
        teams={code: t.id for code, (t, _, _) in teams.items()},
        leads={code: lead.id for code, (_, lead, _) in teams.items()},
        technicians={code: [p.id for p in techs] for code, (_, _, techs) in teams.items()},
    )


def _ticket(
    i: int,
    service: Service,
    opened: datetime,
    due: Deadlines,
    requester_id: int,
    team_id: int,
    assignee_id: int,
) -> dict[str, Any]:
    return {
        "id": i + 1,
        "number": f"BIM-2027-{i + 1:06d}",
        "year": 2027,
        "seq": i + 1,
        "service_id": service.id,
        "service_code": service.code,
        "service_title": service.title,
        "service_hours": service.hours.value,
        "requester_text": "Bilgisayarım açılmıyor",
        "requester_id": requester_id,
        "channel": ChatChannel.TELEGRAM,
        "status": TicketStatus.ASSIGNED,
        "team_id": team_id,
        "assignee_id": assignee_id,
        "created_at": opened,
        "clock_start_at": due.start,
        "response_due": due.response_due,
        "resolution_due": due.resolution_due,
        "paused_seconds": 0,
        "updated_at": opened,
    }


def _row(ticket_id: int, kind: str, person: int, due_at: datetime) -> dict[str, Any]:
    return {
        "key": f"{ticket_id}:{kind}:{person}:e0",
        "ticket_id": ticket_id,
        "kind": kind,
        "recipient_id": person,
        "due_at": due_at,
        "status": NotificationStatus.PENDING,
        "attempts": 0,
        "created_at": NOW,
    }


def _flush(conn: Connection, tickets: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    for table, batch in ((Ticket, tickets), (Notification, rows)):
        if not batch:
            continue
        if conn.dialect.name == "postgresql":
            _copy(conn, table.__tablename__, batch)
        else:
            conn.execute(insert(table), batch)
        batch.clear()


def _copy(conn: Connection, table: str, batch: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY: an executemany of this size would take most of the benchmark's time budget."""
    columns = list(batch[0])
    cursor: Any = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]  # psycopg's copy()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in batch:
            copy.write_row([v.value if isinstance(v, StrEnum) else v for v in row.values()])


def _select_pending(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(
            select(Notification.id, Notification.due_at).where(
                Notification.status == NotificationStatus.PENDING
            )
        ).all()


def _nth_due(engine: Engine, n: int) -> datetime:
    with engine.connect() as conn:
        return conn.execute(
            select(Notification.due_at)
            .where(Notification.status == NotificationStatus.PENDING)
            .order_by(Notification.due_at)
            .offset(n - 1)
            .limit(1)
        ).scalar_one()


def _select_and_update(engine: Engine, due_at: datetime) -> float:
    """The floor under an exactly-once dispatch: read the due rows and mark each one; rolled back."""
    started = time.perf_counter()
    with engine.connect() as conn:
        ids = (
            conn.execute(
                select(Notification.id).where(
                    Notification.status == NotificationStatus.PENDING, Notification.due_at <= due_at
                )
            )
            .scalars()
            .all()
        )
        for notification_id in ids:
            conn.execute(
                text("UPDATE notifications SET status = 'sent' WHERE id = :id AND status = 'pending'"),
                {"id": notification_id},
            )
        elapsed = time.perf_counter() - started
        conn.rollback()
    return elapsed


def _count(engine: Engine, status: NotificationStatus) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT COUNT(*) FROM notifications WHERE status = :s"), {"s": status.value}
            ).scalar_one()
        )


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _memory(action: Callable[[], object]) -> tuple[object, int, int]:
    """What `action` returns, its tracemalloc peak in bytes and the growth of the process's RSS."""
    rss = _rss()
    tracemalloc.start()
    result = action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, peak, max(_rss() - rss, 0)
