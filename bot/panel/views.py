"""The panel's pages as plain functions of a request inside one database transaction.

A view returns a Page (template and values), a Redirect or a Download, and raises Refused (403) or
Problem (another status) with a Turkish message; the server turns them into responses.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session

from bot import texts
from bot.cli.sla_report_cmd import day_start
from bot.engine.errors import explain
from bot.panel import charts
from catalog.calendar import BusinessCalendar
from storage import tickets
from storage.errors import NotAuthorised, StorageError, TicketNotFound
from storage.models import OPEN_STATUSES, Person, StaffRole, Ticket, TicketStatus
from storage.notifications import notifications_of
from storage.panel_board import (
    BOARD_ROWS,
    BoardFilter,
    board,
    filter_choices,
    may_see_personal_data,
    may_view,
    reassign_candidates,
    sees_everything,
    staff_page,
)
from storage.sla_report import Figures, SlaReport, SlaSeries, sla_report_with_series

L = texts.PANEL_LABELS
REPORT_WEEKS = 12  # the report's default period: the last twelve weeks up to today


@dataclass
class Ctx:
    session: Session
    person: Person
    now: datetime
    calendar: BusinessCalendar
    query: Mapping[str, str]
    form: Mapping[str, str]
    match: Mapping[str, str]


@dataclass(frozen=True)
class Page:
    template: str
    values: dict[str, Any] = field(default_factory=dict)
    status: int = 200


@dataclass(frozen=True)
class Redirect:
    location: str
    changed: bool = False  # tickets changed: the scheduler should look at their notifications now


@dataclass(frozen=True)
class Download:
    body: str
    filename: str


class Problem(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Refused(Problem):
    def __init__(self, message: str) -> None:
        super().__init__(403, message)


View = Page | Redirect | Download


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _status(text: str | None) -> TicketStatus | None:
    try:
        return TicketStatus(text) if text else None
    except ValueError:
        return None


def board_page(ctx: Ctx) -> Page:
    q = ctx.query
    chosen = BoardFilter(
        _int(q.get("ekip")), q.get("hizmet") or None, _int(q.get("atanan")), _status(q.get("durum"))
    )
    found = board(ctx.session, ctx.person, ctx.calendar, ctx.now, chosen)
    template = "board_rows.html" if q.get("parca") else "board.html"
    return Page(
        template,
        {
            "board": found,
            "chosen": chosen,
            "choices": filter_choices(ctx.session),
            "statuses": [
                (s.value, texts.status_name(s.value, requester=False))
                for s in TicketStatus
                if s in OPEN_STATUSES
            ],
            "shown_limit": BOARD_ROWS,
        },
    )


def ticket_page(ctx: Ctx) -> Page:
    ticket = _viewable(ctx)
    leads = ticket.is_open and tickets.may_reassign(ctx.person, ticket)
    return Page(
        "ticket.html",
        {
            "ticket": ticket,
            "personal": may_see_personal_data(ctx.person, ticket),
            "leads": leads,
            "candidates": reassign_candidates(ctx.session, ticket) if leads else [],
            "notifications": notifications_of(ctx.session, ticket.id),
            "done": {"yonlendirildi": L["done_reassigned"], "not": L["done_note"]}.get(
                ctx.query.get("tamam", "")
            ),
        },
    )


def reassign(ctx: Ctx) -> Redirect:
    ticket = _viewable(ctx)
    assignee = ctx.session.get(Person, _int(ctx.form.get("atanan")) or 0)
    if assignee is None:
        raise Problem(400, L["reassign_to"] + ": ?")
    _act(lambda: tickets.reassign(ctx.session, ticket, ctx.person, assignee, ctx.now))
    return Redirect(f"/talep/{ticket.number}?tamam=yonlendirildi", changed=True)


def add_note(ctx: Ctx) -> Redirect:
    ticket = _viewable(ctx)
    if not tickets.may_reassign(ctx.person, ticket):
        raise Refused(L["leads_only"])
    _act(lambda: tickets.add_note(ctx.session, ticket, ctx.person, ctx.form.get("metin", ""), ctx.now))
    return Redirect(f"/talep/{ticket.number}?tamam=not", changed=True)


def _viewable(ctx: Ctx) -> Ticket:
    try:
        ticket = tickets.get_ticket(ctx.session, ctx.match["number"])
    except TicketNotFound:
        raise Problem(404, L["not_found"]) from None
    if not may_view(ctx.person, ticket):
        raise Refused(L["not_your_ticket"])
    return ticket


def _act(operation: Any) -> None:
    try:
        operation()
    except NotAuthorised:
        raise Refused(L["leads_only"]) from None
    except StorageError as exc:
        raise Problem(409, explain(exc)) from None


# --- report ----------------------------------------------------------------------------------------------


def _may_report(person: Person) -> None:
    if not (sees_everything(person) or person.staff_role is StaffRole.TEAM_LEAD):
        raise Refused(L["report_for"])


def _period(ctx: Ctx) -> tuple[date, date]:
    """The chosen days, inclusive (HTML date inputs send YYYY-MM-DD); the last twelve weeks by default."""
    today = ctx.now.astimezone(ctx.calendar.zone).date()
    try:
        first = (
            date.fromisoformat(ctx.query["bas"])
            if ctx.query.get("bas")
            else today - timedelta(weeks=REPORT_WEEKS)
        )
        last = date.fromisoformat(ctx.query["son"]) if ctx.query.get("son") else today
    except ValueError:
        raise Problem(400, L["bad_date"]) from None
    if first > last:
        raise Problem(400, L["bad_date"])
    return first, last


def _report(ctx: Ctx) -> tuple[date, date, SlaReport, SlaSeries]:
    _may_report(ctx.person)
    first, last = _period(ctx)
    start = day_start(ctx.calendar, first)
    end = day_start(ctx.calendar, last, next_day=True)
    report, series = sla_report_with_series(ctx.session, ctx.calendar, ctx.now, start, end)
    return first, last, report, series


def report_page(ctx: Ctx) -> Page:
    first, last, report, series = _report(ctx)
    values = {"first": first, "last": last, "report": report, "charts": _charts(report, series)}
    return Page("report.html", values)


TOP_SERVICES = 10


def _charts(report: SlaReport, series: SlaSeries) -> list[Markup]:
    weeks = [w.monday.strftime("%d.%m") for w in series.weeks]
    by_volume = sorted(report.by_service, key=lambda r: -r.figures.opened)[:TOP_SERVICES]
    by_breach = sorted(report.by_service, key=lambda r: -r.figures.in_breach_now)[:TOP_SERVICES]
    return [
        charts.lines(
            L["chart_weekly_sla"],
            weeks,
            [
                (L["response_met"], [w.figures.response_met_pct for w in series.weeks]),
                (L["resolution_met"], [w.figures.resolution_met_pct for w in series.weeks]),
            ],
            100,
        ),
        charts.bars(L["chart_daily"], [(d.strftime("%d.%m"), n) for d, n in series.opened_per_day]),
        charts.hbars(
            L["chart_top_volume"], [(r.label, r.figures.opened) for r in by_volume if r.figures.opened]
        ),
        charts.hbars(
            L["chart_top_breaches"],
            [(r.label, r.figures.in_breach_now) for r in by_breach if r.figures.in_breach_now],
        ),
        charts.hbars(L["chart_workload"], [(team or L["no_team"], n) for team, n in series.open_by_team]),
        charts.lines(
            L["chart_satisfaction"], weeks, [(L["satisfaction"], [w.satisfaction for w in series.weeks])], 5
        ),
    ]


_CSV_COLUMNS = (
    "opened",
    "response_met_pct",
    "resolution_met_pct",
    "median_take_minutes",
    "median_resolve_minutes",
    "in_breach_now",
)


def report_csv(ctx: Ctx) -> Download:
    """The report's figures as CSV (';' and decimal commas, as Turkish spreadsheets read them)."""
    first, last, report, series = _report(ctx)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["bolum", "anahtar", "ad", *_CSV_COLUMNS, "memnuniyet"])

    def cells(f: Figures) -> list[str]:
        return [_csv_number(getattr(f, c)) for c in _CSV_COLUMNS]

    for section, rows in (("hizmet", report.by_service), ("ekip", report.by_team)):
        writer.writerows([section, r.key, r.label, *cells(r.figures), ""] for r in rows)
    writer.writerow(["toplam", "", "", *cells(report.total), ""])
    for week in series.weeks:
        writer.writerow(
            ["hafta", week.monday.isoformat(), "", *cells(week.figures), _csv_number(week.satisfaction)]
        )
    writer.writerows(
        ["gun", day.isoformat(), "", str(n), "", "", "", "", "", ""] for day, n in series.opened_per_day
    )
    return Download("\ufeff" + out.getvalue(), f"sla-raporu-{first.isoformat()}-{last.isoformat()}.csv")


def _csv_number(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


# --- teams -----------------------------------------------------------------------------------------------


def teams_page(ctx: Ctx) -> Page:
    return Page("teams.html", {"entries": staff_page(ctx.session)})
