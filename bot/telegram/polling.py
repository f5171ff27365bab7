"""Polling Telegram without losing what was fetched: a batch is kept (bot.telegram.kept_updates) before the
next getUpdates acknowledges it.

PTB's own Updater acknowledges a batch as soon as it is queued in memory, which a crash would lose.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from telegram import Bot, Update

from bot.telegram.kept_updates import KeptUpdates

log = logging.getLogger(__name__)

MAX_WAIT = timedelta(seconds=10)  # between getUpdates attempts while Telegram is unreachable


class DurablePolling:
    def __init__(self, bot: Bot, updates: KeptUpdates, timeout: timedelta) -> None:
        self._bot = bot
        self._updates = updates
        self._timeout = timeout
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _poll(self) -> None:
        offset: int | None = None
        wait = timedelta(seconds=1)
        while True:
            try:
                updates = await self._bot.get_updates(
                    offset=offset, timeout=self._timeout, allowed_updates=Update.ALL_TYPES
                )
                await self._updates.keep(updates)
            except Exception as exc:  # Telegram or the database unreachable: the loop outlives it
                log.warning("Telegram: getUpdates failed (%s); retrying in %s", exc, wait)
                await asyncio.sleep(wait.total_seconds())
                wait = min(wait * 2, MAX_WAIT)
                continue
            wait = timedelta(seconds=1)
            if updates:
                offset = updates[-1].update_id + 1  # acknowledged by the next call, now that they are kept
