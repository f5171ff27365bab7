"""A small world for the SLA scheduler tests: an operator's catalog (CATALOG_PATH) with its own durations, a
staff directory reachable on Telegram and Teams through the fake servers, and the real notifier and channel
senders (python-telegram-bot and botbuilder over real HTTP on 127.0.0.1)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from botbuilder.schema import Activity
from fake_bot_connector import FakeBotConnector, TeamsUser
from fake_telegram import TOKEN, FakeBotApi
from sqlalchemy import Engine, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker
from storage_world import open_ticket

from bot.engine.events import AccountRef, ChannelKind, Event
from bot.engine.stored_replies import Answer
from bot.notifier import Notifier
from bot.scheduler import SlaScheduler, leadership_for
from bot.settings import Settings
from bot.teams.adapter import make_adapter
from bot.teams.inbound import conversation_reference
from bot.teams.sender import TeamsSender
from bot.telegram.channel import TelegramChannel, TelegramConfig
from bot.wiring import build_calendar
from catalog.calendar import BusinessCalendar
from catalog.clock import Clock
from catalog.loader import load_catalog
from catalog.model import Catalog, Service
from storage import sla_plan
from storage.db import make_engine, session_factory
from storage.inbox import Kept
from storage.models import ChatAccount, ChatChannel, Notification, Person, PersonKind, StaffRole, Ticket
from storage.teams import group_team

ISTANBUL = ZoneInfo("Europe/Istanbul")
# The operator's catalog: 05.21.001 with a 2-hour response and a 1-day resolution (the bundled one says 1 hour
# and 2 days), and a 7/24 service with 30 minutes and 4 hours.
OPERATOR_CATALOG = """\
groups:
  - code: "05.21"
    title: Teknik Servis Hizmetleri
  - code: "05.22"
    title: Santral, GSM ve SMS Hizmetleri
services:
  - id: "05.21.001"
    code: "05.21.001"
    group: "05.21"
    title: Baskı ve Tarama Cihazlarına Ait Arıza ve Yapılandırma İşlemleri
    scope: Yazıcı arızaları
    channels: [employee, directorate]
    response: 2 Saat
    resolution: 1 Gün
    hours: business
    active: true
  - id: "05.22.001"
    code: "05.22.001"
    group: "05.22"
    title: Santral Arızaları
    scope: Kurum telefonları
    channels: [employee, citizen, directorate]
    response: 30 Dakika
    resolution: 4 Saat
    hours: "24/7"
    active: true
"""


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2027) -> datetime:
    """Test instants lie in 2027, after today's real date, so no real-time APScheduler job fires early."""
    return datetime(year, month, day, hour, minute, tzinfo=ISTANBUL)


class NoConversations:
    """The senders only send; nothing in these tests writes to the bot."""

    async def handle(self, account: AccountRef, event: Event, delivery_id: str | None = None) -> Answer:
        raise AssertionError("no inbound messages in the scheduler tests")

    async def deliver(self, answer: Answer, account: AccountRef) -> None:
        raise AssertionError("no inbound messages in the scheduler tests")

    async def mark_delivered(self, answer: Answer) -> None:
        raise AssertionError("no inbound messages in the scheduler tests")

    async def mark_unreachable(self, account: AccountRef) -> None:
        raise AssertionError("no inbound messages in the scheduler tests")

    async def keep_updates(self, channel: ChatChannel, updates: list[Kept]) -> None:
        raise AssertionError("no inbound messages in the scheduler tests")

    async def kept_updates(self, channel: ChatChannel) -> list[Kept]:
        return []

    async def update_done(self, channel: ChatChannel, update_id: str) -> None:
        raise AssertionError("no inbound messages in the scheduler tests")


@dataclass
class People:
    tech: Person
    lead: Person
    manager: Person
    requester: Person
    switchboard_tech: Person  # 05.22, on call


def operator_settings(tmp_path: Path, db_url: URL) -> Settings:
    catalog_file = tmp_path / "katalog.yaml"
    catalog_file.write_text(OPERATOR_CATALOG, encoding="utf-8")
    return Settings(
        _env_file=None,  # type: ignore[call-arg]  # no developer .env in tests
        database_url=db_url.render_as_string(hide_password=False),
        catalog_path=catalog_file,
    )


@dataclass
class Channels:
    telegram: FakeBotApi
    teams: FakeBotConnector
    telegram_channel: TelegramChannel
    teams_sender: TeamsSender

    def notifier(self, calendar: BusinessCalendar) -> Notifier:
        return Notifier(
            {ChannelKind.TELEGRAM: self.telegram_channel, ChannelKind.TEAMS: self.teams_sender}, calendar.zone
        )

    def teams_ref(self, user: TeamsUser) -> dict[str, Any]:
        return conversation_reference(Activity().deserialize(self.teams.message(user, "merhaba")))

    def telegram_texts(self, chat_id: int) -> list[str]:
        return [c.text for c in self.telegram.sent(chat_id)]


