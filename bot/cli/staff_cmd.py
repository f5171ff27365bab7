"""`talepbot staff import|list|deactivate|activate|teams|route`: the employee and IT staff directory, who
is in the rotation, teams and routing."""

from __future__ import annotations

import argparse
import json
import shlex
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot.cli.catalog_cmd import configured_calendar, configured_catalog
from bot.cli.database import open_database
from bot.cli.errors import CliError
from catalog.clock import SystemClock
from storage.models import Person
from storage.rotation import Handover, activate, deactivate, find_directory_people
from storage.staff import COLUMNS, DirectoryEntry, StaffImportError, directory, import_staff, read_staff_file
from storage.teams import GROUP_CODE, find_team, group_team, remove_route, set_route, teams_and_routes


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("staff", help="personel rehberi (çalışanlar ve Bilgi İşlem personeli)")
    actions = parser.add_subparsers(dest="staff_command", required=True, metavar="İŞLEM")
    importing = actions.add_parser(
        "import", help=f"CSV ya da YAML dosyasından içe aktar (sütunlar: {', '.join(COLUMNS)})"
    )
    importing.add_argument("file", type=Path, help="personel dosyası (.csv, .yaml veya .yml)")
    importing.set_defaults(handler=_import)
    listing = actions.add_parser("list", help="rehberdekileri ve ulaşılabildikleri kanalları listele")
    listing.add_argument("--json", action="store_true", help="JSON olarak yaz")
    listing.set_defaults(handler=_list)
    who = "kişi: e-posta, telefon, Telegram kimliği, Teams AAD nesne kimliği ya da tam ad"
    deactivating = actions.add_parser(
        "deactivate",
        help="rotasyondan çıkar (ayrıldı, uzun izin): yeni iş ve hatırlatma almaz, açık işleri devredilir",
    )
    deactivating.add_argument("who", help=who)
    deactivating.set_defaults(handler=_deactivate)
    activating = actions.add_parser("activate", help="yeniden rotasyona al")
    activating.add_argument("who", help=who)
    activating.set_defaults(handler=_activate)
    teams = actions.add_parser("teams", help="ekipleri ve hizmet → ekip yönlendirmelerini listele")
    teams.set_defaults(handler=_teams)
    route = actions.add_parser(
        "route", help="bir hizmeti ya da hizmet grubunu bir ekibe yönlendir (varsayılan: grubun ekibi)"
    )
    route.add_argument("selector", help="hizmet kimliği (05.23.012) ya da grup kodu (05.23)")
    route.add_argument("team", nargs="?", help="ekip kodu ya da adı; --remove ile verilmez")
    route.add_argument("--remove", action="store_true", help="yönlendirmeyi kaldır (varsayılana dön)")
    route.set_defaults(handler=_route)


def _import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CliError(f"no such file: {args.file}")
    catalog = configured_catalog()
    factory = open_database()
    try:
        rows = read_staff_file(args.file)
        with factory.begin() as session:
            summary = import_staff(session, rows, catalog, SystemClock().now())
    except StaffImportError as exc:
        problems = "\n  ".join(exc.problems)
        raise CliError(
            f"{args.file}: {len(exc.problems)} problem(s), nothing was imported:\n  {problems}"
        ) from None
    total = len(summary.created) + len(summary.updated) + len(summary.unchanged)
    print(
        f"{args.file}: {total} people: {len(summary.created)} added, {len(summary.updated)} updated, "
        f"{len(summary.unchanged)} unchanged"
    )
    if summary.inactive:
        print(
            f"still out of the rotation: {', '.join(summary.inactive)} "
            "(`talepbot staff activate WHO` puts someone back)"
        )
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_database()() as session:
        entries = directory(session)
        if args.json:
            print(json.dumps([_json(e) for e in entries], ensure_ascii=False, indent=2))
        else:
            _print_table(entries)
    return 0


