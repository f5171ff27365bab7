"""The bundled catalog against the published seed text (../shared/seeds/hizmet-katalogu.txt, beside the
checkout as on every developer machine and in CI): every entry, read here straight from the seed's printed
layout. Reading the published file itself, not a copy, makes a new edition of the seed fail here until the
bundled YAML follows it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from catalog.durations import to_iso8601
from catalog.loader import load_catalog
from catalog.model import Catalog, Channel, Service, ServiceHours

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "hizmet-katalogu.txt"

AREAS = {
    "Kurum İçi Talep": Channel.EMPLOYEE,
    "Vatandaş Başvurusu": Channel.CITIZEN,
    "Müdürlük İçi Görevlendirme": Channel.DIRECTORATE,
}
TIMES = {"7 / 24": ServiceHours.ALWAYS, "Mesai Saatleri": ServiceHours.BUSINESS}
T = TypeVar("T")


@dataclass(frozen=True)
class SeedEntry:
    code: str
    title: str
    group_code: str
    scope: str
    channels: frozenset[Channel]
    response: str
    resolution: str
    hours: set[ServiceHours]
    web: list[str]


def rejoin(lines: list[str]) -> str:
    """Undo the printed layout: one space per line break, none after a line ending in a hyphen."""
    text = ""
    for line in filter(None, (raw.strip() for raw in lines)):
        text += line if not text or text.endswith("-") else " " + line
    return text


def marked(block: list[str], labels: dict[str, T]) -> set[T]:
    """Labels carrying an X, on the same line ("X    Kurum İçi Talep") or alone on the line before."""
    lines = [line.strip() for line in block if line.strip()]
    found = set()
    for i, line in enumerate(lines):
        has_x, label = re.fullmatch(r"(X\s+)?(.+)", line).groups()  # type: ignore[union-attr]
        if label in labels and (has_x or (i > 0 and lines[i - 1] == "X")):
            found.add(labels[label])
    return found


def between(lines: list[str], start: str, end: str) -> list[str]:
    return lines[lines.index(start) + 1 : lines.index(end)]


def parse_seed(text: str) -> tuple[dict[str, str], list[SeedEntry]]:
    """Groups (code -> title) and the entries in seed order.

    An entry's title sits between its page number and "Hizmet Kodu"; after its "Hizmet Zamanı" block come,
    before the next entry, possibly a web address and stray page numbers ("101 102 103").
    """
    group_matches = list(re.finditer(r"Hizmet - \d+\n(.*?)\nHizmet Ana Kodu\n(\S+)", text, re.S))
    groups = {m.group(2): rejoin(m.group(1).splitlines()) for m in group_matches}
    code_lines = list(re.finditer(r"^Hizmet Kodu$", text, re.M))
    entries = []
    for n, match in enumerate(code_lines):
        before = text[: match.start()].rstrip().splitlines()
        page = max(i for i, line in enumerate(before) if re.fullmatch(r"\d+", line.strip()))
        end = code_lines[n + 1].start() if n + 1 < len(code_lines) else len(text)
        lines = [line.strip() for line in text[match.end() : end].splitlines()]
        after_hours = lines[lines.index("Hizmet Zamanı") + 1 :]
        entries.append(
            SeedEntry(
                code=next(line for line in lines if line),
                title=rejoin(before[page + 1 :]),
                group_code=[m.group(2) for m in group_matches if m.start() < match.start()][-1],
                scope=rejoin(between(lines, "Hizmet Kapsamı", "Hizmet Alanları")),
                channels=frozenset(marked(between(lines, "Hizmet Alanları", "Ele Alma Süresi"), AREAS)),
                response=rejoin(between(lines, "Ele Alma Süresi", "Tamamlanma Süresi")),
                resolution=rejoin(between(lines, "Tamamlanma Süresi", "Hizmet Zamanı")),
                hours=marked(after_hours, TIMES),
                web=[line for line in after_hours if line.startswith("http")],
            )
        )
    return groups, entries


if not SEED.exists():  # a clone without ../shared beside it (CI and developer machines have it)
    pytest.skip(
        f"{SEED} is not here: the published seed is kept outside the repository", allow_module_level=True
    )
SEED_GROUPS, SEED_ENTRIES = parse_seed(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_the_seed_parser_reads_the_whole_seed() -> None:
    # guards the parser below: 9 groups and one entry per "Hizmet Kodu" line of the seed
    text = SEED.read_text(encoding="utf-8")
    assert len(SEED_GROUPS) == text.count("Hizmet Ana Kodu") == 9
    assert len(SEED_ENTRIES) == text.count("\nHizmet Kodu\n") == 52


def test_groups_are_the_seed_groups(catalog: Catalog) -> None:
    assert {g.code: g.title for g in catalog.groups} == SEED_GROUPS
    assert SEED_GROUPS["05.22"] == "Santral, GSM ve SMS Hizmetleri"  # title broken over a blank line


def test_every_seed_entry_is_in_the_catalog_in_order(catalog: Catalog) -> None:
    assert [(s.code, s.title) for s in catalog.services] == [(e.code, e.title) for e in SEED_ENTRIES]


@pytest.mark.parametrize("index", range(len(SEED_ENTRIES)), ids=lambda i: SEED_ENTRIES[i].code)
def test_entry_matches_the_seed(catalog: Catalog, index: int) -> None:
    seed, service = SEED_ENTRIES[index], catalog.services[index]
    assert service.code == seed.code
    assert service.title == seed.title
    assert service.group.code == seed.group_code
    assert service.group.title == SEED_GROUPS[seed.group_code]
    assert service.scope == seed.scope
    assert service.channels == seed.channels
    assert {service.hours} == seed.hours  # exactly one of the two times carries the X
    for published, duration in ((seed.response, service.response), (seed.resolution, service.resolution)):
        if published.startswith("X "):  # the placeholder's "X Saat": no time decided
            assert duration is None and not service.active
        else:
            assert duration is not None and duration.text == published
    assert set(seed.web) <= set(service.contacts)


def test_ids_equal_codes_except_the_shared_code(catalog: Catalog) -> None:
    ids = [s.id for s in catalog.services]
    assert len(set(ids)) == len(ids)
    shared = [s.id for s in catalog.services if s.code == "05.26.006"]
    assert shared == ["05.26.006-a", "05.26.006-b"]
    assert catalog.by_id("05.26.006-a").title == "Mobil İnternet Cihazı Tedarik İşlemleri"  # type: ignore[union-attr]
    assert all(s.id == s.code for s in catalog.services if s.code != "05.26.006")


def _service(catalog: Catalog, service_id: str) -> Service:
    service = catalog.by_id(service_id)
    assert service is not None
    return service


def test_layout_artefacts_are_rejoined_and_page_numbers_dropped(catalog: Catalog) -> None:
    numerator = _service(catalog, "05.21.002")  # printed before the stray page numbers 101 102 103
    assert numerator.scope.endswith("gerekli yapılandırmaların gerçekleştirilmesi")
    assert not re.search(r"\b10[123]\b", numerator.scope)
    assert "süresi dolan e-imzasının yenisinin" in _service(catalog, "05.26.002").scope  # hyphen at line end
    assert "dönüştürücüler, MODEM" in _service(catalog, "05.21.007").scope  # trailing blanks of a line
    assert _service(catalog, "05.23.002").title == "Digikent Erişimlerine Ait Arıza İşlemleri"


def test_sample_of_channels_hours_and_durations(catalog: Catalog) -> None:
    """A few entries whose X marks or times differ from the common pattern, as the seed prints them."""
    digikent = _service(catalog, "05.23.002")
    assert digikent.resolution is not None and to_iso8601(digikent.resolution) == "PT2H30M"
    assert digikent.hours is ServiceHours.ALWAYS
    living_lab = _service(catalog, "05.28.001")
    assert living_lab.channels == {Channel.CITIZEN}
    assert "0 (212) 777 86 93" in living_lab.contacts
    assert _service(catalog, "05.27.002").channels == {Channel.DIRECTORATE}
    assert _service(catalog, "05.22.001").channels == set(Channel)
    assert "https://bilet.basaksehir.bel.tr/" in _service(catalog, "05.23.013").contacts


def test_the_placeholder_is_kept_inactive(catalog: Catalog) -> None:
    placeholder = _service(catalog, "05.29.XXX")
    assert not placeholder.active
    assert placeholder.response is None and placeholder.resolution is None
    assert placeholder not in catalog.active_services()
    assert len(catalog.active_services()) == len(SEED_ENTRIES) - 1
