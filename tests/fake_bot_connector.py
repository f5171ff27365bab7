"""A small fake Bot Connector (the Teams side of the Bot Framework) for tests: real HTTP on 127.0.0.1.

Activities the tests POST to the bot carry `serviceUrl` = this server, so botbuilder's ConnectorClient sends
the bot's replies here: `POST /v3/conversations/{id}/activities[/{replyToId}]` are recorded and answered with
an id, and `GET /v3/conversations/{id}/members/{userId}` answers with the user's e-mail. The server can be
told to answer 403 for a conversation (the user removed the app), or to hold the replies (`release`).

It also plays login.botframework.com: it publishes OpenID metadata with a signing key and issues tokens as
the Bot Framework does, so the bot's token validation can be tested without a network. And it plays
Microsoft Entra (login.microsoftonline.com, reached through tests/fake_tls_proxy.py): given the bot's
`registration`, it issues Bot Framework tokens to that app id and password only, and then, as the real Bot
Connector, answers 401 to any call that does not carry one of them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from fake_server import serve
from jwt.algorithms import RSAAlgorithm

BOT = {"id": "28:talepbot-test", "name": "BİM Talep"}
TENANT_ID = "9b1e1c8e-5f51-4d7c-9a37-0b1e2c3d4e5f"
TOKEN_ISSUER = "https://api.botframework.com"
KEY_ID = "fake-bot-framework-key"
ENTRA_HOST = "login.microsoftonline.com"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"


@dataclass(frozen=True)
class BotRegistration:
    """The bot's app registration in Microsoft Entra."""

    app_id: str
    password: str
    tenant_id: str = TENANT_ID


@dataclass
class Sent:
    """One activity the bot sent to the connector."""

    conversation_id: str
    reply_to_id: str | None
    activity: dict[str, Any]
    authorization: str | None = None  # the request's Authorization header

    @property
    def text(self) -> str:
        """The message text, or the card's text lines joined by newlines."""
        if self.activity.get("text"):
            return str(self.activity["text"])
        return "\n".join(card_lines(card) for card in self.cards)

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.activity.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    @property
    def buttons(self) -> list[tuple[str, dict[str, Any]]]:
        """(title, data) of every Action.Submit in the cards, top to bottom."""
        return [
            (action["title"], action["data"])
            for card in self.cards
            for element in card["body"]
            if element["type"] == "ActionSet"
            for action in element["actions"]
            if action["type"] == "Action.Submit"
        ]


@dataclass
class TeamsUser:
    """A Teams user as the connector knows them."""

    aad_object_id: str
    name: str
    email: str
    id: str = field(default_factory=lambda: f"29:{uuid.uuid4().hex}")
    conversation_id: str = field(default_factory=lambda: f"a:{uuid.uuid4().hex};messageid=1")

    def account(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad_object_id}


