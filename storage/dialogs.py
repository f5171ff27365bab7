"""Dialog state per chat account and the ledger of processed inbound updates (owned by the dialog engine).

The state is saved in the same transaction as the ticket operations of the message that changed it, so a
restart or another process continues exactly where the conversation stood.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import ChatAccount, ChatChannel, DialogState, ProcessedUpdate


def load_state(session: Session, account: ChatAccount) -> DialogState | None:
    return session.scalars(select(DialogState).where(DialogState.chat_account_id == account.id)).one_or_none()


def save_state(
    session: Session, account: ChatAccount, state: str, data: dict[str, Any], now: datetime
) -> DialogState:
    """Writes the conversation's step and data; a concurrent writer of the same row fails on flush."""
    row = load_state(session, account)
    if row is None:
        row = DialogState(chat_account_id=account.id, state=state, data=data, updated_at=now)
        session.add(row)
    else:
        row.state = state
        row.data = data
        row.updated_at = now
    return row


def first_delivery(session: Session, channel: ChatChannel, update_id: str, now: datetime) -> bool:
    """Records an inbound update; False when it was processed before (a platform's redelivery).

    Recorded in the message's own transaction: a failed message rolls back and is processed again.
    """
    seen = session.scalars(
        select(ProcessedUpdate.id).where(
            ProcessedUpdate.channel == channel, ProcessedUpdate.update_id == update_id
        )
    ).first()
    if seen is not None:
        return False
    try:
        with session.begin_nested():
            session.add(ProcessedUpdate(channel=channel, update_id=update_id, at=now))
    except IntegrityError:  # another process recorded it at the same moment
        return False
    return True


def forget_processed_updates(session: Session, older_than: datetime) -> int:
    """Drops ledger entries no platform would redeliver any more (Telegram keeps updates for 24 hours)."""
    result = session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.at < older_than))
    return int(getattr(result, "rowcount", 0) or 0)


PROCESSED_UPDATE_RETENTION = timedelta(days=2)
