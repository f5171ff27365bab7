"""The ticket state machine on both databases: deadlines, pauses, events, notifications, domain errors."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from storage_world import ISTANBUL, MONDAY_10, Directory, open_ticket

from catalog.calendar import BusinessCalendar
from catalog.model import Catalog, Service
from storage import tickets
from storage.errors import (
    IllegalTransition,
    InvalidInput,
    KvkkNotAccepted,
    NotAuthorised,
    ServiceUnavailable,
    TicketNotFound,
)
from storage.models import (
    ChatChannel,
    Notification,
    NotificationStatus,
    Person,
    PersonKind,
    StaffRole,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from storage.notifications import is_sla_kind, plan


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=ISTANBUL)


def _open(
    session: Session,
    service: Service,
    requester: Person,
    calendar: BusinessCalendar,
    now: datetime = MONDAY_10,
) -> Ticket:
    return open_ticket(
        session,
        service,
        requester,
        calendar,
        now,
        text="  Yazıcı kağıt sıkıştırıyor  ",
        location="Hizmet binası, 3. kat, 305",
        contact="dahili 1234",
        attachments=[tickets.NewAttachment(channel=ChatChannel.TELEGRAM, file_id="AgACAgQAAx")],
    )


def _history(ticket: Ticket) -> list[tuple[str, str | None, str | None]]:
    return [(e.kind, e.from_status, e.to_status) for e in ticket.events]


def _notified(session: Session, ticket: Ticket) -> list[tuple[str, int]]:
    """The event updates planned for the ticket (SLA rows: tests/storage/test_sla_plan.py)."""
    rows = session.scalars(
        select(Notification).where(Notification.ticket_id == ticket.id).order_by(Notification.id)
    )
    return [(n.kind, n.recipient_id) for n in rows if not is_sla_kind(n.kind)]


def test_open_numbers_schedules_and_assigns(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    ticket = _open(session, printer, employee, calendar)
    session.commit()
    session.expire_all()

    assert ticket.number == "BIM-2026-000001"
    assert (ticket.service_id, ticket.service_code, ticket.service_hours) == (
        "05.21.001",
        "05.21.001",
        "business",
    )
    assert ticket.requester_text == "Yazıcı kağıt sıkıştırıyor"
    assert ticket.status is TicketStatus.ASSIGNED
    assert (ticket.assignee_id, ticket.team is not None and ticket.team.code) == (tech.id, "05.21")
    # 1 hour to take, 2 working days to resolve
    assert ticket.response_due == _at(2, 11)
    assert ticket.resolution_due == _at(4, 10)
    assert [a.file_id for a in ticket.attachments] == ["AgACAgQAAx"]
    assert _history(ticket) == [("opened", None, "new"), ("assigned", "new", "assigned")]
    assert _notified(session, ticket) == [("assigned", tech.id)]  # the requester gets the bot's reply instead


def test_a_full_life_with_a_pause_moves_the_resolution_due(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    ticket = _open(session, printer, employee, calendar)

    tickets.take(session, ticket.number, tech, _at(2, 10, 20))
    assert ticket.acknowledged_at == _at(2, 10, 20) and ticket.acknowledged_at <= ticket.response_due
    # Asked at 17:00 Monday, answered 09:30 Tuesday: 30 + 60 working minutes paused.
    tickets.ask(session, ticket, tech, "Hangi yazıcı?", _at(2, 17))
    assert (ticket.status, ticket.paused_since) == (TicketStatus.WAITING_FOR_REQUESTER, _at(2, 17))
    tickets.answer(session, ticket, employee, "HP LaserJet, 305", _at(3, 9, 30), calendar)
    assert ticket.paused == timedelta(minutes=90)
    assert ticket.resolution_due == _at(4, 11, 30)
    tickets.resolve(session, ticket, tech, "Silindir temizlendi", _at(3, 14), calendar)
    assert ticket.auto_close_at == _at(6, 14)  # 3 working days later
    tickets.confirm(session, ticket, employee, _at(3, 15), satisfaction=5)
    session.commit()
    session.expire_all()

    assert (ticket.status, ticket.closed_at, ticket.satisfaction, ticket.resolution_note) == (
        TicketStatus.CLOSED,
        _at(3, 15),
        5,
        "Silindir temizlendi",
    )
    assert _history(ticket) == [
        ("opened", None, "new"),
        ("assigned", "new", "assigned"),
        ("taken", "assigned", "in_progress"),
        ("question", "in_progress", "waiting_for_requester"),
        ("answered", "waiting_for_requester", "in_progress"),
        ("resolved", "in_progress", "resolved"),
        ("confirmed", "resolved", "closed"),
        ("rated", None, "closed"),
    ]
    assert [e.actor_id for e in ticket.events] == [
        employee.id,
        None,
        tech.id,
        tech.id,
        employee.id,
        tech.id,
        employee.id,
        employee.id,
    ]
    assert ticket.events[3].note == "Hangi yazıcı?" and ticket.events[4].note == "HP LaserJet, 305"
    assert _notified(session, ticket) == [
        ("assigned", tech.id),
        ("taken", employee.id),
        ("question", employee.id),
        ("answered", tech.id),
        ("resolved", employee.id),
        ("confirmed", tech.id),
        ("rated", tech.id),
    ]


def test_a_247_service_pauses_in_wall_clock_time(
    session: Session, directory: Directory, ebelediye: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN, "05.23")
    citizen = directory.citizen()
    saturday_22 = datetime(2026, 3, 7, 22, 0, tzinfo=ISTANBUL)
    ticket = _open(session, ebelediye, citizen, calendar, now=saturday_22)
    assert ticket.resolution_due == saturday_22 + timedelta(hours=4)
    tickets.take(session, ticket, tech, saturday_22 + timedelta(minutes=10))
    tickets.ask(session, ticket, tech, "Hangi tarayıcı?", saturday_22 + timedelta(minutes=20))
    tickets.resume(session, ticket, tech, saturday_22 + timedelta(hours=2, minutes=20), calendar)
    assert ticket.paused == timedelta(hours=2)
    assert ticket.resolution_due == saturday_22 + timedelta(hours=6)


def test_resolving_while_waiting_ends_the_pause(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    ticket = _open(session, printer, directory.employee(), calendar)
    tickets.take(session, ticket, tech, _at(2, 10, 5))
    tickets.ask(session, ticket, tech, "Toner var mı?", _at(2, 11))
    tickets.resolve(session, ticket, tech, "Toner değiştirildi", _at(2, 12), calendar)
    assert (ticket.paused, ticket.paused_since) == (timedelta(hours=1), None)
    assert ticket.resolution_due == _at(4, 11)


@pytest.mark.parametrize(
    ("steps", "operation"),
    [
        ([], "resolve"),
        (["take"], "take"),
        (["take", "resolve"], "cancel"),
        (["take"], "confirm"),
        (["take", "resolve", "confirm"], "reopen"),
        (["take"], "resume"),
    ],
)
def test_illegal_transitions_raise_a_domain_error_and_change_nothing(
    session: Session,
    directory: Directory,
    printer: Service,
    calendar: BusinessCalendar,
    steps: list[str],
    operation: str,
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    ticket = _open(session, printer, employee, calendar)
    actions = {
        "take": lambda: tickets.take(session, ticket, tech, _at(2, 11)),
        "resolve": lambda: tickets.resolve(session, ticket, tech, "tamam", _at(2, 12), calendar),
        "confirm": lambda: tickets.confirm(session, ticket, employee, _at(2, 13)),
        "cancel": lambda: tickets.cancel(session, ticket, employee, _at(2, 13)),
        "reopen": lambda: tickets.reopen(session, ticket, employee, "olmadı", _at(2, 14)),
        "resume": lambda: tickets.resume(session, ticket, tech, _at(2, 14), calendar),
    }
    for step in steps:
        actions[step]()
    status, events = ticket.status, len(session.scalars(select(TicketEvent)).all())
    with pytest.raises(IllegalTransition) as raised:
        actions[operation]()
    assert raised.value.code == "illegal_transition"
    assert (raised.value.number, raised.value.status, raised.value.operation) == (
        ticket.number,
        status.value,
        operation,
    )
    assert ticket.status is status
    assert len(session.scalars(select(TicketEvent)).all()) == events


def test_only_the_right_people_may_act(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    colleague = directory.staff(StaffRole.TECHNICIAN)
    outsider = directory.staff(StaffRole.TECHNICIAN, "05.25")
    employee = directory.employee()
    other = directory.employee()
    ticket = _open(session, printer, employee, calendar)

    with pytest.raises(NotAuthorised) as raised:
        tickets.take(session, ticket, outsider, _at(2, 10, 30))
    assert raised.value.code == "not_authorised"
    with pytest.raises(NotAuthorised):
        tickets.take(session, ticket, employee, _at(2, 10, 30))
    with pytest.raises(NotAuthorised):
        tickets.cancel(session, ticket, other, _at(2, 10, 30))
    with pytest.raises(NotAuthorised):
        tickets.reassign(session, ticket, tech, colleague, _at(2, 10, 30))

    # A team mate may take it: the ticket becomes theirs, and the event says so.
    tickets.take(session, ticket, colleague, _at(2, 10, 30))
    assert ticket.assignee_id == colleague.id
    assert ticket.events[-1].data == {"from_assignee": tech.id, "to_assignee": colleague.id}


def test_reopen_returns_to_the_technician(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    ticket = _open(session, printer, employee, calendar)
    tickets.take(session, ticket, tech, _at(2, 10, 30))
    tickets.resolve(session, ticket, tech, "Sürücü güncellendi", _at(2, 11), calendar)
    tickets.reopen(session, ticket, employee, "Hâlâ yazdırmıyor", _at(2, 12))
    assert ticket.status is TicketStatus.IN_PROGRESS
    assert (ticket.resolved_at, ticket.auto_close_at) == (None, None)
    assert ticket.events[-1].note == "Hâlâ yazdırmıyor"
    assert _notified(session, ticket)[-1] == ("reopened", tech.id)


def test_unanswered_resolutions_close_after_three_working_days(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    ticket = _open(session, printer, employee, calendar)
    tickets.take(session, ticket, tech, _at(2, 10, 30))
    # Resolved on Thursday: Friday, Monday, Tuesday are the three working days.
    tickets.resolve(session, ticket, tech, "Kartuş değişti", _at(5, 16), calendar)
    assert tickets.auto_close_due(session, _at(10, 15, 59)) == []
    assert tickets.auto_close_due(session, _at(10, 16)) == [ticket]
    assert tickets.auto_close_due(session, _at(10, 17)) == []
    assert (ticket.status, ticket.closed_at) == (TicketStatus.CLOSED, _at(10, 16))
    assert ticket.events[-1].kind == "auto_closed" and ticket.events[-1].actor_id is None
    assert _notified(session, ticket)[-2:] == [("auto_closed", employee.id), ("auto_closed", tech.id)]


def test_cancelling_retires_pending_sla_reminders(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    ticket = _open(session, printer, employee, calendar)
    reminder = plan(session, ticket, "reminder:response:50", tech.id, _at(2, 10, 30), MONDAY_10)
    tickets.cancel(session, ticket, employee, _at(2, 10, 10), reason="Kendiliğinden düzeldi")
    session.commit()
    session.refresh(reminder)
    assert reminder.status is NotificationStatus.SKIPPED
    assert (ticket.status, ticket.cancelled_at) == (TicketStatus.CANCELLED, _at(2, 10, 10))
    assert _notified(session, ticket)[-1] == ("cancelled", tech.id)


def test_ratings_and_notes_are_validated(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    ticket = _open(session, printer, employee, calendar)
    with pytest.raises(InvalidInput, match="resolution note"):
        tickets.take(session, ticket, tech, _at(2, 10, 30))
        tickets.resolve(session, ticket, tech, "   ", _at(2, 11), calendar)
    tickets.resolve(session, ticket, tech, "Yapıldı", _at(2, 11), calendar)
    with pytest.raises(InvalidInput) as raised:
        tickets.rate(session, ticket, employee, 6, _at(2, 12))
    assert (raised.value.code, raised.value.field) == ("invalid_input", "satisfaction")
    tickets.rate(session, ticket, employee, 4, _at(2, 12))
    assert ticket.satisfaction == 4


def test_notes_go_to_the_other_side(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    ticket = _open(session, printer, employee, calendar)
    tickets.add_note(session, ticket, employee, "Oda 305 değil 307", _at(2, 10, 5))
    tickets.add_note(session, ticket, tech, "Tamam, 307'ye geliyorum", _at(2, 10, 6))
    assert _notified(session, ticket)[-2:] == [("note", tech.id), ("note", employee.id)]


def test_a_file_added_later_is_stored_with_its_event_and_the_other_sides_ping_in_one_transaction(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    ticket = _open(session, printer, employee, calendar)
    session.commit()
    screenshot = tickets.NewAttachment(ChatChannel.TELEGRAM, file_id="BQACAgQ", file_name="ekran.png")

    tickets.add_attachment(session, ticket.number, employee, screenshot, _at(2, 10, 5), caption="Hata bu")
    session.rollback()  # nothing of it stays without the rest
    session.expire_all()
    assert ([a.file_id for a in ticket.attachments], ticket.events[-1].kind) == (["AgACAgQAAx"], "assigned")

    added = tickets.add_attachment(
        session, ticket.number, employee, screenshot, _at(2, 10, 6), caption="Hata bu"
    )
    photo = tickets.NewAttachment(ChatChannel.TELEGRAM, file_id="AgACAgQBBx")
    tickets.add_attachment(session, ticket, tech, photo, _at(2, 10, 7))
    session.commit()
    session.expire_all()

    assert [(a.file_id, a.file_name) for a in ticket.attachments] == [
        ("AgACAgQAAx", None),
        ("BQACAgQ", "ekran.png"),
        ("AgACAgQBBx", None),
    ]
    from_requester, from_tech = ticket.events[-2:]
    assert (from_requester.kind, from_requester.note, from_requester.actor_id, from_requester.data) == (
        "attachment_added",
        "ekran.png",
        employee.id,
        {"attachment_id": added.id, "caption": "Hata bu"},
    )
    assert (from_tech.note, from_tech.from_status, from_tech.to_status) == (None, None, TicketStatus.ASSIGNED)
    assert _notified(session, ticket)[-2:] == [
        ("attachment_added", tech.id),
        ("attachment_added", employee.id),
    ]


def test_files_are_taken_until_the_resolution_is_settled_and_only_from_the_people_of_the_ticket(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    ticket = _open(session, printer, employee, calendar)
    photo = tickets.NewAttachment(ChatChannel.TELEGRAM, file_id="AgACAgQBBx")
    with pytest.raises(NotAuthorised):
        tickets.add_attachment(session, ticket, directory.employee(), photo, _at(2, 10, 1))
    with pytest.raises(NotAuthorised):
        tickets.add_attachment(
            session, ticket, directory.staff(StaffRole.TECHNICIAN, "05.23"), photo, _at(2, 10)
        )
    with pytest.raises(InvalidInput, match="attachment"):
        tickets.add_attachment(
            session, ticket, employee, tickets.NewAttachment(ChatChannel.TELEGRAM), _at(2, 10)
        )
    tickets.take(session, ticket, tech, _at(2, 10, 30))
    tickets.resolve(session, ticket, tech, "Silindir temizlendi", _at(2, 11), calendar)
    tickets.add_attachment(session, ticket, employee, photo, _at(2, 12))  # evidence for a reopen
    assert (ticket.status, len(ticket.attachments)) == (TicketStatus.RESOLVED, 2)
    tickets.confirm(session, ticket, employee, _at(2, 13))
    with pytest.raises(IllegalTransition) as raised:
        tickets.add_attachment(session, ticket, employee, photo, _at(2, 14))
    assert (raised.value.status, raised.value.operation) == ("closed", "attach")


def test_personal_data_of_citizens_needs_kvkk_acceptance(
    session: Session, directory: Directory, ebelediye: Service, calendar: BusinessCalendar
) -> None:
    citizen = directory.citizen(accepted=False)
    with pytest.raises(KvkkNotAccepted) as raised:
        _open(session, ebelediye, citizen, calendar)
    assert raised.value.code == "kvkk_not_accepted"
    assert session.scalars(select(Ticket)).all() == []


def test_unknown_numbers_and_placeholder_services_are_refused(
    session: Session, directory: Directory, catalog: Catalog, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    with pytest.raises(TicketNotFound) as raised:
        tickets.take(session, "BIM-2026-999999", tech, MONDAY_10)
    assert raised.value.code == "ticket_not_found"
    placeholder = catalog.by_id("05.29.XXX")
    assert placeholder is not None
    with pytest.raises(ServiceUnavailable):
        _open(session, placeholder, directory.employee(), calendar)


def test_tickets_are_found_by_number_in_any_case(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    directory.staff(StaffRole.TECHNICIAN)
    ticket = _open(session, printer, directory.employee(), calendar)
    assert tickets.get_ticket(session, " bim-2026-000001 ") is ticket
    assert ticket.requester is not None and ticket.requester.kind is PersonKind.EMPLOYEE
