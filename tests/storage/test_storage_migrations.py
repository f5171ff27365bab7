"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Engine, MetaData, String, inspect
from sqlalchemy.engine import URL

from storage.db import alembic_config, make_engine, upgrade
from storage.models import Base


def _diff(engine: Engine, metadata: MetaData) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_migrations_match_the_models(db_url: URL) -> None:
    engine = make_engine(db_url)
    try:
        assert _diff(engine, Base.metadata) == [], "a model changed without a migration: run alembic revision"
    finally:
        engine.dispose()


def test_a_model_change_without_migration_is_detected(db_url: URL) -> None:
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["tickets"].append_column(Column("priority", String(10)))
    engine = make_engine(db_url)
    try:
        diff = _diff(engine, changed)
    finally:
        engine.dispose()
    assert [(d[0], d[3].name) for d in diff] == [("add_column", "priority")]


def test_upgrade_is_idempotent_and_creates_every_table(empty_db_url: URL) -> None:
    upgrade(empty_db_url)
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_every_migration_downgrades_and_upgrades_again(empty_db_url: URL) -> None:
    config = alembic_config(empty_db_url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = make_engine(empty_db_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        command.upgrade(config, "head")
        assert _diff(engine, Base.metadata) == []
    finally:
        engine.dispose()
