"""The catalog's domain types, shared by every package."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum


class Channel(StrEnum):
    """Who may request a service, as the catalog's X marks say."""

    EMPLOYEE = "employee"  # Kurum İçi Talep
    CITIZEN = "citizen"  # Vatandaş Başvurusu
    DIRECTORATE = "directorate"  # Müdürlük İçi Görevlendirme


class ServiceHours(StrEnum):
    ALWAYS = "24/7"  # 7 / 24
    BUSINESS = "business"  # Mesai Saatleri


@dataclass(frozen=True)
class Duration:
    """A catalog duration: the text as published and its parsed length."""

    text: str  # "2 Saat 30 Dakika"
    days: int
    minutes: int  # the hour and minute part, in minutes

    @property
    def is_days(self) -> bool:
        """Whole working days count differently from working minutes (see catalog.calendar)."""
        return self.days > 0 and self.minutes == 0

    def as_timedelta(self) -> timedelta:
        return timedelta(days=self.days, minutes=self.minutes)


@dataclass(frozen=True)
class ServiceGroup:
    code: str  # "05.21"
    title: str  # "Teknik Servis Hizmetleri"


@dataclass(frozen=True)
class Service:
    id: str  # unique and stable, even where the published code is not
    code: str  # published code, e.g. "05.21.001"; not unique in the seed
    title: str
    group: ServiceGroup
    scope: str
    channels: frozenset[Channel]
    response: Duration | None  # None only for an inactive placeholder
    resolution: Duration | None
    hours: ServiceHours
    active: bool = True
    contacts: tuple[str, ...] = field(default=())  # phone numbers, addresses, web sites named in the entry


@dataclass(frozen=True)
class Catalog:
    groups: tuple[ServiceGroup, ...]
    services: tuple[Service, ...]
    source: str  # the file it was loaded from

    def by_id(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def by_code(self, code: str) -> list[Service]:
        """All services with this published code (the seed has one code used twice)."""
        return [s for s in self.services if s.code == code]

    def active_services(self) -> list[Service]:
        return [s for s in self.services if s.active]
