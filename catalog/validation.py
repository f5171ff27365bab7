"""`check_catalog`: what an operator should know about a catalog file, as errors and warnings.

Errors make the file unusable (the loader's problems). Warnings point at entries that load but need a
human decision: a published code shared by several services, and inactive services such as placeholders.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from catalog.loader import BUNDLED_CATALOG, CatalogError, Problem, load_catalog
from catalog.model import Catalog, Service


@dataclass(frozen=True)
class CheckReport:
    source: str
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    catalog: Catalog | None  # None when the file has errors

    @property
    def ok(self) -> bool:
        return not self.errors


def check_catalog(path: Path | None = None) -> CheckReport:
    """Load the file (None: the bundled one) and report its errors, or its warnings when it loads."""
    source = str(BUNDLED_CATALOG if path is None else path)
    try:
        catalog = load_catalog(path)
    except CatalogError as exc:
        return CheckReport(source, errors=tuple(exc.problems), warnings=(), catalog=None)
    return CheckReport(source, errors=(), warnings=tuple(catalog_warnings(catalog)), catalog=catalog)


def catalog_warnings(catalog: Catalog) -> list[Problem]:
    return _shared_codes(catalog) + [_inactive(catalog.source, s) for s in catalog.services if not s.active]


def _label(service: Service) -> str:
    return f'{service.id} "{service.title}"'


def _shared_codes(catalog: Catalog) -> list[Problem]:
    by_code: defaultdict[str, list[Service]] = defaultdict(list)
    for service in catalog.services:
        by_code[service.code].append(service)
    return [
        Problem(
            catalog.source,
            f"the published code is used by {len(services)} different services: "
            + ", ".join(_label(s) for s in services)
            + "; only their ids tell them apart",
            entry=f"code {code}",
        )
        for code, services in by_code.items()
        if len(services) > 1
    ]


def _inactive(source: str, service: Service) -> Problem:
    unset = [
        name
        for name, value in (("response", service.response), ("resolution", service.resolution))
        if value is None
    ]
    if unset:
        message = f"placeholder, inactive and never offered to users; no {' and '.join(unset)} time set yet"
    else:
        message = "inactive: never offered to users"
    return Problem(source, message, entry=f"service {_label(service)}")
