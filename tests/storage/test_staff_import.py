"""`talepbot staff import/list` on both databases: upsert, line-numbered errors, nothing half-imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from storage_world import MONDAY_10

from bot.cli import main
from catalog.model import Catalog
from storage.db import session_factory
from storage.models import ChatAccount, ChatChannel, Person, PersonKind, StaffRole, Team
from storage.people import account_for
from storage.staff import StaffImportError, import_staff, read_staff_file
from storage.teams import team_for_service

CSV = """name;role;team;telegram_id;teams_aad_object_id;email;phone;on_call
Ayşe Teknik;technician;05.21;111;;Ayse@Bel.TR;0532 123 45 67;true
Veli Lider;team_lead;Teknik Servis Hizmetleri;;aad-2;veli@bel.tr;;false
Zeynep Çalışan;employee;;;;zeynep@bel.tr;+90 533 000 11 22;
"""

YAML = """staff:
  - name: Ayşe Teknik
    role: technician
    team: "05.21"
    telegram_id: 111
    email: ayse@bel.tr
    phone: "905321234567"
    on_call: false
  - name: Can Ağ
    role: technician
    team: "05.25"
    teams_aad_object_id: aad-3
    on_call: yes
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_creates_people_teams_and_accounts(session: Session, catalog: Catalog, tmp_path: Path) -> None:
    summary = import_staff(session, read_staff_file(_write(tmp_path, "staff.csv", CSV)), catalog, MONDAY_10)
    session.commit()
    assert (len(summary.created), len(summary.updated), len(summary.unchanged)) == (3, 0, 0)
    ayse, veli, zeynep = session.scalars(select(Person).order_by(Person.id)).all()
    assert (ayse.kind, ayse.staff_role, ayse.email, ayse.phone, ayse.on_call) == (
        PersonKind.STAFF,
        StaffRole.TECHNICIAN,
        "ayse@bel.tr",
        "+905321234567",
        True,
    )
    # "05.21" and the group's title name the same team, created from the catalog's group
    assert ayse.team is not None and ayse.team is veli.team
    assert (ayse.team.code, ayse.team.name) == ("05.21", "Teknik Servis Hizmetleri")
    assert (zeynep.kind, zeynep.staff_role, zeynep.team) == (PersonKind.EMPLOYEE, None, None)
    assert [(a.channel, a.external_id) for a in ayse.accounts] == [(ChatChannel.TELEGRAM, "111")]
    assert [(a.channel, a.external_id) for a in veli.accounts] == [(ChatChannel.TEAMS, "aad-2")]


def test_reimport_is_idempotent_and_updates_by_any_identifier(
    session: Session, catalog: Catalog, tmp_path: Path
) -> None:
    rows = read_staff_file(_write(tmp_path, "staff.csv", CSV))
    import_staff(session, rows, catalog, MONDAY_10)
    again = import_staff(session, rows, catalog, MONDAY_10)
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 3)
    # The YAML file spells Ayşe's phone differently and changes her on-call duty: same person, updated.
    changed = import_staff(session, read_staff_file(_write(tmp_path, "more.yaml", YAML)), catalog, MONDAY_10)
    session.commit()
    assert (changed.created, changed.updated, changed.unchanged) == (["Can Ağ"], ["Ayşe Teknik"], [])
    assert session.scalar(select(func.count()).select_from(Person)) == 4
    ayse = session.scalars(select(Person).where(Person.name == "Ayşe Teknik")).one()
    assert ayse.on_call is False
    assert session.scalar(select(func.count()).select_from(Team)) == 2


def test_a_citizen_who_wrote_before_becomes_staff(session: Session, catalog: Catalog, tmp_path: Path) -> None:
    account = account_for(session, ChatChannel.TELEGRAM, "111", MONDAY_10)
    session.flush()
    import_staff(session, read_staff_file(_write(tmp_path, "staff.csv", CSV)), catalog, MONDAY_10)
    session.commit()
    person = session.get_one(ChatAccount, account.id).person
    assert (person.name, person.kind, person.staff_role) == (
        "Ayşe Teknik",
        PersonKind.STAFF,
        StaffRole.TECHNICIAN,
    )


