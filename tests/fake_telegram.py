"""A small fake Telegram Bot API server for tests: real HTTP on 127.0.0.1, pointed at with PTB's base_url.

It feeds queued updates to getUpdates, or POSTs them to the bot's webhook as Telegram does (again and again
until answered 2xx), answers the methods the bot uses, records every call, and can be told to refuse a chat
with 403 (the user blocked the bot) or to answer 429 (flood control) once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from fake_server import serve

TOKEN = "123456:TEST-TOKEN"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Talep", "username": "talep_test_bot"}


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)  # when it arrived

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of an inline keyboard, row by row."""
        markup = self.params.get("reply_markup") or {}
        return [
            (button["text"], button.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]

    @property
    def asks_contact(self) -> bool:
        markup = self.params.get("reply_markup") or {}
        return any(b.get("request_contact") for row in markup.get("keyboard", []) for b in row)


@dataclass
class FakeUser:
    id: int
    first_name: str
    phone: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "is_bot": False, "first_name": self.first_name}


@dataclass
class FakeBotApi:
    calls: list[ApiCall] = field(default_factory=list)
    blocked_chats: set[int] = field(default_factory=set)
    # method name -> retry_after seconds, answered once with 429
    flood_once: dict[str, int] = field(default_factory=dict)
    fail_methods: set[str] = field(default_factory=set)  # answered with 400 every time
    open_polls: int = 0  # getUpdates long polls waiting for an update
    failing_until: float = 0.0  # time.monotonic() until which every call is answered 500 (an outage)
    failed_calls: int = 0  # calls answered 500 during an outage
    # update ids below this were acknowledged: by a getUpdates offset, or each by a webhook's 2xx answer
    acknowledged: int = 0
    webhook_attempts: int = 0  # webhook POSTs, answered or not
    # called with each call as it arrives (the test looks at the database at that instant)
    on_call: Callable[[ApiCall], None] | None = None
    answer_delay: dict[str, float] = field(default_factory=dict)  # method -> seconds before answering
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _history: dict[int, dict[str, Any]] = field(default_factory=dict)
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    _webhook: tuple[str, str] | None = None  # the bot's local webhook URL and secret
    _webhook_http: aiohttp.ClientSession | None = None
    _webhook_posts: set[asyncio.Task[None]] = field(default_factory=set)
    _webhook_accepted: set[int] = field(default_factory=set)
    port: int = 0

    # --- server ---

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner, self.port = await serve(app, self.port)  # port 0: a free one

    async def stop(self) -> None:
        self._new_update.set()  # releases a pending long poll
        for post in self._webhook_posts:
            post.cancel()
        await asyncio.gather(*self._webhook_posts, return_exceptions=True)
        if self._webhook_http is not None:
            await self._webhook_http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """The root URL, as TELEGRAM_API_BASE_URL takes it."""
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _read_params(request)
        if time.monotonic() < self.failing_until:
            self.failed_calls += 1
            return _error(500, "Internal Server Error: simulated outage")
        self.calls.append(ApiCall(method, params))
        if self.on_call is not None:
            self.on_call(self.calls[-1])
        if method in self.answer_delay:  # accepted now, answered late: a client's read timeout
            await asyncio.sleep(self.answer_delay[method])
        if method in self.flood_once:
            retry_after = self.flood_once.pop(method)
            return _error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        if method in self.fail_methods:
            return _error(400, "Bad Request: simulated failure")
        chat_id = params.get("chat_id")
        if chat_id is not None and int(chat_id) in self.blocked_chats:
            return _error(403, "Forbidden: bot was blocked by the user")
        handler = getattr(self, f"_m_{method}", None)
        result = await handler(params) if handler else True
        return web.json_response({"ok": True, "result": result})

    # --- methods ---

    async def _m_getMe(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    async def _m_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        self.acknowledged = max(self.acknowledged, offset)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            timeout = float(params.get("timeout") or 0)
            if timeout:
                self.open_polls += 1
                try:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._new_update.wait(), timeout)
                finally:
                    self.open_polls -= 1
        return list(self._updates)

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        return self._message(int(params["chat_id"]), str(params.get("text", "")))

    async def _m_sendPhoto(self, params: dict[str, Any]) -> Any:
        photo = [{"file_id": str(params["photo"]), "file_unique_id": "up", "width": 90, "height": 90}]
        return self._message(int(params["chat_id"]), "") | {"photo": photo}

    async def _m_sendDocument(self, params: dict[str, Any]) -> Any:
        document = {"file_id": str(params["document"]), "file_unique_id": "ud"}
        return self._message(int(params["chat_id"]), "") | {"document": document}

    async def _m_editMessageText(self, params: dict[str, Any]) -> Any:
        return self._message(int(params["chat_id"]), str(params.get("text", "")), params.get("message_id"))

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        return self._message(int(params["chat_id"]), "", params.get("message_id"))

    async def _m_getFile(self, params: dict[str, Any]) -> Any:
        file_id = params["file_id"]
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": 10, "file_path": "f.jpg"}

    def _message(self, chat_id: int, text: str, message_id: Any = None) -> dict[str, Any]:
        return {
            "message_id": int(message_id) if message_id else next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            "text": text,
        }

    # --- feeding updates ---

    def push(self, payload: dict[str, Any]) -> int:
        """Queues an update (given without its update_id) or POSTs it to the webhook; returns the id."""
        uid = next(self._update_ids)
        self._history[uid] = payload
        update = {"update_id": uid, **payload}
        if self._webhook is not None:
            self.acknowledged = self.acknowledged or uid  # none before this one is waiting for a 2xx
            post = asyncio.create_task(self._post_until_accepted(update))
            self._webhook_posts.add(post)
            post.add_done_callback(self._webhook_posts.discard)
        else:
            self._updates.append(update)
            self._new_update.set()
        return uid

    def take(self, update_id: int) -> dict[str, Any]:
        """Takes a queued update out and returns it, as a bot that fetched it and kept it would have."""
        update = next(u for u in self._updates if u["update_id"] == update_id)
        self._updates.remove(update)
        return update

    # --- webhook delivery ---

    def deliver_by_webhook(self, url: str, secret: str) -> None:
        """Updates pushed from now on are POSTed to `url` (the bot's webhook, where a reverse proxy would pass
        them on), with the secret header."""
        self._webhook = (url, secret)

    async def _post_until_accepted(self, update: dict[str, Any]) -> None:
        """As Telegram does: a delivery not answered 2xx (refused, cut off, no answer) is made again."""
        assert self._webhook is not None
        url, secret = self._webhook
        if self._webhook_http is None:
            self._webhook_http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        while True:
            self.webhook_attempts += 1
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with self._webhook_http.post(url, json=update, headers=headers) as response:
                    if response.status < 300:
                        break
            await asyncio.sleep(0.2)
        self._webhook_accepted.add(update["update_id"])
        while self.acknowledged in self._webhook_accepted:
            self.acknowledged += 1

    def redeliver(self, update_id: int) -> None:
        """Queues an earlier update again with the same update_id, as Telegram does after a lost answer."""
        self._updates.append({"update_id": update_id, **self._history[update_id]})
        self._new_update.set()

    def _user_message(self, user: FakeUser, **content: Any) -> dict[str, Any]:
        return {
            "message": {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
                "from": user.as_json(),
                **content,
            }
        }

    def send_text(self, user: FakeUser, text: str) -> int:
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self.push(self._user_message(user, text=text, entities=entities))

    def send_contact(self, user: FakeUser, phone: str, owner_id: int | None = None) -> int:
        contact = {"phone_number": phone, "first_name": user.first_name, "user_id": owner_id or user.id}
        return self.push(self._user_message(user, contact=contact))

    def send_photo(self, user: FakeUser, file_id: str, caption: str = "") -> int:
        photo = [{"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 90, "height": 90}]
        return self.push(self._user_message(user, photo=photo, caption=caption))

    def send_document(self, user: FakeUser, file_id: str, file_name: str, caption: str = "") -> int:
        document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name}
        return self.push(self._user_message(user, document=document, caption=caption))

    def send_sticker(self, user: FakeUser) -> int:
        sticker = {
            "file_id": "st1",
            "file_unique_id": "ust1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self.push(self._user_message(user, sticker=sticker))

    def send_voice(self, user: FakeUser) -> int:
        return self.push(
            self._user_message(user, voice={"file_id": "v1", "file_unique_id": "uv1", "duration": 3})
        )

    def send_location(self, user: FakeUser) -> int:
        return self.push(self._user_message(user, location={"latitude": 41.09, "longitude": 28.8}))

    def click(self, user: FakeUser, call: ApiCall, label: str) -> int:
        """Press the inline button labelled `label` (or starting with it) of a message the bot sent."""
        data = next((d for text, d in call.buttons if text == label), None)
        if data is None:
            data = next((d for text, d in call.buttons if text.startswith(label)), None)
        if data is None:
            raise AssertionError(f"no button {label!r} in {call.buttons}")
        return self.push(
            {
                "callback_query": {
                    "id": str(next(self._message_ids)),
                    "from": user.as_json(),
                    "chat_instance": "ci",
                    "data": data,
                    "message": {
                        "message_id": 1,
                        "date": int(time.time()),
                        "chat": {"id": user.id, "type": "private"},
                        "from": BOT_USER,
                        "text": call.text,
                    },
                }
            }
        )

    # --- reading what the bot did ---

    def sent(self, chat_id: int) -> list[ApiCall]:
        return [c for c in self.calls if c.method == "sendMessage" and c.chat_id == chat_id]

    async def wait_for(
        self, predicate: Callable[[ApiCall], bool], *, after: int = 0, timeout: float = 10.0
    ) -> ApiCall:
        """The first recorded call from index `after` on that satisfies `predicate`, polling briefly."""
        deadline = time.monotonic() + timeout
        while True:
            for call in self.calls[after:]:
                if predicate(call):
                    return call
            if time.monotonic() > deadline:
                recent = [(c.method, c.chat_id, c.text[:60]) for c in self.calls[after:]]
                raise AssertionError(f"no matching call; calls since {after}: {recent}")
            await asyncio.sleep(0.01)

    async def wait_message(
        self, chat_id: int, contains: str, *, after: int = 0, timeout: float = 10.0
    ) -> ApiCall:
        return await self.wait_for(
            lambda c: c.method == "sendMessage" and c.chat_id == chat_id and contains in c.text,
            after=after,
            timeout=timeout,
        )


async def _read_params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        if not isinstance(value, str):
            continue  # uploaded files: the bot never uploads any
        params[key] = _maybe_json(value)
    return params


def _maybe_json(value: str) -> Any:
    if value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)
