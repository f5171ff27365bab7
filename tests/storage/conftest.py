"""Fixtures for the storage tests: the bundled catalog, the default calendar and a small staff directory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session
from storage_world import Directory

from bot.settings import get_settings
from catalog.calendar import BusinessCalendar
from catalog.loader import load_catalog
from catalog.model import Catalog, Service


@pytest.fixture
def cli_database(db_url: URL, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Points the operator commands (DATABASE_URL) at the test database."""
    monkeypatch.setenv("DATABASE_URL", db_url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def calendar() -> BusinessCalendar:
    return BusinessCalendar.from_config()


@pytest.fixture
def printer(catalog: Catalog) -> Service:
    """05.21.001, business hours: response 1 hour, resolution 2 days."""
    service = catalog.by_id("05.21.001")
    assert service is not None
    return service


@pytest.fixture
def ebelediye(catalog: Catalog) -> Service:
    """05.23.012, 7/24: response 1 hour, resolution 4 hours; open to citizens."""
    service = catalog.by_id("05.23.012")
    assert service is not None
    return service


@pytest.fixture
def directory(session: Session, catalog: Catalog) -> Directory:
    return Directory(session, catalog)
