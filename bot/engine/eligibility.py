"""Who may request what: citizens citizen services, employees employee services, IT staff also the
directorate's own. Pure functions of the person's kind and the catalog."""

from __future__ import annotations

from bot import texts
from catalog.model import Catalog, Channel, Service, ServiceGroup
from storage.models import PersonKind

_CHANNELS = {
    PersonKind.CITIZEN: frozenset({Channel.CITIZEN}),
    PersonKind.EMPLOYEE: frozenset({Channel.EMPLOYEE}),
    PersonKind.STAFF: frozenset({Channel.EMPLOYEE, Channel.DIRECTORATE}),
}

# The information-only service whose catalog text answers the question directly.
LIVING_LAB_ID = "05.28.001"


def may_request(kind: PersonKind, service: Service) -> bool:
    return service.active and bool(service.channels & _CHANNELS[kind])


def eligible_services(catalog: Catalog, kind: PersonKind) -> list[Service]:
    return [s for s in catalog.active_services() if may_request(kind, s)]


def eligible_groups(catalog: Catalog, kind: PersonKind) -> list[ServiceGroup]:
    services = eligible_services(catalog, kind)
    return [g for g in catalog.groups if any(s.group == g for s in services)]


def why_not(kind: PersonKind, service: Service) -> str:
    """Why this person cannot request the service, and what they can do instead (Turkish)."""
    if not service.active:
        return texts.service_inactive(service.code, service.title)
    if kind is PersonKind.CITIZEN:
        if service.channels == {Channel.DIRECTORATE}:
            return texts.ineligible_directorate(service.code, service.title)
        return texts.ineligible_citizen(service.code, service.title)
    if Channel.DIRECTORATE in service.channels and Channel.CITIZEN not in service.channels:
        return texts.ineligible_directorate(service.code, service.title)
    return texts.ineligible_employee_citizen_only(service.code, service.title)
