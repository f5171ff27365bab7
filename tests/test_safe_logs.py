"""No secret and no personal data in the log of a real `talepbot run` (item 1 of issue 14)."""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import pytest
from fake_telegram import TOKEN, ApiCall, FakeBotApi, FakeUser
from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError
from test_run_and_chat import Running

from bot import texts
from bot.logs import protect
from storage.models import Person, PersonKind

CITIZEN = FakeUser(918273645, "Zeynepcan")
PHONE = "0532 917 35 28"
COMPLAINT = "e-Belediye'de ödeme yapamıyorum, kartım Kuşdilisokak"


def _buttons(call: ApiCall, label: str) -> bool:
    return any(text.startswith(label) for text, _ in call.buttons)


async def _citizen_opens_a_ticket(api: FakeBotApi) -> None:
    async def click(label: str, expect: str) -> None:
        await api.wait_for(lambda c: c.method == "sendMessage" and _buttons(c, label), timeout=20)
        message = next(c for c in reversed(api.sent(CITIZEN.id)) if _buttons(c, label))
        mark = len(api.calls)
        api.click(CITIZEN, message, label)
        await api.wait_message(CITIZEN.id, expect, after=mark, timeout=20)

    async def tell(text: str, expect: str) -> None:
        mark = len(api.calls)
        api.send_text(CITIZEN, text)
        await api.wait_message(CITIZEN.id, expect, after=mark, timeout=20)

    api.send_text(CITIZEN, "/start")
    await click(texts.BTN_KVKK_ACCEPT, texts.KVKK_ACCEPTED)
    await tell(COMPLAINT, "05.23.012")
    await click(texts.BTN_YES, "adres veya yer")
    await click(texts.BTN_SKIP, "telefon numaranızı")
    await tell(PHONE, "Talep özeti")
    await click(texts.BTN_CONFIRM, "BIM-")


def _full_run_log(tmp_path: Path, level: str) -> str:
    async def main() -> str:
        api = FakeBotApi()
        await api.start()
        try:
            run = await Running.start(
                tmp_path,
                "active channels: Telegram (polling)",
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE_URL=api.base_url,
                LOG_LEVEL=level,
            )
            try:
                await _citizen_opens_a_ticket(api)
            finally:
                code = await run.stop()
        finally:
            await api.stop()
        assert code == 0, run.output
        return run.output

    return asyncio.run(main())


def test_a_full_run_at_info_logs_neither_the_token_nor_who_wrote(tmp_path: Path) -> None:
    output = _full_run_log(tmp_path, "INFO")
    assert "shutting down" in output  # the log is the whole run's
    for private in (TOKEN, TOKEN.split(":")[1], str(CITIZEN.id), CITIZEN.first_name, PHONE, "917 35 28"):
        assert private not in output, private
    assert "Kuşdilisokak" not in output


@pytest.mark.parametrize("level", ["DEBUG"])
def test_no_log_level_shows_the_token(tmp_path: Path, level: str) -> None:
    output = _full_run_log(tmp_path, level)
    assert "getUpdates" in output  # the HTTP traffic was logged at this level, with the token redacted
    assert TOKEN not in output and TOKEN.split(":")[1] not in output


def test_a_logged_database_error_carries_no_personal_data(engine: Engine) -> None:
    """hide_parameters keeps SQLAlchemy's parameters out; PostgreSQL's own DETAIL echo of the row is cut by
    the log formatter that `talepbot run` installs (bot.logs.protect)."""
    root = logging.getLogger()
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    root.addHandler(handler)
    level = root.level
    try:
        protect("INFO", [TOKEN])
        row = {
            "kind": PersonKind.CITIZEN,
            "name": "Gizli Kişi",
            "email": "gizli@example.org",
        }  # no created_at
        try:
            with engine.begin() as connection:
                connection.execute(insert(Person), row)
        except IntegrityError:
            logging.getLogger("talepbot.test").exception("storing failed")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    logged = captured.getvalue()
    assert "IntegrityError" in logged and "people" in logged
    assert "Gizli" not in logged and "gizli@example.org" not in logged
