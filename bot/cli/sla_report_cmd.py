"""`talepbot sla report [--from DATE] [--to DATE] [--json]`: SLA figures per service and per team
(definitions in storage.sla_report)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.cli.catalog_cmd import configured_calendar
from bot.cli.database import open_database
from bot.cli.errors import CliError
from catalog.calendar import BusinessCalendar
from catalog.clock import SystemClock
from storage.sla_report import Figures, Row, SlaReport, sla_report

_COLUMNS = ("opened", "resp. met %", "resol. met %", "median take", "median resolve", "in breach now")


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `report` under `talepbot sla`."""
    report = actions.add_parser("report", help="hizmet ve ekip bazında SLA raporu")
    report.add_argument("--from", dest="date_from", help="bu günden (dahil) açılan talepler, YYYY-AA-GG")
    report.add_argument("--to", dest="date_to", help="bu güne kadar (dahil) açılan talepler, YYYY-AA-GG")
    report.add_argument("--json", action="store_true", help="JSON olarak yaz")
    report.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    calendar = configured_calendar()
    start = day_start(calendar, _parse_date("--from", args.date_from))
    end = day_start(calendar, _parse_date("--to", args.date_to), next_day=True)
    if start is not None and end is not None and start >= end:
        raise CliError(f"--from {args.date_from} is after --to {args.date_to}")
    sessions = open_database()
    with sessions() as session:
        report = sla_report(session, calendar, SystemClock().now(), start, end)
    print(json.dumps(_json(report), ensure_ascii=False, indent=2) if args.json else _table(report, calendar))
    return 0


def _parse_date(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CliError(f"{option} {text!r} is not a date such as 2026-11-01") from None


def day_start(calendar: BusinessCalendar, day: date | None, next_day: bool = False) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1 if next_day else 0), time(), tzinfo=calendar.zone)


def _json(report: SlaReport) -> dict[str, Any]:
    def when(t: datetime | None) -> str | None:
        return t.isoformat() if t else None

    def row(r: Row) -> dict[str, Any]:
        return {"key": r.key, "label": r.label, **asdict(r.figures)}

    return {
        "from": when(report.start),
        "to": when(report.end),
        "now": when(report.now),
        "services": [row(r) for r in report.by_service],
        "teams": [row(r) for r in report.by_team],
        "total": asdict(report.total),
    }


def _table(report: SlaReport, calendar: BusinessCalendar) -> str:
    zone = calendar.zone
    period = (
        f"{report.start.astimezone(zone):%Y-%m-%d}" if report.start else "the beginning",
        f"{(report.end - timedelta(days=1)).astimezone(zone):%Y-%m-%d}" if report.end else "now",
    )
    as_of = f"{report.now.astimezone(zone):%Y-%m-%d %H:%M}"
    lines = [f"Tickets opened from {period[0]} to {period[1]}; breaches as of {as_of}"]
    for title, rows in (("Per service", report.by_service), ("Per team", report.by_team)):
        lines += ["", title, _line(title.lower(), _COLUMNS)]
        lines += [_line(r.label, _cells(r.figures)) for r in rows] or ["  (no tickets)"]
    lines += ["", _line("total", _cells(report.total))]
    lines.append("Times are SLA time (working time for business-hours services); '-': nothing decided yet.")
    return "\n".join(lines)


def _cells(f: Figures) -> tuple[str, ...]:
    return (
        str(f.opened),
        _num(f.response_met_pct),
        _num(f.resolution_met_pct),
        _duration(f.median_take_minutes),
        _duration(f.median_resolve_minutes),
        str(f.in_breach_now),
    )


def _line(label: str, cells: tuple[str, ...]) -> str:
    short = label if len(label) <= 48 else label[:47] + "…"
    return f"{short:<48}" + "".join(f"{c:>15}" for c in cells)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _duration(minutes: float | None) -> str:
    if minutes is None:
        return "-"
    hours, rest = divmod(round(minutes), 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"
