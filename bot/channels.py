"""What the notifier needs from a channel adapter to reach a person proactively, what an adapter calls for
inbound messages, and how an adapter keeps the messages of one conversation in order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from bot.engine.events import AccountRef, ChannelKind, Event, Reply
from bot.engine.stored_replies import Answer
from storage.inbox import Kept
from storage.models import ChatChannel


@dataclass(frozen=True)
class Address:
    """Where a chat account is reached: the platform user id and, for Teams, the conversation reference."""

    external_id: str
    conversation_ref: dict[str, Any] | None = None


class Unreachable(Exception):
    """The platform refuses for good (the user blocked the bot or never started it): do not retry here."""


class DeliveryFailed(Exception):
    """A transient failure (network, flood control): worth retrying later."""


class DeliveryUncertain(Exception):
    """The request reached the platform but its answer did not come back (a read timeout): it may have been
    delivered. No platform we serve takes an idempotency key, so a repeat could show the message twice;
    the caller counts it as sent and does not repeat it."""


# One platform message (a call to the platform), sent when awaited; raises Unreachable, DeliveryFailed or
# DeliveryUncertain.
PlatformMessage = Callable[[], Awaitable[None]]


class ChannelSender(Protocol):
    channel: ChannelKind

    def messages(self, address: Address, replies: Sequence[Reply]) -> list[PlatformMessage]:
        """The platform messages that deliver the replies, in order. A reply may take several (a text over
        the platform's limit, two kinds of keyboard, a file), and a delivery cut short between them must
        resume after the last one that went out, not repeat it (bot.replies counts them)."""
        ...


async def send_all(sender: ChannelSender, address: Address, replies: Sequence[Reply]) -> None:
    """Delivers the replies in order, for a caller that keeps no progress (an answer with no outbox row)."""
    for message in sender.messages(address, replies):
        await message()


class UpdateInbox(Protocol):
    """Where a channel keeps the updates it received until processed (storage.inbox)."""

    async def keep_updates(self, channel: ChatChannel, updates: list[Kept]) -> None: ...
    async def kept_updates(self, channel: ChatChannel) -> list[Kept]: ...
    async def update_done(self, channel: ChatChannel, update_id: str) -> None: ...


class Conversations(UpdateInbox, Protocol):
    """What an adapter calls for inbound messages (implemented by bot.service.ChatService)."""

    async def handle(self, account: AccountRef, event: Event, delivery_id: str | None = None) -> Answer:
        """The replies, committed with the turn in the reply outbox; empty for a redelivered update."""
        ...

    async def deliver(self, answer: Answer, account: AccountRef) -> None:
        """Sends the committed answers of the answer's chat account through its channel, and marks them; an
        answer with nothing stored (a refusal, a person just forgotten) is sent to `account` directly."""
        ...

    async def mark_delivered(self, answer: Answer) -> None:
        """The adapter delivered the answer itself (in the platform's response to the message)."""
        ...

    async def mark_unreachable(self, account: AccountRef) -> None:
        """The platform refused to deliver to this account for good (blocked bot, never started)."""
        ...


class PerConversation:
    """One lock per conversation, kept only while a message of that conversation runs or waits: messages of
    one conversation are handled in order, those of different conversations side by side."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def serialised(self, key: Hashable) -> AsyncIterator[None]:
        # Counting the users, not asking lock.locked(): a released lock is unlocked while a waiter is about to
        # take it, and dropping it then would let the next message run beside that waiter.
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            _, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
