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
from bot.service import ChatService
from bot.settings import get_settings
from bot.wiring import build_chat_service
from catalog.clock import SystemClock

ROLES = ("citizen", "employee", "technician")


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
    service: ChatService, console: ConsoleChannel, account: AccountRef, read: Callable[[str], str]
) -> None:
    """Greets, then reads lines until end of input; notifications due meanwhile are shown as they come."""
    await service.deliver(await service.handle(account, CommandEvent("start")))
    await service.dispatch()  # what waited for this console account while nobody was talking
    while True:
        try:
            line = await asyncio.to_thread(read, "> ")
        except (EOFError, KeyboardInterrupt):
            return
        event = console.parse(line)
        if event is None:
            continue
        await service.deliver(await service.handle(account, event))
        await service.drain()
