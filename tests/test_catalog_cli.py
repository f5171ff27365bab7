"""`catalog check` (function and command) and `talepbot catalog list`, on the bundled catalog and on
operators' edited copies of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from bot.settings import get_settings
from catalog.loader import BUNDLED_CATALOG
from catalog.validation import check_catalog

TALEPBOT = Path(sys.executable).parent / "talepbot"
JSON_KEYS = {
    "id", "code", "title", "group_code", "group_title", "scope", "channels",
    "response", "resolution", "hours", "contacts", "active",
}  # fmt: skip

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(autouse=True)
def bundled_catalog_configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("CATALOG_PATH", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def edited_copy(tmp_path: Path) -> Callable[[Edit], Path]:
    """Writes the bundled catalog, changed by `edit`, to a temporary file, as an operator would."""

    def write(edit: Edit) -> Path:
        document = yaml.safe_load(BUNDLED_CATALOG.read_text(encoding="utf-8"))
        edit(document)
        path = tmp_path / "katalog.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write


def drop_services(*ids: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        document["services"] = [s for s in document["services"] if s["id"] not in ids]

    return edit


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_reports_exactly_the_seeds_two_flaws() -> None:
    report = check_catalog()
    assert report.ok and report.errors == ()
    shared, placeholder = report.warnings
    assert shared.entry == "code 05.26.006"
    assert "05.26.006-a" in shared.message and "05.26.006-b" in shared.message
    assert placeholder.entry == 'service 05.29.XXX "Daha Sonra İncelenecektir…"'
    assert "placeholder" in placeholder.message and "never offered" in placeholder.message


def test_check_of_a_catalog_without_those_flaws_is_silent(edited_copy: Callable[[Edit], Path]) -> None:
    report = check_catalog(edited_copy(drop_services("05.26.006-b", "05.29.XXX")))
    assert report.ok and report.warnings == ()


def test_check_names_a_deactivated_service_and_every_sharer_of_a_code(
    edited_copy: Callable[[Edit], Path],
) -> None:
    def edit(document: dict[str, Any]) -> None:
        services = {s["id"]: s for s in document["services"]}
        services["05.21.001"]["active"] = False
        services["05.26.005"]["code"] = "05.26.006"

    warnings = [str(w) for w in check_catalog(edited_copy(edit)).warnings]
    assert len(warnings) == 3
    assert "used by 3 different services" in warnings[0] and "05.26.005" in warnings[0]
    assert "service 05.21.001" in warnings[1] and warnings[1].endswith("inactive: never offered to users")


def test_check_command_on_the_bundled_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "check")
    assert code == 0
    assert [line.split(": ")[2] for line in out.splitlines() if line.startswith("warning:")] == [
        "code 05.26.006",
        'service 05.29.XXX "Daha Sonra İncelenecektir…"',
    ]
    assert "52 services in 9 groups, 51 active" in out
    assert out.rstrip().endswith("0 error(s), 2 warning(s)")


def test_check_command_on_a_broken_file(
    capsys: pytest.CaptureFixture[str], edited_copy: Callable[[Edit], Path]
) -> None:
    def edit(document: dict[str, Any]) -> None:
        document["services"][3]["channels"] = ["herkes"]
        document["services"][4]["resolution"] = "3 Saaat"

    path = edited_copy(edit)
    code, out, _ = run(capsys, "catalog", "check", str(path))
    assert code == 1
    errors = [line for line in out.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert f"{path}:" in errors[0] and '#4 "05.21.004"' in errors[0] and "field 'channels'" in errors[0]
    assert '#5 "05.21.005"' in errors[1] and "field 'resolution'" in errors[1] and "Saaat" in errors[1]
    assert "2 error(s), 0 warning(s)" in out


def test_check_command_on_a_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "catalog", "check", str(tmp_path / "yok.yaml"))
    assert code == 1
    assert f"error: {tmp_path / 'yok.yaml'}: no such file" in out


def test_list_json_has_every_service_in_the_agreed_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "list", "--json")
    assert code == 0
    services = json.loads(out)
    assert len(services) == 52
    assert all(set(s) == JSON_KEYS for s in services)
    by_id = {s["id"]: s for s in services}
    assert by_id["05.23.002"]["resolution"] == "PT2H30M" and by_id["05.23.002"]["hours"] == "24/7"
    assert by_id["05.21.001"] | {"scope": None} == {
        "id": "05.21.001",
        "code": "05.21.001",
        "title": "Baskı ve Tarama Cihazlarına Ait Arıza ve Yapılandırma İşlemleri",
        "group_code": "05.21",
        "group_title": "Teknik Servis Hizmetleri",
        "scope": None,
        "channels": ["employee", "directorate"],
        "response": "PT1H",
        "resolution": "P2D",
        "hours": "business",
        "contacts": [],
        "active": True,
    }
    assert by_id["05.22.001"]["channels"] == ["employee", "citizen", "directorate"]
    placeholder = by_id["05.29.XXX"]
    assert (placeholder["response"], placeholder["resolution"], placeholder["active"]) == (None, None, False)
    assert [s["code"] for s in services].count("05.26.006") == 2


def test_list_table_shows_every_service_under_its_group(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "list")
    assert code == 0
    lines = out.splitlines()
    assert "05.29 Arşiv Hizmetleri" in lines
    placeholder = next(line for line in lines if line.startswith("05.29.XXX "))
    assert placeholder.endswith("Daha Sonra İncelenecektir…  [inactive]")
    digikent = next(line for line in lines if line.startswith("05.23.002 "))
    assert "24/7" in digikent and "2 Saat 30 Dakika" in digikent
    assert len([line for line in lines if line[:3] == "05." and line[5:6] == "."]) == 52


def test_catalog_path_selects_another_catalog(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, edited_copy: Callable[[Edit], Path]
) -> None:
    path = edited_copy(drop_services("05.26.006-b", "05.29.XXX"))
    monkeypatch.setenv("CATALOG_PATH", str(path))
    _, out, _ = run(capsys, "catalog", "list", "--json")
    assert len(json.loads(out)) == 50
    code, out, _ = run(capsys, "catalog", "check")
    assert code == 0 and f"{path}: 50 services in 9 groups, 50 active" in out


def test_list_with_a_broken_catalog_path_is_one_clear_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, edited_copy: Callable[[Edit], Path]
) -> None:
    monkeypatch.setenv("CATALOG_PATH", str(edited_copy(lambda d: d["services"][0].pop("hours"))))
    code, out, err = run(capsys, "catalog", "list")
    assert (code, out) == (1, "")
    assert err.startswith("talepbot: the catalog cannot be loaded:")
    assert "service #1 \"05.21.001\": field 'hours': missing" in err


def test_the_installed_command(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CATALOG_PATH"}
    listed = subprocess.run(
        [TALEPBOT, "catalog", "list", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert [s["id"] for s in json.loads(listed.stdout)][-3:] == ["05.27.002", "05.28.001", "05.29.XXX"]
    missing = subprocess.run(
        [TALEPBOT, "catalog", "list", "--json"],
        cwd=tmp_path,
        env=env | {"CATALOG_PATH": str(tmp_path / "yok.yaml")},
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1 and missing.stdout == ""
    assert "yok.yaml: no such file" in missing.stderr and "Traceback" not in missing.stderr
