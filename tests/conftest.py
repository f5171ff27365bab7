"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL server.

PostgreSQL comes from the PG* variables that `pg_virtualenv` exports (`make test` runs the suite inside one).
Without them the postgresql variant fails: a skipped PostgreSQL run is a failure, not a pass.

Each test gets a fresh, migrated database, copied from a template migrated once per run (a file copy on
SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so a test costs milliseconds instead of a migration.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from storage.db import make_engine, pg_env_url, session_factory, upgrade

# Fixtures of the storage tests (catalog, calendar, services, a staff directory builder, cli_database), of
# the SLA scheduler tests (world) and of the Teams tests (sessions, staff).
pytest_plugins = ("storage_world", "sla_world", "dialog_world", "teams_world", "panel_world")


def _pg_url(database: str | None = None) -> URL:
    url = pg_env_url(database)
    if url is None:
        pytest.fail(
            "PostgreSQL is not configured (PGHOST/PGUSER unset): run the tests under pg_virtualenv, "
            "e.g. `pg_virtualenv .venv/bin/pytest` or `make test`. A skipped PostgreSQL run is a failure.",
            pytrace=False,
        )
    return url


class _Postgres:
    """Creates and drops throwaway databases on the pg_virtualenv server."""

    def __init__(self) -> None:
        self.admin = create_engine(_pg_url(), isolation_level="AUTOCOMMIT")
        self.created: list[str] = []
        self.template: str | None = None

    def create(self, template: str | None = None) -> URL:
        name = f"talepbot_test_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}{clause}"))
        self.created.append(name)
        return _pg_url(name)

    def migrated(self) -> URL:
        if self.template is None:
            url = self.create()
            upgrade(url)
            assert url.database is not None
            self.template = url.database
        return self.create(template=self.template)

    def drop(self, url: URL) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {url.database} WITH (FORCE)"))
        self.created.remove(str(url.database))

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        self.admin.dispose()


class _Sqlite:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template: Path | None = None

    def create(self) -> URL:
        return URL.create("sqlite", database=str(self.directory / f"{uuid.uuid4().hex[:12]}.db"))

    def migrated(self) -> URL:
        if self.template is None:
            url = self.create()
            upgrade(url)
            self.template = Path(str(url.database))
        url = self.create()
        shutil.copyfile(self.template, str(url.database))
        return url


@pytest.fixture(scope="session")
def _sqlite_dbs(tmp_path_factory: pytest.TempPathFactory) -> _Sqlite:
    return _Sqlite(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def _postgres_dbs() -> Iterator[_Postgres]:
    dbs = _Postgres()
    yield dbs
    dbs.close()


def _backend(request: pytest.FixtureRequest) -> _Sqlite | _Postgres:
    if request.param == "sqlite":
        sqlite: _Sqlite = request.getfixturevalue("_sqlite_dbs")
        return sqlite
    postgres: _Postgres = request.getfixturevalue("_postgres_dbs")
    return postgres


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> Iterator[URL]:
    """A fresh database with the schema migrated to head, on SQLite and on PostgreSQL.

    A URL object: pass it to storage.db.make_engine / upgrade as is, or render it with
    `url.render_as_string(hide_password=False)` where a string is needed (e.g. DATABASE_URL).
    """
    backend = _backend(request)
    url = backend.migrated()
    yield url
    if isinstance(backend, _Postgres):
        backend.drop(url)


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest) -> Iterator[URL]:
    """A fresh database without any table (for migration tests), on SQLite and on PostgreSQL."""
    backend = _backend(request)
    url = backend.create()
    yield url
    if isinstance(backend, _Postgres):
        backend.drop(url)


@pytest.fixture
def engine(db_url: URL) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session
