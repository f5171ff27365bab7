"""Polling Telegram without losing what was fetched: a batch is kept in the database (storage.inbox) before
the next getUpdates acknowledges it, and an update leaves the inbox only once processed. At start-up what a
previous run fetched and did not finish is processed first. Updates are processed in order per chat and
side by side across chats, so a person who floods the bot queues only behind themselves.

PTB's own Updater acknowledges a batch as soon as it is queued in memory, which a crash would lose.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, Update

from bot.channels import UpdateInbox
from storage.models import ChatChannel

log = logging.getLogger(__name__)

MAX_WAIT = timedelta(seconds=10)  # between getUpdates attempts while Telegram is unreachable
STOP_GRACE = timedelta(seconds=5)  # updates in progress at shutdown may finish; the rest stay in the inbox


class DurablePolling:
    def __init__(
        self,
        bot: Bot,
        inbox: UpdateInbox,
        process: Callable[[Update], Awaitable[None]],
        timeout: timedelta,
    ) -> None:
        self._bot = bot
        self._inbox = inbox
        self._process = process
        self._timeout = timeout
        self._queues: dict[str, deque[tuple[str, Update]]] = {}
        self._queued: set[str] = set()  # update ids waiting or in progress
        self._workers: set[asyncio.Task[None]] = set()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        for update_id, chat_key, payload in await self._inbox.kept_updates(ChatChannel.TELEGRAM):
            self._enqueue(update_id, chat_key, Update.de_json(payload, self._bot))
        self._task = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._workers:
            _, late = await asyncio.wait(self._workers, timeout=STOP_GRACE.total_seconds())
            for worker in late:
                worker.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def _poll(self) -> None:
        offset: int | None = None
        wait = timedelta(seconds=1)
        while True:
            try:
                updates = await self._bot.get_updates(
                    offset=offset, timeout=self._timeout, allowed_updates=Update.ALL_TYPES
                )
                kept = [(str(u.update_id), _chat_key(u), u.to_dict()) for u in updates]
                await self._inbox.keep_updates(ChatChannel.TELEGRAM, kept)
            except Exception as exc:  # Telegram or the database unreachable: the loop outlives it
                log.warning("Telegram: getUpdates failed (%s); retrying in %s", exc, wait)
                await asyncio.sleep(wait.total_seconds())
                wait = min(wait * 2, MAX_WAIT)
                continue
            wait = timedelta(seconds=1)
            if updates:
                offset = updates[-1].update_id + 1  # acknowledged by the next call, now that they are kept
            for update, (update_id, chat_key, _) in zip(updates, kept, strict=True):
                self._enqueue(update_id, chat_key, update)

    def _enqueue(self, update_id: str, chat_key: str, update: Update) -> None:
        if update_id in self._queued:
            return
        self._queued.add(update_id)
        queue = self._queues.get(chat_key)
        if queue is not None:
            queue.append((update_id, update))
            return
        self._queues[chat_key] = deque([(update_id, update)])
        worker = asyncio.create_task(self._work(chat_key))
        self._workers.add(worker)
        worker.add_done_callback(self._workers.discard)

    async def _work(self, chat_key: str) -> None:
        queue = self._queues[chat_key]
        try:
            while queue:
                update_id, update = queue[0]
                try:
                    await self._process(update)
                    await self._inbox.update_done(ChatChannel.TELEGRAM, update_id)
                except Exception:  # the database failed: the update stays in the inbox for the next start
                    log.exception("Telegram: update %s not processed; kept for the next start", update_id)
                queue.popleft()
                self._queued.discard(update_id)
        finally:
            del self._queues[chat_key]


def _chat_key(update: Update) -> str:
    chat = update.effective_chat or update.effective_user
    return str(chat.id) if chat is not None else "-"
