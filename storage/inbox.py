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

from storage.models import ChatChannel, InboundUpdate

Kept = tuple[str, str, dict[str, Any]]  # update id, chat key, payload


def keep(session: Session, channel: ChatChannel, updates: list[Kept], now: datetime) -> None:
    """Stores the updates not stored yet (a platform may send one again)."""
    ids = [update_id for update_id, _, _ in updates]
    known = set(
        session.scalars(
            select(InboundUpdate.update_id).where(
                InboundUpdate.channel == channel, InboundUpdate.update_id.in_(ids)
            )
        )
    )
    for update_id, chat_key, payload in updates:
        if update_id not in known:
            known.add(update_id)
            session.add(
                InboundUpdate(
                    channel=channel, update_id=update_id, chat_key=chat_key, payload=payload, received_at=now
                )
            )


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
