"""Ticket numbers BIM-YYYY-NNNNNN: sequential per year, never duplicated or skipped.

The counter row is incremented with one atomic upsert inside the transaction that inserts the ticket:
PostgreSQL holds the row lock until commit, SQLite's BEGIN IMMEDIATE (storage.db) serialises writers. A
rolled-back ticket rolls its number back too, so no number is lost.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.db import insert_for
from storage.models import TicketCounter

PREFIX = "BIM"
DIGITS = 6


def format_number(year: int, seq: int) -> str:
    return f"{PREFIX}-{year:04d}-{seq:0{DIGITS}d}"


def next_seq(session: Session, year: int) -> int:
    """Reserves the next sequence number of `year` in the session's transaction."""
    upsert = (
        insert_for(session, TicketCounter)
        .values(year=year, last=1)
        .on_conflict_do_update(index_elements=[TicketCounter.year], set_={"last": TicketCounter.last + 1})
        .returning(TicketCounter.last)
    )
    seq: int = session.execute(upsert).scalar_one()
    return seq
