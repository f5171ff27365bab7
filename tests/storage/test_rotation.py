"""Taking staff out of the rotation and back: handover of open tickets, no pings, `talepbot staff
deactivate|activate`, on both databases."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from storage_world import MONDAY_10, Directory, open_ticket

from bot.cli import main
from catalog.calendar import BusinessCalendar
from catalog.model import Catalog, Service
from storage import notifications, sla_plan, tickets
from storage.db import session_factory
from storage.models import (
    EventKind,
    Notification,
    NotificationStatus,
    Person,
    StaffRole,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from storage.rotation import activate, deactivate, find_directory_people
from storage.staff import import_staff, read_staff_file


def _pending_to(session: Session, person: Person) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification).where(
                Notification.recipient_id == person.id, Notification.status == NotificationStatus.PENDING
            )
        )
    )


def test_open_tickets_go_to_the_team_and_new_ones_skip_the_inactive(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    leaving = directory.staff(StaffRole.TECHNICIAN)
    staying = directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    mine = [open_ticket(session, printer, employee, calendar) for _ in range(3)]  # leaving, staying, leaving
    assert [t.assignee_id for t in mine] == [leaving.id, staying.id, leaving.id]
    tickets.take(session, mine[2], leaving, MONDAY_10)
    done = open_ticket(session, printer, employee, calendar)  # staying has 2 open now: leaving gets it
    tickets.take(session, done, leaving, MONDAY_10)
    tickets.resolve(session, done, leaving, "tamam", MONDAY_10, calendar)
    later = MONDAY_10 + timedelta(minutes=5)

    handovers = deactivate(session, leaving, calendar, later)

    assert [(h.ticket.number, h.to) for h in handovers] == [
        (mine[0].number, staying),
        (mine[2].number, staying),
    ]
    assert (mine[0].status, mine[2].status) == (TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS)
    assert done.assignee_id == leaving.id  # resolved work keeps its history
    event = session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == mine[0].id).order_by(TicketEvent.id.desc())
    ).first()
    assert event is not None and (event.kind, event.actor_id) == (EventKind.REASSIGNED, None)
    assert event.data == {"from_assignee": leaving.id, "to_assignee": staying.id}
    # The new assignee is pinged; the SLA reminders of the handed-over tickets are now theirs.
    pings = {(n.ticket_id, n.kind) for n in _pending_to(session, staying)}
    assert {(mine[0].id, EventKind.ASSIGNED.value), (mine[2].id, EventKind.ASSIGNED.value)} <= pings
    assert not [n for n in _pending_to(session, leaving) if notifications.is_sla_kind(n.kind)]
    # New tickets skip the inactive technician although they have the fewest open tickets.
    assert open_ticket(session, printer, employee, calendar, later).assignee_id == staying.id


def test_tickets_nobody_can_take_stay_and_their_pings_are_skipped_at_dispatch(
    session: Session, directory: Directory, catalog: Catalog, printer: Service, calendar: BusinessCalendar
) -> None:
    only = directory.staff(StaffRole.TECHNICIAN)
    networker = directory.staff(StaffRole.TECHNICIAN, "05.25")
    ticket = open_ticket(session, printer, directory.employee(), calendar)
    network = catalog.by_id("05.25.001")
    assert network is not None
    own = open_ticket(session, network, only, calendar)  # a request of their own, to another team

    handovers = deactivate(session, only, calendar, MONDAY_10)

    assert [(h.ticket.number, h.to) for h in handovers] == [(ticket.number, None)]
    assert ticket.assignee_id == only.id  # kept and reported, never silently unassigned
    tickets.take(session, own, networker, MONDAY_10)  # the requester hears of it although inactive
    later = MONDAY_10 + timedelta(days=3)  # every reminder, breach and escalation of `ticket` is due
    sent = sla_plan.drop_stale(session, notifications.claim_due(session, later, limit=500), later)
    assert [(n.ticket_id, n.kind) for n in sent if n.recipient_id == only.id] == [(own.id, EventKind.TAKEN)]
    skipped = session.scalars(
        select(Notification.kind).where(
            Notification.ticket_id == ticket.id,
            Notification.recipient_id == only.id,
            Notification.status == NotificationStatus.SKIPPED,
        )
    ).all()
    assert EventKind.ASSIGNED.value in skipped and any(k.startswith("breach:") for k in skipped)


def test_activation_puts_them_back_and_a_reimport_does_not(
    session: Session, directory: Directory, catalog: Catalog, calendar: BusinessCalendar, tmp_path: Path
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "name;role;team;telegram_id;email\nAyşe Teknik;technician;05.21;111;ayse@bel.tr\n", encoding="utf-8"
    )
    import_staff(session, read_staff_file(path), catalog, MONDAY_10)
    (ayse,) = find_directory_people(session, "AYSE@bel.tr")
    deactivate(session, ayse, calendar, MONDAY_10)
    summary = import_staff(session, read_staff_file(path), catalog, MONDAY_10)
    assert ayse.active is False and summary.inactive == ["Ayşe Teknik"]
    assert activate(ayse) and ayse.active and not activate(ayse)
    assert [p.id for p in find_directory_people(session, "111")] == [ayse.id]  # by Telegram id
    assert find_directory_people(session, "Ayşe Teknik") == [ayse]
    assert find_directory_people(session, "nobody@bel.tr") == []


CSV = """name;role;team;telegram_id;teams_aad_object_id;email;phone;on_call
Ayşe Teknik;technician;05.21;111;;ayse@bel.tr;0532 123 45 67;false
Can Teknik;technician;05.21;222;;can@bel.tr;;false
Deniz Ağ;technician;05.25;333;;deniz@bel.tr;;false
Zeynep Çalışan;employee;;;;zeynep@bel.tr;;
"""


def test_cli_deactivate_hands_over_and_reports_what_stays(
    cli_database: None,
    engine: Engine,
    catalog: Catalog,
    calendar: BusinessCalendar,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(CSV, encoding="utf-8")
    assert main(["staff", "import", str(path)]) == 0
    with session_factory(engine).begin() as session:
        zeynep = find_directory_people(session, "zeynep@bel.tr")[0]
        printer, network = catalog.by_id("05.21.001"), catalog.by_id("05.25.001")
        assert printer is not None and network is not None
        numbers = [open_ticket(session, s, zeynep, calendar).number for s in (printer, network)]
    capsys.readouterr()

    assert main(["staff", "deactivate", "0532 123 45 67"]) == 0
    out = capsys.readouterr().out
    assert "Ayşe Teknik (id 1) is out of the rotation" in out
    assert f"{numbers[0]} (assigned): handed over to Can Teknik" in out

    assert main(["staff", "deactivate", "deniz@bel.tr"]) == 0
    out = capsys.readouterr().out
    assert f"{numbers[1]} (assigned): kept, nobody can take it" in out
    assert "1 open ticket(s) stay with Deniz Ağ: nobody active in their team (05.25)" in out
    assert "then run `talepbot staff deactivate deniz@bel.tr` again" in out
    assert main(["staff", "list"]) == 0
    assert "Deniz Ağ (inactive)" in capsys.readouterr().out

    assert main(["staff", "activate", "333"]) == 0
    assert "Deniz Ağ (id 3) is back in the rotation" in capsys.readouterr().out
    with session_factory(engine)() as session:
        assert session.scalars(select(Ticket.assignee_id).order_by(Ticket.id)).all() == [2, 3]


@pytest.mark.parametrize(
    ("who", "problem"),
    [
        (
            "nobody@bel.tr",
            "talepbot: nobody in the staff directory is 'nobody@bel.tr': see `talepbot staff list`",
        ),
        (
            "Aynı Ad",
            "talepbot: 'Aynı Ad' names 2 people (Aynı Ad (id 1), Aynı Ad (id 2)): use an e-mail or phone",
        ),
    ],
)
def test_cli_names_an_unknown_or_ambiguous_person_in_one_line(
    cli_database: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], who: str, problem: str
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("name;role;team;email\nAynı Ad;technician;05.21;a@bel.tr\nAynı Ad;employee;;b@bel.tr\n")
    assert main(["staff", "import", str(path)]) == 0
    capsys.readouterr()
    for command in ("deactivate", "activate"):
        assert main(["staff", command, who]) == 2
        assert capsys.readouterr().err.strip() == problem
