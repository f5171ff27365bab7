"""People and their chat accounts, and the KVKK acceptance of citizens.

The KVKK rule itself is enforced on every flush (storage.models), so no code path can store a citizen's
personal data before the acceptance is recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.errors import KvkkNotAccepted
from storage.models import ChatAccount, ChatChannel, Person, PersonKind
from storage.phones import normalise_phone


def record_kvkk_acceptance(person: Person, version: str, now: datetime) -> None:
    """The citizen accepted notice `version` at `now` (a newer version is accepted again)."""
    person.kvkk_accepted_at = now
    person.kvkk_notice_version = version


def set_personal_data(person: Person, *, name: str | None = None, phone: str | None = None) -> None:
    """Stores a requester's name and/or phone (normalised; ValueError if it is not a phone number)."""
    if person.needs_kvkk:
        raise KvkkNotAccepted(person.id)
    if name is not None:
        person.name = name.strip() or None
    if phone is not None:
        person.phone = normalise_phone(phone)


def account_for(session: Session, channel: ChatChannel, external_id: str, now: datetime) -> ChatAccount:
    """The chat account of a platform user, created with a new citizen person on first contact.

    Safe when two processes see the user's first message at once: the loser of the race reads the winner's.
    """
    account = _find_account(session, channel, external_id)
    if account is None:
        try:
            with session.begin_nested():
                person = Person(kind=PersonKind.CITIZEN, created_at=now)
                account = ChatAccount(person=person, channel=channel, external_id=external_id, created_at=now)
                session.add(account)
        except IntegrityError:
            account = _find_account(session, channel, external_id)
            assert account is not None
    account.last_seen_at = now
    return account


def _find_account(session: Session, channel: ChatChannel, external_id: str) -> ChatAccount | None:
    return session.scalars(
        select(ChatAccount).where(ChatAccount.channel == channel, ChatAccount.external_id == external_id)
    ).one_or_none()


def directory_person_by_phone(session: Session, phone: str) -> Person | None:
    """The employee or staff member with this phone number (any spelling), for contact-button verification."""
    try:
        number = normalise_phone(phone)
    except ValueError:
        return None
    return session.scalars(
        select(Person)
        .where(Person.phone == number, Person.kind != PersonKind.CITIZEN, Person.active.is_(True))
        .order_by(Person.id)
        .limit(1)
    ).one_or_none()


def link_account(account: ChatAccount, person: Person) -> None:
    """Attaches a chat account to a directory person (after the phone matched); the citizen row it had is
    left with its tickets."""
    account.person = person


def adopt_conversation_ref(account: ChatAccount, ref: dict[str, Any] | None) -> None:
    """Keeps the reference notifications use to reach the account fresh, but only from the conversation it
    already names: an activity from another conversation (a forged sender, on an endpoint without
    authentication) must not redirect someone's notifications."""
    if ref is not None and same_conversation(account, ref):
        account.conversation_ref = ref


def same_conversation(account: ChatAccount, ref: dict[str, Any] | None) -> bool:
    """Whether `ref` names the conversation stored for the account (true while none is stored)."""
    stored = account.conversation_ref
    return stored is None or (ref is not None and _conversation_id(stored) == _conversation_id(ref))


def _conversation_id(ref: dict[str, Any]) -> object:
    conversation = ref.get("conversation")
    return conversation.get("id") if isinstance(conversation, dict) else None


def mark_blocked(account: ChatAccount, now: datetime) -> None:
    """The platform says the user blocked the bot (or never started it): stop using this channel."""
    if not account.blocked:
        account.blocked = True
        account.blocked_at = now


def unreachable_reason(account: ChatAccount) -> str | None:
    """Why a message cannot go to this account: "blocked" (the platform said so), or "no conversation yet"
    for a Teams user who never wrote to the bot (proactive messages need the stored reference); None when
    it can."""
    if account.blocked:
        return "blocked"
    if account.channel is ChatChannel.TEAMS and account.conversation_ref is None:
        return "no conversation yet"
    return None


def reachable_accounts(person: Person) -> list[ChatAccount]:
    """The person's accounts a message can go to."""
    return [a for a in person.accounts if unreachable_reason(a) is None]