def _deactivate(args: argparse.Namespace) -> int:
    calendar = configured_calendar()
    with open_database().begin() as session:
        person = _one_person(session, args.who)
        handovers = deactivate(session, person, calendar, SystemClock().now())
        print(f"{_who(person)} is out of the rotation: no new tickets, reminders or escalations")
        for handover in handovers:
            print(_handover_line(handover))
        kept = [h.ticket for h in handovers if h.to is None]
        if kept:
            teams = ", ".join(sorted({t.team.code if t.team else "no team" for t in kept}))
            print(
                f"{len(kept)} open ticket(s) stay with {person.name or 'them'}: nobody active in their team "
                f"({teams}) can take them. Import or activate a technician or team lead there, then run "
                f"`talepbot staff deactivate {shlex.quote(args.who)}` again to hand them over."
            )
        elif not handovers:
            print("no open tickets to hand over")
    return 0


def _activate(args: argparse.Namespace) -> int:
    with open_database().begin() as session:
        person = _one_person(session, args.who)
        changed = activate(person)
        print(f"{_who(person)} is {'back in' if changed else 'already in'} the rotation")
    return 0


def _one_person(session: Session, who: str) -> Person:
    found = find_directory_people(session, who)
    if not found:
        raise CliError(f"nobody in the staff directory is {who!r}: see `talepbot staff list`")
    if len(found) > 1:
        raise CliError(
            f"{who!r} names {len(found)} people ({', '.join(map(_who, found))}): use an e-mail or phone"
        )
    return found[0]


def _who(person: Person) -> str:
    return f"{person.name or 'person'} (id {person.id})"


def _handover_line(handover: Handover) -> str:
    ticket = handover.ticket
    if handover.to is None:
        return f"  {ticket.number} ({ticket.status.value}): kept, nobody can take it"
    return f"  {ticket.number} ({ticket.status.value}): handed over to {_who(handover.to)}"


def _teams(args: argparse.Namespace) -> int:
    with open_database()() as session:
        teams, routes = teams_and_routes(session)
        for team in teams:
            members = ", ".join(
                f"{p.name} ({p.staff_role.value if p.staff_role else p.kind.value})" for p in team.members
            )
            print(f"{team.code}  {team.name}: {members or 'no members'}")
        if not teams:
            print("no teams yet: `talepbot staff import FILE` creates them from the team column")
        for r in routes:
            print(f"route {r.selector} -> {r.team.code} {r.team.name}")
    return 0


def _route(args: argparse.Namespace) -> int:
    catalog = configured_catalog()
    selector = args.selector.strip()
    known = {s.id for s in catalog.services} | {g.code for g in catalog.groups}
    if selector not in known:
        raise CliError(f"{selector!r} is neither a service id nor a service group code of the catalog")
    if args.remove == bool(args.team):
        raise CliError("give a team, or --remove to drop the route")
    with open_database().begin() as session:
        if args.remove:
            removed = remove_route(session, selector)
            print(f"route of {selector} removed" if removed else f"{selector} had no route")
            return 0
        team = (
            group_team(session, args.team, catalog)
            if GROUP_CODE.match(args.team)
            else find_team(session, args.team)
        )
        if team is None:
            raise CliError(f"unknown team {args.team!r}: see `talepbot staff teams`")
        set_route(session, selector, team)
        print(f"new tickets for {selector} go to team {team.code} {team.name}")
    return 0


def _json(entry: DirectoryEntry) -> dict[str, Any]:
    person = entry.person
    return {
        "id": person.id,
        "name": person.name,
        "role": entry.role,
        "team": person.team.code if person.team else None,
        "email": person.email,
        "phone": person.phone,
        "on_call": person.on_call,
        "active": person.active,
        "channels": [
            {"channel": r.channel.value, "id": r.external_id, "reachable": r.reachable, "why_not": r.why_not}
            for r in entry.reach
        ],
    }


def _print_table(entries: list[DirectoryEntry]) -> None:
    if not entries:
        print("the directory is empty: import it with `talepbot staff import FILE`")
        return
    rows = [("NAME", "ROLE", "TEAM", "ON CALL", "REACHABLE ON")]
    for entry in entries:
        person = entry.person
        reach = ", ".join(
            r.channel.value if r.reachable else f"{r.channel.value} ({r.why_not})" for r in entry.reach
        )
        rows.append(
            (
                (person.name or "-") + ("" if person.active else " (inactive)"),
                entry.role,
                person.team.code if person.team else "-",
                "yes" if person.on_call else "",
                reach or "none",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])
