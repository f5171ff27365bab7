"""One person flooding the bot does not delay the others: updates are queued per chat, so another person's
message is processed beside the flood, not behind it (python-telegram-bot's own queue gave every chat's
updates the same 32 processing slots, which a flood of one chat filled while waiting for its own turn)."""

from __future__ import annotations

from sqlalchemy import Engine
from test_telegram_e2e import CITIZEN, TECHNICIAN, Bot, citizen_accepts, run

FLOOD = 300


def test_another_person_is_answered_while_300_messages_of_one_flood_in(engine: Engine) -> None:
    async def scenario(bot: Bot) -> None:
        await citizen_accepts(bot)
        for _ in range(FLOOD):
            bot.api.send_text(CITIZEN, "merhaba")
        bot.api.send_text(TECHNICIAN, "/yardim")
        await bot.reply(TECHNICIAN, "/islerim")
        answered_to_flooder = sum("hoş geldiniz" in c.text for c in bot.api.sent(CITIZEN.id))
        assert answered_to_flooder < FLOOD // 10

    run(engine, scenario)
