"""Operators' broken catalog files: every problem named by file, line, entry and field, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.loader import BUNDLED_CATALOG, CatalogError, Problem, load_catalog
from catalog.model import Channel, ServiceHours

VALID = """\
groups:
  - code: "05.21"
    title: Teknik Servis Hizmetleri
services:
  - id: "05.21.001"
    code: "05.21.001"
    group: "05.21"
    title: Baskı ve Tarama Cihazlarına Ait Arıza ve Yapılandırma İşlemleri
    scope: >-
      Yazıcı, fotokopi makinesi ve faks
      cihazlarında kağıt sıkışması
    channels: [employee, directorate]
    response: 1 Saat
    resolution: 2 Gün
    hours: business
    active: true
  - id: "05.21.002"
    code: "05.21.002"
    group: "05.21"
    title: Numeratör Yapılandırma İşlemleri
    scope: numeratör yazılımının kurulması
    channels: [citizen]
    response: 1 Saat
    resolution: 2 Saat 30 Dakika
    hours: "24/7"
    contacts: ["0 (212) 777 86 93"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "katalog.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[Problem]:
    path = write(tmp_path, text)
    with pytest.raises(CatalogError) as exc:
        load_catalog(path)
    assert all(p.file == str(path) for p in exc.value.problems)
    return exc.value.problems


def only_problem(tmp_path: Path, text: str) -> Problem:
    (problem,) = problems(tmp_path, text)
    return problem


def test_a_valid_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    catalog = load_catalog(path)
    assert catalog.source == str(path)
    first, second = catalog.services
    assert first.scope == "Yazıcı, fotokopi makinesi ve faks cihazlarında kağıt sıkışması"
    assert first.group.title == "Teknik Servis Hizmetleri"
    assert first.channels == {Channel.EMPLOYEE, Channel.DIRECTORATE}
    assert first.active and first.contacts == ()
    assert second.hours is ServiceHours.ALWAYS
    assert second.resolution is not None and second.resolution.minutes == 150
    assert second.active  # active defaults to true
    assert second.contacts == ("0 (212) 777 86 93",)


def test_none_means_the_bundled_catalog() -> None:
    assert load_catalog().source == str(BUNDLED_CATALOG)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, VALID.replace("channels: [citizen]", "channels: [citizen"))
    broken_line = VALID.splitlines().index("    channels: [citizen]") + 1
    assert problem.line in (broken_line, broken_line + 1)  # where the parser notices the missing "]"
    assert "not valid YAML" in problem.message


def test_a_key_given_twice_is_an_error_not_silently_the_last(tmp_path: Path) -> None:
    problem = only_problem(
        tmp_path, VALID.replace("    active: true\n", "    active: true\n    active: false\n")
    )
    assert 'found the key "active" twice' in problem.message
    assert problem.line == VALID.splitlines().index("    active: true") + 2


def test_unknown_channel(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, VALID.replace("[citizen]", "[vatandas]"))
    assert (problem.entry, problem.field) == ('service #2 "05.21.002"', "channels")
    assert "'employee', 'citizen' or 'directorate'" in problem.message and "'vatandas'" in problem.message
    text = str(problem)
    assert text.startswith(f"{problem.file}:{problem.line}: ") and "field 'channels'" in text


def test_bad_duration(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, VALID.replace("resolution: 2 Gün", "resolution: 2 Gn"))
    assert (problem.entry, problem.field) == ('service #1 "05.21.001"', "resolution")
    assert 'unknown unit "Gn"' in problem.message
    assert problem.line == VALID.splitlines().index("    resolution: 2 Gün") + 1


def test_missing_field(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, VALID.replace('    hours: "24/7"\n', ""))
    assert (problem.entry, problem.field, problem.message) == ('service #2 "05.21.002"', "hours", "missing")


def test_unknown_field_lists_the_allowed_ones(tmp_path: Path) -> None:
    found = problems(tmp_path, VALID.replace("    scope: numeratör", "    scop: numeratör"))
    assert {(p.field, p.message.split(" (")[0]) for p in found} == {
        ("scope", "missing"),
        ("scop", "unknown field"),
    }


def test_unquoted_code_read_as_a_number_gets_a_hint(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, VALID.replace('  - code: "05.21"', "  - code: 05.21"))
    assert (problem.entry, problem.field) == ("group #1", "code")
    assert "put the value in quotes" in problem.message


def test_wrong_types(tmp_path: Path) -> None:
    found = problems(tmp_path, VALID.replace("active: true", "active: evet").replace("[citizen]", "citizen"))
    assert {p.field for p in found} == {"active", "channels"}


def test_duplicate_ids(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, VALID.replace('id: "05.21.002"', 'id: "05.21.001"'))
    assert (problem.entry, problem.field) == ('service #2 "05.21.001"', "id")
    assert "already used by service #1" in problem.message


def test_unknown_group_and_code_outside_its_group(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        VALID.replace('group: "05.21"\n    title: Numeratör', 'group: "05.99"\n    title: Numeratör'),
    )
    assert [(p.field, p.message) for p in found] == [("group", 'unknown group "05.99" (groups: 05.21)')]
    problem = only_problem(tmp_path, VALID.replace('code: "05.21.002"', 'code: "05.22.002"'))
    assert problem.field == "code" and "does not belong to its group" in problem.message


def test_placeholder_times_only_on_inactive_services(tmp_path: Path) -> None:
    placeholder = VALID.replace(
        "response: 1 Saat\n    resolution: 2 Gün", "response: X Saat\n    resolution: X Gün"
    )
    found = problems(tmp_path, placeholder)
    assert [p.field for p in found] == ["response", "resolution"]
    assert all("placeholder" in p.message and "active: false" in p.message for p in found)
    catalog = load_catalog(write(tmp_path, placeholder.replace("active: true", "active: false")))
    assert catalog.services[0].response is None and catalog.services[0].resolution is None


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    broken = VALID.replace("resolution: 2 Gün", "resolution: iki gün").replace("[citizen]", "[]")
    assert {(p.entry, p.field) for p in problems(tmp_path, broken)} == {
        ('service #1 "05.21.001"', "resolution"),
        ('service #2 "05.21.002"', "channels"),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "must be a mapping"),
        ("groups: []\nservices: []\n", "groups: must be a non-empty list"),
        ("groups:\n  - code: '05.21'\n    title: T\n", "the list services: is missing"),
        ("grups: []\n", 'unknown top-level key "grups"'),
    ],
)
def test_file_shape(tmp_path: Path, text: str, message: str) -> None:
    assert any(message in p.message for p in problems(tmp_path, text))


def test_an_entry_that_is_not_a_mapping(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, VALID.replace("services:\n", "services:\n  - just a line\n"))
    assert problem.entry == "service #1" and "mapping of fields" in problem.message


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "yok.yaml"
    with pytest.raises(CatalogError) as exc:
        load_catalog(missing)
    assert [str(p) for p in exc.value.problems] == [f"{missing}: no such file"]
    with pytest.raises(CatalogError, match="cannot read the file"):
        load_catalog(tmp_path)  # a directory
    binary = tmp_path / "latin1.yaml"
    binary.write_bytes("title: Müdürlük".encode("latin-1"))
    with pytest.raises(CatalogError, match="cannot read the file"):
        load_catalog(binary)
