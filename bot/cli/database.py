"""The database of the operator commands: DATABASE_URL, migrated to head before use."""

from __future__ import annotations

import logging

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.errors import CliError
from bot.settings import get_settings
from bot.wiring import build_calendar, build_sla_planner
from storage import sla_plan
from storage.db import make_engine, session_factory, upgrade

log = logging.getLogger(__name__)


SUPPORTED_BACKENDS = ("sqlite", "postgresql")
SUPPORTED_FORMS = "sqlite:////absolute/path.db or postgresql+psycopg://user:password@host/database"


def database_url() -> str:
    """DATABASE_URL, checked: a URL of a supported database whose driver is installed."""
    url = get_settings().database_url
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise CliError(f"DATABASE_URL is not a database URL; expected {SUPPORTED_FORMS}") from None
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise CliError(f"DATABASE_URL: {parsed.drivername}:// is not supported; expected {SUPPORTED_FORMS}")
    try:
        parsed.get_dialect().import_dbapi()
    except (ImportError, NoSuchModuleError):
        raise CliError(
            f"DATABASE_URL: driver {parsed.drivername} is not installed; use {SUPPORTED_FORMS}"
        ) from None
    return url


def migrate() -> str:
    """Applies the migrations (a no-op when the schema is current); returns the URL without password."""
    url = database_url()
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        upgrade(url)
    except DBAPIError as exc:
        raise CliError(f"cannot open the database {shown}: {str(exc.orig).strip().splitlines()[0]}") from None
    return shown


def open_database() -> sessionmaker[Session]:
    """Sessions on the migrated database whose ticket operations plan SLA rows as configured."""
    logging.getLogger("alembic").setLevel(logging.WARNING)  # "talepbot db upgrade" is where migrations talk
    log.info("database %s", migrate())
    settings = get_settings()
    try:
        planner = build_sla_planner(settings, build_calendar(settings))
    except ValueError as exc:  # calendar settings or SLA_STEPS
        raise CliError(str(exc)) from None
    sessions = session_factory(make_engine(database_url()))
    sla_plan.configure(sessions, planner)
    return sessions
