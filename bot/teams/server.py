"""The Teams endpoint: `POST /api/messages` for the Bot Framework, and the application's `GET /healthz`
(bot.health) for monitoring."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter
from sqlalchemy.orm import Session, sessionmaker

from bot.channels import Conversations
from bot.health import Health
from bot.settings import Settings
from bot.teams.adapter import make_adapter
from bot.teams.bot import TeamsBot
from bot.teams.sender import TeamsSender
from catalog.clock import Clock

log = logging.getLogger(__name__)

ADAPTER_KEY = web.AppKey("adapter", CloudAdapter)
BOT_KEY = web.AppKey("bot", TeamsBot)
LOOPBACK = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"


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
) -> web.Application:
    app = web.Application()
    app[ADAPTER_KEY] = adapter
    app[BOT_KEY] = bot
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", health.handle)
    return app


async def start_teams(
    settings: Settings,
    conversations: Conversations,
    sessions: sessionmaker[Session],
    clock: Clock,
    health: Health,
    port: int | None = None,
) -> TeamsEndpoint:
    """Starts the endpoint on TEAMS_HOST and `port` (default TEAMS_PORT; 0 picks a free one).

    ValueError: bad credentials; OSError: the address cannot be bound. `conversations` serves the dialog;
    `sessions` and `clock` are for matching Teams users to the staff directory; `health` answers /healthz.
    """
    adapter = make_adapter(settings)
    app_id = settings.microsoft_app_id or ""
    host = listen_host(settings)
    allowed = [t.strip() for t in settings.teams_allowed_tenant_ids.split(",") if t.strip()]
    bot = TeamsBot(conversations, sessions, clock, allowed)
    runner = web.AppRunner(build_app(adapter, bot, health), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, settings.teams_port if port is None else port)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    bound_port = runner.addresses[0][1]
    log.info(
        "Teams: listening on %s:%s/api/messages (%s)",
        host,
        bound_port,
        "authentication on" if app_id else "no MicrosoftAppId: authentication OFF, for local trials only",
    )
    if not app_id and host != LOOPBACK:
        log.warning("Teams: TEAMS_HOST=%s accepts unauthenticated requests from other machines", host)
    return TeamsEndpoint(runner, TeamsSender(adapter, app_id), host, bound_port, bool(app_id))


def listen_host(settings: Settings) -> str:
    """TEAMS_HOST, else only this machine while authentication is off (anyone could post as anyone)."""
    return settings.teams_host or (ALL_INTERFACES if settings.microsoft_app_id else LOOPBACK)


async def _messages(request: web.Request) -> web.StreamResponse:
    if request.content_type != "application/json":
        return web.json_response({"error": "expected application/json"}, status=415)
    try:
        body = await request.json()
    except ValueError:
        return web.json_response({"error": "malformed JSON"}, status=400)
    if not isinstance(body, dict) or not body.get("type"):
        return web.json_response({"error": "not a Bot Framework activity"}, status=400)
    app = request.app
    response = await app[ADAPTER_KEY].process(request, app[BOT_KEY])
    return response if response is not None else web.Response(status=201)