@contextlib.asynccontextmanager
async def fake_channels(settings: Settings) -> AsyncIterator[Channels]:
    telegram, teams = FakeBotApi(), FakeBotConnector()
    await telegram.start()
    await teams.start()
    channel = TelegramChannel(TelegramConfig(TOKEN, api_base_url=telegram.base_url), NoConversations())
    await channel.application.initialize()
    try:
        timeout = timedelta(seconds=settings.teams_send_timeout_seconds)
        yield Channels(telegram, teams, channel, TeamsSender(make_adapter(settings), "", timeout))
    finally:
        await channel.application.shutdown()
        await telegram.stop()
        await teams.stop()


class World:
    """One database, the operator's catalog, and what a `talepbot run` process builds from them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog: Catalog = load_catalog(settings.catalog_path)
        self.calendar = build_calendar(settings)
        self.engines: list[Engine] = []

    def sessions(self) -> sessionmaker[Session]:
        """A new engine and session factory, as a separate process would have."""
        engine = make_engine(self.settings.database_url)
        self.engines.append(engine)
        sessions = session_factory(engine)
        sla_plan.configure(sessions, sla_plan.SlaPlanner(self.calendar))
        return sessions

    def scheduler(self, sessions: sessionmaker[Session], notifier: Notifier, clock: Clock) -> SlaScheduler:
        bind = sessions.kw["bind"]
        assert isinstance(bind, Engine)
        return SlaScheduler(sessions, notifier, clock, leadership_for(bind))

    def service(self, service_id: str) -> Service:
        service = self.catalog.by_id(service_id)
        assert service is not None
        return service

    def seed(self, sessions: sessionmaker[Session], channels: Channels | None = None) -> People:
        """Staff of 05.21 and 05.22 and a requesting employee, each with a Telegram account; the
        technician and the requester also on Teams when `channels` is given."""
        created = at(1, 1, 0)
        with sessions() as session, session.begin():

            def person(
                name: str, role: StaffRole | None, team: str | None, telegram: int, **kw: Any
            ) -> Person:
                p = Person(
                    kind=PersonKind.STAFF if role else PersonKind.EMPLOYEE,
                    staff_role=role,
                    name=name,
                    team=group_team(session, team, self.catalog) if team else None,
                    created_at=created,
                    **kw,
                )
                p.accounts.append(
                    ChatAccount(channel=ChatChannel.TELEGRAM, external_id=str(telegram), created_at=created)
                )
                session.add(p)
                return p

            people = People(
                tech=person("Teknisyen Tuncay", StaffRole.TECHNICIAN, "05.21", 501),
                lead=person("Lider Leyla", StaffRole.TEAM_LEAD, "05.21", 502),
                manager=person("Müdür Murat", StaffRole.MANAGER, None, 503),
                requester=person("Ayşe Çalışkan", None, None, 504),
                switchboard_tech=person("Nöbetçi Nuri", StaffRole.TECHNICIAN, "05.22", 505, on_call=True),
            )
            if channels is not None:
                for p, user in ((people.tech, TEAMS_TECH), (people.requester, TEAMS_REQUESTER)):
                    channels.teams.add_user(user)
                    p.accounts.append(
                        ChatAccount(
                            channel=ChatChannel.TEAMS,
                            external_id=user.aad_object_id,
                            conversation_ref=channels.teams_ref(user),
                            created_at=created,
                        )
                    )
            session.flush()
            session.expunge_all()
        return people

    def open(self, sessions: sessionmaker[Session], service_id: str, requester: Person, now: datetime) -> str:
        with sessions() as session, session.begin():
            requester = session.get_one(Person, requester.id)
            return open_ticket(session, self.service(service_id), requester, self.calendar, now).number

    def dispose(self) -> None:
        for engine in self.engines:
            engine.dispose()


@pytest.fixture
def world(db_url: URL, tmp_path: Path) -> Iterator[World]:
    """The operator's world on the test database (a pytest fixture); its engines disposed afterwards."""
    world = World(operator_settings(tmp_path, db_url))
    yield world
    world.dispose()


TEAMS_TECH = TeamsUser("aad-tech", "Teknisyen Tuncay", "tuncay@belediye.example")
TEAMS_REQUESTER = TeamsUser("aad-requester", "Ayşe Çalışkan", "ayse@belediye.example")


def rows(sessions: sessionmaker[Session], number: str) -> list[Notification]:
    with sessions() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        found = list(
            session.scalars(
                select(Notification).where(Notification.ticket_id == ticket.id).order_by(Notification.id)
            )
        )
        session.expunge_all()
        return found
