"""The Teams channel end to end: real Bot Framework Activity JSON POSTed over HTTP to the real aiohttp app
and botbuilder's CloudAdapter, the real dialog engine and database, and the bot's replies recorded by a fake
Bot Connector that the activities' serviceUrl points at."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from dialog_world import WEDNESDAY_10, Staff
from fake_bot_connector import TENANT_ID, FakeBotConnector, TeamsUser, card_lines
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from teams_world import (
    APP_ID,
    AUTH_SETTINGS,
    TeamsApp,
    counts,
    employee,
    make_settings,
    open_printer_ticket,
    run,
    teams_account,
    teams_app,
    texts_of,
)

from bot import texts
from bot.channels import Address, DeliveryUncertain, Unreachable, send_all
from bot.engine import ticket_actions
from bot.engine.events import CommandEvent, Reply, TextEvent
from bot.engine.ticket_actions import TicketAction
from bot.scheduler import AdvisoryLock, SlaScheduler, leadership_for
from bot.teams.adapter import make_adapter
from bot.teams.cards import reply_activity
from bot.teams.inbound import parse_text
from catalog.clock import SettableClock
from storage.db import make_engine, session_factory
from storage.models import (
    ChatAccount,
    ChatChannel,
    Notification,
    OutboundReply,
    PersonKind,
    ProcessedUpdate,
    ReplyStatus,
    Ticket,
    TicketStatus,
)

# --- inbound text as Teams sends it -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/durum BIM-2026-000001", CommandEvent("durum", "BIM-2026-000001")),
        ("durum BIM-2026-000001", CommandEvent("durum", "BIM-2026-000001")),  # from the command menu
        ("yardim", CommandEvent("yardim")),
        ("/Yardım", CommandEvent("yardim")),
        ("üstlen BIM-2026-000002", CommandEvent("ustlen", "BIM-2026-000002")),
        ("yeni yazıcı istiyorum", TextEvent("yeni yazıcı istiyorum")),  # a sentence, not the command
        ("iptal et lütfen", TextEvent("iptal et lütfen")),
        ("yazıcı çalışmıyor", TextEvent("yazıcı çalışmıyor")),
    ],
)
def test_typed_commands_and_sentences(text: str, expected: object) -> None:
    assert parse_text(text) == expected


# --- conversation over HTTP ---------------------------------------------------------------------------


def test_install_message_and_card_button(sessions: sessionmaker[Session], staff: Staff) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        user = employee(connector)
        async with teams_app(sessions, connector) as app:
            assert await app.post(connector.install(user)) == 201
            (welcome,) = connector.sent_to(user)
            assert "Elif Yılmaz" in welcome.text and welcome.reply_to_id is None  # a greeting, not a reply

            sent = await app.say(user, "yazıcı kağıt sıkıştırıyor")
            card = sent[-1]
            assert card.reply_to_id is not None, "answers go to the user's message"
            assert card.cards[0]["type"] == "AdaptiveCard"
            labels = [title for title, _ in card.buttons]
            assert "Evet, bu hizmet" in labels
            assert all(set(data) == {"option"} for _, data in card.buttons)

            sent = await app.press(user, "Evet, bu hizmet")
            assert texts_of(sent) == texts.ASK_LOCATION, "the typed-answer step follows"

        account = teams_account(sessions, user)
        assert account.person.kind is PersonKind.EMPLOYEE, "a Teams user is an employee, never a citizen"
        assert account.person.email == "elif.yilmaz@belediye.bel.tr"
        reference = account.conversation_ref
        assert reference is not None
        assert reference["conversation"]["id"] == user.conversation_id
        assert reference["serviceUrl"] == connector.service_url
        assert reference["user"]["id"] == user.id
        assert connector.member_lookups == [user.id], "the e-mail is looked up once per user"

    run(scenario)


def test_employee_ticket_is_taken_and_resolved_by_the_technician_in_teams(
    sessions: sessionmaker[Session], staff: Staff
) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        requester = employee(connector)
        technicians = {
            staff.technician.id: connector.add_user(
                TeamsUser("aad-tuncay", "Tuncay T.", "Tuncay@belediye.bel.tr")
            ),
            staff.lead.id: connector.add_user(TeamsUser("aad-leyla", "Leyla L.", "leyla@belediye.bel.tr")),
        }
        async with teams_app(sessions, connector) as app:
            for tech in technicians.values():  # staff say hello once, so the bot can reach them
                sent = await app.say(tech, "merhaba")
                assert sent, "the bot answers"

            number = await open_printer_ticket(app, requester)
            with sessions() as session:
                ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
                assert ticket.channel is ChatChannel.TEAMS
                assert [a.file_name for a in ticket.attachments] == ["yazici.png"]
                assert ticket.assignee_id in technicians
                tech = technicians[ticket.assignee_id]

            ping = connector.sent_to(tech)[-1]
            assert number in ping.text and "yazıcı kağıt sıkıştırıyor" in ping.text
            assert "Hizmet binası, Mali Hizmetler, 3. kat 305" in ping.text
            labels = [title for title, _ in ping.buttons]
            assert labels[0] == texts.BTN_TAKE and texts.BTN_RESOLVE not in labels  # "Üstlen" first

            await app.press(tech, "Üstlen")
            assert any(number in s.text and "ele alındı" in s.text for s in connector.sent_to(requester))

            await app.press(tech, "Beklemeye al")  # ask the requester; the resolution clock pauses
            await app.say(tech, "Hangi yazıcı, ön kapağın üstündeki etiket numarası nedir?")
            question = connector.sent_to(requester)[-1]
            assert "etiket numarası" in question.text and question.buttons
            await app.press(requester, "Yanıtla")
            await app.say(requester, "Etikette HP-305 yazıyor")
            assert "HP-305" in connector.sent_to(tech)[-1].text

            sent = await app.press(tech, "Çözüldü")
            assert "not" in texts_of(sent)
            await app.say(tech, "Kağıt yolu temizlendi, silindir değiştirildi.")

            resolved = connector.sent_to(requester)[-1]
            assert "Kağıt yolu temizlendi" in resolved.text and resolved.buttons
            await app.press(requester, "Sorun çözüldü")
            await app.press(requester, texts.btn_rating(5))

        with sessions() as session:
            ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
            assert ticket.status is TicketStatus.CLOSED
            assert ticket.acknowledged_at is not None and ticket.satisfaction == 5
        tuncay = next(u for u in technicians.values() if u.aad_object_id == "aad-tuncay")
        assert teams_account(sessions, tuncay).person_id == staff.technician.id, "matched by e-mail"

    run(scenario)


def test_proactive_ping_reaches_a_technician_after_a_restart(
    sessions: sessionmaker[Session], staff: Staff
) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        requester = employee(connector)
        tech = connector.add_user(TeamsUser("aad-tuncay", "Tuncay T.", "tuncay@belediye.bel.tr"))
        lead = connector.add_user(TeamsUser("aad-leyla", "Leyla L.", "leyla@belediye.bel.tr"))
        async with teams_app(sessions, connector) as first:
            await first.say(tech, "merhaba")
            await first.say(lead, "merhaba")

        # A new process on the same database: nothing but the stored references tells it how to reach staff.
        async with teams_app(sessions, connector) as second:
            before = {u.id: len(connector.sent_to(u)) for u in (tech, lead)}
            number = await open_printer_ticket(second, requester)
            pinged = [u for u in (tech, lead) if len(connector.sent_to(u)) > before[u.id]]
            assert pinged, "the assignee is pinged in Teams"
            ping = connector.sent_to(pinged[0])[-1]
            assert number in ping.text and ping.buttons
            assert ping.activity["recipient"]["id"] == pinged[0].id

        with sessions() as session:
            sent = session.scalars(
                select(Notification).where(Notification.kind == "assigned", Notification.status == "sent")
            ).all()
            assert [n.channel for n in sent] == [ChatChannel.TEAMS]

    run(scenario)


def test_sender_without_reference_or_after_removal_is_unreachable(
    sessions: sessionmaker[Session], staff: Staff
) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        user = employee(connector)
        async with teams_app(sessions, connector) as app:
            await app.say(user, "merhaba")
            account = teams_account(sessions, user)
            address = Address(account.external_id, account.conversation_ref)
            await send_all(app.endpoint.sender, address, [Reply("Deneme")])
            assert connector.sent_to(user)[-1].text == "Deneme"

            with pytest.raises(Unreachable):
                await send_all(app.endpoint.sender, Address("aad-never-wrote"), [Reply("Deneme")])
            connector.gone_conversations.add(user.conversation_id)  # the user removed the app
            with pytest.raises(Unreachable):
                await send_all(app.endpoint.sender, address, [Reply("Deneme")])

    run(scenario)


# --- security and operations --------------------------------------------------------------------------


def test_other_tenants_are_refused_politely_and_nothing_is_stored(
    sessions: sessionmaker[Session], staff: Staff
) -> None:
    settings = make_settings(teams_allowed_tenant_ids="11111111-2222-3333-4444-555555555555")

    async def scenario(connector: FakeBotConnector) -> None:
        user = employee(connector)
        before = counts(sessions)
        async with teams_app(sessions, connector, settings) as app:
            sent = await app.say(user, "yazıcı kağıt sıkıştırıyor")
            assert "yalnızca belediyemizin" in texts_of(sent)
        assert counts(sessions) == before

    run(scenario)


def test_malformed_posts_are_refused(sessions: sessionmaker[Session]) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        async with teams_app(sessions, connector) as app:
            url = f"{app.url}/api/messages"
            async with app.http.post(
                url, data=b"{not json", headers={"Content-Type": "application/json"}
            ) as r:
                assert r.status == 400
            async with app.http.post(url, json={"text": "no type"}) as r:
                assert r.status == 400
            async with app.http.post(url, data=b"hello", headers={"Content-Type": "text/plain"}) as r:
                assert r.status == 415

    run(scenario)


async def _health(app: TeamsApp) -> tuple[int, dict[str, Any]]:
    async with app.http.get(f"{app.url}/healthz") as response:
        return response.status, await response.json()


def _healthy(role: str) -> dict[str, Any]:
    return {"status": "ok", "database": "ok", "scheduler": "running", "scheduler_role": role, "channels": {}}


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_healthz_is_ok_while_the_scheduler_leads_or_stands_by(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    """Several processes on one PostgreSQL: a standby is healthy too (it takes over when the leader dies)."""
    schedulers: list[SlaScheduler] = []
    rival_engine = make_engine(engine.url)
    rival = AdvisoryLock(rival_engine)  # another process holding the lead
    stopped: dict[str, Any] = {
        "status": "unhealthy",
        "database": "ok",
        "scheduler": "stopped",
        "scheduler_role": None,
        "channels": {},
    }

    async def scenario(connector: FakeBotConnector) -> None:
        async with teams_app(sessions, connector, scheduler_role=lambda: schedulers[0].role) as app:
            clock = SettableClock(WEDNESDAY_10)
            scheduler = SlaScheduler(sessions, app.service.notifier, clock, leadership_for(engine))
            schedulers.append(scheduler)
            assert await _health(app) == (503, stopped)
            assert rival.acquire()
            await scheduler.start()
            assert await _health(app) == (200, _healthy("standby"))
            rival.release()
            await scheduler.tick()
            assert await _health(app) == (200, _healthy("leader"))
            await scheduler.stop()
            assert await _health(app) == (503, stopped)

    try:
        run(scenario)
    finally:
        rival_engine.dispose()


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    broken = session_factory(make_engine(f"sqlite:///{tmp_path}"))  # a directory: SQLite cannot open it

    async def scenario(connector: FakeBotConnector) -> None:
        async with teams_app(broken, connector) as app:
            status, body = await _health(app)
            assert status == 503
            assert body["database"].startswith("error: ") and body["scheduler"] == "running"

    run(scenario)


async def _reachable(host: str, port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection(host, port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


@pytest.mark.parametrize(
    ("values", "host", "from_elsewhere"),
    [
        ({}, "127.0.0.1", False),  # no authentication: this machine only
        ({"teams_host": "0.0.0.0", "teams_allow_insecure": True}, "0.0.0.0", True),  # the operator's choice
        (AUTH_SETTINGS, "0.0.0.0", True),
        ({**AUTH_SETTINGS, "teams_host": "127.0.0.1"}, "127.0.0.1", False),
    ],
)
def test_the_endpoint_listens_on_loopback_only_without_authentication(
    sessions: sessionmaker[Session], values: dict[str, str], host: str, from_elsewhere: bool
) -> None:
    """127.0.0.2 is another address of this machine: a wildcard bind answers it, a 127.0.0.1 bind does not."""

    async def scenario(connector: FakeBotConnector) -> None:
        async with teams_app(sessions, connector, make_settings(**values)) as app:
            assert app.endpoint.host == host
            assert await _reachable("127.0.0.1", app.endpoint.port)
            assert await _reachable("127.0.0.2", app.endpoint.port) == from_elsewhere

    run(scenario)


def test_lost_replies_do_not_fail_the_request_or_lose_the_message(
    sessions: sessionmaker[Session], staff: Staff
) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        user = employee(connector)
        async with teams_app(sessions, connector) as app:
            connector.gone_conversations.add(user.conversation_id)  # Teams refuses the answers
            lost = connector.message(user, "yazıcı kağıt sıkıştırıyor")
            assert await app.post(lost) == 201
            assert connector.sent_to(user) == []
            with sessions() as session:  # the message itself was handled and stored
                handled = session.scalars(select(ProcessedUpdate.update_id)).all()
                assert len(handled) == 1  # keyed by conversation and activity id, hashed

            connector.gone_conversations.clear()
            sent = await app.say(user, "yazıcı kağıt sıkıştırıyor")
            assert "Evet, bu hizmet" in [title for title, _ in sent[-1].buttons], "the conversation goes on"

    run(scenario)


def test_an_answer_the_turn_could_not_send_goes_out_proactively_at_once(
    sessions: sessionmaker[Session], staff: Staff
) -> None:
    """The connector refuses the turn's reply: the answer is sent at once to the stored conversation
    reference, not a lease later, once, and its outbox row is settled."""

    async def scenario(connector: FakeBotConnector) -> None:
        user = employee(connector)
        async with teams_app(sessions, connector) as app:
            await app.say(user, "merhaba")  # a first turn: the conversation reference is stored
            before = len(connector.sent_to(user))
            connector.refused_replies = 1
            assert await app.post(connector.message(user, "yazıcı kağıt sıkıştırıyor")) == 201
            assert connector.refused_replies == 0  # the reply in the turn was tried and refused
            sent = connector.sent_to(user)[before:]
            assert [s.text.splitlines()[0] for s in sent] == ["Talebiniz şu hizmete uygun görünüyor:"]
            with sessions() as session:
                assert set(session.scalars(select(OutboundReply.status))) == {ReplyStatus.SENT}

    run(scenario)


def test_a_send_teams_answers_too_late_counts_as_sent_and_is_not_repeated(
    sessions: sessionmaker[Session], staff: Staff
) -> None:
    """The Bot Connector holds the bot's sends past TEAMS_SEND_TIMEOUT_SECONDS, then delivers them: the turn's
    answer counts as sent (unconfirmed) and is repeated neither proactively nor by the outbox, and a proactive
    send reports DeliveryUncertain (which the dispatcher records as sent)."""

    async def scenario(connector: FakeBotConnector) -> None:
        user = employee(connector)
        async with teams_app(sessions, connector, make_settings(teams_send_timeout_seconds=0.5)) as app:
            await app.say(user, "merhaba")  # a first turn: the conversation reference is stored
            before = len(connector.sent_to(user))
            connector.release = asyncio.Event()
            assert await app.post(connector.message(user, "yazıcı kağıt sıkıştırıyor")) == 201
            assert connector.held == 1  # the answer was in flight when the turn gave up waiting
            with sessions() as session:
                assert set(session.scalars(select(OutboundReply.status))) == {ReplyStatus.SENT}
            account = teams_account(sessions, user)
            with pytest.raises(DeliveryUncertain):
                await send_all(
                    app.endpoint.sender,
                    Address(account.external_id, account.conversation_ref),
                    [Reply("Deneme")],
                )
            connector.release.set()  # Teams answers at last: both arrive, once each
            while len(connector.sent_to(user)) < before + 2:
                await asyncio.sleep(0.05)
            await app.service.replies.sweep()  # the outbox has nothing left to send
            await asyncio.sleep(0.5)  # time for a repeat, were there one
            sent = [s.text.splitlines()[0] for s in connector.sent_to(user)[before:]]
            assert sorted(sent) == ["Deneme", "Talebiniz şu hizmete uygun görünüyor:"]

    run(scenario)


@pytest.mark.parametrize(
    ("values", "missing"),
    [
        ({"MicrosoftAppId": APP_ID, "MicrosoftAppTenantId": TENANT_ID}, "MicrosoftAppPassword"),
        ({"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "secret"}, "MicrosoftAppTenantId"),
        (
            {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "x", "MicrosoftAppType": "Other"},
            "MicrosoftAppType",
        ),
    ],
)
def test_half_configured_credentials_are_named_at_start(values: dict[str, str], missing: str) -> None:
    with pytest.raises(ValueError, match=missing):
        make_adapter(make_settings(**values))


def test_other_activities_refresh_the_reference_and_removing_the_app_makes_unreachable(
    sessions: sessionmaker[Session], staff: Staff
) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        user = employee(connector)

        def account() -> ChatAccount:
            return teams_account(sessions, user)

        async with teams_app(sessions, connector) as app:
            await app.say(user, "merhaba")
            moved = connector.service_url + "emea/"  # Teams may move a conversation to another region
            reaction = connector.activity(
                user, type="messageReaction", serviceUrl=moved, reactionsAdded=[{"type": "like"}]
            )
            assert await app.post(reaction) == 201
            reference = account().conversation_ref
            assert reference is not None and reference["serviceUrl"] == moved

            assert await app.post(connector.activity(user, type="installationUpdate", action="remove")) == 201
            assert account().blocked, "no more pings to a user who removed the app"
            await app.say(user, "merhaba")
            assert not account().blocked, "writing again makes them reachable"
        assert len(connector.sent_to(user)) == 2, "only messages are answered"

    run(scenario)


def test_a_card_carries_ticket_actions_as_submit_buttons() -> None:
    """The same options the notifier gives Telegram's inline keyboard, as Action.Submit buttons."""
    labels = {
        TicketAction.TAKE: texts.BTN_TAKE,
        TicketAction.RESOLVE: texts.BTN_RESOLVE,
        TicketAction.HOLD: texts.BTN_HOLD,
        TicketAction.FORWARD: texts.BTN_FORWARD,
    }
    options = [ticket_actions.option(42, action, label) for action, label in labels.items()]
    activity = reply_activity(Reply("Yeni iş: BIM-2026-000042\nHizmet: 05.21.001", options))
    (attachment,) = activity.attachments
    assert attachment.content_type == "application/vnd.microsoft.card.adaptive"
    actions = [
        a
        for element in attachment.content["body"]
        if element["type"] == "ActionSet"
        for a in element["actions"]
    ]
    assert [a["title"] for a in actions] == list(labels.values())
    assert [a["data"] for a in actions] == [{"option": o.id} for o in options]
    assert all(a["type"] == "Action.Submit" for a in actions)
    assert card_lines(attachment.content) == "Yeni iş: BIM-2026-000042\nHizmet: 05.21.001"
    assert not [b for b in attachment.content["body"] if b["type"] == "TextBlock"]  # Markdown: never used
