"""Ticket numbers: sequential per year, no duplicates, no gaps, also with concurrent writers."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session
from storage_world import ISTANBUL, MONDAY_10, Directory, open_ticket

from catalog.calendar import BusinessCalendar
from catalog.loader import load_catalog
from catalog.model import Service
from storage.db import make_engine, session_factory
from storage.models import Person, StaffRole, Ticket

WRITERS = 6
PROCESSES = 3
TICKETS_EACH = 8


def test_numbers_restart_each_year_in_istanbul_time(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    new_years_eve = datetime(2026, 12, 31, 23, 59, tzinfo=ISTANBUL)
    numbers = [
        open_ticket(session, printer, employee, calendar, new_years_eve).number,
        open_ticket(session, printer, employee, calendar, new_years_eve).number,
        # 00:01 in Istanbul is still 2026 in UTC: the year is the directorate's
        open_ticket(session, printer, employee, calendar, new_years_eve + timedelta(minutes=2)).number,
    ]
    assert numbers == ["BIM-2026-000001", "BIM-2026-000002", "BIM-2027-000001"]


def test_a_rolled_back_ticket_gives_its_number_back(
    session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    directory.staff(StaffRole.TECHNICIAN)
    employee = directory.employee()
    session.commit()
    assert open_ticket(session, printer, employee, calendar, MONDAY_10).number == "BIM-2026-000001"
    session.rollback()
    assert open_ticket(session, printer, employee, calendar, MONDAY_10).number == "BIM-2026-000001"
    session.commit()
    assert open_ticket(session, printer, employee, calendar, MONDAY_10).number == "BIM-2026-000002"


def test_concurrent_threads_get_every_number_exactly_once(
    engine: Engine, session: Session, directory: Directory, printer: Service, calendar: BusinessCalendar
) -> None:
    directory.staff(StaffRole.TECHNICIAN)
    requester_id = directory.employee().id
    session.commit()
    factory = session_factory(engine)
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            start.wait()
            for _ in range(TICKETS_EACH):
                with factory() as own, own.begin():
                    requester = own.get_one(Person, requester_id)
                    open_ticket(own, printer, requester, calendar, MONDAY_10)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = session.scalars(select(Ticket.number).order_by(Ticket.number)).all()
    assert numbers == [f"BIM-2026-{n:06d}" for n in range(1, WRITERS * TICKETS_EACH + 1)]


def _process_writer(url: str, requester_id: int, count: int) -> None:
    """One writer process: its own engine and connections, as a second `talepbot run` would have."""
    calendar = BusinessCalendar.from_config()
    service = load_catalog().by_id("05.21.001")
    assert service is not None
    engine = make_engine(url)
    try:
        factory = session_factory(engine)
        for _ in range(count):
            with factory.begin() as session:
                open_ticket(session, service, session.get_one(Person, requester_id), calendar, MONDAY_10)
    finally:
        engine.dispose()


def test_concurrent_processes_get_every_number_exactly_once(
    db_url: URL, session: Session, directory: Directory
) -> None:
    directory.staff(StaffRole.TECHNICIAN)
    requester_id = directory.employee().id
    session.commit()
    url = db_url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        pool.starmap(_process_writer, [(url, requester_id, TICKETS_EACH)] * PROCESSES)
    numbers = session.scalars(select(Ticket.number).order_by(Ticket.number)).all()
    assert numbers == [f"BIM-2026-{n:06d}" for n in range(1, PROCESSES * TICKETS_EACH + 1)]
