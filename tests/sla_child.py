"""A separate `talepbot run`-like process for the multi-process tests: its own engine, notifier and scheduler.

    python tests/sla_child.py DATABASE_URL CATALOG_PATH NOW TELEGRAM_BASE_URL MODE

MODE "dispatch": dispatch_due right away, with no leadership (the row claims alone must prevent doubles);
MODE "schedule": start an SlaScheduler (advisory-lock leadership), print "started", and hold it until stdin
closes (the test closes it once both processes have started), then stop.
Prints one JSON line last: {"sent": n or null (schedule mode: count at the fake server), "leader": bool}.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path

from fake_telegram import TOKEN
from sla_world import NoConversations

from bot.dispatcher import dispatch_due
from bot.engine.events import ChannelKind
from bot.notifier import Notifier
from bot.scheduler import SlaScheduler, leadership_for
from bot.settings import Settings
from bot.telegram.channel import TelegramChannel, TelegramConfig
from bot.wiring import build_calendar
from catalog.clock import SettableClock
from storage import sla_plan
from storage.db import make_engine, session_factory


async def main(url: str, catalog: str, now: str, telegram_url: str, mode: str) -> None:
    settings = Settings(_env_file=None, database_url=url, catalog_path=Path(catalog))  # type: ignore[call-arg]
    calendar = build_calendar(settings)
    engine = make_engine(url)
    sessions = session_factory(engine)
    sla_plan.configure(sessions, sla_plan.SlaPlanner(calendar))
    channel = TelegramChannel(TelegramConfig(TOKEN, api_base_url=telegram_url), NoConversations())
    await channel.application.initialize()
    notifier = Notifier({ChannelKind.TELEGRAM: channel}, calendar.zone)
    clock = SettableClock(datetime.fromisoformat(now))
    leader, sent = False, None
    if mode == "dispatch":
        sent = await dispatch_due(sessions, notifier, clock.now())
    else:
        scheduler = SlaScheduler(sessions, notifier, clock, leadership_for(engine))
        await scheduler.start()  # leads if nobody else does, and then sends what is due
        leader = scheduler.is_leader
        print("started", flush=True)
        await asyncio.to_thread(sys.stdin.read)  # hold the lead until the other process has started too
        await scheduler.stop()
    await channel.application.shutdown()
    engine.dispose()
    print(json.dumps({"sent": sent, "leader": leader}))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
