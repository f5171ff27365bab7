"""`talepbot tickets list [--status S] [--json]` and `talepbot tickets show NUMBER [--json]`."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from bot.cli.catalog_cmd import configured_calendar
from bot.cli.database import open_database
from bot.cli.errors import CliError
from storage.errors import TicketNotFound
from storage.models import Person, Ticket, TicketStatus
from storage.notifications import notifications_of
from storage.tickets import find_tickets, get_ticket, unattended_tickets


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("tickets", help="talepler")
    actions = parser.add_subparsers(dest="tickets_command", required=True, metavar="İŞLEM")
    listing = actions.add_parser("list", help="talepleri listele (en yeni önce)")
    listing.add_argument(
        "--status", choices=[s.value for s in TicketStatus], help="yalnızca bu durumdaki talepler"
    )
    listing.add_argument(
        "--unassigned",
        action="store_true",
        help="yalnızca kimsenin ilgilenmediği açık talepler: atanmamış ya da atanan kişiye ulaşılamıyor",
    )
    listing.add_argument("--limit", type=int, default=200, help="en çok kaç talep (varsayılan 200)")
    listing.add_argument("--json", action="store_true", help="JSON olarak yaz")
    listing.set_defaults(handler=_list)
    show = actions.add_parser("show", help="bir talebi olay geçmişiyle göster")
    show.add_argument("number", help="talep numarası, ör. BIM-2026-000042")
    show.add_argument("--json", action="store_true", help="JSON olarak yaz")
    show.set_defaults(handler=_show)


def _when(value: datetime | None, zone: tzinfo) -> str | None:
    return value.astimezone(zone).isoformat(timespec="minutes") if value else None


def _name(person: Person | None) -> str | None:
    return (person.name or f"person {person.id}") if person else None


def _summary(ticket: Ticket, zone: tzinfo) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "status": ticket.status.value,
        "service": {"id": ticket.service_id, "code": ticket.service_code, "title": ticket.service_title},
        "team": ticket.team.code if ticket.team else None,
        "assignee": _name(ticket.assignee),
        "requester": _name(ticket.requester),
        "created_at": _when(ticket.created_at, zone),
        "response_due": _when(ticket.response_due, zone),
        "resolution_due": _when(ticket.resolution_due, zone),
    }


def _list(args: argparse.Namespace) -> int:
    zone = configured_calendar().zone
    status = TicketStatus(args.status) if args.status else None
    with open_database()() as session:
        listed = (
            unattended_tickets(session, args.limit)
            if args.unassigned
            else find_tickets(session, status, args.limit)
        )
        found = [_summary(t, zone) for t in listed if status is None or t.status is status]
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("no tickets" + (f" with status {args.status}" if args.status else ""))
        return 0
    for t in found:
        print(
            f"{t['number']}  {t['status']:<21}  {t['service']['code']:<11}  team {t['team'] or '-':<5}  "
            f"{t['assignee'] or 'unassigned':<20}  opened {t['created_at']}  resolve by {t['resolution_due']}"
        )
    return 0


def _show(args: argparse.Namespace) -> int:
    zone = configured_calendar().zone
    with open_database()() as session:
        try:
            ticket = get_ticket(session, args.number)
        except TicketNotFound:
            raise CliError(f"no ticket {args.number}", exit_code=1) from None
        detail = _detail(session, ticket, zone)
    if args.json:
        print(json.dumps(detail, ensure_ascii=False, indent=2))
    else:
        _print_detail(detail)
    return 0


def _detail(session: Session, ticket: Ticket, zone: tzinfo) -> dict[str, Any]:
    notifications = notifications_of(session, ticket.id)
    return _summary(ticket, zone) | {
        "text": ticket.requester_text,
        "channel": ticket.channel.value,
        "location": ticket.location,
        "contact": ticket.contact,
        "acknowledged_at": _when(ticket.acknowledged_at, zone),
        "resolved_at": _when(ticket.resolved_at, zone),
        "closed_at": _when(ticket.closed_at, zone),
        "cancelled_at": _when(ticket.cancelled_at, zone),
        "paused_minutes": ticket.paused_seconds // 60,
        "satisfaction": ticket.satisfaction,
        "resolution_note": ticket.resolution_note,
        "attachments": [a.file_name or a.file_id or a.stored_path for a in ticket.attachments],
        "anonymised_at": _when(ticket.anonymised_at, zone),
        "events": [
            {
                "at": _when(e.at, zone),
                "kind": e.kind,
                "actor": _name(e.actor) or "system",
                "from": e.from_status.value if e.from_status else None,
                "to": e.to_status.value if e.to_status else None,
                "note": e.note,
            }
            for e in ticket.events
        ],
        "notifications": [
            {
                "kind": n.kind,
                "recipient": _name(n.recipient),
                "due_at": _when(n.due_at, zone),
                "status": n.status.value,
                "sent_at": _when(n.sent_at, zone),
                "channel": n.channel.value if n.channel else None,
                "attempts": n.attempts,
                "last_error": n.last_error,
            }
            for n in notifications
        ],
    }


def _print_detail(d: dict[str, Any]) -> None:
    print(f"{d['number']}  [{d['status']}]  {d['service']['code']} {d['service']['title']}")
    for label, key in (
        ("requester", "requester"),
        ("channel", "channel"),
        ("text", "text"),
        ("location", "location"),
        ("contact", "contact"),
        ("team", "team"),
        ("assignee", "assignee"),
        ("opened", "created_at"),
        ("response due", "response_due"),
        ("taken", "acknowledged_at"),
        ("resolution due", "resolution_due"),
        ("resolved", "resolved_at"),
        ("resolution note", "resolution_note"),
        ("closed", "closed_at"),
        ("cancelled", "cancelled_at"),
        ("satisfaction", "satisfaction"),
        ("anonymised", "anonymised_at"),
    ):
        if d[key] not in (None, ""):
            print(f"  {label + ':':<17}{d[key]}")
    if d["paused_minutes"]:
        print(f"  {'paused:':<17}{d['paused_minutes']} min")
    if d["attachments"]:
        print(f"  {'attachments:':<17}{', '.join(d['attachments'])}")
    print("history:")
    for e in d["events"]:
        move = f" {e['from']} -> {e['to']}" if e["from"] and e["from"] != e["to"] else ""
        note = f": {e['note']}" if e["note"] else ""
        print(f"  {e['at']}  {e['kind']:<17} by {e['actor']}{move}{note}")
    if d["notifications"]:
        print("notifications:")
        for n in d["notifications"]:
            via = f" via {n['channel']}" if n["channel"] else ""
            error = f" ({n['last_error']})" if n["last_error"] else ""
            print(f"  {n['due_at']}  {n['kind']:<24} to {n['recipient']}: {n['status']}{via}{error}")
