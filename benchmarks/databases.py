"""The throwaway databases the benchmarks measure on: SQLite always, PostgreSQL when the PG* environment
names a server (`make bench` runs under pg_virtualenv)."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL

from storage.db import make_engine, pg_env_url, upgrade

Database = Callable[[], AbstractContextManager[URL]]


def measured_databases() -> list[tuple[str, Database]]:
    """(name, fresh empty database) for each backend available; says so when PostgreSQL is not."""
    databases: list[tuple[str, Database]] = [("SQLite", sqlite_database)]
    if pg_env_url() is None:
        print("PostgreSQL: not measured, no PG* environment (run under pg_virtualenv, as `make bench` does)")
    else:
        databases.append(("PostgreSQL", postgres_database))
    return databases


def measured_engines() -> Iterator[tuple[str, Engine]]:
    """(name, engine on a fresh migrated database) for each backend measured; the engine is disposed and the
    database dropped when the loop moves on."""
    for name, database in measured_databases():
        with database() as url:
            upgrade(url)
            engine = make_engine(url)
            try:
                yield name, engine
            finally:
                engine.dispose()


@contextmanager
def sqlite_database() -> Iterator[URL]:
    with tempfile.TemporaryDirectory() as directory:
        yield URL.create("sqlite", database=str(Path(directory) / "bench.db"))


@contextmanager
def postgres_database() -> Iterator[URL]:
    admin = create_engine(pg_env_url() or "", isolation_level="AUTOCOMMIT")
    name = f"talepbot_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield pg_env_url(name) or URL.create("postgresql+psycopg")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
