"""No secret and no personal data in the log of a real `talepbot run` (item 1 of issue 14)."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fake_telegram import TOKEN, ApiCall, FakeBotApi, FakeUser
from sqlalchemy import Engine, insert
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError
from test_run_and_chat import Running

from bot import texts
from bot.logs import protect
from storage.db import make_engine
from storage.models import ChatAccount, ChatChannel, Person, PersonKind

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


@contextmanager
def _captured_log() -> Iterator[io.StringIO]:
    """The root logger's output, formatted as `talepbot run` installs it (bot.logs.protect)."""
    root = logging.getLogger()
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    root.addHandler(handler)
    level = root.level
    try:
        protect("INFO", [TOKEN])
        yield captured
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_a_logged_database_error_carries_no_personal_data(engine: Engine) -> None:
    """hide_parameters keeps SQLAlchemy's parameters out; PostgreSQL's own DETAIL echo of the row ("Failing
    row contains (…)", a value over two lines included) is cut by the log formatter."""
    row = {
        "kind": PersonKind.CITIZEN,
        "name": "Gizli\nKişioğlu",
        "email": "gizli@example.org",
    }  # no created_at
    with _captured_log() as captured:
        try:
            with engine.begin() as connection:
                connection.execute(insert(Person), row)
        except IntegrityError:
            logging.getLogger("talepbot.test").exception("storing failed")
    logged = captured.getvalue()
    assert "IntegrityError" in logged and "people" in logged
    for private in ("Gizli", "Kişioğlu", "gizli@example.org"):
        assert private not in logged, logged


@pytest.mark.postgres
def test_a_unique_violation_logged_in_every_way_keeps_its_key_out(db_url: URL) -> None:
    """PostgreSQL's "Key (channel, external_id)=(TELEGRAM, <the person's Telegram id>) already exists", as a
    traceback, as a message argument and as the bare driver error, on a real server."""
    if db_url.get_backend_name() != "postgresql":
        pytest.skip("SQLite's errors carry no DETAIL")
    engine = make_engine(db_url)
    log = logging.getLogger("talepbot.test")
    account = {
        "channel": ChatChannel.TELEGRAM,
        "external_id": str(CITIZEN.id),
        "created_at": datetime(2026, 12, 3, tzinfo=UTC),
    }
    try:
        with engine.begin() as connection:
            person = connection.execute(
                insert(Person).returning(Person.id),
                {"kind": PersonKind.CITIZEN, "name": "n", "created_at": datetime(2026, 12, 3, tzinfo=UTC)},
            ).scalar_one()
            connection.execute(insert(ChatAccount), account | {"person_id": person})
        with _captured_log() as captured:
            try:
                with engine.begin() as connection:
                    connection.execute(insert(ChatAccount), account | {"person_id": person})
            except IntegrityError as exc:
                assert str(CITIZEN.id) in str(exc.orig)  # the driver's text does carry it
                log.exception("storing failed")
                log.warning("storing failed: %s", exc)
                log.error("driver said %r", exc.orig)
    finally:
        engine.dispose()
    logged = captured.getvalue()
    assert "UniqueViolation" in logged and "chat_accounts" in logged
    assert str(CITIZEN.id) not in logged, logged
