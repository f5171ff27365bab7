"""Dialog engine figures on SQLite and PostgreSQL (`make bench` runs under pg_virtualenv).

A whole employee request is five turns (free text → "Evet" → location → contact → "Onayla"), each one
transaction that loads and saves the conversation state; the last one opens the ticket. Baselines measured
in the same run: opening the same ticket directly with storage.tickets.open_ticket (what the conversation
must at least cost) and the matcher alone on the same text.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.databases import measured_engines
from benchmarks.timing import median_seconds
from bot import texts
from bot.channels import Address, PlatformMessage
from bot.engine.context import Services
from bot.engine.engine import DialogEngine
from bot.engine.events import AccountRef, ChannelKind, Event, OptionChosen, Reply, TextEvent
from bot.service import ChatService
from bot.settings import Settings
from bot.wiring import build_chat_service, build_dialog_services
from catalog.clock import SettableClock
from storage import tickets
from storage.db import session_factory
from storage.models import ChatAccount, ChatChannel, Person, PersonKind, StaffRole
from storage.teams import group_team

CONVERSATIONS = 60
CONCURRENT_USERS = 8
TEXT = "yazıcı kağıt sıkıştırıyor"
CLOCK = SettableClock(datetime(2026, 12, 2, 7, 0, tzinfo=UTC))  # a Wednesday, 10:00 in Istanbul


def run() -> None:
    services = build_dialog_services(Settings(_env_file=None))  # type: ignore[call-arg]
    matching = median_seconds(lambda: services.matcher.match(TEXT), 200)
    print(f"matcher alone: {matching * 1000:.2f} ms per text")
    for name, engine in measured_engines():
        _measure(name, engine, services, matching)


def _measure(name: str, engine: Engine, services: Services, matching: float) -> None:
    sessions = session_factory(engine)
    users = _directory(sessions, services, CONVERSATIONS + CONCURRENT_USERS * 10)
    dialog = DialogEngine(sessions, services)
    turns: list[float] = []
    started = time.perf_counter()
    for user in users[:CONVERSATIONS]:
        _conversation(dialog, user, turns)
    sequential = time.perf_counter() - started
    direct = _direct_open_seconds(sessions, services, users[0])
    per_request = sequential / CONVERSATIONS
    print(
        f"{name}: a whole request (5 turns) {per_request * 1000:.1f} ms, "
        f"{1 / per_request:,.1f} requests/s; "
        f"turn median {statistics.median(turns) * 1000:.1f} ms, p95 "
        f"{statistics.quantiles(turns, n=20)[18] * 1000:.1f} ms; opening the ticket directly "
        f"{direct * 1000:.1f} ms ({per_request / direct:.1f}x); matching is "
        f"{matching / per_request * 100:.1f}% of a request"
    )
    # Through ChatService, as the adapters use it (engine in worker threads, pings dispatched): the
    # same number of requests by one user at a time, then by CONCURRENT_USERS at once.
    service = build_chat_service(services, sessions, CLOCK, [_Discard()])
    half = len(users[CONVERSATIONS:]) // 2
    alone, together = asyncio.run(_alone_and_together(service, users[CONVERSATIONS:], half))
    print(
        f"{name}: through ChatService one user at a time {half / alone:,.1f} requests/s; "
        f"{CONCURRENT_USERS} users at once {half / together:,.1f} requests/s ({alone / together:.2f}x)"
    )


def _directory(sessions: sessionmaker[Session], services: Services, users: int) -> list[AccountRef]:
    now = CLOCK.now()
    with sessions.begin() as session:
        team = group_team(session, "05.21", services.catalog)
        for i in range(5):
            technician = Person(
                kind=PersonKind.STAFF,
                staff_role=StaffRole.TECHNICIAN,
                name=f"T{i}",
                team=team,
                created_at=now,
            )
            session.add(_account(technician, f"tech-{i}"))
        refs = []
        for i in range(users):
            person = Person(kind=PersonKind.EMPLOYEE, name=f"Çalışan {i}", created_at=now)
            session.add(_account(person, f"bench-{i}"))
            refs.append(AccountRef(ChannelKind.TELEGRAM, f"bench-{i}"))
    return refs


def _account(person: Person, external_id: str) -> ChatAccount:
    return ChatAccount(
        person=person, channel=ChatChannel.TELEGRAM, external_id=external_id, created_at=CLOCK.now()
    )


class _Discard:
    """The technicians' pings go nowhere: the figure is the bot's own cost, not a platform's."""

    channel = ChannelKind.TELEGRAM

    def messages(self, address: Address, replies: Sequence[Reply]) -> list[PlatformMessage]:
        return []


def _press(replies: list[Reply], label: str) -> OptionChosen:
    return OptionChosen(next(o.id for r in replies for o in r.options if o.label == label))


def _conversation(dialog: DialogEngine, user: AccountRef, turns: list[float]) -> None:
    def turn(event: Event) -> list[Reply]:
        started = time.perf_counter()
        replies = dialog.handle(user, event, CLOCK.now())
        turns.append(time.perf_counter() - started)
        return replies

    replies = turn(TextEvent(TEXT))
    turn(_press(replies, texts.BTN_YES))
    turn(TextEvent("Hizmet binası, oda 305"))
    replies = turn(TextEvent("dahili 1234"))
    replies = turn(_press(replies, texts.BTN_CONFIRM))
    assert "Talebiniz oluşturuldu" in replies[-1].text


async def _alone_and_together(service: ChatService, users: list[AccountRef], half: int) -> tuple[float, ...]:
    alone = await _through_service(service, users[:half], 1)
    return alone, await _through_service(service, users[half:], CONCURRENT_USERS)


async def _through_service(service: ChatService, users: list[AccountRef], at_once: int) -> float:
    async def one(user: AccountRef) -> None:
        replies = await service.handle(user, TextEvent(TEXT))
        replies = await service.handle(user, _press(replies, texts.BTN_YES))
        await service.handle(user, TextEvent("Hizmet binası, oda 305"))
        replies = await service.handle(user, TextEvent("dahili 1234"))
        await service.handle(user, _press(replies, texts.BTN_CONFIRM))

    async def worker(queue: list[AccountRef]) -> None:
        while queue:
            await one(queue.pop())

    queue = list(users)
    started = time.perf_counter()
    await asyncio.gather(*(worker(queue) for _ in range(at_once)))
    await service.drain()
    return time.perf_counter() - started


def _direct_open_seconds(sessions: sessionmaker[Session], services: Services, user: AccountRef) -> float:
    service = services.catalog.by_id("05.21.001")
    assert service is not None
    started = time.perf_counter()
    for i in range(CONVERSATIONS):
        with sessions.begin() as session:
            requester = (
                session.scalars(select(ChatAccount).where(ChatAccount.external_id == user.external_id))
                .one()
                .person
            )
            tickets.open_ticket(
                session,
                service=service,
                requester=requester,
                channel=ChatChannel.TELEGRAM,
                text=TEXT,
                now=CLOCK.now() + timedelta(seconds=i),
                calendar=services.calendar,
                location="Hizmet binası, oda 305",
                contact="dahili 1234",
            )
    return (time.perf_counter() - started) / CONVERSATIONS
