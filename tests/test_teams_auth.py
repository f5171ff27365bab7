"""The Teams channel with authentication on (an app id and password), end to end over real HTTP.

Both directions of the Bot Framework's security are played by the fake connector, with no network:
- inbound, Teams signs each activity with a key published as OpenID metadata (login.botframework.com); the
  test points botbuilder's ChannelValidation at the fake's metadata, as botbuilder allows;
- outbound, the bot gets a token from Microsoft Entra (login.microsoftonline.com) with its app id and
  password, and the Bot Connector refuses calls without it. MSAL asks Entra exactly as in production: the
  test only sets `https_proxy` and `REQUESTS_CA_BUNDLE`, and tests/fake_tls_proxy.py answers for
  login.microsoftonline.com from the fake connector.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta
from pathlib import Path
from types import FrameType

import pytest
from botframework.connector.auth import ChannelValidation
from cryptography.hazmat.primitives.asymmetric import rsa
from dialog_world import WEDNESDAY_10, Staff
from fake_bot_connector import (
    BOT_FRAMEWORK_SCOPE,
    ENTRA_HOST,
    TENANT_ID,
    BotRegistration,
    FakeBotConnector,
    TeamsUser,
)
from fake_tls_proxy import FakeTlsProxy
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from teams_world import (
    APP_ID,
    AUTH_SETTINGS,
    counts,
    employee,
    fill_printer_request,
    make_settings,
    open_printer_ticket,
    run,
    teams_account,
    teams_app,
)

from bot.channels import Address, DeliveryFailed, send_all
from bot.dispatcher import RETRY_DELAYS, dispatch_due
from bot.engine.events import Reply
from storage.models import (
    ChatChannel,
    EventKind,
    Notification,
    NotificationStatus,
    ProcessedUpdate,
    Ticket,
    TicketEvent,
)

PASSWORD = AUTH_SETTINGS["MicrosoftAppPassword"]
WATCHDOG_SECONDS = 120

BotFramework = Callable[[FakeBotConnector], AbstractAsyncContextManager[FakeTlsProxy]]


@pytest.fixture
def bot_framework(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[BotFramework]:
    """The fake connector as the Bot Framework's sign-in services for the bot registered as AUTH_SETTINGS:
    the channel's signing keys for inbound activities, and Entra's token endpoint for outbound calls.

    The fakes run on the bot's event loop, so they can answer the bot's token request only if it is made
    off the loop, as bot/teams/tokens.py makes it. Made on the loop, it would wait for ever: the watchdog
    then fails the test with the traceback of the blocked call instead of letting it hang.
    """

    @asynccontextmanager
    async def use(connector: FakeBotConnector) -> AsyncIterator[FakeTlsProxy]:
        monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", connector.openid_metadata_url)
        connector.registration = BotRegistration(APP_ID, PASSWORD, TENANT_ID)
        proxy = FakeTlsProxy(frozenset({ENTRA_HOST}), connector.port, tmp_path)
        await proxy.start()
        for name, value in proxy.environment().items():
            monkeypatch.setenv(name, value)
        for name in ("no_proxy", "NO_PROXY"):
            monkeypatch.delenv(name, raising=False)
        try:
            yield proxy
        finally:
            await proxy.stop()

    previous = signal.signal(signal.SIGALRM, _stalled)
    main = threading.main_thread().ident
    assert main is not None
    watchdog = threading.Timer(WATCHDOG_SECONDS, signal.pthread_kill, (main, signal.SIGALRM))
    watchdog.start()
    try:
        yield use
    finally:
        watchdog.cancel()
        signal.signal(signal.SIGALRM, previous)


class Stalled(BaseException):
    """Raised in the test's thread by the watchdog: a blocking call holds the event loop."""


