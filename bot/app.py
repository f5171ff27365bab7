"""`talepbot run`: every configured channel, the dispatcher and the SLA scheduler in one asyncio process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from telegram.error import InvalidToken, TelegramError
from yarl import URL

from bot.cli.errors import CliError
from bot.engine.context import Services
from bot.engine.events import ChannelKind
from bot.health import RUNNING, Health, serve_health
from bot.panel.server import Panel, PanelConfig, PanelServer, start_panel
from bot.scheduler import SlaScheduler, leadership_for
from bot.service import ChatService
from bot.settings import Settings
from bot.teams.adapter import credentials
from bot.teams.guard import listen_host
from bot.teams.server import TeamsEndpoint, start_teams
from bot.telegram.channel import TelegramChannel, TelegramConfig
from bot.wiring import build_chat_service, build_sla_planner, panel_base_url
from catalog.clock import Clock
from storage import panel_auth, sla_plan
from storage.db import session_factory
from storage.sla_plan import SlaPlanner

log = logging.getLogger(__name__)

HOUSEKEEPING_INTERVAL = timedelta(hours=6)
REPLY_SWEEP_INTERVAL = timedelta(seconds=1)
TELEGRAM_FIRST_WAIT = timedelta(seconds=1)  # then doubled per failed start, up to
TELEGRAM_MAX_WAIT = timedelta(minutes=1)
TRY_IT = (
    "Telegram is off (TELEGRAM_BOT_TOKEN is empty). Try the bot in a terminal: "
    "talepbot chat --as citizen|employee|technician (or .venv/bin/talepbot chat)"
)

Stopper = Callable[[], Awaitable[None]]


def check_configuration(settings: Settings, services: Services) -> SlaPlanner:
    """Checks what the database and the network are not needed for, so a misconfigured start stops before
    it changes anything: SLA_STEPS (the planner, returned), the Telegram webhook and the Teams credentials.

    CliError names the setting.
    """
    try:
        planner = build_sla_planner(settings, services.calendar)
    except ValueError as exc:  # SLA_STEPS
        raise CliError(str(exc)) from None
    if settings.telegram_bot_token and settings.telegram_webhook_url and not settings.telegram_webhook_secret:
        raise CliError(
            "TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL (Telegram signs updates with it)"
        )
    try:
        credentials(settings)
        listen_host(settings)
    except ValueError as exc:
        raise CliError(f"Teams: {exc}") from None
    return planner


async def serve(
    settings: Settings,
    services: Services,
    planner: SlaPlanner,
    engine: Engine,
    clock: Clock,
    stop: asyncio.Event,
) -> None:
    """Runs until `stop` is set, then shuts every part down in reverse order; `planner` comes from
    check_configuration."""
    sessions = session_factory(engine)
    sla_plan.configure(sessions, planner)
    lease = timedelta(seconds=settings.delivery_lease_seconds)
    service = build_chat_service(services, sessions, clock, lease=lease)
    tick = timedelta(seconds=settings.sla_tick_seconds)
    leadership = leadership_for(engine)
    scheduler = SlaScheduler(sessions, service.notifier, clock, leadership, tick=tick, lease=lease)
    service.after_message.append(scheduler.poke)
    health = Health(sessions, lambda: scheduler.role)
    stoppers: list[Stopper] = []
    active: list[str] = []
    try:
        telegram = None
        if settings.telegram_bot_token:
            telegram = TelegramStarter(settings, settings.telegram_bot_token, service, health)
            stoppers.append(telegram.stop)
            await telegram.start()
            mode = "webhook" if settings.telegram_webhook_url else "polling"
            active.append(f"Telegram ({mode})" if telegram.running else f"Telegram ({mode}, still starting)")
        else:
            log.info("Telegram: off (TELEGRAM_BOT_TOKEN is empty)")
        teams = await _start_teams(settings, service, sessions, clock, health, required=telegram is None)
        if teams is not None:
            stoppers.append(teams.stop)
            health.channels["teams"] = RUNNING
            auth = "" if teams.authenticated else ", no authentication"
            active.append(f"Teams ({teams.host}:{teams.port}{auth})")
        await scheduler.start()
        stoppers.append(scheduler.stop)
        panel = await _start_panel(settings, services, sessions, clock, scheduler)
        if panel is not None:
            stoppers.append(panel.stop)
            active.append(f"panel ({panel.host}:{panel.port})")
        stoppers.extend(await _serve_health(settings, health))
        housekeeping = asyncio.create_task(_housekeeping(service, stop))
        replies = asyncio.create_task(_reply_sweep(service, stop))
        log.info("active channels: %s", ", ".join(active) or "none")
        if telegram is None:
            print(TRY_IT, flush=True)
        await stop.wait()
        log.info("shutting down")
        await housekeeping
        await replies
    finally:
        for stopper in reversed(stoppers):
            try:
                await stopper()
            except Exception:
                log.exception("error while stopping")
        await service.drain()


class TelegramStarter:
    """The Telegram channel, started again with a growing wait while the Bot API cannot be reached (the
    other channels serve meanwhile); each failed attempt is one log line with the reason."""

    def __init__(self, settings: Settings, token: str, service: ChatService, health: Health) -> None:
        self._config = TelegramConfig(
            token=token,
            api_base_url=settings.telegram_api_base_url,
            webhook_url=settings.telegram_webhook_url,
            webhook_secret=settings.telegram_webhook_secret,
            webhook_port=settings.telegram_webhook_port,
            webhook_listen=settings.telegram_webhook_listen,
        )
        self._service = service
        self._health = health
        service.notifier.starting.add(ChannelKind.TELEGRAM)  # its people's notifications wait for it
        self._channel: TelegramChannel | None = None
        self._retry: asyncio.Task[None] | None = None
        self._failure = ""

    @property
    def running(self) -> bool:
        return self._channel is not None

    async def start(self) -> None:
        """Starts the channel, or a background retry; CliError when a setting is wrong."""
        if not await self._attempt():
            self._retry = asyncio.create_task(self._keep_trying())

    async def stop(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retry
        if self._channel is not None:
            await self._channel.stop()

    async def _attempt(self) -> bool:
        channel = TelegramChannel(self._config, self._service, self._service.staff_telegram_chats)
        notifier = self._service.notifier
        try:
            await channel.open()
            notifier.add_sender(channel)
            await channel.listen()
        except InvalidToken:
            raise CliError("Telegram refused TELEGRAM_BOT_TOKEN: check the token from @BotFather") from None
        except OSError as exc:  # the webhook's port cannot be bound
            notifier.remove_sender(channel.channel)
            await channel.stop()
            where = (
                f"TELEGRAM_WEBHOOK_PORT={self._config.webhook_port}, "
                f"TELEGRAM_WEBHOOK_LISTEN={self._config.webhook_listen}"
            )
            raise CliError(f"Telegram: cannot listen for the webhook ({where}): {exc}") from None
        except TelegramError as exc:  # network down or API unreachable
            self._failure = str(exc)
            self._health.channels["telegram"] = f"starting: {exc}"
            notifier.remove_sender(channel.channel)
            notifier.starting.add(channel.channel)
            with contextlib.suppress(Exception):  # nothing was started that needs stopping
                await channel.stop()
            return False
        self._channel = channel
        self._health.channels["telegram"] = RUNNING
        return True

    async def _keep_trying(self) -> None:
        wait = TELEGRAM_FIRST_WAIT
        while True:
            seconds = int(wait.total_seconds())
            log.error("Telegram: cannot start (%s); retrying in %ss", self._failure, seconds)
            await asyncio.sleep(wait.total_seconds())
            try:
                if await self._attempt():
                    log.info("Telegram: started")
                    return
            except CliError as exc:
                log.error("%s", exc)
                self._service.notifier.starting.discard(ChannelKind.TELEGRAM)  # it will not start
                return
            wait = min(wait * 2, TELEGRAM_MAX_WAIT)


async def _serve_health(settings: Settings, health: Health) -> list[Stopper]:
    """/healthz on HEALTH_HOST:HEALTH_PORT; a port in use is logged, not fatal (the process still serves)."""
    try:
        runner = await serve_health(health, settings.health_host, settings.health_port)
    except OSError as exc:
        log.error("health: cannot listen (HEALTH_HOST, HEALTH_PORT): %s", exc)
        return []
    return [runner.cleanup]


async def _start_teams(
    settings: Settings,
    service: ChatService,
    sessions: sessionmaker[Session],
    clock: Clock,
    health: Health,
    *,
    required: bool,
) -> TeamsEndpoint | None:
    """The Bot Framework endpoint; without MicrosoftAppId it runs unauthenticated for local trials.

    Bad credentials stop the start. So does an address in use when Teams is configured (an app id) or is
    the only channel; otherwise the unauthenticated trial endpoint is an extra the process can do without.
    """
    try:
        teams = await start_teams(settings, service, service.notifier, sessions, clock, health)
    except ValueError as exc:
        raise CliError(f"Teams: {exc}") from None
    except OSError as exc:
        if required or settings.microsoft_app_id:
            raise CliError(f"Teams: cannot listen (TEAMS_HOST, TEAMS_PORT): {exc}") from None
        log.error("Teams: endpoint not started: %s", exc)
        return None
    return teams


async def _start_panel(
    settings: Settings,
    services: Services,
    sessions: sessionmaker[Session],
    clock: Clock,
    scheduler: SlaScheduler,
) -> PanelServer | None:
    """The web panel on PANEL_HOST:PANEL_PORT; an address in use is logged and the bot runs without it."""

    def stored_secret() -> str:
        with sessions() as session, session.begin():
            return panel_auth.panel_secret(session, clock.now())

    secret = settings.panel_secret
    if not secret:
        secret = await asyncio.to_thread(stored_secret)
    base = URL(panel_base_url(settings))
    origin = str(base.origin()) if base.absolute else None
    config = PanelConfig(secret, settings.panel_session_hours, base.scheme == "https", origin)
    panel = Panel(sessions, services.calendar, clock, config, on_change=scheduler.poke)
    try:
        return await start_panel(panel, settings.panel_host, settings.panel_port)
    except OSError as exc:
        log.error("panel: not started (PANEL_HOST, PANEL_PORT): %s", exc)
        return None


async def _reply_sweep(service: ChatService, stop: asyncio.Event) -> None:
    """Answers left in the outbox (a platform outage, a process that died) go out within a second of due."""
    while not stop.is_set():
        try:
            await service.replies.sweep()
        except Exception:
            log.exception("delivering waiting replies failed; retrying")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), REPLY_SWEEP_INTERVAL.total_seconds())


async def _housekeeping(service: ChatService, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            forgotten = await service.forget_old_updates()
            log.debug("forgot %d processed update ids", forgotten)
        except Exception:
            log.exception("housekeeping failed; retrying later")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), HOUSEKEEPING_INTERVAL.total_seconds())