@dataclass
class FakeBotConnector:
    sent: list[Sent] = field(default_factory=list)
    member_lookups: list[str] = field(default_factory=list)
    users: dict[str, TeamsUser] = field(default_factory=dict)
    gone_conversations: set[str] = field(default_factory=set)
    # When a test sets it, the bot's replies wait until the event is set (the bot's request stays in flight);
    # `held` counts the replies that arrived meanwhile.
    release: asyncio.Event | None = None
    held: int = 0
    refused_replies: int = 0  # the next replies to an activity (the turn's answers) are answered 502
    registration: BotRegistration | None = None  # set: tokens are issued, and required on every call
    token_requests: list[dict[str, str]] = field(default_factory=list)  # the form of each, as Entra got it
    issued_tokens: set[str] = field(default_factory=set)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _activity_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    port: int = 0

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def openid_metadata_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/.well-known/openidconfiguration"

    @cached_property
    def signing_key(self) -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def token(
        self, audience: str, *, lifetime: int = 3600, key: rsa.RSAPrivateKey | None = None, **claims: Any
    ) -> str:
        """A channel token like the Bot Framework sends (signed with our published key unless `key`)."""
        now = int(time.time())
        payload = {
            "iss": TOKEN_ISSUER,
            "aud": audience,
            "serviceurl": self.service_url,
            "nbf": now - 60,
            "iat": now - 60,
            "exp": now + lifetime,
            **claims,
        }
        return jwt.encode(payload, key or self.signing_key, algorithm="RS256", headers={"kid": KEY_ID})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._activity)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._activity)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        app.router.add_get("/v1/.well-known/openidconfiguration", self._openid_configuration)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        app.router.add_get("/common/discovery/instance", self._entra_instances)
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._entra_configuration)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._entra_token)
        self._runner, self.port = await serve(app)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def add_user(self, user: TeamsUser) -> TeamsUser:
        self.users[user.id] = user
        return user

    def sent_to(self, user: TeamsUser) -> list[Sent]:
        return [s for s in self.sent if s.conversation_id == user.conversation_id]

    # --- activities the tests send to the bot, as Teams would ---

    def activity(self, user: TeamsUser, **fields: Any) -> dict[str, Any]:
        activity: dict[str, Any] = {
            "type": "message",
            "id": f"1700000000{next(self._activity_ids):06d}",
            "timestamp": "2026-11-30T07:00:00.000Z",
            "channelId": "msteams",
            "serviceUrl": self.service_url,
            "from": user.account(),
            "recipient": BOT,
            "conversation": {
                "id": user.conversation_id,
                "conversationType": "personal",
                "tenantId": TENANT_ID,
            },
            "channelData": {"tenant": {"id": TENANT_ID}},
            "locale": "tr-TR",
        }
        activity.update(fields)
        return activity

    def message(self, user: TeamsUser, text: str) -> dict[str, Any]:
        return self.activity(user, text=text, textFormat="plain")

    def submit(self, user: TeamsUser, data: dict[str, Any], card: Sent | None = None) -> dict[str, Any]:
        """What Teams posts when the user presses an Action.Submit button on one of the bot's cards."""
        reply_to = card.activity.get("id") if card else None
        return self.activity(user, value=data, replyToId=reply_to)

    def install(self, user: TeamsUser) -> dict[str, Any]:
        """The conversationUpdate Teams sends when the user adds the app in personal scope."""
        return self.activity(user, type="conversationUpdate", membersAdded=[BOT])

    # --- handlers ---

    async def _activity(self, request: web.Request) -> web.Response:
        if (refusal := self._unauthorized(request)) is not None:
            return refusal
        conversation = request.match_info["conversation"]
        if conversation in self.gone_conversations:
            return web.json_response(
                {"error": {"code": "ConversationBlockedByUser", "message": "User blocked the conversation"}},
                status=403,
            )
        if self.refused_replies and request.match_info.get("reply_to"):
            self.refused_replies -= 1
            return web.json_response({"error": {"code": "BadGateway", "message": "simulated"}}, status=502)
        if self.release is not None:
            self.held += 1
            await self.release.wait()
        body = await request.json()
        body["id"] = f"bot-{next(self._ids)}"
        authorization = request.headers.get("Authorization")
        self.sent.append(Sent(conversation, request.match_info.get("reply_to"), body, authorization))
        return web.json_response({"id": body["id"]})

    async def _member(self, request: web.Request) -> web.Response:
        if (refusal := self._unauthorized(request)) is not None:
            return refusal
        member = request.match_info["member"]
        self.member_lookups.append(member)
        user = self.users.get(member)
        if user is None:
            return web.json_response({"error": {"code": "MemberNotFound", "message": member}}, status=404)
        return web.json_response(
            {
                "id": user.id,
                "name": user.name,
                "aadObjectId": user.aad_object_id,
                "email": user.email,
                "userPrincipalName": user.email,
                "tenantId": TENANT_ID,
            }
        )

    async def _openid_configuration(self, request: web.Request) -> web.Response:
        keys_url = f"http://127.0.0.1:{self.port}/v1/.well-known/keys"
        return web.json_response({"issuer": TOKEN_ISSUER, "jwks_uri": keys_url})

    async def _keys(self, request: web.Request) -> web.Response:
        key = json.loads(RSAAlgorithm.to_jwk(self.signing_key.public_key()))
        key.update({"kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]})
        return web.json_response({"keys": [key]})

    def _unauthorized(self, request: web.Request) -> web.Response | None:
        """The Bot Connector's 401 to a call without a token Entra issued to the bot; None lets it pass."""
        if self.registration is None:
            return None
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme == "Bearer" and token in self.issued_tokens:
            return None
        return web.json_response({"message": "Authorization has been denied for this request."}, status=401)

    async def _entra_instances(self, request: web.Request) -> web.Response:
        """Entra's instance discovery, which MSAL reads for the other names of its host."""
        aliases = [ENTRA_HOST, "login.windows.net", "login.microsoft.com", "sts.windows.net"]
        metadata = [{"preferred_network": ENTRA_HOST, "preferred_cache": aliases[1], "aliases": aliases}]
        return web.json_response({"api-version": "1.1", "metadata": metadata})

    async def _entra_configuration(self, request: web.Request) -> web.Response:
        """Entra's tenant discovery: where MSAL asks for tokens."""
        tenant = request.match_info["tenant"]
        registration = self.registration
        if request.host != ENTRA_HOST or registration is None or tenant != registration.tenant_id:
            error = f"AADSTS90002: Tenant '{tenant}' not found."
            return web.json_response({"error": "invalid_tenant", "error_description": error}, status=400)
        base = f"https://{ENTRA_HOST}/{tenant}"
        return web.json_response(
            {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
            }
        )

    async def _entra_token(self, request: web.Request) -> web.Response:
        """The client-credentials grant: a token for the Bot Connector, to the registered app only."""
        form = {key: str(value) for key, value in (await request.post()).items()}
        self.token_requests.append(form)
        registration = self.registration
        if (
            registration is None
            or request.host != ENTRA_HOST
            or request.match_info["tenant"] != registration.tenant_id
            or form.get("grant_type") != "client_credentials"
            or form.get("client_id") != registration.app_id
            or form.get("client_secret") != registration.password
        ):
            error = "AADSTS7000215: Invalid client secret provided."
            return web.json_response({"error": "invalid_client", "error_description": error}, status=401)
        if form.get("scope") != BOT_FRAMEWORK_SCOPE:
            error = f"AADSTS70011: The provided value for scope {form.get('scope')} is not valid."
            return web.json_response({"error": "invalid_scope", "error_description": error}, status=400)
        token = f"entra-{uuid.uuid4().hex}"
        self.issued_tokens.add(token)
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token}
        )


def card_lines(card: dict[str, Any]) -> str:
    """The text of a card's RichTextBlocks (one line each, of TextRuns), joined by newlines."""
    return "\n".join(
        "".join(run["text"] for run in block["inlines"])
        for block in card["body"]
        if block["type"] == "RichTextBlock"
    )