def _stalled(signum: int, frame: FrameType | None) -> None:
    raise Stalled(f"still running after {WATCHDOG_SECONDS} s: a blocking call holds the event loop")


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records that carry an exception: what a crash in our handlers would leave."""
    return [record.getMessage() for record in caplog.records if record.exc_info]


def test_replies_and_proactive_pings_carry_the_token_entra_issued_to_the_bot(
    sessions: sessionmaker[Session], staff: Staff, bot_framework: BotFramework
) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        requester = employee(connector)
        tech = connector.add_user(TeamsUser("aad-tuncay", "Tuncay T.", "tuncay@belediye.bel.tr"))
        lead = connector.add_user(TeamsUser("aad-leyla", "Leyla L.", "leyla@belediye.bel.tr"))
        async with (
            bot_framework(connector) as entra,
            teams_app(sessions, connector, make_settings(**AUTH_SETTINGS)) as app,
        ):
            app.signed = True  # each activity carries a channel token, which the adapter verifies
            for user in (tech, lead):
                assert await app.say(user, "merhaba"), "a signed activity is accepted and answered"
            before = {u.id: len(connector.sent_to(u)) for u in (tech, lead)}
            number = await open_printer_ticket(app, requester)
            pinged = [u for u in (tech, lead) if len(connector.sent_to(u)) > before[u.id]]
            assert pinged and number in connector.sent_to(pinged[0])[-1].text, "the assignee is pinged"
            assert entra.tunnels, "MSAL asked login.microsoftonline.com, through the proxy"

        (token,) = connector.issued_tokens
        assert {s.authorization for s in connector.sent} == {f"Bearer {token}"}, "every call carries it"
        (asked,) = connector.token_requests  # one token, asked for once, reused by every reply and ping
        assert (asked["client_id"], asked["client_secret"]) == (APP_ID, PASSWORD)
        assert (asked["grant_type"], asked["scope"]) == ("client_credentials", BOT_FRAMEWORK_SCOPE)
        assert sorted(connector.member_lookups) == sorted(u.id for u in (tech, lead, requester))
        assert teams_account(sessions, tech).person_id == staff.technician.id, "matched by their e-mail"
        with sessions() as session:
            assigned = session.scalars(select(Notification).where(Notification.kind == "assigned")).one()
            assert (assigned.status, assigned.channel) == (NotificationStatus.SENT, ChatChannel.TEAMS)

    run(scenario)


def test_a_connector_refusing_the_token_is_a_failed_delivery_retried_later(
    sessions: sessionmaker[Session],
    staff: Staff,
    bot_framework: BotFramework,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        requester = employee(connector)
        tech = connector.add_user(TeamsUser("aad-tuncay", "Tuncay T.", "tuncay@belediye.bel.tr"))
        lead = connector.add_user(TeamsUser("aad-leyla", "Leyla L.", "leyla@belediye.bel.tr"))
        async with (
            bot_framework(connector),
            teams_app(sessions, connector, make_settings(**AUTH_SETTINGS)) as app,
        ):
            app.signed = True
            for user in (tech, lead):
                await app.say(user, "merhaba")
            await fill_printer_request(app, requester)
            accepted = set(connector.issued_tokens)
            connector.issued_tokens.clear()  # from now on the Bot Connector answers 401
            sent_before = len(connector.sent)

            assert await app.press(requester, "Onayla") == [], "the click is handled; only its answer is lost"
            assert len(connector.sent) == sent_before
            with sessions() as session:
                ticket = session.scalars(select(Ticket)).one()
                assigned = session.scalars(select(Notification).where(Notification.kind == "assigned")).one()
                failures = session.scalars(
                    select(TicketEvent).where(TicketEvent.kind == EventKind.DELIVERY_FAILED)
                ).all()
            assert assigned.status is NotificationStatus.PENDING and assigned.attempts == 1
            assert assigned.last_error is not None and "teams: Teams answered 401" in assigned.last_error
            assert [event.ticket_id for event in failures] == [ticket.id], "the failure is on the ticket"

            connector.issued_tokens |= accepted  # the connector takes the token again: the retry goes out
            retry_at = WEDNESDAY_10 + RETRY_DELAYS[0]
            assert await dispatch_due(sessions, app.service.notifier, retry_at + timedelta(seconds=1)) == 1
            assert ticket.number in connector.sent[-1].text
        with sessions() as session:
            assert session.get_one(Notification, assigned.id).status is NotificationStatus.SENT
        assert tracebacks(caplog) == []

    run(scenario)


@pytest.mark.parametrize(
    ("registration", "error"),
    [
        (BotRegistration(APP_ID, "the-rotated-secret", TENANT_ID), "AADSTS7000215"),  # password refused
        (  # registered in another tenant than MicrosoftAppTenantId names
            BotRegistration(APP_ID, PASSWORD, "11111111-2222-3333-4444-555555555555"),
            "Unable to get authority configuration",
        ),
    ],
    ids=["refused-password", "unknown-tenant"],
)
def test_no_token_from_entra_loses_only_the_answers(
    sessions: sessionmaker[Session],
    staff: Staff,
    bot_framework: BotFramework,
    caplog: pytest.LogCaptureFixture,
    registration: BotRegistration,
    error: str,
) -> None:
    """Entra refuses the bot's password, or does not know its tenant: messages are still handled and stored,
    the replies are lost with a warning, and a proactive message is a failed delivery, never a crash."""

    async def scenario(connector: FakeBotConnector) -> None:
        user = employee(connector)
        async with (
            bot_framework(connector),
            teams_app(sessions, connector, make_settings(**AUTH_SETTINGS)) as app,
        ):
            connector.registration = registration
            app.signed = True
            message = connector.message(user, "yazıcı kağıt sıkıştırıyor")
            assert await app.post(message) == 201
            with sessions() as session:
                handled = session.scalars(select(ProcessedUpdate.update_id)).all()
            assert len(handled) == 1, "the message was handled"

            account = teams_account(sessions, user)
            with pytest.raises(DeliveryFailed, match=error):
                await send_all(
                    app.endpoint.sender,
                    Address(account.external_id, account.conversation_ref),
                    [Reply("Deneme")],
                )
        assert connector.sent == [] and connector.member_lookups == [], "no call went out without a token"
        assert any(error in record.getMessage() for record in caplog.records if record.levelname == "WARNING")
        assert tracebacks(caplog) == []

    run(scenario)


def test_with_an_app_id_requests_without_a_valid_token_get_401_and_change_nothing(
    sessions: sessionmaker[Session],
    staff: Staff,
    bot_framework: BotFramework,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        user = employee(connector)
        before = counts(sessions)
        async with (
            bot_framework(connector),
            teams_app(sessions, connector, make_settings(**AUTH_SETTINGS)) as app,
        ):
            assert app.endpoint.authenticated
            message = connector.message(user, "yazıcı kağıt sıkıştırıyor")
            assert await app.post(message) == 401
            assert await app.post(connector.install(user)) == 401
            forged = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            for token in (
                "not-a-token",
                connector.token(APP_ID, key=forged),  # signed by someone else
                connector.token(APP_ID, lifetime=-3600),  # expired
                connector.token("11111111-2222-3333-4444-555555555555"),  # for another bot
                connector.token(APP_ID, serviceurl="https://evil.example/"),  # replies would go elsewhere
            ):
                assert await app.post(message, {"Authorization": f"Bearer {token}"}) == 401
        assert connector.sent == [] and connector.member_lookups == []
        assert connector.token_requests == [], "a refused request costs no token"
        assert counts(sessions) == before
        assert tracebacks(caplog) == []

    run(scenario)
