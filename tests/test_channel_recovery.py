"""A channel that cannot start is started again: `talepbot run` with the Bot API unreachable at start-up
keeps the other channels serving, says why in one line per attempt, reports it on /healthz, and serves
Telegram as soon as the API answers."""

from __future__ import annotations

import asyncio
import re
import socket
from pathlib import Path
from typing import Any

import aiohttp
from fake_telegram import TOKEN, FakeBotApi, FakeUser
from test_run_and_chat import Running

HEALTH = re.compile(r"health: listening on ([\d.]+):(\d+)/healthz")
USER = FakeUser(7101, "Veli")
TRY_IT_HINT = "Try the bot in a terminal"


async def _seen(run: Running, needle: str) -> None:
    """Waits for a line of the process's output, unless it came already."""
    if needle not in run.output:
        await run.wait_for_line(needle)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def _health(http: aiohttp.ClientSession, run: Running) -> tuple[int, dict[str, Any]]:
    match = HEALTH.search(run.output)
    assert match, run.output
    async with http.get(f"http://{match.group(1)}:{match.group(2)}/healthz") as response:
        return response.status, await response.json()


def test_telegram_unreachable_at_start_is_retried_and_reported(tmp_path: Path) -> None:
    async def main() -> None:
        port = _free_port()  # nothing listens there yet
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}"}
        run = await Running.start(tmp_path, **env)
        api = FakeBotApi(port=port)
        try:
            await _seen(run, "health: listening")
            await _seen(run, "Telegram: cannot start")
            failures = [line for line in run.output.splitlines() if "Telegram: cannot start" in line]
            assert "retrying in" in failures[0] and "Traceback" not in run.output
            assert "TELEGRAM_BOT_TOKEN is empty" not in run.output and TRY_IT_HINT not in run.output
            async with aiohttp.ClientSession() as http:
                status, body = await _health(http, run)
                assert status == 503 and body["channels"]["telegram"].startswith("starting: ")
                assert body["channels"]["teams"] == "running"
                await api.start()
                await _seen(run, "Telegram: started")
                status, body = await _health(http, run)
                assert (status, body["channels"]["telegram"]) == (200, "running")
            api.send_text(USER, "/start")
            await api.wait_message(USER.id, "AYDINLATMA METNİ", timeout=30)
        finally:
            assert await run.stop() == 0, run.output
            await api.stop()

    asyncio.run(main())


def test_healthz_is_served_without_teams(tmp_path: Path) -> None:
    """Telegram only (the Teams port taken): /healthz is the application's, not the Teams endpoint's."""

    async def main() -> None:
        api = FakeBotApi()
        await api.start()
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            env = {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": api.base_url,
                "TEAMS_PORT": str(taken.getsockname()[1]),
            }
            run = await Running.start(tmp_path, **env)
            try:
                assert "Teams: endpoint not started" in run.output
                await _seen(run, "health: listening")
                async with aiohttp.ClientSession() as http:
                    status, body = await _health(http, run)
                assert (status, body["channels"]) == (200, {"telegram": "running"})
            finally:
                assert await run.stop() == 0, run.output
                await api.stop()

    asyncio.run(main())
