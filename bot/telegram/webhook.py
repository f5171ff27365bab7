"""The Telegram webhook endpoint: an aiohttp server that feeds updates to python-telegram-bot's queue.

PTB's own webhook server (tornado) reads a whole body, up to ~100 MiB, before it looks at the secret. Here the
secret header is compared first and the body size is capped by its Content-Length before a byte of the body
is read, so a stranger cannot make the bot buffer anything. It listens on TELEGRAM_WEBHOOK_LISTEN, loopback by
default: in production a reverse proxy terminates TLS in front of it.

An update is answered 200 only once it is kept in the database (bot.telegram.kept_updates); if it cannot be
kept the answer is 503, and Telegram delivers it again later.
"""

from __future__ import annotations

import hmac
import logging

from aiohttp import web
from telegram import Bot, Update

from bot.json_body import read_json
from bot.telegram.kept_updates import KeptUpdates

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are a few KiB (files come as ids); 1 MiB leaves room for any message with its entities.
MAX_BODY_BYTES = 1 << 20


class WebhookServer:
    def __init__(
        self,
        bot: Bot,
        updates: KeptUpdates,
        path: str,
        secret: str,
        listen: str,
        port: int,
    ) -> None:
        self._bot = bot
        self._updates = updates
        self._secret = secret.encode()
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_post("/" + path.lstrip("/"), self._receive)
        self._runner = web.AppRunner(app, access_log=None)
        self._listen = listen
        self._port = port

    async def start(self) -> None:
        """OSError: the address cannot be bound."""
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self._listen, self._port).start()
        except OSError:
            await self._runner.cleanup()
            raise

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return _refused(403)  # the body is never read
        if request.content_length is None or request.content_length > MAX_BODY_BYTES:
            return _refused(413)
        try:
            update = Update.de_json(await read_json(request), self._bot)
        except (ValueError, TypeError, KeyError, AttributeError):  # not JSON, or not an update
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        try:
            await self._updates.keep([update])
        except Exception as exc:  # the database is unreachable: no 2xx, so Telegram delivers it again
            log.warning("Telegram: webhook update %s not kept (%s); answered 503", update.update_id, exc)
            return web.Response(status=503)
        return web.Response(status=200)


def _refused(status: int) -> web.Response:
    """An answer that also closes the connection, so the unread body is dropped with it."""
    response = web.Response(status=status)
    response.force_close()
    return response
