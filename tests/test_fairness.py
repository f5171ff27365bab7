"""One person flooding the bot does not delay the others.

Inbound: updates are queued per chat, so another person's message is processed beside the flood, not behind it
(python-telegram-bot's own queue gave every chat's updates the same 32 processing slots, which a flood of one
chat filled while waiting for its own turn). Outbound: each chat has its own pace (a burst, then one message
per interval, as Telegram asks) before the bot-wide 30 per second, so a flood's answers are spaced and take
one global slot per interval, not the whole budget.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

from fake_telegram import ApiCall
from sqlalchemy import Engine
from test_telegram_e2e import CITIZEN, TECHNICIAN, Bot, citizen_accepts, run

from bot.telegram.chat_rate import ChatPace

FLOOD = 300
BURST = 3
INTERVAL = timedelta(milliseconds=200)
WELCOME = "hoş geldiniz"
JITTER = 0.1  # seconds


def test_another_person_is_answered_while_300_messages_of_one_flood_in(engine: Engine) -> None:
    async def scenario(bot: Bot) -> None:
        await citizen_accepts(bot)
        for _ in range(FLOOD):
            bot.api.send_text(CITIZEN, "merhaba")
        bot.api.send_text(TECHNICIAN, "/yardim")
        await bot.reply(TECHNICIAN, "/islerim")
        answered_to_flooder = sum(WELCOME in c.text for c in bot.api.sent(CITIZEN.id))
        assert answered_to_flooder < FLOOD // 10

    run(engine, scenario)


def test_a_chats_pace_spaces_its_own_calls_and_no_other_chats() -> None:
    """On a clock that stands still: six calls of one chat reserved at once go out in a burst of three, then
    one a second; another chat's call at the same instant goes out at once."""
    now = 100.0
    waited: dict[asyncio.Task[None] | None, float] = {}
    sent: list[tuple[str, float]] = []

    async def sleep(seconds: float) -> None:
        waited[asyncio.current_task()] = seconds

    pace = ChatPace(BURST, timedelta(seconds=1), monotonic=lambda: now, sleep=sleep)

    async def send(chat: str) -> None:
        await pace.wait(chat)
        sent.append((chat, now + waited.get(asyncio.current_task(), 0.0)))

    async def main() -> None:
        await asyncio.gather(*(send("flood") for _ in range(6)), send("other"))

    asyncio.run(main())
    assert sorted(at for chat, at in sent if chat == "flood") == [100, 100, 100, 101, 102, 103]
    assert [at for chat, at in sent if chat == "other"] == [100]


def test_a_flooding_chats_answers_are_spaced_and_another_chat_is_not(engine: Engine) -> None:
    """The real stack over the fake Bot API, read from the times its calls arrived."""
    flood = 12

    async def scenario(bot: Bot) -> None:
        await citizen_accepts(bot)
        await asyncio.sleep(INTERVAL.total_seconds() * BURST)  # the pace's burst fills again
        mark = len(bot.api.calls)
        for _ in range(flood):
            bot.api.send_text(CITIZEN, "merhaba")
        await bot.api.wait_for(lambda c: c.chat_id == CITIZEN.id and WELCOME in c.text, after=mark)
        bot.api.send_text(TECHNICIAN, "/yardim")
        other = await bot.api.wait_message(TECHNICIAN.id, "/islerim", after=mark)
        answers = await _answers(bot, CITIZEN.id, mark, flood)
        # However the sends fall, any n of them in a row span at least (n - BURST) intervals (less a jitter
        # allowance: the times are taken where the calls arrive); unpaced, they came 15-70 ms apart.
        times = [call.at for call in answers]
        for first, last in itertools.combinations(range(flood), 2):
            least = (last - first + 1 - BURST) * INTERVAL.total_seconds() - JITTER
            assert times[last] - times[first] >= least, (first, last, times)
        assert other.at < answers[-1].at  # answered in the middle of the flood, not behind it

    run(engine, scenario, chat_burst=BURST, chat_interval=INTERVAL)


async def _answers(bot: Bot, chat_id: int, after: int, count: int) -> list[ApiCall]:
    """The first `count` messages to the chat from call `after` on, once they all arrived."""
    for _ in range(200):
        answers = [c for c in bot.api.calls[after:] if c.method == "sendMessage" and c.chat_id == chat_id]
        if len(answers) >= count:
            return answers[:count]
        await asyncio.sleep(0.05)
    raise AssertionError(f"{len(answers)} of {count} answers arrived")
