"""Model-level guarantees: the append-only event trail and optimistic versioning of dialog state."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from storage_world import MONDAY_10, Directory, open_ticket

from catalog.calendar import BusinessCalendar
from catalog.model import Service
from storage.db import session_factory
from storage.errors import AppendOnlyViolation
from storage.models import ChatChannel, DialogState, StaffRole


def test_ticket_events_cannot_be_changed_or_deleted(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    directory.staff(StaffRole.TECHNICIAN)
    ticket = open_ticket(
        session,
        printer,
        directory.employee(),
        calendar,
        MONDAY_10,
        channel=ChatChannel.CONSOLE,
        text="Yazıcı",
    )
    session.commit()
    event = ticket.events[0]
    event.note = "rewritten history"
    with pytest.raises(AppendOnlyViolation) as raised:
        session.flush()
    assert raised.value.code == "append_only"
    session.rollback()
    session.delete(ticket.events[0])
    with pytest.raises(AppendOnlyViolation):
        session.flush()


def test_a_concurrent_dialog_state_update_is_detected(
    engine: Engine, directory: Directory, session: Session
) -> None:
    account = directory.employee().accounts[0]
    state = DialogState(chat_account_id=account.id, state="idle", data={}, updated_at=MONDAY_10)
    session.add(state)
    session.commit()
    factory = session_factory(engine)
    with factory() as first, factory() as second:
        mine = first.get_one(DialogState, state.id)
        first.commit()  # read, transaction over (as between two messages)
        theirs = second.get_one(DialogState, state.id)
        second.commit()
        mine.state, mine.data = "asking_location", {"service": "05.21.001"}
        first.commit()
        theirs.state = "choosing_service"
        with pytest.raises(StaleDataError):
            second.commit()
    assert mine.version == 2
