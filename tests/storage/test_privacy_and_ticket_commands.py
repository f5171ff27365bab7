"""KVKK purge and the `talepbot tickets` / `privacy` / `db` commands on both databases."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from storage_world import MONDAY_10, Directory, open_ticket

from bot.cli import main
from bot.settings import get_settings
from catalog.calendar import BusinessCalendar
from catalog.model import Service
from storage import tickets
from storage.models import Attachment, ChatChannel, Person, StaffRole, Ticket, TicketStatus
from storage.privacy import purge

DAY = timedelta(days=1)


def _citizen_ticket(
    session: Session, directory: Directory, service: Service, calendar: BusinessCalendar
) -> Ticket:
    citizen = directory.citizen()
    citizen.phone = "+905321234567"
    return tickets.open_ticket(
        session,
        service=service,
        requester=citizen,
        channel=ChatChannel.TELEGRAM,
        text="e-Belediye şifremi unuttum, TC 12345678901",
        location="Evden",
        contact="0532 123 45 67",
        attachments=[tickets.NewAttachment(channel=ChatChannel.TELEGRAM, file_id="photo-1")],
        now=MONDAY_10,
        calendar=calendar,
    )


def _close(session: Session, ticket: Ticket, tech: Person, calendar: BusinessCalendar) -> None:
    requester = ticket.requester
    assert requester is not None
    tickets.take(session, ticket, tech, MONDAY_10 + timedelta(minutes=5))
    tickets.ask(session, ticket, tech, "Doğum tarihiniz?", MONDAY_10 + timedelta(minutes=6))
    tickets.answer(session, ticket, requester, "01.01.1980", MONDAY_10 + timedelta(minutes=7), calendar)
    screenshot = tickets.NewAttachment(ChatChannel.TELEGRAM, file_id="photo-2", file_name="kimlik.png")
    tickets.add_attachment(
        session, ticket, requester, screenshot, MONDAY_10 + timedelta(minutes=8), caption="TC 12345678901"
    )
    tickets.resolve(
        session, ticket, tech, "Şifre sıfırlandı, SMS gönderildi", MONDAY_10 + timedelta(hours=1), calendar
    )
    tickets.confirm(session, ticket, requester, MONDAY_10 + timedelta(hours=2), satisfaction=5)


def test_purge_anonymises_old_finished_citizen_tickets_and_keeps_statistics(
    session: Session, directory: Directory, ebelediye: Service, calendar: BusinessCalendar
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN, "05.23")
    old = _citizen_ticket(session, directory, ebelediye, calendar)
    _close(session, old, tech, calendar)
    still_open = _citizen_ticket(session, directory, ebelediye, calendar)
    employee_ticket = open_ticket(
        session,
        ebelediye,
        directory.employee(),
        calendar,
        MONDAY_10,
        channel=ChatChannel.TEAMS,
        text="Portal açılmıyor",
    )
    tickets.take(session, employee_ticket, tech, MONDAY_10)
    tickets.resolve(session, employee_ticket, tech, "tamam", MONDAY_10, calendar)
    tickets.confirm(session, employee_ticket, employee_ticket.requester or tech, MONDAY_10)
    citizen_id = old.requester_id
    session.commit()

    assert purge(session, MONDAY_10 + 29 * DAY, timedelta(days=30)) == 0
    assert purge(session, MONDAY_10 + 31 * DAY, timedelta(days=30)) == 1
    session.commit()
    session.expire_all()

    assert (old.requester_text, old.location, old.contact, old.resolution_note, old.requester_id) == (
        "",
        None,
        None,
        None,
        None,
    )
    assert old.anonymised_at == MONDAY_10 + 31 * DAY
    assert session.scalars(select(Attachment).where(Attachment.ticket_id == old.id)).all() == []
    assert [e.note for e in old.events if e.note] == []
    assert [e.data for e in old.events if e.kind == "attachment_added"] == [None]  # the caption went too
    # What the statistics need is still there.
    assert (old.status, old.service_id, old.assignee_id, old.satisfaction, old.paused_seconds) == (
        TicketStatus.CLOSED,
        "05.23.012",
        tech.id,
        5,
        60,
    )
    assert old.acknowledged_at is not None and old.resolved_at is not None and len(old.events) >= 6
    citizen = session.get_one(Person, citizen_id)
    assert (citizen.name, citizen.phone) == (None, None)
    # Open citizen tickets and employees' tickets are untouched.
    assert still_open.requester_text.startswith("e-Belediye") and still_open.requester is not None
    assert still_open.requester.phone == "+905321234567"
    assert employee_ticket.requester_text == "Portal açılmıyor"
    assert purge(session, MONDAY_10 + 90 * DAY, timedelta(days=30)) == 0  # already done


def test_ticket_commands_show_the_list_and_the_history(
    cli_database: None,
    session: Session,
    directory: Directory,
    printer: Service,
    calendar: BusinessCalendar,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN, name="Ayşe Teknik")
    employee = directory.employee()
    first = open_ticket(
        session, printer, employee, calendar, MONDAY_10, channel=ChatChannel.TEAMS, text="Yazıcı"
    )
    tickets.take(session, first, tech, MONDAY_10 + timedelta(minutes=10))
    screenshot = tickets.NewAttachment(ChatChannel.TEAMS, file_id="teams:u1", file_name="ekran.png")
    tickets.add_attachment(session, first, employee, screenshot, MONDAY_10 + timedelta(minutes=20))
    open_ticket(session, printer, employee, calendar, MONDAY_10, channel=ChatChannel.TEAMS, text="Tarayıcı")
    session.commit()

    assert main(["tickets", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(t["number"], t["status"]) for t in listed] == [
        ("BIM-2026-000002", "assigned"),
        ("BIM-2026-000001", "in_progress"),
    ]
    assert main(["tickets", "list", "--status", "in_progress"]) == 0
    out = capsys.readouterr().out
    assert "BIM-2026-000001" in out and "BIM-2026-000002" not in out

    assert main(["tickets", "show", "bim-2026-000001", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["response_due"] == "2026-03-02T11:00+03:00"
    assert [(e["kind"], e["actor"]) for e in shown["events"]] == [
        ("opened", "Ayşe Çalışkan"),
        ("assigned", "system"),
        ("taken", "Ayşe Teknik"),
        ("attachment_added", "Ayşe Çalışkan"),
    ]
    assert shown["attachments"] == ["ekran.png"]
    assert ("assigned", "Ayşe Teknik", "pending") in [
        (n["kind"], n["recipient"], n["status"]) for n in shown["notifications"]
    ]
    assert main(["tickets", "show", "BIM-2026-000001"]) == 0
    text = capsys.readouterr().out
    assert "taken" in text and "by Ayşe Teknik assigned -> in_progress" in text
    assert "attachments:     ekran.png" in text and "attachment_added  by Ayşe Çalışkan: ekran.png" in text

    assert main(["tickets", "show", "BIM-2026-000099"]) == 1
    assert capsys.readouterr().err.strip() == "talepbot: no ticket BIM-2026-000099"


def test_privacy_and_db_commands(
    cli_database: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "is at the latest schema" in capsys.readouterr().out
    assert main(["privacy", "purge", "--older-than", "365"]) == 0
    assert capsys.readouterr().out.strip().splitlines() == [
        "anonymised 0 closed citizen ticket(s) older than 365 day(s)",
        "deleted 0 citizen(s) with no ticket and no message in 365 day(s)",
    ]
    assert main(["privacy", "purge", "--older-than", "-1"]) == 2
    assert "--older-than must be between 0 and" in capsys.readouterr().err
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")  # one clear line, not a ZoneInfo traceback
    get_settings.cache_clear()
    assert main(["tickets", "list"]) == 2
    assert capsys.readouterr().err.strip() == (
        "talepbot: business calendar settings: unknown time zone 'Mars/Olympus'"
    )
