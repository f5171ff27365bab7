"""Storage figures on SQLite and PostgreSQL (`make bench` runs under pg_virtualenv).

- ticket creation: open_ticket (number, deadlines, assignment, events, notification rows), one transaction
  per ticket, against a baseline of one-row INSERT transactions through the bare driver;
- with 100,000 tickets in the table: listing open tickets (the `tickets list --status` query, as ORM
  objects) against the same SELECT through the driver, and a team's workload (what every assignment
  computes) against a bare SELECT COUNT(*) of the table.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from benchmarks.databases import measured_engines
from benchmarks.timing import median_seconds
from catalog.calendar import BusinessCalendar
from catalog.loader import load_catalog
from catalog.model import Service
from storage import tickets
from storage.assignment import workload
from storage.db import session_factory
from storage.models import ChatChannel, Person, PersonKind, StaffRole, Ticket, TicketStatus
from storage.teams import group_team

CREATED = 300  # tickets opened one by one
TABLE_SIZE = 100_000  # tickets bulk-inserted for the queries
TECHNICIANS = 10
REPEATS = 15
START = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
_LISTING_SQL = (
    "SELECT * FROM tickets WHERE status = 'in_progress' ORDER BY created_at DESC, id DESC LIMIT 200"
)
_STATUSES = [
    *[TicketStatus.CLOSED] * 80,
    *[TicketStatus.RESOLVED] * 5,
    *[TicketStatus.IN_PROGRESS] * 8,
    *[TicketStatus.ASSIGNED] * 5,
    *[TicketStatus.WAITING_FOR_REQUESTER] * 2,
]


def run() -> None:
    calendar = BusinessCalendar.from_config()
    service = load_catalog().by_id("05.21.001")
    assert service is not None
    for name, engine in measured_engines():
        _measure(name, engine, service, calendar)


def _measure(name: str, engine: Engine, service: Service, calendar: BusinessCalendar) -> None:
    factory = session_factory(engine)
    with factory.begin() as session:
        team_id, requester_id, technician_ids = _directory(session)
    baseline = _raw_insert_seconds(engine, CREATED)
    started = time.perf_counter()
    for i in range(CREATED):
        with factory.begin() as session:
            requester = session.get_one(Person, requester_id)
            now = START + timedelta(seconds=i)
            tickets.open_ticket(
                session,
                service=service,
                requester=requester,
                channel=ChatChannel.TELEGRAM,
                text="Yazıcı kağıt sıkıştırıyor",
                now=now,
                calendar=calendar,
            )
    creation = time.perf_counter() - started
    print(
        f"{name}: ticket creation {CREATED / creation:,.0f}/s ({creation / CREATED * 1000:.1f} ms each); "
        f"raw one-row INSERT transactions {CREATED / baseline:,.0f}/s; ratio {creation / baseline:.1f}x"
    )

    started = time.perf_counter()
    _bulk_tickets(engine, TABLE_SIZE - CREATED, team_id, requester_id, technician_ids)
    print(f"{name}: bulk insert of {TABLE_SIZE - CREATED:,} tickets {time.perf_counter() - started:.1f} s")
    with factory() as session:
        raw_listing = median_seconds(
            lambda: session.connection().exec_driver_sql(_LISTING_SQL).all(), REPEATS, warm=True
        )
        listing = median_seconds(
            lambda: tickets.find_tickets(session, TicketStatus.IN_PROGRESS, limit=200), REPEATS, warm=True
        )
        count = median_seconds(
            lambda: session.execute(text("SELECT COUNT(*) FROM tickets")).scalar_one(), REPEATS, warm=True
        )
        load = median_seconds(lambda: workload(session, team_id), REPEATS, warm=True)
        open_count = sum(workload(session, team_id).values())
    print(
        f"{name}: with {TABLE_SIZE:,} tickets ({open_count:,} open): listing 200 in progress "
        f"{listing * 1000:.2f} ms, {listing / raw_listing:.1f}x the same SELECT through the driver "
        f"({raw_listing * 1000:.2f} ms); team workload {load * 1000:.2f} ms, {load / count:.1f}x a "
        f"SELECT COUNT(*) of the table ({count * 1000:.2f} ms)"
    )


def _directory(session: Session) -> tuple[int, int, list[int]]:
    team = group_team(session, "05.21", None)
    technicians = [
        Person(
            kind=PersonKind.STAFF,
            staff_role=StaffRole.TECHNICIAN,
            name=f"Teknisyen {i}",
            team=team,
            created_at=START,
        )
        for i in range(TECHNICIANS)
    ]
    requester = Person(kind=PersonKind.EMPLOYEE, name="Ayşe Çalışkan", created_at=START)
    session.add_all([*technicians, requester])
    session.flush()
    return team.id, requester.id, [t.id for t in technicians]


def _raw_insert_seconds(engine: Engine, rows: int) -> float:
    """One-row INSERT transactions through the DBAPI connection: the floor under any ticket creation."""
    with engine.connect() as conn:
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        cursor = dbapi.cursor()
        cursor.execute("CREATE TABLE bench_baseline (id INTEGER PRIMARY KEY, body TEXT)")
        dbapi.commit()
        placeholder = "?" if engine.dialect.name == "sqlite" else "%s"
        started = time.perf_counter()
        for i in range(rows):
            if engine.dialect.name == "sqlite":  # storage.db runs SQLite in explicit transactions
                cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(f"INSERT INTO bench_baseline (id, body) VALUES ({placeholder}, 'x')", (i,))
            dbapi.commit()
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_baseline")
        dbapi.commit()
    return elapsed


def _bulk_tickets(engine: Engine, n: int, team_id: int, requester_id: int, technicians: list[int]) -> None:
    def rows(offset: int, size: int) -> Iterator[dict[str, Any]]:
        for i in range(offset, offset + size):
            created = START - timedelta(minutes=i)
            status = _STATUSES[i % len(_STATUSES)]
            yield {
                "number": f"BIM-2025-{i + 1:06d}",
                "year": 2025,
                "seq": i + 1,
                "service_id": "05.21.001",
                "service_code": "05.21.001",
                "service_title": "Baskı ve Tarama Cihazlarına Ait Arıza ve Yapılandırma İşlemleri",
                "service_hours": "business",
                "requester_text": "Yazıcı çalışmıyor",
                "requester_id": requester_id,
                "channel": ChatChannel.TELEGRAM,
                "status": status,
                "team_id": team_id,
                "assignee_id": technicians[i % len(technicians)],
                "created_at": created,
                "clock_start_at": created,
                "response_due": created + timedelta(hours=1),
                "resolution_due": created + timedelta(days=2),
                "paused_seconds": 0,
                "updated_at": created,
            }

    batch = 10_000
    with engine.begin() as conn:
        for offset in range(0, n, batch):
            conn.execute(insert(Ticket), list(rows(offset, min(batch, n - offset))))
        conn.execute(text("ANALYZE"))
