"""The webhook checks the secret before it reads a body, caps the body, and listens on loopback by default."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from fake_telegram import TOKEN, FakeBotApi
from sqlalchemy import Engine, text
from test_telegram_e2e import CITIZEN, new_service

from bot.telegram.channel import TelegramChannel, TelegramConfig
from storage.db import session_factory

SECRET = "s3cret-webhook"
PATH = "/telegram"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _listening_addresses(port: int) -> list[str]:
    """The local addresses (hex, as the kernel lists them) of IPv4 and IPv6 sockets listening on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.append(address)
    return found


@asynccontextmanager
async def webhook(engine: Engine) -> AsyncIterator[tuple[FakeBotApi, int]]:
    api = FakeBotApi()
    await api.start()
    port = _free_port()
    config = TelegramConfig(
        TOKEN,
        api_base_url=api.base_url,
        webhook_url=f"https://bot.example.org{PATH}",
        webhook_secret=SECRET,
        webhook_port=port,
    )  # webhook_listen left at its default
    service = new_service(session_factory(engine))
    channel = TelegramChannel(config, service)
    service.notifier.add_sender(channel)  # answers leave through the reply outbox, by the channel's sender
    await channel.start()
    try:
        yield api, port
    finally:
        await channel.stop()
        await service.drain()
        await api.stop()


async def _answer_to_headers(port: int, secret: str, announced: int) -> bytes:
    """Sends only the request head and 10 body bytes of an announced `announced`-byte body; the status line
    the server answers with, without waiting for the rest of the body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\nContent-Length: {announced}\r\n\r\n"
    )
    writer.write(head.encode() + b'{"update_i')
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.readline(), 5)
    finally:
        writer.close()
        await writer.wait_closed()


def test_a_wrong_secret_is_refused_before_the_body_is_read(engine: Engine) -> None:
    async def main() -> None:
        async with webhook(engine) as (_api, port):
            status = await _answer_to_headers(port, "wrong", 100 * 1024 * 1024)
            assert status.startswith(b"HTTP/1.1 403"), status

    asyncio.run(main())


def test_a_body_over_the_cap_is_refused_even_with_the_secret(engine: Engine) -> None:
    async def main() -> None:
        async with webhook(engine) as (_api, port):
            status = await _answer_to_headers(port, SECRET, 2 * 1024 * 1024)
            assert status.startswith(b"HTTP/1.1 413"), status

    asyncio.run(main())


def _start_update(update_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": CITIZEN.id, "type": "private"},
            "from": CITIZEN.as_json(),
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


def test_an_update_that_cannot_be_kept_is_answered_503_and_taken_when_delivered_again(engine: Engine) -> None:
    """Without a 2xx Telegram delivers the update again: the webhook says 200 only once the update is kept."""

    def rename(old: str, new: str) -> None:
        with engine.begin() as connection:
            connection.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))

    async def main() -> None:
        async with webhook(engine) as (api, port), aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{port}{PATH}"
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            rename("inbound_updates", "inbound_updates_away")  # the inbox cannot be written
            try:
                assert (await http.post(url, json=_start_update(7), headers=headers)).status == 503
            finally:
                rename("inbound_updates_away", "inbound_updates")
            assert api.sent(CITIZEN.id) == []
            assert (await http.post(url, json=_start_update(7), headers=headers)).status == 200
            await api.wait_message(CITIZEN.id, "Bilgi İşlem Müdürlüğü'nün talep asistanı")

    asyncio.run(main())


def test_one_update_delivered_several_times_at_once_is_answered_once(engine: Engine) -> None:
    """Telegram delivers an update again when its 200 came late, possibly while the first delivery is still
    in progress: every delivery is acknowledged, the update is processed and answered once."""

    async def main() -> None:
        async with webhook(engine) as (api, port), aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{port}{PATH}"
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            posts = [http.post(url, json=_start_update(8), headers=headers) for _ in range(5)]
            statuses = [response.status for response in await asyncio.gather(*posts)]
            await api.wait_message(CITIZEN.id, "Bilgi İşlem Müdürlüğü'nün talep asistanı")
            await asyncio.sleep(1)  # time for a second answer, were there one
            welcomes = [c for c in api.sent(CITIZEN.id) if "talep asistanı" in c.text]
            assert (statuses, len(welcomes)) == ([200] * 5, 1)

    asyncio.run(main())


def test_the_webhook_listens_on_loopback_and_serves_genuine_updates(engine: Engine) -> None:
    async def main() -> None:
        async with webhook(engine) as (api, port):
            [set_webhook] = [c for c in api.calls if c.method == "setWebhook"]
            assert set_webhook.params["secret_token"] == SECRET
            assert _listening_addresses(port) == ["0100007F"]  # 127.0.0.1 only, as /proc/net/tcp spells it
            update = _start_update(1)
            url = f"http://127.0.0.1:{port}{PATH}"
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with aiohttp.ClientSession() as http:
                assert (await http.post(url, data=b"{not json", headers=headers)).status == 400
                nested = b"[" * 100_000 + b"]" * 100_000  # deeper than the parser's recursion goes
                assert (await http.post(url, data=nested, headers=headers)).status == 400
                assert (await http.post(url, json=update, headers=headers)).status == 200
            await api.wait_message(CITIZEN.id, "Bilgi İşlem Müdürlüğü'nün talep asistanı")

    asyncio.run(main())
