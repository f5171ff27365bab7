"""`talepbot run`: serves every configured channel with the scheduler in one asyncio process."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("run", help="botu çalıştır (tüm kanallar ve zamanlayıcı)")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    asyncio.run(_serve())
    return 0


async def _serve() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.warning("no channel is wired yet; waiting for SIGINT/SIGTERM")
    await stop.wait()
    log.info("shutting down")
