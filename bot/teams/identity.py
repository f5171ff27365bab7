"""Who a Teams user is: an employee of the institution, and possibly a member of the IT staff.

Teams only lets people of the organisation's tenant write to the bot, so a Teams user is never a citizen:
there is no phone to verify and no KVKK consent to ask for. The staff directory knows staff by their Entra
object id (a Teams chat account created by the staff import) or by e-mail; everyone else becomes an employee
on first contact.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.engine.events import AccountRef
from storage import people
from storage.models import ChatAccount, ChatChannel, Person, PersonKind


def resolve_teams_person(session: Session, ref: AccountRef, now: datetime) -> Person:
    """The person behind a Teams account, linking it to the directory or creating an employee."""
    account = _account(session, ref.external_id)
    directory = _directory_person(session, ref.email, exclude=account.person_id if account else None)
    if account is None:
        person = directory or Person(
            kind=PersonKind.EMPLOYEE, name=ref.display_name or None, email=ref.email, created_at=now
        )
        try:
            with session.begin_nested():
                session.add(
                    ChatAccount(
                        person=person, channel=ChatChannel.TEAMS, external_id=ref.external_id, created_at=now
                    )
                )
            return person
        except IntegrityError:  # another process created it at the same moment
            account = _account(session, ref.external_id)
            assert account is not None
    current = account.person
    if directory is not None and (
        current.kind is PersonKind.CITIZEN or (directory.is_staff and not current.is_staff)
    ):
        people.link_account(account, directory)
        return directory
    if current.kind is PersonKind.CITIZEN:  # created by a channel-agnostic first contact
        current.kind = PersonKind.EMPLOYEE
        current.name = current.name or ref.display_name or None
        current.email = current.email or ref.email
    return current


def note_activity(session: Session, ref: AccountRef, now: datetime, removed_app: bool) -> None:
    """An activity the dialog does not answer, from a known account: its conversation reference is kept up
    to date; an account that removed the app is unreachable on Teams until it writes again."""
    account = _account(session, ref.external_id)
    if account is None:
        return
    if removed_app:
        if people.same_conversation(account, ref.conversation_ref):  # not an uninstall forged elsewhere
            people.mark_blocked(account, now)
    else:
        people.adopt_conversation_ref(account, ref.conversation_ref)


def _account(session: Session, external_id: str) -> ChatAccount | None:
    return session.scalars(
        select(ChatAccount).where(
            ChatAccount.channel == ChatChannel.TEAMS, ChatAccount.external_id == external_id
        )
    ).one_or_none()


def _directory_person(session: Session, email: str | None, exclude: int | None) -> Person | None:
    """The active employee or staff member with this e-mail; staff first when both exist."""
    if not email:
        return None
    query = select(Person).where(
        func.lower(Person.email) == email.lower(), Person.kind != PersonKind.CITIZEN, Person.active.is_(True)
    )
    if exclude is not None:
        query = query.where(Person.id != exclude)
    staff_first = case((Person.kind == PersonKind.STAFF, 0), else_=1)
    return session.scalars(query.order_by(staff_first, Person.id).limit(1)).one_or_none()
