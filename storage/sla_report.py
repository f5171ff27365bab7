"""SLA figures per service and per team, for `talepbot sla report`.

For the tickets opened in the period:

- response met %: of the tickets whose response is decided, those taken by the response due time. A ticket
  not taken is decided (missed) once its due time has passed; a cancelled one never taken is left out.
- resolution met %: of the tickets whose resolution is decided, those resolved by the (pause-extended)
  resolution due time; an open one past its due time counts as missed; cancelled ones are left out.
- median time to take and to resolve: SLA time (working time for business-hours services, elapsed time for
  7/24 ones, paused time left out) from the clock start, in minutes.

"In breach now" counts every open ticket past a due time at `now`, whenever it was opened.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from catalog.calendar import BusinessCalendar
from catalog.model import ServiceHours
from catalog.sla import elapsed
from storage.models import OPEN_STATUSES, Ticket, TicketStatus


@dataclass(frozen=True)
class Figures:
    opened: int
    response_met_pct: float | None  # None: nothing decided yet
    resolution_met_pct: float | None
    median_take_minutes: float | None
    median_resolve_minutes: float | None
    in_breach_now: int


@dataclass(frozen=True)
class Row:
    key: str  # service id or team code ("" for tickets without a team)
    label: str
    figures: Figures


@dataclass(frozen=True)
class SlaReport:
    start: datetime | None
    end: datetime | None
    now: datetime
    by_service: list[Row]
    by_team: list[Row]
    total: Figures


def sla_report(
    session: Session,
    calendar: BusinessCalendar,
    now: datetime,
    start: datetime | None = None,
    end: datetime | None = None,
) -> SlaReport:
    """Figures for tickets opened in [start, end) (open-ended where None)."""
    in_period, open_now = _load(session, start, end)
    measure = _Measure(calendar, now)
    return _report(measure, now, start, end, in_period, [t for t in open_now if in_breach(t, now)])


def sla_report_with_series(
    session: Session,
    calendar: BusinessCalendar,
    now: datetime,
    start: datetime | None = None,
    end: datetime | None = None,
) -> tuple[SlaReport, SlaSeries]:
    """The report and its figures over time (the panel's charts), from one reading of the tickets."""
    in_period, open_now = _load(session, start, end)
    measure = _Measure(calendar, now)
    report = _report(measure, now, start, end, in_period, [t for t in open_now if in_breach(t, now)])
    return report, _series(calendar, measure, in_period, open_now)


def _load(
    session: Session, start: datetime | None, end: datetime | None
) -> tuple[list[Ticket], list[Ticket]]:
    """The tickets opened in the period, and every open ticket."""
    opened = select(Ticket).options(joinedload(Ticket.team))
    if start is not None:
        opened = opened.where(Ticket.created_at >= start)
    if end is not None:
        opened = opened.where(Ticket.created_at < end)
    in_period = list(session.scalars(opened))
    open_now = list(
        session.scalars(
            select(Ticket).options(joinedload(Ticket.team)).where(Ticket.status.in_(OPEN_STATUSES))
        )
    )
    return in_period, open_now


def _report(
    measure: _Measure,
    now: datetime,
    start: datetime | None,
    end: datetime | None,
    in_period: list[Ticket],
    breached_now: list[Ticket],
) -> SlaReport:

    def rows(key: Callable[[Ticket], tuple[str, str]]) -> list[Row]:
        groups: dict[tuple[str, str], list[Ticket]] = defaultdict(list)
        breaches: dict[tuple[str, str], int] = defaultdict(int)
        for ticket in in_period:
            groups[key(ticket)].append(ticket)
        for ticket in breached_now:
            breaches[key(ticket)] += 1
        return [
            Row(k, label, measure.figures(groups.get((k, label), []), breaches[(k, label)]))
            for k, label in sorted(set(groups) | set(breaches))
        ]

    return SlaReport(
        start=start,
        end=end,
        now=now,
        by_service=rows(lambda t: (t.service_id, f"{t.service_code} {t.service_title}")),
        by_team=rows(lambda t: (t.team.code, t.team.name) if t.team else ("", "(no team)")),
        total=measure.figures(in_period, len(breached_now)),
    )


@dataclass(frozen=True)
class Week:
    monday: date
    figures: Figures
    satisfaction: float | None  # mean rating of the week's rated tickets


@dataclass(frozen=True)
class SlaSeries:
    weeks: list[Week]  # weeks (Monday to Sunday) of the opening dates, in order
    opened_per_day: list[tuple[date, int]]  # every day from the first to the last opening
    open_by_team: list[tuple[str, int]]  # open tickets now, per team label, most first


def _series(
    calendar: BusinessCalendar, measure: _Measure, in_period: list[Ticket], open_now: list[Ticket]
) -> SlaSeries:
    by_week: dict[date, list[Ticket]] = defaultdict(list)
    per_day: dict[date, int] = defaultdict(int)
    for ticket in in_period:
        day = ticket.created_at.astimezone(calendar.zone).date()
        per_day[day] += 1
        by_week[day - timedelta(days=day.weekday())].append(ticket)
    weeks = [
        Week(monday, measure.figures(tickets, 0), _mean(t.satisfaction for t in tickets))
        for monday, tickets in sorted(by_week.items())
    ]
    days: list[tuple[date, int]] = []
    if per_day:
        first, last = min(per_day), max(per_day)
        days = [
            (first + timedelta(days=n), per_day[first + timedelta(days=n)])
            for n in range((last - first).days + 1)
        ]
    workload: dict[str, int] = defaultdict(int)
    for ticket in open_now:
        workload[ticket.team.name if ticket.team else ""] += 1
    return SlaSeries(weeks, days, sorted(workload.items(), key=lambda item: (-item[1], item[0])))


def _mean(values: Iterable[int | None]) -> float | None:
    rated = [v for v in values if v is not None]
    return round(sum(rated) / len(rated), 2) if rated else None


def in_breach(ticket: Ticket, now: datetime) -> bool:
    """An open ticket past its response due time untaken, or past its resolution due time (a paused ticket
    only if it was already late when the pause began)."""
    if ticket.status not in OPEN_STATUSES:
        return False
    return (ticket.acknowledged_at is None and ticket.response_due <= now) or _resolution_late(ticket, now)


def _resolution_late(ticket: Ticket, now: datetime) -> bool:
    checked_at = ticket.paused_since if ticket.paused_since is not None else now
    return ticket.resolution_due <= checked_at


class _Measure:
    """Figures of groups of tickets; each ticket's SLA times are measured once, however many groups (service,
    team, total, week) it is counted in."""

    def __init__(self, calendar: BusinessCalendar, now: datetime) -> None:
        self._calendar = calendar
        self._now = now
        self._times: dict[int, tuple[timedelta | None, timedelta | None]] = {}

    def figures(self, tickets: list[Ticket], breaches: int) -> Figures:
        response = [self._response_met(t) for t in tickets]
        resolution = [self._resolution_met(t) for t in tickets]
        times = [self._take_and_resolve(t) for t in tickets]
        takes = [take for take, _ in times if take is not None]
        resolves = [resolve for _, resolve in times if resolve is not None]
        return Figures(
            opened=len(tickets),
            response_met_pct=_percent(response),
            resolution_met_pct=_percent(resolution),
            median_take_minutes=_median_minutes(takes),
            median_resolve_minutes=_median_minutes(resolves),
            in_breach_now=breaches,
        )

    def _take_and_resolve(self, t: Ticket) -> tuple[timedelta | None, timedelta | None]:
        found = self._times.get(t.id)
        if found is None:
            take = self._sla_time(t, t.acknowledged_at) if t.acknowledged_at is not None else None
            resolve = self._sla_time(t, t.resolved_at) - t.paused if t.resolved_at is not None else None
            found = self._times[t.id] = (take, resolve)
        return found

    def _response_met(self, t: Ticket) -> bool | None:
        if t.acknowledged_at is not None:
            return t.acknowledged_at <= t.response_due
        if t.status is TicketStatus.CANCELLED or t.response_due > self._now:
            return None
        return False

    def _resolution_met(self, t: Ticket) -> bool | None:
        if t.status is TicketStatus.CANCELLED:
            return None
        if t.resolved_at is not None:
            return t.resolved_at <= t.resolution_due
        return False if t.status in OPEN_STATUSES and _resolution_late(t, self._now) else None

    def _sla_time(self, t: Ticket, until: datetime) -> timedelta:
        return max(
            elapsed(self._calendar, ServiceHours(t.service_hours), t.clock_start_at, until), timedelta(0)
        )


def _percent(outcomes: Iterable[bool | None]) -> float | None:
    decided = [o for o in outcomes if o is not None]
    return round(100 * sum(decided) / len(decided), 1) if decided else None


def _median_minutes(durations: list[timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() for d in durations) / 60, 1)
