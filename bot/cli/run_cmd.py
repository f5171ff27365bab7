"""`talepbot run`: serves every configured channel with the scheduler in one asyncio process."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from bot.cli.database import database_url, migrate
from bot.cli.errors import CliError
from bot.engine.context import Services
from bot.logs import protect
from bot.settings import Settings, get_settings
from bot.wiring import build_dialog_services
from catalog.clock import SystemClock
from catalog.loader import CatalogError
from storage.db import make_engine
from storage.sla_plan import SlaPlanner

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("run", help="botu çalıştır (tüm kanallar ve zamanlayıcı)")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    secrets = (settings.telegram_bot_token, settings.telegram_webhook_secret, settings.microsoft_app_password)
    try:
        protect(settings.log_level, [s for s in secrets if s])
    except ValueError:
        raise CliError(f"LOG_LEVEL={settings.log_level!r}: expected DEBUG, INFO, WARNING or ERROR") from None
    # Everything that can be checked without the database first: a misconfigured start changes nothing.
    database_url()
    services = load_services(settings)
    from bot.app import check_configuration  # here: the channels' imports would slow the other commands

    planner = check_configuration(settings, services)
    shown = migrate()
    log.info("database %s is at the latest schema", shown)
    asyncio.run(_serve(settings, services, planner))
    return 0


def load_services(settings: Settings) -> Services:
    """The catalog, matcher and calendar, with configuration mistakes as one clear line."""
    try:
        return build_dialog_services(settings)
    except CatalogError as exc:
        raise CliError(f"the catalog cannot be loaded: {'; '.join(map(str, exc.problems[:3]))}") from None
    except ValueError as exc:  # calendar settings
        raise CliError(str(exc)) from None


async def _serve(settings: Settings, services: Services, planner: SlaPlanner) -> None:
    # Imported here: the channels (PTB, botbuilder, APScheduler) would slow every other talepbot command.
    from bot.app import serve

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    engine = make_engine(database_url())
    try:
        await serve(settings, services, planner, engine, SystemClock(), stop)
    finally:
        engine.dispose()