def test_every_bad_row_is_reported_with_its_line(tmp_path: Path) -> None:
    bad = (
        "name,role,team,telegram_id,teams_aad_object_id,email,phone,on_call\n"
        "Ayşe,technician,05.21,111,,,,true\n"
        ",technician,05.21,112,,,,\n"
        "Ali,wizard,,113,,,,\n"
        "Can,technician,,114,,,,\n"
        "Ece,employee,05.21,115,,,,\n"
        "Efe,employee,,abc,,,,\n"
        "Nur,employee,,,,not-an-email,,\n"
        "Tan,employee,,,,,0532 12,\n"
        "Su,employee,,116,,,,maybe\n"
        "Ada,employee,,,,,,\n"
        "Bora,employee,,111,,,,\n"
    )
    with pytest.raises(StaffImportError) as raised:
        read_staff_file(_write(tmp_path, "bad.csv", bad))
    assert raised.value.code == "staff_import"
    assert [p.split(":")[0] for p in raised.value.problems] == [f"line {n}" for n in range(3, 13)]
    assert (
        "role 'wizard' is not one of employee, technician, team_lead, manager, admin"
        in raised.value.problems[1]
    )
    assert "telegram_id 111 is also on line 2" in raised.value.problems[-1]


def test_bad_headers_and_yaml_are_reported(tmp_path: Path) -> None:
    with pytest.raises(StaffImportError) as raised:
        read_staff_file(_write(tmp_path, "bad.csv", "name,rol,telefon\nAyşe,technician,1\n"))
    assert raised.value.problems == [
        "line 1: missing column(s) role; unknown column(s) rol, telefon "
        "(expected: name, role, team, telegram_id, teams_aad_object_id, email, phone, on_call)"
    ]
    with pytest.raises(StaffImportError) as raised:
        read_staff_file(
            _write(tmp_path, "bad.yaml", "- name: Ayşe\n  role: technician\n  team: '05.21'\n  rank: 3\n")
        )
    assert raised.value.problems == ["line 1: unknown column(s) rank"]


def test_cli_import_is_all_or_nothing(
    cli_database: None, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The file is well-formed, but one team is unknown: nothing at all is written.
    path = _write(tmp_path, "staff.csv", CSV.replace("Teknik Servis Hizmetleri", "Uzay Ekibi"))
    assert main(["staff", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "1 problem(s), nothing was imported" in err and "line 3: unknown team 'Uzay Ekibi'" in err
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0
        assert session.scalar(select(func.count()).select_from(Team)) == 0

    assert main(["staff", "import", str(_write(tmp_path, "good.csv", CSV))]) == 0
    assert "3 people: 3 added, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert main(["staff", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(p["name"], p["role"], p["team"]) for p in listed] == [
        ("Ayşe Teknik", "technician", "05.21"),
        ("Veli Lider", "team_lead", "05.21"),
        ("Zeynep Çalışan", "employee", None),
    ]
    assert listed[1]["channels"] == [
        {"channel": "teams", "id": "aad-2", "reachable": False, "why_not": "no conversation yet"}
    ]
    assert main(["staff", "list"]) == 0
    table = capsys.readouterr().out
    assert "Ayşe Teknik" in table and "teams (no conversation yet)" in table


def test_cli_reports_a_missing_file(cli_database: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["staff", "import", "/nonexistent/staff.csv"]) == 2
    assert capsys.readouterr().err.strip() == "talepbot: no such file: /nonexistent/staff.csv"


def test_cli_routes_a_service_to_another_team(
    cli_database: None, engine: Engine, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["staff", "import", str(_write(tmp_path, "staff.csv", CSV))]) == 0
    assert main(["staff", "route", "05.23.012", "Teknik Servis Hizmetleri"]) == 0
    assert main(["staff", "route", "05.99", "05.21"]) == 2
    assert main(["staff", "route", "05.23", "Uzay Ekibi"]) == 2
    assert main(["staff", "route", "05.23"]) == 2
    capsys.readouterr()
    assert main(["staff", "teams"]) == 0
    out = capsys.readouterr().out
    assert "05.21  Teknik Servis Hizmetleri: Ayşe Teknik (technician), Veli Lider (team_lead)" in out
    assert "route 05.23.012 -> 05.21 Teknik Servis Hizmetleri" in out
    service = catalog.by_id("05.23.012")
    assert service is not None
    with session_factory(engine)() as session:
        team = team_for_service(session, service)
        assert team is not None and team.code == "05.21"
    assert main(["staff", "route", "05.23.012", "--remove"]) == 0
    with session_factory(engine)() as session:
        assert team_for_service(session, service) is None  # no 05.23 team exists
