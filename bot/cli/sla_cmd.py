"""`talepbot sla due`: when a ticket for a service opened at a given instant is due (rules in catalog.sla);
`talepbot sla report` lives in bot.cli.sla_report_cmd."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from bot.cli import sla_report_cmd
from bot.cli.catalog_cmd import configured_calendar, configured_catalog
from bot.cli.errors import CliError
from catalog.model import Catalog, Service
from catalog.sla import deadlines

FIRST_YEAR = 1970
LAST_YEAR = 2999


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("sla", help="SLA süreleri")
    actions = parser.add_subparsers(dest="sla_command", required=True, metavar="İŞLEM")
    due = actions.add_parser("due", help="bir talebin ele alma ve tamamlanma zamanlarını hesapla (JSON)")
    due.add_argument(
        "--service", required=True, help="hizmet kodu veya kimliği, ör. 05.21.001 ya da 05.26.006-a"
    )
    due.add_argument(
        "--at",
        required=True,
        help="talebin açıldığı an, ISO-8601 (ör. 2026-10-28T12:30+03:00); saat dilimi yoksa TIMEZONE ayarı",
    )
    due.set_defaults(handler=_due)
    sla_report_cmd.register(actions)


def _due(args: argparse.Namespace) -> int:
    calendar = configured_calendar()
    service = _find_service(configured_catalog(), args.service)
    opened_at = _parse_instant(args.at)
    if opened_at.tzinfo is None:
        opened_at = opened_at.replace(tzinfo=calendar.zone)
    result = deadlines(calendar, service, opened_at)
    print(
        json.dumps(
            {
                "service": service.id,
                "start": result.start.isoformat(),
                "response_due": result.response_due.isoformat(),
                "resolution_due": result.resolution_due.isoformat(),
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    return 0


def _find_service(catalog: Catalog, code_or_id: str) -> Service:
    """By id first (ids are unique), then by published code when exactly one service has it."""
    service = catalog.by_id(code_or_id)
    if service is None:
        matches = catalog.by_code(code_or_id)
        if len(matches) > 1:
            choices = ", ".join(f"{s.id} ({s.title})" for s in matches)
            raise CliError(f"code {code_or_id} is used by {len(matches)} services; pass one id: {choices}")
        if not matches:
            raise CliError(f"no service with code or id {code_or_id!r} (see `talepbot catalog list`)")
        service = matches[0]
    if not service.active:
        raise CliError(f"service {service.id} is an inactive placeholder without SLA times")
    return service


def _parse_instant(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CliError(
            f"--at {text!r} is not an ISO-8601 timestamp such as 2026-10-28T12:30 or 2026-10-28T12:30+03:00"
        ) from None
    # Far enough from the ends of datetime's range that no deadline computed from it overflows.
    if not FIRST_YEAR <= instant.year <= LAST_YEAR:
        raise CliError(f"--at {text!r}: the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return instant
