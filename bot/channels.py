"""What the notifier needs from a channel adapter to reach a person proactively."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.engine.events import AccountRef, ChannelKind, Event, Reply


@dataclass(frozen=True)
class Address:
    """Where a chat account is reached: the platform user id and, for Teams, the conversation reference."""

    external_id: str
    conversation_ref: dict[str, Any] | None = None


class Unreachable(Exception):
    """The platform refuses for good (the user blocked the bot or never started it): do not retry here."""


class DeliveryFailed(Exception):
    """A transient failure (network, flood control): worth retrying later."""


class ChannelSender(Protocol):
    channel: ChannelKind

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        """Delivers the replies in order; raises Unreachable or DeliveryFailed."""
        ...


class Conversations(Protocol):
    """What an adapter calls for inbound messages (implemented by bot.service.ChatService)."""

    async def handle(self, account: AccountRef, event: Event, delivery_id: str | None = None) -> list[Reply]:
        """The replies to send back; empty for a redelivered update."""
        ...

    async def mark_unreachable(self, account: AccountRef) -> None:
        """The platform refused to deliver to this account for good (blocked bot, never started)."""
        ...
