"""What the dispatcher promises per notification, over the real Telegram stack and the fake Bot API:
each row's outcome is committed as soon as it is known (not after its batch), and a send whose answer
timed out after the request left is counted as sent, never repeated blindly (no Bot API call takes an
idempotency key: a repeat could show the message twice)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fake_telegram import TOKEN, ApiCall
from sla_world import NoConversations, People, World, at, fake_channels, rows
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot import dispatcher
from bot.engine.events import ChannelKind
from bot.notifier import Notifier
from bot.telegram.channel import TelegramChannel, TelegramConfig
from storage.models import Notification, NotificationStatus

TECH_CHAT = 501
SWITCHBOARD_CHAT = 505
START = at(1, 11, 10)  # a working morning: every ticket below is due for its ping at once


def _printer_tickets(world: World, count: int) -> tuple[sessionmaker[Session], People, list[str]]:
    """The seeded directory and `count` printer tickets of its requester, opened at START; their numbers."""
    sessions = world.sessions()
    people = world.seed(sessions)
    return (
        sessions,
        people,
        [world.open(sessions, "05.21.001", people.requester, START) for _ in range(count)],
    )


@asynccontextmanager
async def _telegram_notifier(world: World, config: TelegramConfig) -> AsyncIterator[Notifier]:
    """A notifier sending through a Telegram channel of its own `config` (a short timeout, a tight pace)."""
    channel = TelegramChannel(config, NoConversations())
    await channel.application.initialize()
    try:
        yield Notifier({ChannelKind.TELEGRAM: channel}, world.calendar.zone)
    finally:
        await channel.application.shutdown()


def test_each_notification_is_marked_sent_before_the_next_is_sent(world: World) -> None:
    async def main() -> None:
        async with fake_channels(world.settings) as channels:
            sessions, _, _ = _printer_tickets(world, 3)
            sent_before_each_ping: list[int] = []

            def count_sent(call: ApiCall) -> None:
                if call.method == "sendMessage" and call.chat_id == TECH_CHAT:
                    with sessions() as session:
                        sent = Notification.status == NotificationStatus.SENT
                        query = select(func.count()).select_from(Notification).where(sent)
                        sent_before_each_ping.append(session.scalar(query) or 0)

            channels.telegram.on_call = count_sent
            notifier = channels.notifier(world.calendar)
            assert await dispatcher.dispatch_due(sessions, notifier, START) == 3
            assert sent_before_each_ping == [0, 1, 2]  # a crash after a ping would not send it again

    asyncio.run(main())


def test_a_send_that_timed_out_after_leaving_is_not_repeated(world: World) -> None:
    async def main() -> None:
        async with fake_channels(world.settings) as channels:
            sessions, _, [number] = _printer_tickets(world, 1)
            config = TelegramConfig(
                TOKEN, api_base_url=channels.telegram.base_url, read_timeout=timedelta(seconds=0.3)
            )
            async with _telegram_notifier(world, config) as notifier:
                channels.telegram.answer_delay["sendMessage"] = 1.0  # delivered, answered too late
                await dispatcher.dispatch_due(sessions, notifier, START)
                channels.telegram.answer_delay.clear()
                # past every retry delay the dispatcher would use
                await dispatcher.dispatch_due(sessions, notifier, START + timedelta(hours=1))
            pings = [c for c in channels.telegram.sent(TECH_CHAT) if number in c.text and "Yeni iş" in c.text]
            assert len(pings) == 1
            [ping_row] = [n for n in rows(sessions, number) if n.kind == "assigned"]
            assert ping_row.status == NotificationStatus.SENT

    asyncio.run(main())


def test_one_persons_burst_holds_up_nobody_else(world: World) -> None:
    """Telegram paces each chat (here: one message, then one every half second); the technician's four
    pings wait for their chat's pace, the switchboard technician's ping does not wait behind them."""

    async def main() -> None:
        async with fake_channels(world.settings) as channels:
            sessions, people, _ = _printer_tickets(world, 4)
            switchboard = world.open(sessions, "05.22.001", people.requester, START)
            config = TelegramConfig(
                TOKEN,
                api_base_url=channels.telegram.base_url,
                chat_burst=1,
                chat_interval=timedelta(seconds=0.5),
            )
            async with _telegram_notifier(world, config) as notifier:
                assert await dispatcher.dispatch_due(sessions, notifier, START) == 5
            pings = [c for c in channels.telegram.calls if c.method == "sendMessage"]
            order = [c.chat_id for c in pings]
            assert order.count(TECH_CHAT) == 4
            assert switchboard in pings[order.index(SWITCHBOARD_CHAT)].text
            assert order.index(SWITCHBOARD_CHAT) < len(order) - 1  # not last, behind the paced chat

    asyncio.run(main())
