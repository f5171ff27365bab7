"""A small world for dialog tests: a migrated database, the real catalog/matcher/calendar, a directory of
staff and employees, and chats that feed Events to the real DialogEngine and read its Replies.

Registered in conftest (pytest_plugins) for its fixtures: `sessions`, the seeded `staff` directory and a
`dialog` engine over them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, partial

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.channels import Address, PlatformMessage
from bot.engine.context import Services
from bot.engine.engine import DialogEngine
from bot.engine.events import (
    AccountRef,
    ChannelKind,
    CommandEvent,
    ContactShared,
    Event,
    OptionChosen,
    Reply,
    TextEvent,
)
from bot.settings import Settings
from bot.wiring import build_dialog_services
from storage.db import session_factory
from storage.models import ChatAccount, ChatChannel, Person, PersonKind, StaffRole, Ticket
from storage.teams import group_team

# Wednesday 2 December 2026, 10:00 in Istanbul: an ordinary working morning.
WEDNESDAY_10 = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
EMPLOYEE_PHONE = "+905321234567"


@cache
def dialog_services() -> Services:
    """Built once per test run: the bundled catalog, the real matcher and the default calendar."""
    return build_dialog_services(Settings(_env_file=None))  # type: ignore[call-arg]  # no developer .env


@dataclass
class Staff:
    technician: Person
    lead: Person
    ebelediye_tech: Person
    employee: Person


def seed_directory(sessions: sessionmaker[Session]) -> Staff:
    """Technicians of 05.21 and 05.23, a team lead, and an employee known only by phone."""
    catalog = dialog_services().catalog
    with sessions() as session, session.begin():
        printers = group_team(session, "05.21", catalog)
        software = group_team(session, "05.23", catalog)

        def person(kind: PersonKind, name: str, **kw: object) -> Person:
            p = Person(kind=kind, name=name, created_at=WEDNESDAY_10, **kw)
            session.add(p)
            return p

        staff = Staff(
            technician=person(
                PersonKind.STAFF, "Teknisyen Tuncay", staff_role=StaffRole.TECHNICIAN, team=printers
            ),
            lead=person(PersonKind.STAFF, "Lider Leyla", staff_role=StaffRole.TEAM_LEAD, team=printers),
            ebelediye_tech=person(
                PersonKind.STAFF, "Yazılımcı Yasemin", staff_role=StaffRole.TECHNICIAN, team=software
            ),
            employee=person(PersonKind.EMPLOYEE, "Ayşe Çalışkan", phone=EMPLOYEE_PHONE),
        )
        session.flush()
        for member, tg_id in ((staff.technician, 501), (staff.lead, 502), (staff.ebelediye_tech, 503)):
            session.add(
                ChatAccount(
                    person=member,
                    channel=ChatChannel.TELEGRAM,
                    external_id=str(tg_id),
                    created_at=WEDNESDAY_10,
                )
            )
    return staff


class Chat:
    """One person talking to the engine on one channel."""

    def __init__(self, engine: DialogEngine, ref: AccountRef, now: datetime = WEDNESDAY_10) -> None:
        self.engine = engine
        self.ref = ref
        self.now = now
        self.last: list[Reply] = []
        self._deliveries = 0

    def send(self, event: Event, delivery_id: str | None = None) -> list[Reply]:
        self.last = self.engine.handle(self.ref, event, self.now, delivery_id)
        return self.last

    def say(self, text: str) -> list[Reply]:
        return self.send(TextEvent(text))

    def command(self, name: str, args: str = "") -> list[Reply]:
        return self.send(CommandEvent(name, args))

    def share_phone(self, phone: str, own: bool = True) -> list[Reply]:
        return self.send(ContactShared(phone, own))

    def press(self, label: str, replies: Sequence[Reply] | None = None) -> list[Reply]:
        """Presses the button labelled `label` (or starting with it) in the given or the last replies."""
        options = [o for r in (replies if replies is not None else self.last) for o in r.options]
        chosen = next((o for o in options if o.label == label), None) or next(
            (o for o in options if o.label.startswith(label)), None
        )
        assert chosen is not None, f"no button {label!r} in {[o.label for o in options]}"
        return self.send(OptionChosen(chosen.id))

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.last)

    @property
    def labels(self) -> list[str]:
        return [o.label for r in self.last for o in r.options]


def telegram(user_id: int, name: str = "") -> AccountRef:
    return AccountRef(ChannelKind.TELEGRAM, str(user_id), name)


def tickets_in(sessions: sessionmaker[Session]) -> list[Ticket]:
    with sessions() as session:
        return list(session.scalars(select(Ticket).order_by(Ticket.id)))


@dataclass
class RecordingSender:
    """A channel that records what the notifier sends (the platform side of a channel, for engine tests)."""

    channel: ChannelKind
    sent: list[tuple[str, list[Reply]]] = field(default_factory=list)

    def messages(self, address: Address, replies: Sequence[Reply]) -> list[PlatformMessage]:
        return [partial(self.receive, address, [reply]) for reply in replies]

    async def receive(self, address: Address, replies: list[Reply]) -> None:
        self.sent.append((address.external_id, replies))

    def to(self, external_id: str) -> list[Reply]:
        return [r for ext, replies in self.sent if ext == external_id for r in replies]


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def staff(sessions: sessionmaker[Session]) -> Staff:
    """The seeded directory; the technician and the lead have e-mails (Teams finds staff by them)."""
    staff = seed_directory(sessions)
    with sessions() as session, session.begin():
        for person, email in (
            (staff.technician, "tuncay@belediye.bel.tr"),
            (staff.lead, "leyla@belediye.bel.tr"),
        ):
            session.get_one(Person, person.id).email = email
    return staff


@pytest.fixture
def dialog(sessions: sessionmaker[Session], staff: Staff) -> DialogEngine:
    return DialogEngine(sessions, dialog_services())
