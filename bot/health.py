"""`GET /healthz` of `talepbot run`: the database, the SLA scheduler and each channel.

Served by the application on HEALTH_HOST:HEALTH_PORT whatever channels run (a Telegram-only deployment has
it too), and also on the Teams endpoint. 200 while the database answers, the scheduler runs (leading or
standing by: a standby takes over when the leader dies, so it is healthy too) and every configured channel
runs; 503 otherwise, with the reason in the body.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

DB_TIMEOUT_SECONDS = 5.0
RUNNING = "running"


class Health:
    def __init__(self, sessions: sessionmaker[Session], scheduler_role: Callable[[], str | None]) -> None:
        self._sessions = sessions
        self._scheduler_role = scheduler_role
        # channel name -> "running", or what keeps it from running ("starting: <reason>")
        self.channels: dict[str, str] = {}

    async def report(self) -> tuple[int, dict[str, object]]:
        database = await self._database()
        role = self._scheduler_role()
        healthy = database == "ok" and role is not None and all(s == RUNNING for s in self.channels.values())
        body: dict[str, object] = {
            "status": "ok" if healthy else "unhealthy",
            "database": database,
            "scheduler": "stopped" if role is None else "running",
            "scheduler_role": role,
            "channels": dict(self.channels),
        }
        return (200 if healthy else 503), body

    async def handle(self, _request: web.Request) -> web.Response:
        status, body = await self.report()
        return web.json_response(body, status=status)

    async def _database(self) -> str:
        def ping() -> None:
            with self._sessions() as session:
                session.execute(text("SELECT 1"))

        try:
            await asyncio.wait_for(asyncio.to_thread(ping), DB_TIMEOUT_SECONDS)
        except Exception as exc:
            log.warning("healthz: database check failed: %r", exc)
            return f"error: {type(exc).__name__}"
        return "ok"


async def serve_health(health: Health, host: str, port: int) -> web.AppRunner:
    """Starts `GET /healthz` on host:port (0: a free port); OSError when it cannot be bound."""
    app = web.Application()
    app.router.add_get("/healthz", health.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError:
        await runner.cleanup()
        raise
    log.info("health: listening on %s:%s/healthz", host, runner.addresses[0][1])
    return runner
