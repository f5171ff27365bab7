"""Webhook mode loses nothing either: a real `talepbot run` receiving updates by webhook is killed with
SIGKILL in the middle of 30 citizens' requests and restarted, while the fake Telegram delivers each update
again until it is answered 2xx, as Telegram does.

An update is answered 200 only once kept in the inbox, so those acknowledged and not yet processed at the
kill (counted in the inbox right after it) are processed by the restarted process. Counted as in
test_reliability: every input answered and recorded once in the ledger, every ticket's requester told and
technician pinged, and duplicates only of what was in flight at a kill.
"""

from __future__ import annotations

import asyncio
import signal
import socket
from pathlib import Path

import pytest
from fake_telegram import TOKEN, FakeBotApi, FakeUser
from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker
from test_reliability import USERS, Figures, _check, _citizen, _start, _until_pinged, seed_around_the_clock

from storage.db import make_engine, session_factory
from storage.models import InboundUpdate

# The process-killing tests run one at a time (on one pytest-xdist worker): two at once on two cores
# would starve each other.
pytestmark = pytest.mark.xdist_group("processes")
SECRET = "webhook-secret-for-the-crash-test"
PATH = "/telegram"
FIRST_UPDATE_ID = 1000  # the fake's first update_id
KILL_AT = (USERS * 2, USERS * 5)  # steps done: after everyone's notice, and before most confirmations


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _kept(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(InboundUpdate)) or 0


async def _scenario(db_url: URL, tmp_path: Path) -> tuple[Figures, list[int]]:
    engine = make_engine(db_url)
    sessions = session_factory(engine)
    seed_around_the_clock(sessions)
    api = FakeBotApi(answer_delay={"sendMessage": 0.05})  # slow answers: updates wait in the inbox
    await api.start()
    port = _free_port()
    api.deliver_by_webhook(f"http://127.0.0.1:{port}{PATH}", SECRET)
    env = {
        "DATABASE_URL": db_url.render_as_string(hide_password=False),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_WEBHOOK_URL": f"https://bot.example.org{PATH}",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_WEBHOOK_PORT": str(port),
        "DELIVERY_LEASE_SECONDS": "2",
        "SLA_TICK_SECONDS": "1",
    }
    figures = Figures()
    kept_at_kills: list[int] = []
    users = [FakeUser(91_000 + n, f"Vatandaş {n}") for n in range(USERS)]
    run = await _start(tmp_path, env, ready="Telegram: webhook on")

    async def kill_twice() -> None:
        nonlocal run
        for at in KILL_AT:
            while figures.steps_done < at:
                await asyncio.sleep(0.01)
            run.proc.kill()
            await run.proc.wait()
            figures.kills += 1
            kept_at_kills.append(_kept(sessions))  # acknowledged to Telegram, not processed yet
            run = await _start(tmp_path, env, ready="Telegram: webhook on")

    try:
        await asyncio.gather(*(_citizen(api, user, figures) for user in users), kill_twice())
        await _until_pinged(api, sessions, USERS)
        _check(api, sessions, figures)
        assert api.acknowledged == FIRST_UPDATE_ID + figures.inputs  # every update was answered 2xx
        assert _kept(sessions) == 0  # and processed
        run.proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(run.proc.wait(), 30) == 0
    finally:
        if run.proc.returncode is None:
            run.proc.kill()
            await run.proc.wait()
        await api.stop()
        engine.dispose()
    print(f"\nWEBHOOK {db_url.get_backend_name()} {figures} kept at the kills: {kept_at_kills}")
    return figures, kept_at_kills


def test_sigkill_in_webhook_mode_loses_no_acknowledged_update(db_url: URL, tmp_path: Path) -> None:
    figures, kept_at_kills = asyncio.run(_scenario(db_url, tmp_path))
    assert figures.kills == 2 and sum(kept_at_kills) > 0, kept_at_kills  # the window was hit
    assert figures.lost == 0
    assert figures.duplicates <= figures.kills * (USERS + 1)
