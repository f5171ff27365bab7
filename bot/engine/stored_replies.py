"""Replies as the reply outbox stores them (JSON), and back: one place for the format."""

from __future__ import annotations

from typing import Any

from bot.engine.events import AttachmentKind, ChannelKind, Option, Reply, SharedFile


class Answer(list[Reply]):
    """The replies to one message, and the outbox row that holds them until they are delivered (None when
    nothing was written: a redelivered update, or a message refused before anything was stored)."""

    def __init__(self, replies: list[Reply], outbox_id: int | None = None, account_id: int | None = None):
        super().__init__(replies)
        self.outbox_id = outbox_id
        self.account_id = account_id  # the chat account the replies go to


def to_json(replies: list[Reply]) -> list[dict[str, Any]]:
    return [_reply_json(reply) for reply in replies]


def from_json(stored: list[dict[str, Any]]) -> list[Reply]:
    return [_reply(item) for item in stored]


def _reply_json(reply: Reply) -> dict[str, Any]:
    data: dict[str, Any] = {"text": reply.text}
    if reply.options:
        data["options"] = [[o.id, o.label] for o in reply.options]
    if reply.ask_contact:
        data["ask_contact"] = True
    if reply.no_preview:
        data["no_preview"] = True
    if reply.file is not None:
        f = reply.file
        data["file"] = [f.channel.value, f.file_ref, f.kind.value, f.file_name]
    return data


def _reply(item: dict[str, Any]) -> Reply:
    options = [Option(str(i), str(label)) for i, label in item.get("options", [])]
    file = item.get("file")
    shared = None
    if file is not None:
        channel, ref, kind, name = file
        shared = SharedFile(ChannelKind(channel), str(ref), AttachmentKind(kind), name)
    return Reply(
        str(item["text"]),
        options,
        bool(item.get("ask_contact", False)),
        shared,
        bool(item.get("no_preview", False)),
    )
