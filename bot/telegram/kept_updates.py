"""Telegram updates kept in the database (storage.inbox) until processed, whichever way they arrive.

An update is kept before Telegram is told it was received: by polling, before the next getUpdates
acknowledges its batch; by webhook, before the 200 answer (Telegram repeats a delivery that got no 2xx).
It leaves the inbox only once processed, and at start-up what a previous run kept and did not finish is
processed first. Updates are processed in order per chat and side by side across chats, so a person who
floods the bot queues only behind themselves. Processing an update twice is harmless: the engine's ledger
answers a redelivered update once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from telegram import Bot, Update

from bot.channels import UpdateInbox
from storage.models import ChatChannel

log = logging.getLogger(__name__)

STOP_GRACE = timedelta(seconds=5)  # updates in progress at shutdown may finish; the rest stay in the inbox


class KeptUpdates:
    def __init__(self, bot: Bot, inbox: UpdateInbox, process: Callable[[Update], Awaitable[None]]) -> None:
        self._bot = bot
        self._inbox = inbox
        self._process = process
        self._queues: dict[str, deque[tuple[str, Update]]] = {}
        self._queued: set[str] = set()  # update ids waiting or in progress
        self._workers: set[asyncio.Task[None]] = set()

    async def resume(self) -> None:
        """Processes what a previous run kept and did not finish."""
        for update_id, chat_key, payload in await self._inbox.kept_updates(ChatChannel.TELEGRAM):
            self._enqueue(update_id, chat_key, Update.de_json(payload, self._bot))

    async def keep(self, updates: Sequence[Update]) -> None:
        """Stores the updates, then queues them for processing; raises if they could not be stored, so the
        caller does not acknowledge them."""
        kept = [(str(u.update_id), _chat_key(u), u.to_dict()) for u in updates]
        await self._inbox.keep_updates(ChatChannel.TELEGRAM, kept)
        for update, (update_id, chat_key, _) in zip(updates, kept, strict=True):
            self._enqueue(update_id, chat_key, update)

    async def stop(self) -> None:
        if self._workers:
            _, late = await asyncio.wait(self._workers, timeout=STOP_GRACE.total_seconds())
            for worker in late:
                worker.cancel()
            await asyncio.gather(*late, return_exceptions=True)

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
