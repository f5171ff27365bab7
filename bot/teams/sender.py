"""Proactive messages to Teams users, from the conversation reference stored when they last wrote."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationReference
from msrest.exceptions import ClientException, HttpOperationError

from bot.channels import Address, DeliveryFailed, PlatformMessage, Unreachable
from bot.engine.events import ChannelKind, Reply
from bot.teams.cards import reply_activity

log = logging.getLogger(__name__)

# The Bot Connector's answers when the user removed the app, blocked the bot, or the conversation is gone.
_GONE_STATUSES = frozenset({403, 404})


class TeamsSender:
    """The notifier's way into Teams (bot.channels.ChannelSender)."""

    channel = ChannelKind.TEAMS

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self._adapter = adapter
        self._app_id = app_id

    def messages(self, address: Address, replies: Sequence[Reply]) -> list[PlatformMessage]:
        return [partial(self._send, address, reply) for reply in replies]

    async def _send(self, address: Address, reply: Reply) -> None:
        if not address.conversation_ref:
            raise Unreachable("no Teams conversation reference: the user has not written to the bot yet")
        reference = ConversationReference().deserialize(address.conversation_ref)

        async def deliver(context: TurnContext) -> None:
            await context.send_activity(reply_activity(reply))

        try:
            await self._adapter.continue_conversation(reference, deliver, self._app_id)
        except HttpOperationError as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in _GONE_STATUSES:
                raise Unreachable(f"Teams answered {status}: {exc.message}") from exc
            raise DeliveryFailed(f"Teams answered {status}: {exc.message}") from exc
        except (ClientException, OSError, PermissionError) as exc:  # connection trouble, or no token
            raise DeliveryFailed(f"cannot reach Teams: {exc}") from exc
