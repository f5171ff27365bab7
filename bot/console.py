"""The console channel of `talepbot chat`: the same dialog in a terminal, options as numbered lines.

It is an adapter like the others: lines become Events, Replies become printed text; and a ChannelSender, so
notifications to console accounts (the demo technician's ping, the requester's updates) are printed too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts
from bot.channels import Address, PlatformMessage
from bot.engine.events import (
    AttachmentKind,
    AttachmentSent,
    ChannelKind,
    CommandEvent,
    Event,
    Option,
    OptionChosen,
    Reply,
    TextEvent,
    command_name,
)
from catalog.model import Catalog
from storage.models import ChatAccount, ChatChannel, Person, PersonKind, StaffRole
from storage.teams import group_team

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic"})
DEMO_TEAM = "05.21"  # Teknik Servis: printers, computers — the requests a demo most likely makes


class ConsoleChannel:
    channel = ChannelKind.CONSOLE

    def __init__(self, user_id: str, write: Callable[[str], None] = print) -> None:
        self.user_id = user_id
        self._write = write
        self.options: list[Option] = []  # the choices on screen, numbered from 1

    def show(self, replies: Sequence[Reply]) -> None:
        numbered = [o for r in replies for o in r.options]
        if numbered:
            self.options = numbered
        n = 0
        for reply in replies:
            self._write(reply.text)
            for option in reply.options:
                n += 1
                self._write(f"  {n}) {option.label}")
        if replies:
            self._write("")

    def messages(self, address: Address, replies: Sequence[Reply]) -> list[PlatformMessage]:
        """A notification: only this console's own account's are claimed (bot.cli.chat_cmd)."""
        return [partial(self._notify, replies)]

    async def _notify(self, replies: Sequence[Reply]) -> None:
        self._write(texts.CONSOLE_NOTIFICATION)
        self.show(replies)

    def parse(self, line: str) -> Event | None:
        """The event a typed line means; None (after saying why) when it means nothing."""
        text = line.strip()
        if not text:
            return None
        if text.isdigit() and 1 <= int(text) <= len(self.options):
            return OptionChosen(self.options[int(text) - 1].id)
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            return CommandEvent(command_name(name), args.strip())
        if text.startswith("@"):
            path = Path(text[1:].strip()).expanduser()
            if not path.is_file():
                self._write(texts.CONSOLE_FILE_MISSING.format(path=path))
                return None
            kind = AttachmentKind.PHOTO if path.suffix.lower() in PHOTO_SUFFIXES else AttachmentKind.DOCUMENT
            return AttachmentSent.single(kind, str(path.resolve()), path.name)
        return TextEvent(line)


@dataclass(frozen=True)
class DemoAccount:
    external_id: str
    announcement: str


def demo_account(session: Session, role: str, catalog: Catalog, now: datetime) -> DemoAccount:
    """The console account to talk as: a citizen is created by the dialog itself (with the KVKK notice);
    the demo employee and technician are created on first use and reused afterwards. The demo technician
    always exists, so a demo employee's request has someone to go to."""
    if role == "citizen":
        external_id = "demo-citizen"
        return DemoAccount(external_id, texts.CONSOLE_AS_CITIZEN.format(external_id=external_id))
    technician, technician_created = _demo(session, "technician", catalog, now)
    account, created = (
        (technician, technician_created) if role == "technician" else _demo(session, role, catalog, now)
    )
    template = texts.CONSOLE_DEMO_CREATED if created else texts.CONSOLE_DEMO_REUSED
    announcement = template.format(
        name=account.person.name, role=texts.CONSOLE_ROLE_NAMES[role], external_id=account.external_id
    )
    note = texts.CONSOLE_DEMO_TECHNICIAN_NOTE if role == "technician" else texts.CONSOLE_DEMO_EMPLOYEE_NOTE
    return DemoAccount(account.external_id, f"{announcement}\n{note}")


def _demo(session: Session, role: str, catalog: Catalog, now: datetime) -> tuple[ChatAccount, bool]:
    external_id = f"demo-{role}"
    account = session.scalars(
        select(ChatAccount).where(
            ChatAccount.channel == ChatChannel.CONSOLE, ChatAccount.external_id == external_id
        )
    ).one_or_none()
    if account is not None:
        return account, False
    account = ChatAccount(
        person=_demo_person(session, role, catalog, now),
        channel=ChatChannel.CONSOLE,
        external_id=external_id,
        created_at=now,
    )
    session.add(account)
    session.flush()
    return account, True


def _demo_person(session: Session, role: str, catalog: Catalog, now: datetime) -> Person:
    name = texts.CONSOLE_DEMO_NAMES[role]
    if role == "employee":
        return Person(kind=PersonKind.EMPLOYEE, name=name, created_at=now)
    return Person(
        kind=PersonKind.STAFF,
        staff_role=StaffRole.TECHNICIAN,
        name=name,
        team=group_team(session, DEMO_TEAM, catalog),
        on_call=True,  # so 7/24 requests outside working hours reach the demo too
        created_at=now,
    )
