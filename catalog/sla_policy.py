"""The SLA reminder policy as data, and the pure time math of when its steps fall due.

A policy is a list of steps, each a percentage of an SLA window and who hears of it:

- below 100 %: a reminder; at 100 %: the breach; above 100 %: an escalation. The last step, when it is an
  escalation, repeats once per working day (every 24 hours for 7/24 services) while the ticket stays
  breached.
- the default, for the response window (until "Üstlen") and the resolution window alike:
  50 % assignee; 80 % assignee + team lead; 100 % assignee + team lead; 200 % manager, then daily.

Percentages are of working time for business-hours services and of elapsed time for 7/24 services (the same
measure as catalog.sla.elapsed). Paused time (waiting for the requester) moves every step still ahead by the
paused time, exactly as catalog.sla.extend moves the due time.

Quiet hours: for business-hours services nothing goes out outside working time; a step falling due then is
delivered at the next opening. 7/24 services reach on-call staff at any hour; others at the next opening.

Written in the settings as ``SLA_STEPS=50:assignee,80:assignee+team_lead,100:assignee+team_lead,200:manager``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from catalog.calendar import BusinessCalendar, as_utc
from catalog.model import ServiceHours
from catalog.sla import elapsed


class Audience(StrEnum):
    ASSIGNEE = "assignee"
    TEAM_LEAD = "team_lead"
    MANAGER = "manager"


class Window(StrEnum):
    RESPONSE = "response"  # from the clock start until the ticket is taken
    RESOLUTION = "resolution"  # from the clock start until it is resolved, minus paused time


class Stage(StrEnum):
    REMINDER = "reminder"
    BREACH = "breach"
    ESCALATION = "escalation"


@dataclass(frozen=True)
class Step:
    percent: int
    audience: frozenset[Audience]

    @property
    def stage(self) -> Stage:
        if self.percent < 100:
            return Stage.REMINDER
        return Stage.BREACH if self.percent == 100 else Stage.ESCALATION

    def kind(self, window: Window) -> str:
        """The notification kind, e.g. "reminder:response:50" (the format storage.notifications expects)."""
        return f"{self.stage}:{window}:{self.percent}"


DEFAULT_STEPS = "50:assignee,80:assignee+team_lead,100:assignee+team_lead,200:manager"


@dataclass(frozen=True)
class SlaPolicy:
    steps: tuple[Step, ...]  # by increasing percent
    repeat_last: bool = True  # repeat a final escalation once per working day while breached

    @classmethod
    def parse(cls, steps: str = DEFAULT_STEPS, repeat_last: bool = True) -> SlaPolicy:
        """From the SLA_STEPS setting; ValueError names the bad part."""
        parsed: list[Step] = []
        for part in (p.strip() for p in steps.split(",")):
            if not part:
                continue
            percent_text, sep, audience_text = part.partition(":")
            if not sep or not percent_text.strip().isdigit() or int(percent_text) <= 0:
                raise ValueError(f"SLA_STEPS: {part!r} is not PERCENT:AUDIENCE, e.g. 80:assignee+team_lead")
            try:
                audience = frozenset(Audience(a.strip()) for a in audience_text.split("+"))
            except ValueError:
                known = ", ".join(a.value for a in Audience)
                raise ValueError(f"SLA_STEPS: {part!r} names an unknown audience (known: {known})") from None
            parsed.append(Step(int(percent_text), audience))
        percents = [s.percent for s in parsed]
        if percents != sorted(set(percents)):
            raise ValueError(f"SLA_STEPS: percentages must be distinct and increasing, got {percents}")
        return cls(tuple(parsed), repeat_last)

    @property
    def repeating(self) -> Step | None:
        """The step repeated daily while breached: the last one, when it is an escalation."""
        if self.repeat_last and self.steps and self.steps[-1].stage is Stage.ESCALATION:
            return self.steps[-1]
        return None


DEFAULT_POLICY = SlaPolicy.parse()


@dataclass(frozen=True)
class SlaWindow:
    """One SLA window of a ticket as the storage records it."""

    hours: ServiceHours
    start: datetime  # the clock start
    due: datetime  # the due time, already moved on by the paused time
    paused: timedelta = timedelta(0)  # measured like catalog.sla.elapsed

    def length(self, calendar: BusinessCalendar) -> timedelta:
        """The promised duration (without the paused time)."""
        return max(elapsed(calendar, self.hours, self.start, self.due) - self.paused, timedelta(0))


def step_instant(calendar: BusinessCalendar, window: SlaWindow, percent: int) -> datetime:
    """When `percent` of the window's promised duration has run (100 % is the due time itself)."""
    if percent == 100:
        return as_utc(window.due).astimezone(calendar.zone)
    run = window.length(calendar) * percent / 100 + window.paused
    return _advance(calendar, window.hours, window.start, run)


def repeat_instant(calendar: BusinessCalendar, hours: ServiceHours, first: datetime, n: int) -> datetime:
    """The n-th daily repeat of an escalation first due at `first` (n = 0 is `first`)."""
    if hours is ServiceHours.ALWAYS:
        return as_utc(first).astimezone(calendar.zone) + timedelta(days=n)
    return calendar.add_working_days(first, n) if n else as_utc(first).astimezone(calendar.zone)


def next_repeat(
    calendar: BusinessCalendar, hours: ServiceHours, first: datetime, after: datetime
) -> tuple[int, datetime]:
    """The first daily repeat (index ≥ 1) strictly after `after`: a process down for days sends one, not a
    backlog."""
    n = 1
    if hours is ServiceHours.ALWAYS:
        behind = (as_utc(after) - as_utc(first)) // timedelta(days=1)
        n = max(1, behind)
    while (at := repeat_instant(calendar, hours, first, n)) <= as_utc(after):
        n += 1
    return n, at


def delivery_time(
    calendar: BusinessCalendar, hours: ServiceHours, instant: datetime, *, on_call: bool
) -> datetime:
    """Quiet hours: when a step due at `instant` may go out to a recipient."""
    if hours is ServiceHours.ALWAYS and on_call:
        return as_utc(instant).astimezone(calendar.zone)
    return calendar.next_opening(instant)


def _advance(calendar: BusinessCalendar, hours: ServiceHours, start: datetime, run: timedelta) -> datetime:
    if hours is ServiceHours.ALWAYS:
        return as_utc(start).astimezone(calendar.zone) + run
    return calendar.add_working(start, run)
