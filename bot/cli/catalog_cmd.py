"""`talepbot catalog list|check`: show the service catalog and check an operator's edits."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bot.cli.errors import CliError
from bot.settings import get_settings
from bot.wiring import build_calendar
from catalog.calendar import BusinessCalendar
from catalog.durations import to_iso8601
from catalog.loader import CatalogError, load_catalog
from catalog.model import Catalog, Channel, Duration, Service
from catalog.validation import check_catalog


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("catalog", help="hizmet kataloğu")
    actions = parser.add_subparsers(dest="catalog_command", required=True, metavar="İŞLEM")
    listing = actions.add_parser("list", help="katalogdaki hizmetleri listele (CATALOG_PATH ya da paketteki)")
    listing.add_argument("--json", action="store_true", help="JSON olarak yaz")
    listing.set_defaults(handler=_list)
    check = actions.add_parser("check", help="katalog dosyasını denetle: hatalar ve uyarılar")
    check.add_argument(
        "file", nargs="?", type=Path, help="denetlenecek dosya (verilmezse CATALOG_PATH ya da paketteki)"
    )
    check.set_defaults(handler=_check)


def configured_catalog() -> Catalog:
    """The catalog CATALOG_PATH names, or the bundled one; CliError when it cannot be loaded."""
    try:
        return load_catalog(get_settings().catalog_path)
    except CatalogError as exc:
        problems = "\n  ".join(str(p) for p in exc.problems)
        raise CliError(f"the catalog cannot be loaded:\n  {problems}", exit_code=1) from None


def configured_calendar() -> BusinessCalendar:
    """The business calendar of the settings (TIMEZONE, WORK_DAYS, …); CliError names a bad setting."""
    try:
        return build_calendar(get_settings())
    except ValueError as exc:
        raise CliError(f"business calendar settings: {exc}") from exc


def _list(args: argparse.Namespace) -> int:
    catalog = configured_catalog()
    if args.json:
        print(json.dumps([service_json(s) for s in catalog.services], ensure_ascii=False, indent=2))
    else:
        print(_table(catalog))
    return 0


def _check(args: argparse.Namespace) -> int:
    report = check_catalog(args.file if args.file is not None else get_settings().catalog_path)
    for problem in report.errors:
        print(f"error: {problem}")
    for problem in report.warnings:
        print(f"warning: {problem}")
    if report.catalog is not None:
        catalog = report.catalog
        summary = f"{len(catalog.services)} services in {len(catalog.groups)} groups"
        print(f"{report.source}: {summary}, {len(catalog.active_services())} active")
    print(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    return 0 if report.ok else 1


def _channels(service: Service) -> list[str]:
    """In the catalog's column order, not set order, so output is stable."""
    return [c.value for c in Channel if c in service.channels]


def _iso(duration: Duration | None) -> str | None:
    return None if duration is None else to_iso8601(duration)


def service_json(service: Service) -> dict[str, Any]:
    return {
        "id": service.id,
        "code": service.code,
        "title": service.title,
        "group_code": service.group.code,
        "group_title": service.group.title,
        "scope": service.scope,
        "channels": _channels(service),
        "response": _iso(service.response),
        "resolution": _iso(service.resolution),
        "hours": service.hours.value,
        "contacts": list(service.contacts),
        "active": service.active,
    }


def _table(catalog: Catalog) -> str:
    """Services under their group headings, one aligned line each, as published."""
    header = ("ID", "HOURS", "RESPONSE", "RESOLUTION", "CHANNELS", "TITLE")
    rows = [
        (
            s.id,
            s.hours.value,
            s.response.text if s.response else "-",
            s.resolution.text if s.resolution else "-",
            ", ".join(_channels(s)),
            s.title + ("" if s.active else "  [inactive]"),
        )
        for s in catalog.services
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]

    def line(row: tuple[str, ...]) -> str:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        return "  ".join([*cells, row[-1]])

    lines = [line(header)]
    group = None
    for service, row in zip(catalog.services, rows, strict=True):
        if service.group != group:
            group = service.group
            lines.append(f"\n{group.code} {group.title}")
        lines.append(line(row))
    active = len(catalog.active_services())
    lines.append(f"\n{len(catalog.services)} services in {len(catalog.groups)} groups, {active} active")
    return "\n".join(lines)
