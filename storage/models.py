"""The database schema as typed SQLAlchemy models; every change needs an Alembic migration.

Enumerations are stored as their string values in VARCHAR columns (no native database enums), so adding a
value never needs a type migration on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

from storage.bounded import bound_every_table
from storage.errors import AppendOnlyViolation, KvkkNotAccepted
from storage.types import UTCDateTime

# Stable constraint names, so migrations can refer to them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


def _enum(cls: type[StrEnum]) -> Enum:
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class PersonKind(StrEnum):
    CITIZEN = "citizen"
    EMPLOYEE = "employee"
    STAFF = "staff"  # IT directorate staff; see StaffRole


class StaffRole(StrEnum):
    TECHNICIAN = "technician"
    TEAM_LEAD = "team_lead"
    MANAGER = "manager"
    ADMIN = "admin"


class ChatChannel(StrEnum):
    TELEGRAM = "telegram"
    TEAMS = "teams"
    CONSOLE = "console"


class TicketStatus(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_REQUESTER = "waiting_for_requester"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset(
    {TicketStatus.NEW, TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS, TicketStatus.WAITING_FOR_REQUESTER}
)


class EventKind(StrEnum):
    OPENED = "opened"
    ASSIGNED = "assigned"  # automatic assignment at opening
    REASSIGNED = "reassigned"  # by a team lead, manager or admin
    TAKEN = "taken"  # "Üstlen": the acknowledgement that meets the response SLA
    QUESTION = "question"  # the technician asks the requester; the resolution clock pauses
    ANSWERED = "answered"  # the requester answers; the clock resumes
    RESUMED = "resumed"  # staff resume without an answer
    RESOLVED = "resolved"
    CONFIRMED = "confirmed"  # the requester confirms the resolution: closed
    AUTO_CLOSED = "auto_closed"  # no answer to the resolution within the confirmation window
    REOPENED = "reopened"  # the requester rejects the resolution
    CANCELLED = "cancelled"
    RATED = "rated"  # satisfaction 1-5
    RATING_CHANGED = "rating_changed"  # the requester's one change of mind; nobody is pinged again
    NOTE = "note"  # a message on an open ticket, from either side
    ATTACHMENT_ADDED = "attachment_added"  # a photo or file added after opening; note: its file name
    # Written by the notifier: a notification could not go out, or went out on another channel.
    DELIVERY_FAILED = "delivery_failed"
    DELIVERY_REROUTED = "delivery_rerouted"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"  # made stale by a later notification or by the ticket's progress
    FAILED = "failed"  # given up after retries; last_error says why


class Team(Base):
    """A team of technicians; by default one per service group, coded like the group (05.21)."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    members: Mapped[list[Person]] = relationship(back_populates="team", order_by="Person.id")


class TeamRoute(Base):
    """Configurable routing: a service id or a service group code sent to a team.

    A service id wins over its group code; without any route the team whose code is the group code gets it.
    """

    __tablename__ = "team_routes"

    id: Mapped[int] = mapped_column(primary_key=True)
    selector: Mapped[str] = mapped_column(String(64), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))

    team: Mapped[Team] = relationship()


class Person(Base):
    """A requester (citizen or employee) or a member of the IT staff.

    A citizen's name and phone may only be set once the KVKK notice is accepted (enforced in storage.people).
    """

    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint("(kind = 'staff') = (staff_role IS NOT NULL)", name="staff_role_only_for_staff"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PersonKind] = mapped_column(_enum(PersonKind))
    staff_role: Mapped[StaffRole | None] = mapped_column(_enum(StaffRole))
    name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)  # E.164, e.g. +905321234567
    email: Mapped[str | None] = mapped_column(String(254), index=True)  # stored lower-case
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    on_call: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # staff left the directory: inactive
    kvkk_accepted_at: Mapped[datetime | None]
    kvkk_notice_version: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]

    team: Mapped[Team | None] = relationship(back_populates="members")
    accounts: Mapped[list[ChatAccount]] = relationship(back_populates="person", order_by="ChatAccount.id")

    @property
    def is_staff(self) -> bool:
        return self.kind is PersonKind.STAFF

    @property
    def needs_kvkk(self) -> bool:
        """Citizens accept the KVKK notice before anything personal is stored about them; employees and
        staff are covered by their employment."""
        return self.kind is PersonKind.CITIZEN and self.kvkk_accepted_at is None

    @property
    def can_lead(self) -> bool:
        """Team leads, managers and admins may reassign and act on any ticket of their scope."""
        return self.staff_role in (StaffRole.TEAM_LEAD, StaffRole.MANAGER, StaffRole.ADMIN)


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _refuse_personal_data_without_kvkk(_mapper: Mapper[Any], _connection: Any, person: Person) -> None:
    if person.needs_kvkk and (person.name or person.phone or person.email):
        raise KvkkNotAccepted(person.id)


