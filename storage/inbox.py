"""The inbound inbox: updates a channel received, kept until processed.

A channel keeps each update here before it acknowledges it to the platform (polling: by the next fetch's
offset; webhook: by its 2xx answer), and removes it once processed; at start-up it processes what is left.
Processing twice is harmless: the engine's ledger (storage.dialogs.first_delivery) answers a redelivered
update once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.db import insert_for
from storage.models import ChatChannel, InboundUpdate

Kept = tuple[str, str, dict[str, Any]]  # update id, chat key, payload


def keep(session: Session, channel: ChatChannel, updates: list[Kept], now: datetime) -> None:
    """Stores the updates not stored yet, in one INSERT … ON CONFLICT DO NOTHING: a platform may send one
    again, even while its first delivery is still being stored (two webhook requests at once)."""
    rows = {
        update_id: {
            "channel": channel,
            "update_id": update_id,
            "chat_key": chat_key,
            "payload": payload,
            "received_at": now,
        }
        for update_id, chat_key, payload in updates
    }
    if rows:
        statement = insert_for(session, InboundUpdate).on_conflict_do_nothing(
            index_elements=[InboundUpdate.channel, InboundUpdate.update_id]
        )
        session.execute(statement, list(rows.values()))


def kept(session: Session, channel: ChatChannel) -> list[Kept]:
    """The channel's unprocessed updates, in the order they came."""
    rows = session.scalars(
        select(InboundUpdate).where(InboundUpdate.channel == channel).order_by(InboundUpdate.id)
    )
    return [(row.update_id, row.chat_key, row.payload) for row in rows]


def done(session: Session, channel: ChatChannel, update_id: str) -> None:
    session.execute(
        delete(InboundUpdate).where(InboundUpdate.channel == channel, InboundUpdate.update_id == update_id)
    )
