"""Fixtures and helpers of the storage tests (a pytest plugin, loaded by tests/conftest.py).

The bundled catalog, the default calendar, two typical services, fixed instants, a small staff directory
builder, a ticket opener, and DATABASE_URL pointed at the test database for the operator commands.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from bot.settings import get_settings
from catalog.calendar import BusinessCalendar
from catalog.loader import load_catalog
from catalog.model import Catalog, Service
from storage import tickets
from storage.models import ChatAccount, ChatChannel, Person, PersonKind, StaffRole, Team, Ticket
from storage.people import record_kvkk_acceptance
from storage.teams import group_team

ISTANBUL = ZoneInfo("Europe/Istanbul")
# Monday 2 March 2026, 10:00 in Istanbul: an ordinary working morning.
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=ISTANBUL)


class Directory:
    """Creates people the way the staff import and the bot would, flushed so they have ids."""

    def __init__(self, session: Session, catalog: Catalog) -> None:
        self.session = session
        self.catalog = catalog
        self._telegram_ids = 1000

    def team(self, code: str) -> Team:
        return group_team(self.session, code, self.catalog)

    def staff(
        self, role: StaffRole, team: str | None = "05.21", *, on_call: bool = False, name: str = ""
    ) -> Person:
        person = Person(
            kind=PersonKind.STAFF,
            staff_role=role,
            name=name or f"{role.value} {self._telegram_ids}",
            team=self.team(team) if team else None,
            on_call=on_call,
            created_at=MONDAY_10,
        )
        return self._with_account(person)

    def employee(self) -> Person:
        return self._with_account(
            Person(kind=PersonKind.EMPLOYEE, name="Ayşe Çalışkan", created_at=MONDAY_10)
        )

    def citizen(self, *, accepted: bool = True) -> Person:
        person = Person(kind=PersonKind.CITIZEN, created_at=MONDAY_10)
        if accepted:
            record_kvkk_acceptance(person, "2026-11", MONDAY_10)
            person.name = "Mehmet Yılmaz"
        return self._with_account(person)

    def _with_account(self, person: Person) -> Person:
        self._telegram_ids += 1
        person.accounts.append(
            ChatAccount(
                channel=ChatChannel.TELEGRAM, external_id=str(self._telegram_ids), created_at=MONDAY_10
            )
        )
        self.session.add(person)
        self.session.flush()
        return person


def open_ticket(
    session: Session,
    service: Service,
    requester: Person,
    calendar: BusinessCalendar,
    now: datetime = MONDAY_10,
    **details: Any,
) -> Ticket:
    """Opens a ticket as the bot does: on Telegram with a short description unless `details` say otherwise."""
    return tickets.open_ticket(
        session,
        service=service,
        requester=requester,
        now=now,
        calendar=calendar,
        **{"channel": ChatChannel.TELEGRAM, "text": "Yazıcı kağıt sıkıştırıyor", **details},
    )


@pytest.fixture
def cli_database(db_url: URL, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Points the operator commands (DATABASE_URL) at the test database."""
    monkeypatch.setenv("DATABASE_URL", db_url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def calendar() -> BusinessCalendar:
    return BusinessCalendar.from_config()


@pytest.fixture
def printer(catalog: Catalog) -> Service:
    """05.21.001, business hours: response 1 hour, resolution 2 days."""
    service = catalog.by_id("05.21.001")
    assert service is not None
    return service


@pytest.fixture
def ebelediye(catalog: Catalog) -> Service:
    """05.23.012, 7/24: response 1 hour, resolution 4 hours; open to citizens."""
    service = catalog.by_id("05.23.012")
    assert service is not None
    return service


@pytest.fixture
def directory(session: Session, catalog: Catalog) -> Directory:
    return Directory(session, catalog)
