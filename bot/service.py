"""ChatService: what channel adapters call (bot.channels.Conversations), plus the outbound dispatch.

The dialog engine is synchronous database work, so it runs in a worker thread: a slow transaction of one
user never stalls the event loop that serves the others. After each message the due notifications are
dispatched (the technician's ping, the requester's update); the SLA scheduler wakes it for everything else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from bot.dispatcher import dispatch_due
from bot.engine.engine import DialogEngine
from bot.engine.events import AccountRef, Event
from bot.engine.stored_replies import Answer
from bot.notifier import Notifier
from bot.replies import ReplyDeliverer
from catalog.clock import Clock
from storage import dialogs, inbox, lookups
from storage.models import ChatChannel

log = logging.getLogger(__name__)


class ChatService:
    def __init__(
        self,
        engine: DialogEngine,
        session_factory: sessionmaker[Session],
        notifier: Notifier,
        clock: Clock,
    ) -> None:
        self.engine = engine
        self.notifier = notifier
        self.clock = clock
        self._sessions = session_factory
        self.replies = ReplyDeliverer(session_factory, notifier, clock, engine.lease)
        self._dispatches: set[asyncio.Task[int]] = set()
        # Called after each message that got replies (the SLA scheduler re-arms for changed deadlines).
        self.after_message: list[Callable[[], None]] = []

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self._sessions

    async def handle(self, account: AccountRef, event: Event, delivery_id: str | None = None) -> Answer:
        """The turn, committed with its answer in the reply outbox; `deliver` sends the answer."""
        replies = await asyncio.to_thread(self.engine.handle, account, event, self.clock.now(), delivery_id)
        if replies:
            self.kick()
            for listener in self.after_message:
                listener()
        return replies

    async def deliver(self, answer: Answer, account: AccountRef) -> None:
        """Sends the answer's chat account its pending answers in order, this one included, each marked as
        soon as the platform accepted it; an answer nothing was stored for goes to `account` at once."""
        if answer.account_id is not None:
            await self.replies.deliver(answer.account_id, answer.outbox_id)
        elif answer:
            await self.replies.send_unstored(account, answer)

    async def mark_delivered(self, answer: Answer) -> None:
        if answer.outbox_id is not None:
            await self.replies.mark_delivered(answer.outbox_id)

    async def mark_unreachable(self, account: AccountRef) -> None:
        await asyncio.to_thread(self.engine.mark_unreachable, account, self.clock.now())

    async def dispatch(self) -> int:
        """Sends what is due now; a failure is logged and retried on the next tick, never raised."""
        try:
            return await dispatch_due(self._sessions, self.notifier, self.clock.now(), self.engine.lease)
        except Exception:
            log.exception("dispatching notifications failed; retrying on the next tick")
            return 0

    def kick(self) -> None:
        """Starts a dispatch in the background, unless one is already waiting to start."""
        if len(self._dispatches) >= 2:  # one running and one queued behind it cover this message too
            return
        task = asyncio.create_task(self.dispatch())
        self._dispatches.add(task)
        task.add_done_callback(self._dispatches.discard)

    async def staff_telegram_chats(self) -> list[int]:
        """The private chats of IT staff on Telegram (their user ids)."""

        def query() -> list[int]:
            with self._sessions() as session:
                ids = lookups.staff_external_ids(session, ChatChannel.TELEGRAM)
            return [int(i) for i in ids if i.lstrip("-").isdigit()]

        return await asyncio.to_thread(query)

    # --- the inbound inbox (storage.inbox), for channels that fetch their updates ---

    async def keep_updates(self, channel: ChatChannel, updates: list[inbox.Kept]) -> None:
        def keep() -> None:
            with self._sessions() as session, session.begin():
                inbox.keep(session, channel, updates, self.clock.now())

        await asyncio.to_thread(keep)

    async def kept_updates(self, channel: ChatChannel) -> list[inbox.Kept]:
        def kept() -> list[inbox.Kept]:
            with self._sessions() as session:
                return inbox.kept(session, channel)

        return await asyncio.to_thread(kept)

    async def update_done(self, channel: ChatChannel, update_id: str) -> None:
        def done() -> None:
            with self._sessions() as session, session.begin():
                inbox.done(session, channel, update_id)

        await asyncio.to_thread(done)

    async def forget_old_updates(self) -> int:
        """Drops the redelivery ledger entries no platform would redeliver any more."""

        def forget() -> int:
            with self._sessions() as session, session.begin():
                cutoff = self.clock.now() - dialogs.PROCESSED_UPDATE_RETENTION
                return dialogs.forget_processed_updates(session, cutoff)

        return await asyncio.to_thread(forget)

    async def drain(self) -> None:
        """Waits for the background dispatches (at shutdown, and in tests)."""
        while self._dispatches:
            await asyncio.gather(*self._dispatches)
