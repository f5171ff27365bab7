"""The panel's login: one-time links, sessions and the secret that signs its cookies.

Tokens are random; only their SHA-256 is stored, so a copy of the database opens no session. A link is
spent by the first redemption (a conditional UPDATE, so two redemptions at once cannot both win) and
expires; a session ends at its expiry, at logout, or when its person is no longer active IT staff.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import insert_for
from storage.models import AppSecret, PanelLink, PanelSession, Person, PersonKind
from storage.phones import normalise_phone

LINK_LIFETIME = timedelta(minutes=10)
PANEL_SECRET = "panel_secret"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def may_use_panel(person: Person) -> bool:
    """Active IT staff only: citizens and employees get no panel."""
    return person.kind is PersonKind.STAFF and person.active


def staff_by_email_or_phone(session: Session, email_or_phone: str) -> Person | None:
    """The active staff member with this e-mail address or phone number (any spelling)."""
    text = email_or_phone.strip()
    if "@" in text:
        match = Person.email == text.lower()
    else:
        try:
            match = Person.phone == normalise_phone(text)
        except ValueError:
            return None
    return session.scalars(
        select(Person).where(match, Person.kind == PersonKind.STAFF, Person.active.is_(True)).limit(1)
    ).one_or_none()


def create_link(session: Session, person: Person, now: datetime) -> str:
    """A new one-time login token for `person`, valid for LINK_LIFETIME; ValueError for non-staff."""
    if not may_use_panel(person):
        raise ValueError(f"person {person.id} is not active IT staff")
    token = secrets.token_urlsafe(32)
    session.add(
        PanelLink(
            token_hash=_hash(token), person_id=person.id, created_at=now, expires_at=now + LINK_LIFETIME
        )
    )
    session.flush()
    return token


def redeem_link(session: Session, token: str, now: datetime, lifetime: timedelta) -> str | None:
    """Spends the link and opens a session for its person: the session token, or None when the link is
    unknown, used, expired or its person may no longer use the panel."""
    spent = session.execute(
        update(PanelLink)
        .where(PanelLink.token_hash == _hash(token), PanelLink.used_at.is_(None), PanelLink.expires_at > now)
        .values(used_at=now)
        .returning(PanelLink.person_id)
    ).one_or_none()
    if spent is None:
        return None
    person = session.get(Person, spent.person_id)
    if person is None or not may_use_panel(person):
        return None
    session_token = secrets.token_urlsafe(32)
    session.add(
        PanelSession(
            token_hash=_hash(session_token), person_id=person.id, created_at=now, expires_at=now + lifetime
        )
    )
    session.flush()
    return session_token


def session_person(session: Session, token: str, now: datetime) -> Person | None:
    """The person of a live session: not ended, not expired, still active staff."""
    found = session.scalars(
        select(PanelSession).where(
            PanelSession.token_hash == _hash(token),
            PanelSession.ended_at.is_(None),
            PanelSession.expires_at > now,
        )
    ).one_or_none()
    if found is None or not may_use_panel(found.person):
        return None
    return found.person


def end_session(session: Session, token: str, now: datetime) -> None:
    session.execute(
        update(PanelSession)
        .where(PanelSession.token_hash == _hash(token), PanelSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def panel_secret(session: Session, now: datetime) -> str:
    """The stored cookie-signing secret, generated on first use (two processes starting at once agree)."""
    session.execute(
        insert_for(session, AppSecret)
        .values(name=PANEL_SECRET, value=secrets.token_urlsafe(48), created_at=now)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    return session.scalars(select(AppSecret.value).where(AppSecret.name == PANEL_SECRET)).one()
