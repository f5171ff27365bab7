"""Notification rows: idempotent planning, due selection, and marking that changes only pending rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from storage_world import MONDAY_10, Directory, open_ticket

from catalog.calendar import BusinessCalendar
from catalog.model import Service
from storage import notifications as n
from storage.db import session_factory
from storage.models import ChatChannel, Notification, NotificationStatus, StaffRole, Ticket

MINUTE = timedelta(minutes=1)


@pytest.fixture
def ticket(session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar) -> Ticket:
    directory.staff(StaffRole.TECHNICIAN)
    ticket = open_ticket(session, printer, directory.employee(), calendar, MONDAY_10, text="Yazıcı")
    session.commit()
    return ticket


def _reminder(session: Session, ticket: Ticket, kind: str, due_in: timedelta) -> Notification:
    assert ticket.assignee_id is not None
    return n.plan(session, ticket, kind, ticket.assignee_id, MONDAY_10 + due_in, MONDAY_10)


def test_planning_a_key_twice_keeps_one_row(session: Session, ticket: Ticket) -> None:
    first = _reminder(session, ticket, "reminder:response:50", 30 * MINUTE)
    again = _reminder(session, ticket, "reminder:response:50", 45 * MINUTE)
    assert again.id == first.id and again.due_at == MONDAY_10 + 30 * MINUTE
    assert first.key == f"{ticket.id}:reminder:response:50:{ticket.assignee_id}"


def test_due_notifications_are_pending_and_due_oldest_first(session: Session, ticket: Ticket) -> None:
    later = _reminder(session, ticket, "test:later", 20 * MINUTE)
    sooner = _reminder(session, ticket, "test:sooner", 10 * MINUTE)
    _reminder(session, ticket, "test:future", 90 * MINUTE)
    ping = session.query(Notification).filter_by(kind="assigned").one()
    assert n.mark_sent(session, ping, MONDAY_10, "telegram")
    due = n.due_notifications(session, MONDAY_10 + 25 * MINUTE)
    assert [row.id for row in due] == [sooner.id, later.id]  # the SLA rows are due later
    assert n.next_due_at(session) == MONDAY_10 + 10 * MINUTE


def test_marking_is_idempotent_and_only_from_pending(session: Session, ticket: Ticket) -> None:
    ping = session.query(Notification).filter_by(kind="assigned").one()
    assert n.mark_sent(session, ping, MONDAY_10, "telegram") is True
    assert n.mark_sent(session, ping, MONDAY_10 + MINUTE, "teams") is False
    assert n.mark_failed(session, ping, "late error") is False
    assert n.mark_skipped(session, ping.id) is False
    session.commit()
    session.refresh(ping)
    assert (ping.status, ping.sent_at, ping.channel, ping.attempts) == (
        NotificationStatus.SENT,
        MONDAY_10,
        ChatChannel.TELEGRAM,
        0,
    )


def test_failures_count_attempts_and_retry_or_give_up(session: Session, ticket: Ticket) -> None:
    row = _reminder(session, ticket, "test:retry", MINUTE)
    assert n.mark_failed(session, row, "HTTP 429", retry_at=MONDAY_10 + 2 * MINUTE)
    assert (row.status, row.attempts, row.last_error, row.due_at) == (
        NotificationStatus.PENDING,
        1,
        "HTTP 429",
        MONDAY_10 + 2 * MINUTE,
    )
    assert n.mark_failed(session, row.id, "HTTP 403: bot was blocked by the user")
    session.commit()
    session.refresh(row)
    assert (row.status, row.attempts, row.last_error) == (
        NotificationStatus.FAILED,
        2,
        "HTTP 403: bot was blocked by the user",
    )
    assert row.id not in {
        r.id for r in n.due_notifications(session, MONDAY_10 + timedelta(days=9), limit=1000)
    }


def test_two_dispatchers_cannot_both_send_one_notification(engine: Engine, ticket: Ticket) -> None:
    factory = session_factory(engine)
    ping_id = None
    with factory() as one:
        ping_id = one.query(Notification.id).filter_by(kind="assigned").scalar()
        assert ping_id is not None
        assert n.mark_sent(one, ping_id, MONDAY_10, "telegram")
        one.commit()
    with factory() as two:
        assert not n.mark_sent(two, ping_id, MONDAY_10, "teams")
        two.commit()
        row = two.get_one(Notification, ping_id)
        assert row.channel is ChatChannel.TELEGRAM
