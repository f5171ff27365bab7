"""bot.channels.PerConversation: the messages of one conversation run one after the other, in order."""

from __future__ import annotations

import asyncio

from bot.channels import PerConversation


def test_a_message_arriving_while_the_lock_changes_hands_still_waits() -> None:
    """A finishes while B waits; C, arriving right then, must wait for B instead of running beside it."""
    order: list[str] = []

    async def scenario() -> None:
        chats = PerConversation()
        a_may_finish = asyncio.Event()

        async def message(name: str, wait_for: asyncio.Event | None = None) -> None:
            async with chats.serialised("conversation"):
                order.append(f"start {name}")
                if wait_for is not None:
                    await wait_for.wait()
                await asyncio.sleep(0)
                order.append(f"end {name}")

        a = asyncio.create_task(message("A", a_may_finish))
        await asyncio.sleep(0)
        b = asyncio.create_task(message("B"))
        await asyncio.sleep(0)
        a_may_finish.set()
        while "end A" not in order:
            await asyncio.sleep(0)
        c = asyncio.create_task(message("C"))
        other = asyncio.create_task(_other(chats, order))
        await asyncio.gather(a, b, c, other)

    asyncio.run(scenario())
    assert [e for e in order if not e.endswith("other")] == [
        "start A",
        "end A",
        "start B",
        "end B",
        "start C",
        "end C",
    ]
    assert "start other" in order  # another conversation is not held up


async def _other(chats: PerConversation, order: list[str]) -> None:
    async with chats.serialised("another conversation"):
        order.append("start other")
        order.append("end other")
