"""Alembic environment: the URL comes from storage.db.upgrade() or else from DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import make_url

from storage.db import make_engine
from storage.models import Base

config = context.config


def _url() -> str:
    url = config.attributes.get("url")
    if url is not None:
        return str(make_url(url).render_as_string(hide_password=False))
    from bot.settings import get_settings  # only when run by the alembic command itself

    return get_settings().database_url


def run_migrations() -> None:
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations()
