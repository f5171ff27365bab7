"""Proactive messages to Teams users, from the conversation reference stored when they last wrote."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from datetime import timedelta
from functools import partial
from typing import TypeVar

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationReference
from msrest.exceptions import ClientException, HttpOperationError

from bot.channels import Address, DeliveryFailed, DeliveryUncertain, PlatformMessage, Unreachable
from bot.engine.events import ChannelKind, Reply
from bot.teams.cards import reply_activity

log = logging.getLogger(__name__)
T = TypeVar("T")

# The Bot Connector's answers when the user removed the app, blocked the bot, or the conversation is gone.
_GONE_STATUSES = frozenset({403, 404})


async def answered_within(timeout: timedelta, send: Awaitable[T]) -> T:
    """Awaits a send to the Bot Connector; DeliveryUncertain when no answer came within `timeout`
    (TEAMS_SEND_TIMEOUT_SECONDS): the request may have arrived, and repeating it could show the message
    twice. The SDK's own client (requests under msrest) would wait 100 s and then report a read timeout
    like any connection trouble."""
    try:
        return await asyncio.wait_for(send, timeout.total_seconds())
    except TimeoutError as exc:
        raise DeliveryUncertain(f"no answer from Teams within {timeout.total_seconds():g} s") from exc


class TeamsSender:
    """The notifier's way into Teams (bot.channels.ChannelSender)."""

    channel = ChannelKind.TEAMS

    def __init__(self, adapter: CloudAdapter, app_id: str, timeout: timedelta) -> None:
        self._adapter = adapter
        self._app_id = app_id
        self._timeout = timeout

    def messages(self, address: Address, replies: Sequence[Reply]) -> list[PlatformMessage]:
        return [partial(self._send, address, reply) for reply in replies]

    async def _send(self, address: Address, reply: Reply) -> None:
        if not address.conversation_ref:
            raise Unreachable("no Teams conversation reference: the user has not written to the bot yet")
        reference = ConversationReference().deserialize(address.conversation_ref)

        async def deliver(context: TurnContext) -> None:
            await context.send_activity(reply_activity(reply))

        try:
            sending = self._adapter.continue_conversation(reference, deliver, self._app_id)
            await answered_within(self._timeout, sending)
        except HttpOperationError as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in _GONE_STATUSES:
                raise Unreachable(f"Teams answered {status}: {exc.message}") from exc
            raise DeliveryFailed(f"Teams answered {status}: {exc.message}") from exc
        except (ClientException, OSError, PermissionError) as exc:  # connection trouble, or no token
            raise DeliveryFailed(f"cannot reach Teams: {exc}") from exc
