"""The Telegram channel on python-telegram-bot: receives updates (polling or webhook) and sends replies.

It only translates (bot.telegram.translate) and delivers; the dialog lives in the engine behind
`Conversations`. Updates are processed concurrently across chats and one at a time within a chat, so a user
who floods the bot only queues behind themselves.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

import httpx
from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, LinkPreviewOptions, Update
from telegram.error import BadRequest, Forbidden, TelegramError, TimedOut
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot import texts
from bot.channels import (
    Address,
    Conversations,
    DeliveryFailed,
    DeliveryUncertain,
    PerConversation,
    PlatformMessage,
    Unreachable,
)
from bot.engine import commands
from bot.engine.events import AttachmentKind, ChannelKind, Reply, SharedFile
from bot.telegram.chat_rate import CHAT_BURST, CHAT_INTERVAL, ChatPace, ChatRateLimiter
from bot.telegram.kept_updates import KeptUpdates
from bot.telegram.polling import DurablePolling
from bot.telegram.translate import Markup, account_of, blocked_by, inbound, render
from bot.telegram.webhook import WebhookServer

log = logging.getLogger(__name__)

# python-telegram-bot 22.2 deprecated time periods as int seconds (RetryAfter.retry_after and the like) in
# favour of timedelta, which it gives on this opt-in and will give by default in its next major version.
# Without it PTB warns each time it raises RetryAfter on a flood-control answer, reading the int form itself.
# This package reads no such attribute and passes its own periods as timedelta; an operator's explicit
# PTB_TIMEDELTA is left alone.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# How many updates PTB processes at once (across chats; within a chat they are serialised below).
CONCURRENT_UPDATES = 32
POLL_TIMEOUT = timedelta(seconds=10)
READ_TIMEOUT = timedelta(seconds=5)  # python-telegram-bot's default


@dataclass(frozen=True)
class TelegramConfig:
    token: str
    api_base_url: str | None = None  # root of another Bot API server, e.g. http://127.0.0.1:8081
    webhook_url: str | None = None  # public HTTPS URL; None: polling
    webhook_secret: str | None = None
    webhook_port: int = 8443
    webhook_listen: str = "127.0.0.1"  # behind a reverse proxy that terminates TLS
    poll_timeout: timedelta = POLL_TIMEOUT
    read_timeout: timedelta = READ_TIMEOUT  # waiting for the Bot API's answer to a call
    chat_burst: int = CHAT_BURST  # calls to one chat at once, then one per chat_interval
    chat_interval: timedelta = CHAT_INTERVAL


class TelegramChannel:
    channel = ChannelKind.TELEGRAM

    def __init__(
        self,
        config: TelegramConfig,
        conversations: Conversations,
        staff_chats: Callable[[], Awaitable[Sequence[int]]] | None = None,
    ) -> None:
        self._config = config
        self._conversations = conversations
        self._staff_chats = staff_chats  # whose command menu also lists the staff commands
        self._chats = PerConversation()
        self._webhook: WebhookServer | None = None
        self._polling: DurablePolling | None = None
        self._updates: KeptUpdates | None = None
        builder: ApplicationBuilder = (  # type: ignore[type-arg]
            Application.builder()
            .token(config.token)
            .rate_limiter(ChatRateLimiter(ChatPace(config.chat_burst, config.chat_interval), max_retries=2))
            .concurrent_updates(CONCURRENT_UPDATES)
            .read_timeout(config.read_timeout.total_seconds())
        )
        if config.api_base_url:
            root = config.api_base_url.rstrip("/")
            builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
        self.application = builder.build()
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)

    # --- lifecycle ---

    async def start(self) -> None:
        await self.open()
        await self.listen()

    async def open(self) -> None:
        """Ready to send; nothing is received yet. The process registers the channel's sender between
        `open` and `listen`, so what the first updates trigger (a ping, an answer) has its channel."""
        app = self.application
        await app.initialize()
        await self._register_commands()
        await app.start()

    async def listen(self) -> None:
        """Receives: first what a previous run kept and did not finish, then by webhook or polling."""
        app = self.application
        self._updates = KeptUpdates(app.bot, self._conversations, app.process_update)
        await self._updates.resume()  # before anything new
        if self._config.webhook_url:
            await self._start_webhook(self._config.webhook_url, self._updates)
        else:
            await app.bot.delete_webhook()  # getUpdates is refused while a webhook is set
            self._polling = DurablePolling(app.bot, self._updates, self._config.poll_timeout)
            await self._polling.start()
            log.info("Telegram: polling for updates")

    async def _start_webhook(self, url: str, updates: KeptUpdates) -> None:
        config = self._config
        assert config.webhook_secret, "check_configuration requires TELEGRAM_WEBHOOK_SECRET with a webhook"
        path = urlsplit(url).path
        self._webhook = WebhookServer(
            self.application.bot,
            updates,
            path,
            config.webhook_secret,
            config.webhook_listen,
            config.webhook_port,
        )
        await self._webhook.start()
        await self.application.bot.set_webhook(
            url, secret_token=config.webhook_secret, allowed_updates=Update.ALL_TYPES
        )
        log.info("Telegram: webhook on %s:%s%s", config.webhook_listen, config.webhook_port, path)

    async def stop(self) -> None:
        app = self.application
        if self._webhook is not None:
            await self._webhook.stop()
            self._webhook = None
        if self._polling is not None:
            await self._polling.stop()
        if self._updates is not None:
            await self._updates.stop()
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def _register_commands(self) -> None:
        """The command menu, with the staff commands in staff members' chats; optional, so a failure is
        logged and the bot goes on."""
        everyone = [BotCommand(name, what) for name, what in commands.menu(staff=False)]
        staff = [BotCommand(name, what) for name, what in commands.menu(staff=True)]
        bot = self.application.bot
        try:
            await bot.set_my_commands(everyone, scope=BotCommandScopeDefault())
            for chat_id in await self._staff_chats() if self._staff_chats else ():
                await self._optional(
                    bot.set_my_commands(staff, scope=BotCommandScopeChat(chat_id)), "setMyCommands"
                )
        except TelegramError as exc:
            log.warning("Telegram: setMyCommands failed, continuing without a command menu: %s", exc)

    # --- inbound ---

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await self._optional(update.callback_query.answer(), "answerCallbackQuery")
        if blocked_by(update):
            assert update.effective_user is not None
            await self._conversations.mark_unreachable(account_of(update.effective_user))
            return
        message = inbound(update)
        if message is None:
            return
        async with self._chats.serialised(message.chat_id):
            answer = await self._conversations.handle(message.account, message.event, message.delivery_id)
            query = update.callback_query
            if answer and query is not None and query.message is not None:
                # The pressed keyboard is spent: the replies carry whatever choices are valid now.
                await self._optional(query.edit_message_reply_markup(None), "editMessageReplyMarkup")
            # Committed before it is sent: an outage or a crash from here on delays the answer, never loses it
            await self._conversations.deliver(answer, message.account)

    async def _optional(self, call: Awaitable[object], what: str) -> None:
        try:
            await call
        except TelegramError as exc:
            log.info("Telegram: optional %s failed: %s", what, exc)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("Telegram: error while handling an update", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await self.application.bot.send_message(update.effective_chat.id, texts.INTERNAL_ERROR)
            except TelegramError:
                log.warning("Telegram: could not tell the chat about the error")

    # --- outbound (ChannelSender) ---

    def messages(self, address: Address, replies: Sequence[Reply]) -> list[PlatformMessage]:
        chat_id = int(address.external_id)
        messages: list[PlatformMessage] = []
        for reply in replies:
            preview = LinkPreviewOptions(is_disabled=True) if reply.no_preview else None
            messages += [
                partial(self._send_text, chat_id, text, markup, preview) for text, markup in render(reply)
            ]
            if reply.file is not None and reply.file.channel is ChannelKind.TELEGRAM:
                messages.append(partial(self._send_file, chat_id, reply.file))
        return messages

    async def _send_text(
        self, chat_id: int, text: str, markup: Markup | None, preview: LinkPreviewOptions | None
    ) -> None:
        bot = self.application.bot
        await _delivered(bot.send_message(chat_id, text, reply_markup=markup, link_preview_options=preview))

    async def _send_file(self, chat_id: int, file: SharedFile) -> None:
        """Passes a file on by its file_id (valid for this bot). The text naming it is already delivered, so
        a file Telegram refuses (expired, wrong type) is only logged: retrying would repeat the text."""
        bot = self.application.bot
        call = (
            bot.send_photo(chat_id, file.file_ref)
            if file.kind is AttachmentKind.PHOTO
            else bot.send_document(chat_id, file.file_ref)
        )
        try:
            await _delivered(call)
        except DeliveryFailed as exc:
            if not isinstance(exc.__cause__, BadRequest):
                raise
            log.warning("Telegram: a file was not passed on: %s", exc)


async def _delivered(call: Awaitable[object]) -> None:
    """Awaits a send; raises Unreachable (blocked, never started), DeliveryFailed (worth retrying) or
    DeliveryUncertain (the request went out and no answer came: repeating it could show it twice)."""
    try:
        await call
    except TimedOut as exc:
        if isinstance(exc.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout):  # never left this process
            raise DeliveryFailed(str(exc)) from exc
        raise DeliveryUncertain(str(exc)) from exc
    except Forbidden as exc:
        raise Unreachable(str(exc)) from exc
    except BadRequest as exc:
        if "chat not found" in exc.message.lower():  # never started the bot
            raise Unreachable(str(exc)) from exc
        raise DeliveryFailed(str(exc)) from exc
    except TelegramError as exc:  # network, flood control beyond the limiter's retries
        raise DeliveryFailed(str(exc)) from exc
