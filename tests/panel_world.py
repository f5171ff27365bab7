"""Fixtures of the panel tests (a pytest plugin, loaded by tests/conftest.py).

`panel` is a migrated database (SQLite and PostgreSQL) with two teams, their staff and a few open tickets at
a fixed instant, and the real panel served by aiohttp on 127.0.0.1 from a background thread, exactly as
`talepbot run` builds it. Tests reach it over real HTTP (httpx) or in headless Chromium (Playwright).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker
from storage_world import ISTANBUL, open_ticket

from bot.engine.panel_login import login_url
from bot.panel.server import COOKIE, Panel, PanelConfig, PanelServer, start_panel
from catalog.calendar import BusinessCalendar
from catalog.clock import SettableClock
from catalog.model import Catalog
from storage import panel_auth, sla_plan, tickets
from storage.db import make_engine, session_factory
from storage.models import ChatAccount, ChatChannel, Person, PersonKind, StaffRole
from storage.teams import group_team

# Monday 2 March 2026, 13:00: the printer ticket opened at 10:00 is long past its 1-hour response time.
NOW = datetime(2026, 3, 2, 13, 0, tzinfo=ISTANBUL)
REQUESTER_PHONE = "+905321112233"


@dataclass
class PanelWorld:
    sessions: sessionmaker[Session]
    clock: SettableClock
    base_url: str
    people: dict[str, int]  # lead, tech, tech2, other_tech, manager, employee
    numbers: dict[str, str]  # breached, warning, calm (05.21), other_team (05.23)
    pokes: list[int] = field(default_factory=list)

    def link(self, who: str) -> str:
        with self.sessions() as session, session.begin():
            person = session.get_one(Person, self.people[who])
            return login_url(self.base_url, panel_auth.create_link(session, person, self.clock.now()))

    def client(self, who: str | None = None) -> httpx.Client:
        """An HTTP client, logged in as `who` through a link when given."""
        client = httpx.Client(base_url=self.base_url, follow_redirects=False, timeout=30)
        if who is not None:
            response = client.post(self.link(who).removeprefix(self.base_url))
            assert response.status_code == 303, response.text
            assert COOKIE in client.cookies
        return client

    def get(self, model: Any, ident: int) -> Any:
        with self.sessions() as session:
            return session.get_one(model, ident)


def _seed(
    session: Session, catalog: Catalog, calendar: BusinessCalendar
) -> tuple[dict[str, int], dict[str, str]]:
    created = NOW - timedelta(days=30)

    def person(name: str, role: StaffRole | None, team: str | None, telegram: int, **kw: Any) -> Person:
        p = Person(
            kind=PersonKind.STAFF if role else PersonKind.EMPLOYEE,
            staff_role=role,
            name=name,
            team=group_team(session, team, catalog) if team else None,
            created_at=created,
            **kw,
        )
        p.accounts.append(
            ChatAccount(channel=ChatChannel.TELEGRAM, external_id=str(telegram), created_at=created)
        )
        session.add(p)
        session.flush()
        return p

    lead = person("Leyla Lider", StaffRole.TEAM_LEAD, "05.21", 601, email="leyla@belediye.bel.tr")
    tech = person("Tamer Teknisyen", StaffRole.TECHNICIAN, "05.21", 602)
    tech2 = person("Tuba Teknisyen", StaffRole.TECHNICIAN, "05.21", 603)
    other = person("Orhan Öteki", StaffRole.TECHNICIAN, "05.23", 604, phone="+905320000604")
    manager = person("Melek Müdür", StaffRole.MANAGER, None, 605)
    employee = person("Ayşe Çalışkan", None, None, 606, phone=REQUESTER_PHONE)
    printer = catalog.by_id("05.21.001")  # business hours, response 1 hour
    ebelediye = catalog.by_id("05.23.012")  # 7/24, response 1 hour
    assert printer is not None and ebelediye is not None

    def ticket(service: Any, at: datetime, assignee: Person) -> str:
        opened = open_ticket(session, service, employee, calendar, now=at, contact=REQUESTER_PHONE)
        if opened.assignee_id != assignee.id:
            tickets.reassign(session, opened, None, assignee, at)
        return opened.number

    numbers = {
        "breached": ticket(printer, NOW.replace(hour=10), tech),  # response due 11:00
        "warning": ticket(printer, NOW.replace(hour=12, minute=5), tech),  # 55 of 60 minutes gone
        "calm": ticket(printer, NOW.replace(hour=12, minute=55), tech2),  # 5 of 60 minutes gone
        "other_team": ticket(ebelediye, NOW.replace(hour=12, minute=30), other),
    }
    people = {
        "lead": lead.id,
        "tech": tech.id,
        "tech2": tech2.id,
        "other_tech": other.id,
        "manager": manager.id,
        "employee": employee.id,
    }
    return people, numbers


class _ServerThread:
    """The panel's aiohttp server on its own event loop, as in `talepbot run`."""

    def __init__(self, panel: Panel) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: PanelServer = asyncio.run_coroutine_threadsafe(
            start_panel(panel, "127.0.0.1", 0), self.loop
        ).result(30)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)
        self.loop.close()


@pytest.fixture
def panel(db_url: URL, catalog: Catalog, calendar: BusinessCalendar) -> Iterator[PanelWorld]:
    engine = make_engine(db_url)
    sessions = session_factory(engine)
    sla_plan.configure(sessions, sla_plan.SlaPlanner(calendar))
    with sessions() as session, session.begin():
        people, numbers = _seed(session, catalog, calendar)
        secret = panel_auth.panel_secret(session, NOW)
    clock = SettableClock(NOW)
    pokes: list[int] = []
    config = PanelConfig(secret, session_hours=12, secure_cookie=False)
    server = _ServerThread(Panel(sessions, calendar, clock, config, on_change=lambda: pokes.append(1)))
    try:
        yield PanelWorld(sessions, clock, f"http://127.0.0.1:{server.server.port}", people, numbers, pokes)
    finally:
        server.stop()
        engine.dispose()
