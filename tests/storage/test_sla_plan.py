"""SLA reminder rows on both databases: where the policy puts them across a weekend, a public holiday and a
half-day eve, quiet hours, and how take, pause, resume, reassign and resolve re-plan them."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from storage_world import ISTANBUL, Directory, open_ticket

from catalog.calendar import BusinessCalendar
from catalog.model import Service
from catalog.sla_policy import SlaPolicy
from storage import notifications, sla_plan, tickets
from storage.models import Notification, NotificationStatus, Person, StaffRole, Ticket

# Ramazan Bayramı 2026: Thursday 19 March is a half-day eve (work ends 13:00), Friday 20 March the holiday,
# then the weekend; work resumes on Monday 23 March.
EVE_11 = datetime(2026, 3, 19, 11, 0, tzinfo=ISTANBUL)


def _at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ISTANBUL)


@pytest.fixture
def staff(directory: Directory) -> dict[str, Person]:
    return {
        "tech": directory.staff(StaffRole.TECHNICIAN),
        "lead": directory.staff(StaffRole.TEAM_LEAD),
        "manager": directory.staff(StaffRole.MANAGER, team=None),
        "requester": directory.employee(),
    }


def _sla_rows(session: Session, ticket: Ticket, status: NotificationStatus) -> set[tuple[str, int, datetime]]:
    rows = session.scalars(
        select(Notification).where(Notification.ticket_id == ticket.id, Notification.status == status)
    )
    return {(n.kind, n.recipient_id, n.due_at) for n in rows if ":" in n.kind}


def test_steps_land_across_a_half_day_eve_a_holiday_and_a_weekend(
    session: Session, calendar: BusinessCalendar, printer: Service, staff: dict[str, Person]
) -> None:
    """05.21.001 (response 1 hour, resolution 2 days) opened at 11:00 on the eve of Ramazan Bayramı."""
    tech, lead, manager = staff["tech"].id, staff["lead"].id, staff["manager"].id
    ticket = open_ticket(session, printer, staff["requester"], calendar, EVE_11)
    assert ticket.resolution_due == _at(3, 24, 11)  # Mon 23 and Tue 24 are the two working days
    monday_opening = _at(3, 23, 8, 30)
    assert _sla_rows(session, ticket, NotificationStatus.PENDING) == {
        # response window: 11:00 + 1 working hour
        ("reminder:response:50", tech, _at(3, 19, 11, 30)),
        ("reminder:response:80", tech, _at(3, 19, 11, 48)),
        ("reminder:response:80", lead, _at(3, 19, 11, 48)),
        ("breach:response:100", tech, _at(3, 19, 12)),
        ("breach:response:100", lead, _at(3, 19, 12)),
        # 200 % is 13:00, the eve's closing instant: quiet hours hold it until Monday's opening
        ("escalation:response:200", manager, monday_opening),
        # resolution window: 2 h on the eve + 9 h Monday + 2.5 h Tuesday = 13.5 working hours
        ("reminder:resolution:50", tech, _at(3, 23, 13, 15)),  # 6 h 45 min: 2 h Thu + 4 h 45 min Mon
        ("reminder:resolution:80", tech, _at(3, 23, 17, 18)),  # 10 h 48 min
        ("reminder:resolution:80", lead, _at(3, 23, 17, 18)),
        ("breach:resolution:100", tech, _at(3, 24, 11)),
        ("breach:resolution:100", lead, _at(3, 24, 11)),
        ("escalation:resolution:200", manager, _at(3, 25, 15, 30)),  # 27 h: 2 + 9 + 9 + 7 h on Wednesday
    }


def test_a_7_24_service_reaches_on_call_staff_at_night_and_the_others_at_the_opening(
    session: Session, calendar: BusinessCalendar, directory: Directory, ebelediye: Service
) -> None:
    """05.23.012 (7/24: response 1 hour) opened on Saturday 22:00: wall-clock percentages."""
    tech = directory.staff(StaffRole.TECHNICIAN, team="05.23", on_call=True)
    lead = directory.staff(StaffRole.TEAM_LEAD, team="05.23")
    saturday_22 = _at(3, 7, 22)
    ticket = open_ticket(session, ebelediye, directory.employee(), calendar, saturday_22)
    assert ticket.assignee_id == tech.id
    rows = {(k, r): due for k, r, due in _sla_rows(session, ticket, NotificationStatus.PENDING)}
    assert rows[("reminder:response:50", tech.id)] == _at(3, 7, 22, 30)
    assert rows[("reminder:response:80", tech.id)] == _at(3, 7, 22, 48)
    assert rows[("breach:response:100", tech.id)] == _at(3, 7, 23)
    # the lead is not on call: Monday 08:30, not Saturday night
    assert rows[("reminder:response:80", lead.id)] == _at(3, 9, 8, 30)
    assert rows[("breach:response:100", lead.id)] == _at(3, 9, 8, 30)


def test_take_ends_the_response_window_and_resolve_retires_everything(
    session: Session, calendar: BusinessCalendar, printer: Service, staff: dict[str, Person]
) -> None:
    ticket = open_ticket(session, printer, staff["requester"], calendar, EVE_11)
    tickets.take(session, ticket, staff["tech"], _at(3, 19, 11, 10))
    pending = _sla_rows(session, ticket, NotificationStatus.PENDING)
    assert pending and all(kind.split(":")[1] == "resolution" for kind, _, _ in pending)
    skipped = _sla_rows(session, ticket, NotificationStatus.SKIPPED)
    assert {kind for kind, _, _ in skipped} == {
        "reminder:response:50",
        "reminder:response:80",
        "breach:response:100",
        "escalation:response:200",
    }
    tickets.resolve(session, ticket, staff["tech"], "Toner değişti", _at(3, 19, 12), calendar)
    assert _sla_rows(session, ticket, NotificationStatus.PENDING) == set()
    assert pending <= _sla_rows(session, ticket, NotificationStatus.SKIPPED)


def test_a_pause_moves_the_resolution_reminders_by_the_paused_working_time(
    session: Session, calendar: BusinessCalendar, printer: Service, staff: dict[str, Person]
) -> None:
    tech, requester = staff["tech"], staff["requester"]
    ticket = open_ticket(session, printer, requester, calendar, EVE_11)
    tickets.take(session, ticket, tech, _at(3, 19, 11, 10))
    tickets.ask(session, ticket, tech, "Hangi kat?", _at(3, 19, 12))
    assert _sla_rows(session, ticket, NotificationStatus.PENDING) == set()  # nothing runs while waiting
    # answered on Monday 09:30: paused 1 h on the eve + 1 h on Monday = 2 working hours
    tickets.answer(session, ticket, requester, "3. kat", _at(3, 23, 9, 30), calendar)
    assert ticket.resolution_due == _at(3, 24, 13)
    rows = {(k, r): due for k, r, due in _sla_rows(session, ticket, NotificationStatus.PENDING)}
    assert rows[("reminder:resolution:50", tech.id)] == _at(3, 23, 15, 15)  # 13:15 + 2 h
    assert rows[("breach:resolution:100", tech.id)] == _at(3, 24, 13)


def test_reassignment_moves_the_assignee_reminders_to_the_new_assignee(
    session: Session,
    calendar: BusinessCalendar,
    printer: Service,
    directory: Directory,
    staff: dict[str, Person],
) -> None:
    other = directory.staff(StaffRole.TECHNICIAN)
    ticket = open_ticket(session, printer, staff["requester"], calendar, EVE_11)
    tickets.reassign(session, ticket, staff["lead"], other, _at(3, 19, 11, 5))
    pending = _sla_rows(session, ticket, NotificationStatus.PENDING)
    assert ("reminder:response:50", other.id, _at(3, 19, 11, 30)) in pending
    assert all(recipient != staff["tech"].id for _, recipient, _ in pending)


def test_taken_by_a_team_mate_the_resolution_steps_follow_the_new_assignee(
    session: Session,
    calendar: BusinessCalendar,
    printer: Service,
    directory: Directory,
    staff: dict[str, Person],
) -> None:
    ticket = open_ticket(session, printer, staff["requester"], calendar, EVE_11)
    mate = directory.staff(StaffRole.TECHNICIAN)
    tickets.take(session, ticket, mate, _at(3, 19, 11, 10))
    pending = _sla_rows(session, ticket, NotificationStatus.PENDING)
    assert {(k, r) for k, r, _ in pending} == {
        ("reminder:resolution:50", mate.id),
        ("reminder:resolution:80", mate.id),
        ("reminder:resolution:80", staff["lead"].id),
        ("breach:resolution:100", mate.id),
        ("breach:resolution:100", staff["lead"].id),
        ("escalation:resolution:200", staff["manager"].id),
    }


def test_claimed_stale_reminders_are_skipped_and_the_escalation_repeats_daily(
    session: Session, calendar: BusinessCalendar, printer: Service, staff: dict[str, Person]
) -> None:
    tech, lead, manager = staff["tech"].id, staff["lead"].id, staff["manager"].id
    ticket = open_ticket(session, printer, staff["requester"], calendar, EVE_11)
    # down from 11:20 until Monday 10:00: the response 50 %, 80 %, breach and escalation are all due
    now = _at(3, 23, 10)
    first = sla_plan.drop_stale(session, notifications.claim_due(session, now, limit=4), now)
    assert [n.kind for n in first] == ["assigned"]  # 50 % and 80 % claimed with it are stale: breach due too
    rest = sla_plan.drop_stale(session, notifications.claim_due(session, now), now)
    assert {(n.kind, n.recipient_id) for n in rest} == {
        ("breach:response:100", tech),
        ("breach:response:100", lead),
        ("escalation:response:200", manager),
    }
    assert {(k, r) for k, r, _ in _sla_rows(session, ticket, NotificationStatus.SKIPPED)} == {
        ("reminder:response:50", tech),
        ("reminder:response:80", tech),
        ("reminder:response:80", lead),
    }
    assert notifications.claim_due(session, now) == []  # claimed rows are leased to their dispatcher
    # the escalation going out plans its next repeat one working day later: 13:00 closed the eve, so the
    # escalation counts from Monday's opening and repeats on Tuesday 08:30
    repeats = [
        n.due_at
        for n in session.scalars(select(Notification).where(Notification.ticket_id == ticket.id))
        if n.kind == "escalation:response:200" and "r" in n.key.rsplit(":", 1)[-1]
    ]
    assert repeats == [_at(3, 24, 8, 30)]


def test_the_policy_is_configurable(
    session: Session, calendar: BusinessCalendar, printer: Service, staff: dict[str, Person]
) -> None:
    planner = sla_plan.SlaPlanner(calendar, SlaPolicy.parse("25:team_lead,100:assignee"))
    session.info[sla_plan.INFO_KEY] = planner
    ticket = open_ticket(session, printer, staff["requester"], calendar, EVE_11)
    kinds = {(k, r) for k, r, _ in _sla_rows(session, ticket, NotificationStatus.PENDING)}
    assert kinds == {
        ("reminder:response:25", staff["lead"].id),
        ("breach:response:100", staff["tech"].id),
        ("reminder:resolution:25", staff["lead"].id),
        ("breach:resolution:100", staff["tech"].id),
    }


@pytest.mark.parametrize(
    "text",
    ["50", "50:boss", "80:assignee,50:assignee", "0:assignee"],
)
def test_bad_policy_settings_are_named(text: str) -> None:
    with pytest.raises(ValueError, match="SLA_STEPS"):
        SlaPolicy.parse(text)
