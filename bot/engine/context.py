"""What every step of a turn works with: the session, the person, the conversation and the replies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlalchemy.orm import Session

from bot import texts
from bot.engine.events import TRAITS, AccountRef, ChannelTraits, Option, Reply
from bot.engine.state import Action, Conversation
from catalog.calendar import BusinessCalendar
from catalog.model import Catalog, Service
from nlu import Matcher
from storage.models import ChatAccount, ChatChannel, Person, PersonKind


@dataclass(frozen=True)
class EngineConfig:
    kvkk_version: str
    kvkk_controller: str
    work_start: str  # shown in the SLA promise ("… süre 08:30'da başlar")
    timezone: tzinfo
    panel_url: str | None = None  # the panel's public base URL, for /panel links


@dataclass(frozen=True)
class Services:
    """The engine's long-lived collaborators, built once per process."""

    catalog: Catalog
    matcher: Matcher
    calendar: BusinessCalendar
    config: EngineConfig


@dataclass
class Turn:
    """One inbound event being handled, inside one database transaction."""

    session: Session
    account: ChatAccount
    ref: AccountRef
    conv: Conversation
    now: datetime
    services: Services
    replies: list[Reply] = field(default_factory=list)
    forgotten: bool = False  # the person and their account were deleted (KVKK refusal): nothing to save

    @property
    def person(self) -> Person:
        return self.account.person

    @property
    def kind(self) -> PersonKind:
        return self.person.kind

    @property
    def channel(self) -> ChatChannel:
        """The channel of the message, as storage records it."""
        return ChatChannel(self.ref.channel.value)

    @property
    def traits(self) -> ChannelTraits:
        return TRAITS[self.ref.channel]

    @property
    def catalog(self) -> Catalog:
        return self.services.catalog

    def say(
        self,
        text: str,
        choices: Sequence[tuple[str, Action]] = (),
        ask_contact: bool = False,
        buttons: Sequence[Option] = (),
    ) -> None:
        """A reply; `choices` are resolved from the stored state, `buttons` carry their meaning (tickets)."""
        options = self.conv.offer(text, choices) if choices else []
        self.replies.append(Reply(text, [*options, *buttons], ask_contact))

    def time(self, when: datetime) -> str:
        return texts.format_time(when, self.services.config.timezone)

    def promise(self, service: Service) -> str:
        return texts.sla_promise(
            service.response, service.resolution, service.hours, self.services.config.work_start
        )

    def needs_consent(self) -> bool:
        """A citizen who has not accepted the current version of the KVKK notice."""
        person = self.person
        return person.kind is PersonKind.CITIZEN and (
            person.kvkk_accepted_at is None or person.kvkk_notice_version != self.services.config.kvkk_version
        )