class ChatAccount(Base):
    """How a person is reached on one channel; external_id is the platform's user id."""

    __tablename__ = "chat_accounts"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_chat_accounts_channel_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    channel: Mapped[ChatChannel] = mapped_column(_enum(ChatChannel))
    external_id: Mapped[str] = mapped_column(String(200))
    # Teams: the ConversationReference (as JSON) needed to message the user proactively.
    conversation_ref: Mapped[dict[str, Any] | None]
    # The platform said the user blocked the bot (or never started it): do not retry on this channel.
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship(back_populates="accounts")


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_tickets_year_seq"),
        CheckConstraint("satisfaction BETWEEN 1 AND 5", name="satisfaction_range"),
        Index("ix_tickets_status_team_id", "status", "team_id"),
        Index("ix_tickets_status_created_at", "status", "created_at"),  # listings by status, newest first
        Index("ix_tickets_assignee_id_status", "assignee_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # BIM-2026-000042
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    # Snapshot of the catalog entry as it was at creation; the catalog may change later.
    service_id: Mapped[str] = mapped_column(String(32), index=True)
    service_code: Mapped[str] = mapped_column(String(32))
    service_title: Mapped[str] = mapped_column(String(300))
    service_hours: Mapped[str] = mapped_column(String(16))  # catalog.model.ServiceHours value
    requester_text: Mapped[str] = mapped_column(Text)
    # None once a citizen's ticket is anonymised (storage.privacy).
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    channel: Mapped[ChatChannel] = mapped_column(_enum(ChatChannel))  # where the request came in
    location: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[TicketStatus] = mapped_column(_enum(TicketStatus))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(index=True)
    clock_start_at: Mapped[datetime]  # when the SLA clocks started (next opening for business hours)
    response_due: Mapped[datetime] = mapped_column(
        index=True
    )  # indexed: the panel's board walks them in order
    resolution_due: Mapped[datetime] = mapped_column(index=True)  # moved on by paused time on each resume
    acknowledged_at: Mapped[datetime | None]  # "Üstlen": meets the response SLA if <= response_due
    resolved_at: Mapped[datetime | None]
    auto_close_at: Mapped[datetime | None]  # resolved + 3 working days, unless the requester answers
    closed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0)  # accumulated waiting time (SLA time)
    paused_since: Mapped[datetime | None]
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    anonymised_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    requester: Mapped[Person | None] = relationship(foreign_keys=[requester_id])
    assignee: Mapped[Person | None] = relationship(foreign_keys=[assignee_id])
    team: Mapped[Team | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="ticket", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", viewonly=True
    )

    @property
    def paused(self) -> timedelta:
        return timedelta(seconds=self.paused_seconds)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Attachment(Base):
    """A photo or file: a platform file id (Telegram) or a path of a stored file."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint("(file_id IS NOT NULL) OR (stored_path IS NOT NULL)", name="file_id_or_stored_path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    channel: Mapped[ChatChannel] = mapped_column(_enum(ChatChannel))
    file_id: Mapped[str | None] = mapped_column(String(300))
    stored_path: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(300))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]

    ticket: Mapped[Ticket] = relationship(back_populates="attachments")


class TicketEvent(Base):
    """Append-only audit trail: who did what, when, from which status to which."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))  # None: system
    kind: Mapped[str] = mapped_column(String(40))  # an EventKind value
    from_status: Mapped[TicketStatus | None] = mapped_column(_enum(TicketStatus))
    to_status: Mapped[TicketStatus | None] = mapped_column(_enum(TicketStatus))
    note: Mapped[str | None] = mapped_column(Text)  # question, answer, resolution note, reason
    data: Mapped[dict[str, Any] | None]  # e.g. {"from_assignee": 3, "to_assignee": 7}

    ticket: Mapped[Ticket] = relationship(back_populates="events")
    actor: Mapped[Person | None] = relationship()


