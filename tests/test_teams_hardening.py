"""Teams endpoint hardening (issue 14, items 5-7 and the 500s of item 11)."""

from __future__ import annotations

import pytest
from fake_bot_connector import FakeBotConnector, TeamsUser
from sqlalchemy.orm import Session, sessionmaker
from teams_world import employee, make_settings, run, teams_account, teams_app, texts_of

from bot.engine.events import Option, Reply
from bot.teams.cards import reply_activity
from bot.teams.guard import ServiceUrls, listen_host


def test_without_an_app_id_only_loopback_unless_insecure_is_explicit() -> None:
    with pytest.raises(ValueError, match="TEAMS_ALLOW_INSECURE=1"):
        listen_host(make_settings(teams_host="0.0.0.0"))
    assert listen_host(make_settings(teams_host="0.0.0.0", teams_allow_insecure=True)) == "0.0.0.0"
    assert listen_host(make_settings(teams_host="::1")) == "::1"
    assert listen_host(make_settings()) == "127.0.0.1"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://smba.trafficmanager.net/emea/", True),
        ("https://smba.infra.gcc.teams.microsoft.com/", True),
        ("https://europe.webchat.botframework.com/", True),
        ("http://smba.trafficmanager.net/emea/", False),  # not TLS
        ("https://smba.trafficmanager.net.evil.example/", False),
        ("https://evil.example/?smba.trafficmanager.net", False),
        ("https://user@smba.trafficmanager.net/", False),
        ("https://evilbotframework.com/", False),
        ("http://127.0.0.1:8123/", True),  # the configured extra, any port
        ("http://127.0.0.2:8123/", False),
        ("not a url", False),
    ],
)
def test_only_bot_framework_service_urls_are_accepted(url: str, allowed: bool) -> None:
    assert ServiceUrls("http://127.0.0.1").allowed(url) is allowed


def test_a_foreign_service_url_is_refused_and_never_called(sessions: sessionmaker[Session]) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        user = employee(connector)
        async with teams_app(sessions, connector) as app:
            forged = connector.message(user, "merhaba")
            forged["serviceUrl"] = "https://attacker.example/"
            assert await app.post(forged) == 400
            assert connector.sent_to(user) == []

    run(scenario)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # nested deeper than any parser goes
        b'{"type": "message", "text": "x"}',  # no from, no conversation
        b'{"type": "message", "from": {}, "conversation": {"id": "a:1"}, "serviceUrl": "http://127.0.0.1/"}',
        b'{"type": "message", "from": {"id": "29:x"}, "conversation": "a:1", "serviceUrl": "http://127.0.0.1/"}',
        b'{"type": "message", "from": {"id": "29:x"}, "conversation": {"id": "a:1"}}',
        b'{"type": 5}',
    ],
)
def test_malformed_bodies_are_400_not_500(sessions: sessionmaker[Session], body: bytes) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        async with teams_app(sessions, connector) as app:
            headers = {"Content-Type": "application/json"}
            async with app.http.post(f"{app.url}/api/messages", data=body, headers=headers) as response:
                assert response.status == 400

    run(scenario)


def test_an_activity_from_another_conversation_does_not_take_over_a_reference(
    sessions: sessionmaker[Session],
) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        victim = employee(connector)
        async with teams_app(sessions, connector) as app:
            assert await app.say(victim, "merhaba")
            genuine = teams_account(sessions, victim).conversation_ref
            assert genuine is not None
            impostor = TeamsUser(victim.aad_object_id, victim.name, victim.email, id=victim.id)
            assert await app.post(connector.message(impostor, "merhaba")) == 201
            assert teams_account(sessions, victim).conversation_ref == genuine
            uninstall = connector.activity(impostor, type="installationUpdate", action="remove")
            assert await app.post(uninstall) == 201
            assert not teams_account(sessions, victim).blocked  # nor cut off by a forged uninstall

    run(scenario)


def test_the_same_activity_id_from_two_conversations_is_two_messages(
    sessions: sessionmaker[Session],
) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        first = employee(connector)
        second = connector.add_user(TeamsUser("aad-employee-2", "Can Demir", "can.demir@belediye.bel.tr"))
        async with teams_app(sessions, connector) as app:
            one = connector.message(first, "merhaba")
            other = connector.message(second, "merhaba")
            other["id"] = one["id"]
            assert await app.post(one) == 201 and await app.post(other) == 201
            assert texts_of(connector.sent_to(first)) and texts_of(connector.sent_to(second))
            answered = len(connector.sent_to(first))
            assert await app.post(dict(one)) == 201  # a true redelivery is still answered once
            assert len(connector.sent_to(first)) == answered

    run(scenario)


def test_requester_text_in_a_card_is_text_not_markdown() -> None:
    forged = "**ACİL** [şifre sıfırla](https://evil.example) ![x](https://evil.example/p.png)\n- Onaylandı"
    activity = reply_activity(Reply(f"Yeni iş: BIM-2026-000042\n{forged}", [Option("t42:take", "Üstlen")]))
    (attachment,) = activity.attachments
    body = attachment.content["body"]
    assert not [block for block in body if block["type"] == "TextBlock"]
    runs = [run["text"] for block in body if block["type"] == "RichTextBlock" for run in block["inlines"]]
    assert runs == ["Yeni iş: BIM-2026-000042", forged.splitlines()[0], "- Onaylandı"]
