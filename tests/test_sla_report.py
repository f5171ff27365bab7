"""`talepbot sla report` on both databases: the figures per service, per team and in total for a week of
tickets whose every deadline is long past (so the real clock the command uses cannot change them)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sla_world import World, at, operator_settings
from sqlalchemy.engine import URL

from bot.cli import main
from bot.settings import get_settings
from storage import tickets
from storage.models import Person


@pytest.fixture
def week(db_url: URL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Operator's catalog: 05.21.001 business hours, 2 h / 1 day; 05.22.001 7/24, 30 min / 4 h."""
    settings = operator_settings(tmp_path, db_url)
    world = World(settings)
    sessions = world.sessions()
    people = world.seed(sessions)

    def day(d: int, hour: int, minute: int = 0) -> datetime:
        return at(1, d, hour, minute, year=2026)  # Monday 12 January 2026 is an ordinary working day

    def life(service: str, opened: datetime, taken: datetime | None, resolved: datetime | None) -> str:
        number = world.open(sessions, service, people.requester, opened)
        with sessions() as session, session.begin():
            ticket = tickets.get_ticket(session, number)
            tech = session.get_one(Person, ticket.assignee_id)
            if taken:
                tickets.take(session, ticket, tech, taken)
            if resolved:
                tickets.resolve(session, ticket, tech, "Giderildi", resolved, world.calendar)
        return number

    life("05.21.001", day(12, 10), day(12, 10, 30), day(12, 15))  # take 30 min, resolve 5 h: both met
    life("05.21.001", day(12, 11), day(12, 14), day(13, 12))  # take 3 h, resolve 10 h: both missed
    life("05.21.001", day(12, 12), None, None)  # never taken: both missed, in breach now
    cancelled = life("05.21.001", day(12, 13), None, None)
    with sessions() as session, session.begin():
        tickets.cancel(session, cancelled, session.get_one(Person, people.requester.id), day(12, 13, 5))
    life("05.22.001", day(17, 22), day(17, 22, 10), day(18, 1))  # Saturday night, 7/24: 10 min, 3 h: met
    world.dispose()

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["sla", "report", "--json", *args]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def _figures(opened: int, response: float | None, resolution: float | None, take: float | None,
             resolve: float | None, breach: int) -> dict[str, Any]:  # fmt: skip
    return {
        "opened": opened,
        "response_met_pct": response,
        "resolution_met_pct": resolution,
        "median_take_minutes": take,
        "median_resolve_minutes": resolve,
        "in_breach_now": breach,
    }


PRINTERS = _figures(4, 33.3, 33.3, 105.0, 450.0, 1)  # cancelled: counted as opened, never as met or missed
SWITCHBOARD = _figures(1, 100.0, 100.0, 10.0, 180.0, 0)


@pytest.mark.usefixtures("week")
def test_figures_per_service_per_team_and_in_total(capsys: pytest.CaptureFixture[str]) -> None:
    report = _report(capsys, "--from", "2026-01-12", "--to", "2026-01-18")
    figures = {k: {r["key"]: {f: r[f] for f in PRINTERS} for r in report[k]} for k in ("services", "teams")}
    assert figures["services"] == {"05.21.001": PRINTERS, "05.22.001": SWITCHBOARD}
    assert figures["teams"] == {"05.21": PRINTERS, "05.22": SWITCHBOARD}
    assert report["total"] == _figures(5, 50.0, 50.0, 30.0, 300.0, 1)


@pytest.mark.usefixtures("week")
def test_the_period_selects_opened_tickets_and_breaches_count_whenever_opened(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = _report(capsys, "--from", "2026-01-17")
    services = {r["key"]: (r["opened"], r["in_breach_now"]) for r in report["services"]}
    assert services == {"05.21.001": (0, 1), "05.22.001": (1, 0)}
    assert main(["sla", "report", "--to", "2026-01-12"]) == 0
    table = capsys.readouterr().out
    assert "05.21.001 Baskı ve Tarama" in table and "105 min" not in table and "1 h 45 min" in table


@pytest.mark.usefixtures("week")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "12.01.2026"], "--from '12.01.2026' is not a date"),
        (["--from", "2026-01-18", "--to", "2026-01-12"], "--from 2026-01-18 is after --to 2026-01-12"),
    ],
)
def test_bad_dates_get_one_clear_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["sla", "report", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