@event.listens_for(TicketEvent, "before_update")
@event.listens_for(TicketEvent, "before_delete")
def _events_are_append_only(_mapper: Mapper[Any], _connection: Any, event_row: TicketEvent) -> None:
    raise AppendOnlyViolation(event_row.id)


class Notification(Base):
    """One planned or sent message; the unique key makes planning and sending idempotent.

    The key is "<ticket id>:<kind>:<recipient id>" plus a discriminator for kinds that can recur (the id of
    the event that caused it), so "reminder:response:50" style kinds fit.
    """

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_events.id", ondelete="SET NULL"))
    due_at: Mapped[datetime]
    status: Mapped[NotificationStatus] = mapped_column(_enum(NotificationStatus))
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[ChatChannel | None] = mapped_column(_enum(ChatChannel))  # the channel it went out on
    # Platform messages already out on `channel` when a delivery was cut short (a text and its file): the
    # retry resumes there instead of repeating them.
    delivered: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime]

    ticket: Mapped[Ticket] = relationship()
    recipient: Mapped[Person] = relationship()
    event: Mapped[TicketEvent | None] = relationship()


class ReplyStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # the person cannot be reached there, or it waited longer than an answer is worth


class OutboundReply(Base):
    """What the bot answered to one message, written in the turn's transaction and then delivered (the reply
    outbox, storage.outbox): a crash or a platform outage between the commit and the send loses nothing.

    `replies` holds the rendered answers as JSON; `delivered` counts the platform messages already sent (an
    answer may take several: bot.channels.ChannelSender.messages), so a delivery cut short resumes after the
    last one the platform accepted. `next_attempt_at` is both the retry time and
    the claim of the process sending it.
    """

    __tablename__ = "outbound_replies"
    __table_args__ = (Index("ix_outbound_replies_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_account_id: Mapped[int] = mapped_column(
        ForeignKey("chat_accounts.id", ondelete="CASCADE"), index=True
    )
    replies: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    delivered: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[ReplyStatus] = mapped_column(_enum(ReplyStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class DialogState(Base):
    """Where a chat account's conversation stands, so any process can serve its next message."""

    __tablename__ = "dialog_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_account_id: Mapped[int] = mapped_column(
        ForeignKey("chat_accounts.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]]
    # Optimistic concurrency: a concurrent update of the same state raises StaleDataError on flush.
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]

    __mapper_args__: Mapping[str, Any] = {"version_id_col": version}


class ProcessedUpdate(Base):
    """Inbound platform updates already handled (e.g. Telegram update_id), so a redelivery is ignored."""

    __tablename__ = "processed_updates"
    __table_args__ = (
        UniqueConstraint("channel", "update_id", name="uq_processed_updates_channel_update_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[ChatChannel] = mapped_column(_enum(ChatChannel))
    update_id: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(index=True)


class InboundUpdate(Base):
    """An update fetched from a platform and not yet processed (the inbound inbox, storage.inbox): kept before
    the platform is told it was received, so a crash never loses what was fetched."""

    __tablename__ = "inbound_updates"
    __table_args__ = (UniqueConstraint("channel", "update_id", name="uq_inbound_updates_channel_update_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[ChatChannel] = mapped_column(_enum(ChatChannel))
    update_id: Mapped[str] = mapped_column(String(200))
    chat_key: Mapped[str] = mapped_column(String(200))  # whose updates are processed in order
    payload: Mapped[dict[str, Any]]
    received_at: Mapped[datetime]


class TicketCounter(Base):
    """The last ticket number handed out per year (storage.numbering)."""

    __tablename__ = "ticket_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)


class PanelLink(Base):
    """A one-time login link to the panel; only a hash of its token is stored."""

    __tablename__ = "panel_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class PanelSession(Base):
    """A browser's panel session; the cookie carries its token, signed, and only a hash is stored."""

    __tablename__ = "panel_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]  # logged out

    person: Mapped[Person] = relationship()


class AppSecret(Base):
    """Secrets the application generates once and keeps (the panel's cookie signing key)."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


bound_every_table(Base)  # every text fits its column, without control characters (storage.bounded)
