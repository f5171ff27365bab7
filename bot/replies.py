"""Delivers the reply outbox (storage.outbox): the answers the engine committed with each turn.

The process that served a message delivers its answer at once (`deliver`); a periodic sweep (`sweep`) sends
what is left: answers a platform refused for a while (retried with a growing wait) and those of a process
that died before sending them (after its claim's lease). Answers go out one at a time, in order per chat
account, and each platform message is counted as soon as the platform accepted it, so a crash or an outage
repeats at most the one message that was in flight. A send whose outcome is unknown (timed out after the
request was written) is not repeated: see bot.channels.DeliveryUncertain.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.channels import Address, DeliveryFailed, DeliveryUncertain, PerConversation, Unreachable, send_all
from bot.engine.events import AccountRef, ChannelKind, Reply
from bot.engine.stored_replies import from_json
from bot.notifier import Notifier
from catalog.clock import Clock
from storage import outbox, people
from storage.models import ChatAccount

log = logging.getLogger(__name__)

# An answer a platform keeps refusing is retried after 1, 2, 4 … seconds, at most a minute apart, and given
# up when it is older than a day (the conversation has moved on by then).
MAX_RETRY_WAIT = timedelta(minutes=1)
GIVE_UP_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class _Job:
    reply_id: int
    account_id: int
    channel: ChannelKind
    address: Address
    replies: list[Reply]
    delivered: int


class ReplyDeliverer:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        notifier: Notifier,
        clock: Clock,
        lease: timedelta = outbox.DEFAULT_LEASE,
    ) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._clock = clock
        self._lease = lease
        self._accounts = PerConversation()  # one deliverer per chat account in this process

    async def deliver(self, account_id: int, own: int | None = None) -> None:
        """Sends the account's pending answers in order, `own` (the answer just committed) included."""
        async with self._accounts.serialised(account_id):
            while True:
                job = await asyncio.to_thread(self._claim, account_id, own)
                if job is None or not await self._send(job):
                    return

    async def send_unstored(self, account: AccountRef, replies: list[Reply]) -> None:
        """Replies with no outbox row: a refusal whose turn rolled back, or the goodbye to a person whose
        records a KVKK refusal just deleted. Sent once, never retried: nothing is left to retry from."""
        sender = self._notifier.senders.get(account.channel)
        if sender is None:
            return
        try:
            await send_all(sender, Address(account.external_id, account.conversation_ref), replies)
        except (DeliveryFailed, DeliveryUncertain, Unreachable) as exc:
            log.warning("an unstored reply was not delivered: %s", exc)

    async def mark_delivered(self, reply_id: int) -> None:
        """An adapter delivered the whole row itself."""

        def mark() -> None:
            with self._sessions() as session, session.begin():
                outbox.mark_sent(session, reply_id, self._clock.now())

        await asyncio.to_thread(mark)

    async def sweep(self) -> None:
        """Sends every chat's answers that are due (a retry, or a dead process's claim run out)."""

        def due() -> list[int]:
            with self._sessions() as session:
                return outbox.accounts_due(session, self._clock.now())

        accounts = await asyncio.to_thread(due)
        await asyncio.gather(*(self.deliver(account) for account in accounts))

    def _claim(self, account_id: int, own: int | None) -> _Job | None:
        now = self._clock.now()
        with self._sessions() as session, session.begin():
            account = session.get(ChatAccount, account_id)
            if account is None or ChannelKind(account.channel.value) not in self._notifier.senders:
                return None  # a channel another process serves (talepbot chat beside talepbot run)
            row = outbox.claim_next(session, account_id, now, self._lease, own)
            if row is None:
                return None
            address = Address(account.external_id, account.conversation_ref)
            channel = ChannelKind(account.channel.value)
            return _Job(row.id, account_id, channel, address, from_json(row.replies), row.delivered)

    async def _send(self, job: _Job) -> bool:
        """Delivers one row from the platform message where it stopped; False when the account's later rows
        must wait."""
        messages = self._notifier.senders[job.channel].messages(job.address, job.replies)
        for index in range(job.delivered, len(messages)):
            try:
                await messages[index]()
            except DeliveryUncertain as exc:
                log.warning("reply %s: delivery unconfirmed, not repeated: %s", job.reply_id, exc)
            except Unreachable as exc:
                await asyncio.to_thread(self._unreachable, job, str(exc))
                return True  # its later rows fail the same way, each marked
            except DeliveryFailed as exc:
                await asyncio.to_thread(self._failed, job, str(exc))
                return False
            await asyncio.to_thread(self._progress, job, index + 1, len(messages))
        return True

    def _progress(self, job: _Job, delivered: int, total: int) -> None:
        with self._sessions() as session, session.begin():
            if delivered < total:
                outbox.mark_progress(session, job.reply_id, delivered)
            else:
                outbox.mark_sent(session, job.reply_id, self._clock.now())

    def _unreachable(self, job: _Job, error: str) -> None:
        log.info("reply %s: account %s unreachable; marked", job.reply_id, job.account_id)
        now = self._clock.now()
        with self._sessions() as session, session.begin():
            outbox.mark_failed(session, job.reply_id, error, retry_at=None)
            account = session.get(ChatAccount, job.account_id)
            if account is not None:
                people.mark_blocked(account, now)

    def _failed(self, job: _Job, error: str) -> None:
        now = self._clock.now()
        with self._sessions() as session, session.begin():
            row = outbox.get(session, job.reply_id)
            if row is None:
                return
            wait = min(timedelta(seconds=2**row.attempts), MAX_RETRY_WAIT)
            retry_at = now + wait if now - row.created_at < GIVE_UP_AFTER else None
            outbox.mark_failed(session, job.reply_id, error, retry_at)
        if retry_at is None:
            log.warning("reply %s given up after a day of failures: %s", job.reply_id, error)
        else:
            log.info("reply %s not delivered (%s); retrying in %ss", job.reply_id, error, wait.seconds)
