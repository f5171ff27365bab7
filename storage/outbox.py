"""The reply outbox: what the bot answers to a message is a row written in the same transaction as the turn,
then delivered by the bot (bot.replies) and marked, one answer at a time, in order per chat account.

Storage holds no text of its own: `replies` is the bot's rendered answers as JSON. Every change here is a
conditional UPDATE on a pending row, so two deliverers (two tasks, or two processes) never both own a row.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from storage.models import ChatAccount, OutboundReply, ReplyStatus

# How long a deliverer owns a reply before another may send it: the process that served the message owns its
# answer from the commit on, and one that died loses its claim when this ends.
DEFAULT_LEASE = timedelta(seconds=60)


def add(
    session: Session, account: ChatAccount, replies: list[dict[str, Any]], now: datetime, lease: timedelta
) -> OutboundReply:
    """Queues `replies` for `account`, claimed by the caller for `lease` (it delivers them at once, see
    claim_next's `own`); flushed with the caller's transaction."""
    row = OutboundReply(
        replies=replies,
        delivered=0,
        status=ReplyStatus.PENDING,
        attempts=0,
        next_attempt_at=now + lease,
        created_at=now,
    )
    row.chat_account_id = account.id
    session.add(row)
    session.flush()
    return row


def get(session: Session, reply_id: int) -> OutboundReply | None:
    return session.get(OutboundReply, reply_id)


def accounts_due(session: Session, now: datetime, limit: int = 100) -> list[int]:
    """Chat accounts with a pending reply due by `now` (for the retry sweep)."""
    query = (
        select(OutboundReply.chat_account_id)
        .where(_pending(), OutboundReply.next_attempt_at <= now)
        .group_by(OutboundReply.chat_account_id)
        .order_by(OutboundReply.chat_account_id)
        .limit(limit)
    )
    return list(session.scalars(query))


def claim_next(
    session: Session, account_id: int, now: datetime, lease: timedelta, own: int | None = None
) -> OutboundReply | None:
    """The account's oldest pending reply, now owned by the caller until `now + lease`; None when there is
    none, or when the oldest is not due (waiting for a retry, or owned by another deliverer): later answers
    wait behind it, so a chat gets its answers in order. `own` is a row the caller already owns (the
    answer it just committed), taken even before its lease ends."""
    oldest = session.scalars(
        select(OutboundReply)
        .where(OutboundReply.chat_account_id == account_id, _pending())
        .order_by(OutboundReply.id)
        .limit(1)
    ).first()
    if oldest is None:
        return None
    due = OutboundReply.next_attempt_at <= now
    claimed = _change(session, oldest.id, *(() if oldest.id == own else (due,)), next_attempt_at=now + lease)
    if not claimed:
        return None
    session.refresh(oldest)
    return oldest


def mark_progress(session: Session, reply_id: int, delivered: int) -> bool:
    """Records that the first `delivered` platform messages of the row went out."""
    return _change(session, reply_id, delivered=delivered)


def mark_sent(session: Session, reply_id: int, now: datetime) -> bool:
    """The whole row went out."""
    return _change(session, reply_id, status=ReplyStatus.SENT, sent_at=now)


def mark_failed(session: Session, reply_id: int, error: str, retry_at: datetime | None) -> bool:
    """A failed attempt: pending again at `retry_at`, or given up without one."""
    values: dict[str, object] = {"attempts": OutboundReply.attempts + 1, "last_error": error}
    if retry_at is None:
        values["status"] = ReplyStatus.FAILED
    else:
        values["next_attempt_at"] = retry_at
    return _change(session, reply_id, **values)


def _change(session: Session, reply_id: int, *conditions: ColumnElement[bool], **values: object) -> bool:
    result = session.execute(
        update(OutboundReply)
        .where(OutboundReply.id == reply_id, _pending(), *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def _pending() -> ColumnElement[bool]:
    return OutboundReply.status == ReplyStatus.PENDING
