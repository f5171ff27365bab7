"""One Teams turn: check the tenant, find out who wrote, hand the events to the dialog, send the replies."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Collection
from datetime import timedelta

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector import Channels
from msrest.exceptions import ClientException
from sqlalchemy.orm import Session, sessionmaker

from bot import texts
from bot.channels import Conversations, DeliveryUncertain, PerConversation
from bot.engine.events import AccountRef, CommandEvent, Event, Reply
from bot.engine.stored_replies import Answer
from bot.teams.cards import reply_activity
from bot.teams.identity import note_activity, resolve_teams_person
from bot.teams.inbound import account_ref, is_install, is_uninstall, message_event, tenant_id
from bot.teams.sender import answered_within
from catalog.clock import Clock

log = logging.getLogger(__name__)


class TeamsBot:
    """The turn handler the adapter calls for every authenticated activity."""

    def __init__(
        self,
        conversations: Conversations,
        sessions: sessionmaker[Session],
        clock: Clock,
        allowed_tenants: Collection[str],
        send_timeout: timedelta,
    ) -> None:
        self._send_timeout = send_timeout
        self._conversations = conversations
        self._sessions = sessions
        self._clock = clock
        self._allowed_tenants = frozenset(allowed_tenants)
        # Teams user id → e-mail (None: Teams would not tell); asked once per user and process.
        self._emails: dict[str, str | None] = {}
        self._identified: set[str] = set()  # accounts matched to the directory by this process
        self._in_order = PerConversation()

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        if self._allowed_tenants and tenant_id(activity) not in self._allowed_tenants:
            log.warning("Teams: refusing an activity from tenant %s", tenant_id(activity))
            if activity.type == ActivityTypes.message:
                await context.send_activity(texts.TEAMS_TENANT_NOT_ALLOWED)
            return
        event = _event(activity)
        if event is None:
            await self._note(activity)
            return
        # Messages of one conversation are handled in order; other conversations do not wait.
        async with self._in_order.serialised(activity.conversation.id):
            await self._handle(context, event)

    async def _handle(self, context: TurnContext, event: Event) -> None:
        activity = context.activity
        account = account_ref(activity, await self._email(context))
        replies: list[Reply] = []
        try:
            await self._identify(account)
            delivery_id = _delivery_id(activity)
            replies = await self._conversations.handle(account, event, delivery_id)
        except Exception:
            log.exception("Teams: error while handling activity %s", activity.id)
            replies.append(Reply(texts.INTERNAL_ERROR))
        if not replies:
            return
        try:
            activities = [reply_activity(reply) for reply in replies]
            await answered_within(self._send_timeout, context.send_activities(activities))
        except DeliveryUncertain as exc:  # they may have arrived: not repeated, so at most once
            log.warning("Teams: replies in the turn unconfirmed, not repeated: %s", exc)
        except (ClientException, OSError) as exc:
            log.warning("Teams: replies not delivered in the turn (%s); sending them proactively", exc)
            if isinstance(replies, Answer):
                # From the reply outbox, to the conversation reference stored with this turn; a failure
                # there is retried by the outbox like any answer. Teams answers are one message each in
                # this dialog, so a row cut short in the turn is repeated whole.
                await self._conversations.deliver(replies, account)
            return
        if isinstance(replies, Answer):
            await self._conversations.mark_delivered(replies)

    async def _note(self, activity: Activity) -> None:
        """Reactions, installation updates and the like: no answer, but the stored reference stays fresh."""
        if activity.from_property is None or activity.conversation is None:
            return
        account = account_ref(activity)
        removed = is_uninstall(activity)

        def note() -> None:
            with self._sessions() as session, session.begin():
                note_activity(session, account, self._clock.now(), removed)

        await asyncio.to_thread(note)

    async def _identify(self, account: AccountRef) -> None:
        """Matches the user to the staff directory once per process (again after a restart, so a directory
        imported later is picked up)."""
        if account.external_id in self._identified:
            return

        def identify() -> None:
            with self._sessions() as session, session.begin():
                resolve_teams_person(session, account, self._clock.now())

        await asyncio.to_thread(identify)
        self._identified.add(account.external_id)

    async def _email(self, context: TurnContext) -> str | None:
        """The sender's e-mail (UPN), which matches employees to the staff directory; only Teams knows it."""
        activity = context.activity
        user_id = activity.from_property.id
        if activity.channel_id != Channels.ms_teams:
            return None
        if user_id not in self._emails:
            try:
                member = await TeamsInfo.get_member(context, user_id)
                self._emails[user_id] = member.email or member.user_principal_name
            except Exception as exc:  # optional: without it the AAD object id still identifies staff
                log.info("Teams: could not look up a sender's e-mail: %s", exc)
                return None
        return self._emails[user_id]


def _event(activity: Activity) -> Event | None:
    """What the activity asks of the dialog; None for those that need no answer."""
    if activity.type == ActivityTypes.message:
        return message_event(activity)
    if is_install(activity):
        return CommandEvent(name="start")
    return None


def _delivery_id(activity: Activity) -> str | None:
    """Activity ids are unique only within a conversation: the key is both, hashed to fit the column."""
    if not activity.id:
        return None
    both = f"{activity.conversation.id}\x00{activity.id}".encode()
    return f"teams:{hashlib.sha256(both).hexdigest()}"
