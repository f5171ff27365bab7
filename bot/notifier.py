"""Turns a Notification row into Turkish messages and picks the channel that reaches its recipient.

Rendering is a pure function of the row, its ticket and its event; sending goes through the ChannelSender of
each channel this process serves (Telegram, Teams, the console).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from bot import texts
from bot.channels import Address, ChannelSender, PlatformMessage
from bot.engine import ticket_actions
from bot.engine.events import AttachmentKind, ChannelKind, Option, Reply, SharedFile
from storage import notifications
from storage.models import ChatAccount, ChatChannel, EventKind, Notification, Person, Ticket, TicketEvent
from storage.people import unreachable_reason

# Teams first (where staff work), then Telegram, then the console of local trials.
CHANNEL_PREFERENCE = (ChatChannel.TEAMS, ChatChannel.TELEGRAM, ChatChannel.CONSOLE)


@dataclass(frozen=True)
class Route:
    account_id: int
    channel: ChatChannel
    address: Address


class Notifier:
    def __init__(
        self, senders: Mapping[ChannelKind, ChannelSender], timezone: tzinfo, *, records_failures: bool = True
    ) -> None:
        self.senders = dict(senders)
        self._tz = timezone
        # False in a side process that serves only some channels: it never gives up on a notification.
        self.records_failures = records_failures
        # Channels this process serves once they have started (Telegram retries while its API is down).
        self.starting: set[ChannelKind] = set()
        # Set in a console (talepbot chat): only these people's notifications are claimed and shown there.
        self.recipients: frozenset[int] | None = None
        self._lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    @property
    def dispatch_lock(self) -> asyncio.Lock:
        """bot.dispatcher runs one dispatch at a time per event loop (a lock is bound to its loop)."""
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock[0] is not loop:
            self._lock = (loop, asyncio.Lock())
        return self._lock[1]

    def add_sender(self, sender: ChannelSender) -> None:
        self.senders[sender.channel] = sender
        self.starting.discard(sender.channel)

    def remove_sender(self, channel: ChannelKind) -> None:
        self.senders.pop(channel, None)

    def waits_for_start(self, person: Person) -> bool:
        """The person is reachable on a channel this process is still starting: a later attempt can
        deliver, so having no route now is no reason to give up."""
        return any(
            unreachable_reason(a) is None and ChannelKind(a.channel.value) in self.starting
            for a in person.accounts
        )

    def routes(self, person: Person, first: ChatChannel | None = None) -> list[Route]:
        """The person's accounts this process can send to, in order of preference; `first` (the channel a
        requester asked on) goes before the others."""
        usable = [
            a
            for a in person.accounts
            if unreachable_reason(a) is None and ChannelKind(a.channel.value) in self.senders
        ]
        usable.sort(key=lambda a: (a.channel is not first, CHANNEL_PREFERENCE.index(a.channel)))
        return [Route(a.id, a.channel, _address(a)) for a in usable]

    def render(self, notification: Notification) -> list[Reply]:
        ticket = notification.ticket
        event = notification.event
        if notification.kind == EventKind.ATTACHMENT_ADDED and event is not None:
            return [_file_added(ticket, event)]
        note = event.note if event is not None else None
        text, options = self._content(notification.kind, ticket, notification.recipient, note or "")
        return [Reply(text, options)]

    def _content(self, kind: str, ticket: Ticket, recipient: Person, note: str) -> tuple[str, list[Option]]:
        number = ticket.number
        work = ticket_actions.work_options(ticket, recipient.can_lead)
        if kind == EventKind.ASSIGNED:
            return self._assigned(ticket), work
        if kind == EventKind.TAKEN:
            return texts.notify_taken(number, _name(ticket.assignee)), []
        if kind == EventKind.QUESTION:
            return texts.notify_question(number, note), ticket_actions.answer_options(ticket.id)
        if kind == EventKind.ANSWERED:
            return texts.notify_answer(number, note), work
        if kind == EventKind.RESOLVED:
            resolution = ticket.resolution_note or note
            return texts.notify_resolved(number, resolution), ticket_actions.resolution_options(ticket.id)
        if kind == EventKind.REOPENED:
            return texts.notify_reopened(number, note), work
        if kind == EventKind.AUTO_CLOSED:
            return texts.notify_auto_closed(number), []
        if kind == EventKind.CANCELLED:
            return texts.notify_cancelled(number), []
        if kind == EventKind.CONFIRMED:
            return texts.notify_confirmed(number), []
        if kind == EventKind.RATED:
            return texts.notify_rated(number, ticket.satisfaction or 0), []
        if kind == EventKind.NOTE:
            return texts.notify_note(number, note), []
        if kind == EventKind.REASSIGNED:
            return texts.notify_reassigned_away(number), []
        if kind == notifications.UNASSIGNED:
            return texts.notify_unassigned(number, ticket.service_title), work
        if kind == notifications.UNREACHABLE_ASSIGNEE:
            return texts.notify_unreachable_assignee(
                number, ticket.service_title, _name(ticket.assignee)
            ), work
        return self._sla(kind, ticket), work

    def _assigned(self, ticket: Ticket) -> str:
        return texts.notify_assigned(
            ticket.number,
            ticket.service_code,
            ticket.service_title,
            _name(ticket.requester),
            ticket.requester_text,
            ticket.location,
            ticket.contact,
            texts.format_time(ticket.response_due, self._tz),
            texts.format_time(ticket.resolution_due, self._tz),
        )

    def _sla(self, kind: str, ticket: Ticket) -> str:
        """'reminder:response:50', 'breach:resolution:…', 'escalation:response:…' (the scheduler's kinds)."""
        what, _, rest = kind.partition(":")
        window_key, _, detail = rest.partition(":")
        window = texts.WINDOW_RESPONSE if window_key == "response" else texts.WINDOW_RESOLUTION
        due = ticket.response_due if window_key == "response" else ticket.resolution_due
        due_text = texts.format_time(due, self._tz)
        if what == "reminder":
            percent = int(detail) if detail.isdigit() else 0
            return texts.notify_reminder(ticket.number, ticket.service_title, window, due_text, percent)
        if what == "breach":
            return texts.notify_breach(ticket.number, ticket.service_title, window, due_text)
        if what == "escalation":
            return texts.notify_escalation(ticket.number, ticket.service_title, window, due_text)
        return texts.notify_generic(ticket.number, ticket.status.value)

    def messages(self, route: Route, replies: Sequence[Reply]) -> list[PlatformMessage]:
        """The platform messages that deliver `replies` on `route` (bot.channels.ChannelSender.messages)."""
        return self.senders[ChannelKind(route.channel.value)].messages(route.address, replies)


def _file_added(ticket: Ticket, event: TicketEvent) -> Reply:
    """The file's name (and caption) in words, and the file itself for channels that can pass it on."""
    data = event.data or {}
    caption = data.get("caption")
    text = texts.notify_file_added(ticket.number, event.note, caption if isinstance(caption, str) else None)
    attachment = next((a for a in ticket.attachments if a.id == data.get("attachment_id")), None)
    if attachment is None or attachment.file_id is None:  # anonymised, or a stored file no platform knows
        return Reply(text)
    # A Telegram photo has no file name; anything sent as a file (a document) has one.
    kind = AttachmentKind.DOCUMENT if attachment.file_name else AttachmentKind.PHOTO
    channel = ChannelKind(attachment.channel.value)
    return Reply(text, file=SharedFile(channel, attachment.file_id, kind, attachment.file_name))


def _address(account: ChatAccount) -> Address:
    return Address(account.external_id, account.conversation_ref)


def _name(person: Person | None) -> str:
    return (person.name if person else None) or "—"
