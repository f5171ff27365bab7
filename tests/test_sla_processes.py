"""Several `talepbot run` processes against one PostgreSQL: one leads the scheduler, a standby takes over
when the leader dies, and two processes never send the same notification twice (separate OS processes,
talking real HTTP to one fake Bot API)."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fake_telegram import FakeBotApi
from sla_world import World, at, fake_channels
from sqlalchemy import create_engine, text

from bot.settings import Settings
from catalog.clock import SettableClock

pytestmark = [
    pytest.mark.parametrize(
        "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
    ),
    pytest.mark.xdist_group("processes"),  # with the crash tests: one process-heavy test at a time
]
CHILD = Path(__file__).with_name("sla_child.py")
TICKETS = 20  # within Telegram's per-chat burst: the test is about claims, not pace


async def _children(settings: Settings, telegram: FakeBotApi, mode: str, now: str) -> list[dict[str, Any]]:
    args = [settings.database_url, str(settings.catalog_path), now, telegram.base_url, mode]
    pipe = asyncio.subprocess.PIPE
    procs = [
        await asyncio.create_subprocess_exec(sys.executable, str(CHILD), *args, stdin=pipe, stdout=pipe)
        for _ in range(2)
    ]
    if mode == "schedule":  # both schedulers run before either lets go (its stdin closing)
        for p in procs:
            assert p.stdout is not None
            assert await asyncio.wait_for(p.stdout.readline(), 60) == b"started\n"
    outputs = await asyncio.wait_for(asyncio.gather(*(p.communicate(b"") for p in procs)), 60)
    assert [p.returncode for p in procs] == [0, 0]
    return [json.loads(out.decode().strip().splitlines()[-1]) for out, _ in outputs]


def _open_many(world: World) -> set[str]:
    sessions = world.sessions()
    people = world.seed(sessions)
    return {world.open(sessions, "05.21.001", people.requester, at(1, 11, 10)) for _ in range(TICKETS)}


@pytest.mark.parametrize("mode", ["dispatch", "schedule"])
def test_two_processes_send_each_notification_exactly_once(world: World, mode: str) -> None:
    """ "dispatch": both send at once without any leadership, so only the row claims prevent doubles;
    "schedule": both start a scheduler, and one of them leads."""
    numbers = _open_many(world)

    async def main() -> list[dict[str, Any]]:
        telegram = FakeBotApi()
        await telegram.start()
        try:
            results = await _children(world.settings, telegram, mode, at(1, 11, 10, 1).isoformat())
            pings = [c.text for c in telegram.sent(501)]
        finally:
            await telegram.stop()
        sent_numbers = [n for t in pings for n in numbers if n in t]
        assert sorted(sent_numbers) == sorted(numbers)  # every ping once: none lost, none doubled
        return results

    results = asyncio.run(main())
    if mode == "dispatch":
        assert sum(r["sent"] for r in results) == TICKETS
    else:
        assert sorted(r["leader"] for r in results) == [False, True]


def test_a_standby_takes_over_when_the_leader_dies(world: World) -> None:
    async def main() -> None:
        async with fake_channels(world.settings) as channels:
            first, second = world.sessions(), world.sessions()
            people = world.seed(first)
            clock = SettableClock(at(1, 11, 10))
            leader = world.scheduler(first, channels.notifier(world.calendar), clock)
            standby = world.scheduler(second, channels.notifier(world.calendar), clock)
            await leader.start()
            await standby.start()
            assert (leader.is_leader, standby.is_leader) == (True, False)
            assert standby.armed_at is None  # a standby arms nothing

            # the leader's server session ends, as when its process dies
            _kill_lock_holder(world.settings.database_url)
            number = world.open(first, "05.21.001", people.requester, clock.now())
            await standby.tick()
            await leader.tick()
            assert (leader.is_leader, standby.is_leader) == (False, True)
            assert [number in t for t in channels.telegram_texts(501)] == [True]  # sent by the new leader
            clock.advance(timedelta(hours=1))
            assert await leader.wake() == 0
            assert await standby.wake() == 1  # the 50 % reminder
            await leader.stop()
            await standby.stop()

    asyncio.run(main())


def _kill_lock_holder(database_url: str) -> None:
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            killed = conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            ).all()
        assert killed == [(True,)]
    finally:
        admin.dispose()
