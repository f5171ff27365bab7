"""The Teams channel as the tests run it: the bot started the way `talepbot run` wires it, on a free port,
with a fake Bot Connector for its replies, and helpers that talk to it as Teams users do.

Its `sessions` and `staff` fixtures are dialog_world's (a plugin, see conftest).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
from dialog_world import WEDNESDAY_10, dialog_services
from fake_bot_connector import TENANT_ID, FakeBotConnector, Sent, TeamsUser
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, sessionmaker

from bot.health import Health
from bot.service import ChatService
from bot.settings import Settings
from bot.teams.server import TeamsEndpoint, start_teams
from bot.wiring import build_chat_service
from catalog.clock import SettableClock
from storage.models import ChatAccount, ChatChannel, Person, ProcessedUpdate, Ticket

APP_ID = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
AUTH_SETTINGS = {
    "MicrosoftAppId": APP_ID,
    "MicrosoftAppPassword": "secret",
    "MicrosoftAppTenantId": TENANT_ID,
}
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=20)


def make_settings(**values: Any) -> Settings:
    values.setdefault("teams_extra_service_urls", "http://127.0.0.1")  # the fake connector, on any port
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]  # no developer .env in tests


@dataclass
class TeamsApp:
    """One running instance of the bot: its chat service and its Teams endpoint."""

    service: ChatService
    endpoint: TeamsEndpoint
    connector: FakeBotConnector
    http: aiohttp.ClientSession
    # Set, every activity carries a channel token for APP_ID signed by the connector, as Teams sends them.
    signed: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.endpoint.port}"

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        """Delivers an activity as the Bot Connector would, and waits for the pings it caused."""
        if headers is None and self.signed:
            headers = {"Authorization": f"Bearer {self.connector.token(APP_ID)}"}
        async with self.http.post(f"{self.url}/api/messages", json=activity, headers=headers) as response:
            status = response.status
        await self.service.drain()
        return status

    async def say(self, user: TeamsUser, text: str) -> list[Sent]:
        return await self._replies(user, self.connector.message(user, text))

    async def press(self, user: TeamsUser, label: str) -> list[Sent]:
        """Presses the button `label` (or the one starting with it) on the newest card the user got."""
        for card in reversed(self.connector.sent_to(user)):
            for title, data in card.buttons:
                if title == label or title.startswith(label):
                    return await self._replies(user, self.connector.submit(user, data, card))
        raise AssertionError(f"no button {label!r} in the cards sent to {user.name}")

    async def _replies(self, user: TeamsUser, activity: dict[str, Any]) -> list[Sent]:
        before = len(self.connector.sent_to(user))
        assert await self.post(activity) == 201
        return self.connector.sent_to(user)[before:]


@asynccontextmanager
async def teams_app(
    sessions: sessionmaker[Session],
    connector: FakeBotConnector,
    settings: Settings | None = None,
    scheduler_role: Callable[[], str | None] = lambda: "leader",
) -> AsyncIterator[TeamsApp]:
    """Starts the bot the way `talepbot run` wires it, on a free port (of 127.0.0.1 without an app id)."""
    settings = settings or make_settings()
    clock = SettableClock(WEDNESDAY_10)
    service = build_chat_service(dialog_services(), sessions, clock)
    health = Health(sessions, scheduler_role)
    endpoint = await start_teams(settings, service, service.notifier, sessions, clock, health, port=0)
    try:
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as http:
            yield TeamsApp(service, endpoint, connector, http)
    finally:
        await service.drain()
        await endpoint.stop()


def run(scenario: Callable[[FakeBotConnector], Coroutine[Any, Any, None]]) -> None:
    async def main() -> None:
        connector = FakeBotConnector()
        await connector.start()
        try:
            await scenario(connector)
        finally:
            await connector.stop()

    asyncio.run(main())


def teams_account(sessions: sessionmaker[Session], user: TeamsUser) -> ChatAccount:
    """The stored Teams chat account of `user`, with its person."""
    with sessions() as session:
        return session.scalars(
            select(ChatAccount)
            .options(joinedload(ChatAccount.person))
            .where(ChatAccount.channel == ChatChannel.TEAMS, ChatAccount.external_id == user.aad_object_id)
        ).one()


def texts_of(sent: list[Sent]) -> str:
    return "\n".join(s.text for s in sent)


def employee(connector: FakeBotConnector) -> TeamsUser:
    return connector.add_user(TeamsUser("aad-employee-1", "Elif Yılmaz", "elif.yilmaz@belediye.bel.tr"))


async def fill_printer_request(app: TeamsApp, user: TeamsUser) -> None:
    """An employee reports a paper jam in free text, with place, contact and a photo, up to the summary."""
    sent = await app.say(user, "yazıcı kağıt sıkıştırıyor")
    assert "05.21" in texts_of(sent) and sent[-1].buttons, "the matched service is offered on a card"
    await app.press(user, "Evet, bu hizmet")
    await app.say(user, "Hizmet binası, Mali Hizmetler, 3. kat 305")
    await app.say(user, "dahili 1234")
    picture = app.connector.activity(
        user,
        text="",
        attachments=[
            {
                "contentType": "image/png",
                "contentUrl": "https://smba.trafficmanager.net/emea/v3/attachments/0-weu-1/views/original",
                "name": "yazici.png",
            }
        ],
    )
    assert await app.post(picture) == 201  # at the summary, where files are welcome


async def open_printer_ticket(app: TeamsApp, user: TeamsUser) -> str:
    """An employee reports a paper jam in free text and confirms; returns the ticket number."""
    await fill_printer_request(app, user)
    sent = await app.press(user, "Onayla")
    number = next(word for word in texts_of(sent).split() if word.startswith("BIM-"))
    return number


def counts(sessions: sessionmaker[Session]) -> tuple[int, ...]:
    """How many people, chat accounts, handled updates and tickets are stored."""
    with sessions() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Person, ChatAccount, ProcessedUpdate, Ticket)
        )
