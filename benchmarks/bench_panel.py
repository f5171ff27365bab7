"""The panel's pages at size, over real HTTP, against a bare SELECT of the same rows in the same run.

- The SLA board (`/`, as a manager who sees everything) with 50,000 open tickets: the counts over all of
  them, the 200 most urgent rows with their working time left, the filters' choices, the template.
  Baseline: `SELECT` of the 50,000 open tickets' board columns. Goal: under 300 ms.
- The report (`/rapor`) for a year of 100,000 tickets (storage.sla_report, as `talepbot sla report`, plus the
  weekly series and six SVG charts). Baseline: `SELECT` of the year's 100,000 ticket rows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache, partial
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from sqlalchemy import Engine, select, text

from benchmarks.bench_scheduler import _directory, _flush, _ticket
from benchmarks.databases import measured_engines
from benchmarks.timing import median_seconds
from bot.panel.server import COOKIE, Panel, PanelConfig, start_panel
from bot.panel.signing import Signer
from catalog.calendar import BusinessCalendar
from catalog.clock import SettableClock
from catalog.loader import load_catalog
from catalog.model import Service
from catalog.sla import Deadlines, deadlines
from storage import panel_auth
from storage.db import session_factory
from storage.models import OPEN_STATUSES, Person, StaffRole, Ticket, TicketStatus

ISTANBUL = ZoneInfo("Europe/Istanbul")
NOW = datetime(2027, 3, 3, 11, 0, tzinfo=ISTANBUL)  # a Wednesday morning
OPEN_TICKETS = 50_000
YEAR_TICKETS = 100_000
BATCH = 5_000
REPEATS = 5


def run() -> None:
    calendar = BusinessCalendar.from_config()
    for name, engine in measured_engines():
        _populate(engine, calendar, OPEN_TICKETS, _open_ticket)
        board = _page_time(engine, calendar, "/")
        bare = median_seconds(partial(_select, engine, Ticket.status.in_(OPEN_STATUSES)), REPEATS, warm=True)
        print(
            f"{name}: board with {OPEN_TICKETS:,} open tickets {board * 1000:.0f} ms (goal < 300 ms); "
            f"bare SELECT of the same rows {bare * 1000:.0f} ms; ratio {board / bare:.2f}x",
            flush=True,
        )
    for name, engine in measured_engines():
        _populate(engine, calendar, YEAR_TICKETS, _year_ticket)
        report = _page_time(engine, calendar, "/rapor?bas=2026-01-01&son=2026-12-31", repeats=2)
        year = (Ticket.created_at >= datetime(2026, 1, 1, tzinfo=ISTANBUL)) & (
            Ticket.created_at < datetime(2027, 1, 1, tzinfo=ISTANBUL)
        )
        bare = median_seconds(partial(_select, engine, year), 3, warm=True)
        print(
            f"{name}: report for a year of {YEAR_TICKETS:,} tickets {report * 1000:.0f} ms; "
            f"bare SELECT of the same rows {bare * 1000:.0f} ms; ratio {report / bare:.1f}x",
            flush=True,
        )


_LIFECYCLE = ("acknowledged_at", "resolved_at", "closed_at", "cancelled_at", "satisfaction")
TicketMaker = Callable[[int, Service, Deadlines, datetime, dict[str, Any]], None]


def _populate(engine: Engine, calendar: BusinessCalendar, count: int, make: TicketMaker) -> None:
    services = load_catalog().active_services()
    with session_factory(engine).begin() as session:
        people = _directory(session, services)
    started = time.perf_counter()
    due = cache(lambda service, opened: deadlines(calendar, service, opened))
    rows: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for i in range(count):
            service = services[i % len(services)]
            team = service.group.code
            assignee = people.technicians[team][i % len(people.technicians[team])]
            opened = _opened(i, count)
            row = _ticket(
                i, service, opened, due(service, opened), people.requester, people.teams[team], assignee
            )
            row.update(dict.fromkeys(_LIFECYCLE))  # one set of columns for the whole batch
            make(i, service, due(service, opened), opened, row)
            rows.append(row)
            if len(rows) >= BATCH:
                _flush(conn, rows, [])
        _flush(conn, rows, [])
        conn.execute(text("ANALYZE"))
    print(f"  {count:,} tickets inserted in {time.perf_counter() - started:.1f} s", flush=True)


def _opened(i: int, count: int) -> datetime:
    if count == OPEN_TICKETS:  # open tickets: spread over the working days before NOW
        return NOW - timedelta(minutes=7 * (i % 2000))
    start = datetime(2026, 1, 1, 8, 30, tzinfo=ISTANBUL)  # a year: spread evenly over 2026
    return start + timedelta(minutes=(365 * 24 * 60 - 600) * i // count)


def _open_ticket(i: int, _service: Service, due: Deadlines, _opened: datetime, row: dict[str, Any]) -> None:
    if i % 3 == 0:  # a third taken
        row.update(status=TicketStatus.IN_PROGRESS, acknowledged_at=min(due.response_due, NOW))


def _year_ticket(i: int, _service: Service, due: Deadlines, opened: datetime, row: dict[str, Any]) -> None:
    """Mostly closed in time; every 7th taken late, every 11th resolved late, every 50th cancelled."""
    if i % 50 == 0:
        row.update(status=TicketStatus.CANCELLED, cancelled_at=opened + timedelta(minutes=5))
        return
    taken = due.response_due + timedelta(hours=1) if i % 7 == 0 else due.start + timedelta(minutes=10)
    resolved = due.resolution_due + timedelta(hours=2) if i % 11 == 0 else taken + timedelta(hours=1)
    row.update(
        status=TicketStatus.CLOSED,
        acknowledged_at=taken,
        resolved_at=resolved,
        closed_at=resolved + timedelta(days=1),
        satisfaction=1 + i % 5,
    )


def _select(engine: Engine, where: Any) -> None:
    with engine.connect() as conn:
        conn.execute(
            select(
                Ticket.number,
                Ticket.service_code,
                Ticket.service_title,
                Ticket.service_hours,
                Ticket.team_id,
                Ticket.assignee_id,
                Ticket.status,
                Ticket.clock_start_at,
                Ticket.acknowledged_at,
                Ticket.response_due,
                Ticket.resolution_due,
                Ticket.paused_seconds,
                Ticket.paused_since,
                Ticket.created_at,
            ).where(where)
        ).all()


def _page_time(engine: Engine, calendar: BusinessCalendar, path: str, repeats: int = REPEATS) -> float:
    """The median time of a GET of `path` by a manager, over HTTP to the panel on 127.0.0.1."""
    sessions = session_factory(engine)
    clock = SettableClock(NOW)
    with sessions.begin() as session:
        manager = session.scalars(select(Person).where(Person.staff_role == StaffRole.MANAGER)).first()
        assert manager is not None
        link = panel_auth.create_link(session, manager, NOW)
        token = panel_auth.redeem_link(session, link, NOW, timedelta(hours=1))
        assert token is not None
    secret = "bench-secret"
    panel = Panel(sessions, calendar, clock, PanelConfig(secret, 1, False))

    async def measure() -> float:
        server = await start_panel(panel, "127.0.0.1", 0)
        cookies = {COOKIE: Signer(secret).cookie(token)}
        times = []
        try:
            async with aiohttp.ClientSession(cookies=cookies) as client:
                for n in range(repeats + 1):
                    started = time.perf_counter()
                    async with client.get(f"http://127.0.0.1:{server.port}{path}") as response:
                        assert response.status == 200, response.status
                        await response.read()
                    if n:  # the first request warms the caches
                        times.append(time.perf_counter() - started)
        finally:
            await server.stop()
        return sorted(times)[len(times) // 2]

    return asyncio.run(measure())
