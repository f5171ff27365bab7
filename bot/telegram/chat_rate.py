"""Telegram's flood limits, kept per chat as well as for the bot as a whole.

Telegram accepts about 30 messages a second from a bot, and asks for no more than one a second in one chat,
tolerating short bursts. PTB's AIORateLimiter keeps the global limit (and waits out a 429), but limits no
private chat: one person flooding the bot took the whole global budget, and everyone else's answers waited
behind theirs. Here a call to a chat first waits for that chat's own pace (a burst, then one per interval),
and only then for a global slot, so a flooding chat holds one slot a second of the thirty.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.ext import AIORateLimiter, BaseRateLimiter

# A chat's answers (up to four messages) and a few quick turns go out at once; a flood is spaced to 1/s.
CHAT_BURST = 20
CHAT_INTERVAL = timedelta(seconds=1)
_FORGET_AFTER = 1000  # chats remembered before the idle ones are dropped


class ChatPace:
    """Per chat, `burst` calls at once, then one per `interval` (a token bucket, kept as the time the chat's
    next call would be due if it never bursted: the generic cell rate algorithm)."""

    def __init__(
        self,
        burst: int = CHAT_BURST,
        interval: timedelta = CHAT_INTERVAL,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = interval.total_seconds()
        self._tolerance = (burst - 1) * self._interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._due: dict[str, float] = {}

    async def wait(self, chat: str) -> None:
        """Returns when the chat may be sent to; the slot is reserved before waiting, so calls waiting for
        the same chat go out in order, one interval apart."""
        now = self._monotonic()
        due = max(self._due.get(chat, now), now)
        self._due[chat] = due + self._interval
        if len(self._due) > _FORGET_AFTER:
            self._due = {c: d for c, d in self._due.items() if d > now}
        start = due - self._tolerance
        if start > now:
            await self._sleep(start - now)


class ChatRateLimiter(BaseRateLimiter[int]):
    """PTB's AIORateLimiter (global limit, 429 retries), behind a pace per chat."""

    def __init__(self, pace: ChatPace, max_retries: int) -> None:
        self._pace = pace
        self._global = AIORateLimiter(max_retries=max_retries)

    async def initialize(self) -> None:
        await self._global.initialize()

    async def shutdown(self) -> None:
        await self._global.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat = data.get("chat_id")
        if chat is not None:
            await self._pace.wait(str(chat))
        return await self._global.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
