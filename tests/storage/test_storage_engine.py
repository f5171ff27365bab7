"""Engine set-up and the aware-UTC datetime column, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from storage.db import make_engine, session_factory, upgrade
from storage.models import Person, PersonKind


def test_sqlite_default_creates_its_directory_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/nested/dir/talepbot.db"
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()
    assert (tmp_path / "nested" / "dir" / "talepbot.db").exists()


def test_datetimes_come_back_aware_utc(session: Session) -> None:
    istanbul = timezone(timedelta(hours=3))
    session.add(Person(kind=PersonKind.EMPLOYEE, created_at=datetime(2026, 3, 2, 10, 15, tzinfo=istanbul)))
    session.commit()
    session.expunge_all()
    created = session.scalars(select(Person.created_at)).one()
    assert created == datetime(2026, 3, 2, 7, 15, tzinfo=UTC)
    assert created.utcoffset() == timedelta(0)


def test_a_naive_datetime_is_refused(session: Session) -> None:
    session.add(Person(kind=PersonKind.EMPLOYEE, created_at=datetime(2026, 3, 2, 10, 15)))
    with pytest.raises(StatementError, match="naive datetime"):
        session.commit()


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with session_factory(engine)() as session:
        session.add(
            Person(kind=PersonKind.EMPLOYEE, team_id=999, created_at=datetime(2026, 3, 2, 7, 15, tzinfo=UTC))
        )
        with pytest.raises(IntegrityError):
            session.commit()
