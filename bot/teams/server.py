"""The Teams endpoint: `POST /api/messages` for the Bot Framework, and the application's `GET /healthz`
(bot.health) for monitoring."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter
from sqlalchemy.orm import Session, sessionmaker

from bot.channels import Conversations
from bot.health import Health
from bot.json_body import MalformedJson, read_json
from bot.notifier import Notifier
from bot.settings import Settings
from bot.teams.adapter import make_adapter
from bot.teams.bot import TeamsBot
from bot.teams.guard import LOOPBACK, ServiceUrls, listen_host, malformed
from bot.teams.sender import TeamsSender
from catalog.clock import Clock

log = logging.getLogger(__name__)

ADAPTER_KEY = web.AppKey("adapter", CloudAdapter)
BOT_KEY = web.AppKey("bot", TeamsBot)
SERVICE_URLS_KEY = web.AppKey("service_urls", ServiceUrls)


@dataclass
class TeamsEndpoint:
    """A running endpoint: its address, and the sender the notifier uses for proactive messages."""

    runner: web.AppRunner
    sender: TeamsSender
    host: str
    port: int
    authenticated: bool

    async def stop(self) -> None:
        await self.runner.cleanup()


def build_app(
    adapter: CloudAdapter,
    bot: TeamsBot,
    health: Health,
    service_urls: ServiceUrls,
) -> web.Application:
    app = web.Application()
    app[SERVICE_URLS_KEY] = service_urls
    app[ADAPTER_KEY] = adapter
    app[BOT_KEY] = bot
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", health.handle)
    return app


async def start_teams(
    settings: Settings,
    conversations: Conversations,
    notifier: Notifier,
    sessions: sessionmaker[Session],
    clock: Clock,
    health: Health,
    port: int | None = None,
) -> TeamsEndpoint:
    """Starts the endpoint on TEAMS_HOST and `port` (default TEAMS_PORT; 0 picks a free one).

    ValueError: bad credentials; OSError: the address cannot be bound. `conversations` serves the dialog;
    the channel's sender is added to `notifier` before the first request can come in, so what a turn
    triggers (a ping) has its channel; `sessions` and `clock` are for matching Teams users to the staff
    directory; `health` answers /healthz.
    """
    adapter = make_adapter(settings)
    app_id = settings.microsoft_app_id or ""
    host = listen_host(settings)
    allowed = [t.strip() for t in settings.teams_allowed_tenant_ids.split(",") if t.strip()]
    timeout = timedelta(seconds=settings.teams_send_timeout_seconds)
    bot = TeamsBot(conversations, sessions, clock, allowed, timeout)
    service_urls = ServiceUrls(settings.teams_extra_service_urls)
    runner = web.AppRunner(build_app(adapter, bot, health, service_urls), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, settings.teams_port if port is None else port)
    sender = TeamsSender(adapter, app_id, timeout)
    notifier.add_sender(sender)
    try:
        await site.start()
    except OSError:
        notifier.remove_sender(sender.channel)
        await runner.cleanup()
        raise
    bound_port = runner.addresses[0][1]
    log.info(
        "Teams: listening on %s:%s/api/messages (%s)",
        host,
        bound_port,
        "authentication on" if app_id else "no MicrosoftAppId: authentication OFF, for local trials only",
    )
    if not app_id and host != LOOPBACK:  # only with TEAMS_ALLOW_INSECURE=1 (listen_host)
        log.warning("Teams: TEAMS_HOST=%s accepts unauthenticated requests from other machines", host)
    return TeamsEndpoint(runner, sender, host, bound_port, bool(app_id))


async def _messages(request: web.Request) -> web.StreamResponse:
    if request.content_type != "application/json":
        return web.json_response({"error": "expected application/json"}, status=415)
    try:
        body = await read_json(request)
    except MalformedJson:
        return web.json_response({"error": "malformed JSON"}, status=400)
    problem = malformed(body, request.app[SERVICE_URLS_KEY])
    if problem is not None:
        return web.json_response({"error": problem}, status=400)
    app = request.app
    response = await app[ADAPTER_KEY].process(request, app[BOT_KEY])
    return response if response is not None else web.Response(status=201)
