"""`talepbot chat [--as citizen|employee|technician]`: the dialog in the terminal, on the same database."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Callable

from bot import texts
from bot.cli.database import open_database
from bot.cli.run_cmd import load_services
from bot.console import ConsoleChannel, demo_account
from bot.engine.events import AccountRef, ChannelKind, CommandEvent
from bot.engine.stored_replies import Answer
from bot.service import ChatService
from bot.settings import get_settings
from bot.wiring import build_chat_service
from catalog.clock import SystemClock
from storage import people
from storage.models import ChatChannel

ROLES = ("citizen", "employee", "technician")
POLL_SECONDS = 2.0  # how often a console looks for notifications another process created for it


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("chat", help="botla terminalden konuş (yerel deneme ve demo)")
    parser.add_argument(
        "--as",
        dest="role",
        choices=ROLES,
        default="citizen",
        help="kimin yerine konuşulacağı (varsayılan: citizen); çalışan/teknisyen için demo kişi kullanılır",
    )
    parser.set_defaults(handler=_chat)


def _chat(args: argparse.Namespace) -> int:
    logging.getLogger().setLevel(logging.WARNING)  # the terminal is the conversation
    settings = get_settings()
    sessions = open_database()
    services = load_services(settings)
    clock = SystemClock()
    with sessions() as session, session.begin():
        demo = demo_account(session, args.role, services.catalog, clock.now())
    console = ConsoleChannel(demo.external_id)
    service = build_chat_service(services, sessions, clock, [console])
    service.notifier.records_failures = False  # `talepbot run` owns the other channels' deliveries
    print(texts.CONSOLE_INTRO)
    print(demo.announcement)
    print()
    asyncio.run(converse(service, console, AccountRef(ChannelKind.CONSOLE, demo.external_id), input))
    print(texts.CONSOLE_BYE)
    return 0


async def converse(
    service: ChatService,
    console: ConsoleChannel,
    account: AccountRef,
    read: Callable[[str], str],
    poll_seconds: float = POLL_SECONDS,
) -> None:
    """Greets, then reads lines until end of input. Only this account's notifications are shown here (the
    others stay for their own console or `talepbot run`): what waited for it, then each as it comes,
    found by polling the database, since another process (the technician's console) creates them."""
    await _answer(service, console, await service.handle(account, CommandEvent("start")))
    service.notifier.recipients = frozenset({console_person(service, account)})
    await service.dispatch()  # what waited for this console account while nobody was talking
    polling = asyncio.create_task(poll(service, poll_seconds))
    try:
        while True:
            try:
                line = await asyncio.to_thread(read, "> ")
            except (EOFError, KeyboardInterrupt):
                return
            event = console.parse(line)
            if event is None:
                continue
            await _answer(service, console, await service.handle(account, event))
            await service.drain()
    finally:
        polling.cancel()


async def _answer(service: ChatService, console: ConsoleChannel, answer: Answer) -> None:
    """The turn's answer, printed as an answer (notifications are marked as such) and marked delivered."""
    console.show(answer)
    await service.mark_delivered(answer)


async def poll(service: ChatService, seconds: float) -> None:
    while True:
        await asyncio.sleep(seconds)
        await service.dispatch()


def console_person(service: ChatService, account: AccountRef) -> int:
    """The person behind a console account (created by the greeting at the latest)."""
    with service.sessions() as session, session.begin():
        found = people.account_for(session, ChatChannel.CONSOLE, account.external_id, service.clock.now())
        return found.person_id
