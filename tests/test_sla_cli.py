"""`talepbot sla due` end to end on the bundled catalog (and one of the operator's own via CATALOG_PATH).

Bundled entries used: 05.21.001 (business hours, 1 Saat / 2 Gün), 05.23.002 (7/24, 1 Saat / 2 Saat 30 Dakika),
05.26.006 (two services), 05.29.XXX (inactive placeholder).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings, get_settings

# Settings the tests depend on; a developer's environment must not change the answers.
_SETTINGS_ENV = [name.upper() for name in Settings.model_fields if name != "database_url"]


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)  # away from any .env in the working copy
    for name in _SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def sla_due(capsys: pytest.CaptureFixture[str], service: str, at: str) -> dict[str, str]:
    assert main(["sla", "due", "--service", service, "--at", at]) == 0
    result: dict[str, str] = json.loads(capsys.readouterr().out)
    return result


def sla_error(capsys: pytest.CaptureFixture[str], service: str, at: str, exit_code: int = 2) -> str:
    assert main(["sla", "due", "--service", service, "--at", at]) == exit_code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    return captured.err


def test_business_service_on_the_half_day_before_republic_day(capsys: pytest.CaptureFixture[str]) -> None:
    # 28 Oct 12:30: 30 minutes until 13:00, 29 Oct closed, 30 Oct 08:30 + 30 minutes;
    # 2 Gün: 30 Oct (Friday) is day one, Monday 2 Nov day two, at 12:30.
    assert sla_due(capsys, "05.21.001", "2026-10-28T12:30:00+03:00") == {
        "service": "05.21.001",
        "start": "2026-10-28T12:30:00+03:00",
        "response_due": "2026-10-30T09:00:00+03:00",
        "resolution_due": "2026-11-02T12:30:00+03:00",
    }


def test_saturday_ticket_given_in_utc(capsys: pytest.CaptureFixture[str]) -> None:
    # Saturday 28 Nov 07:45Z is 10:45 in Istanbul: the clock starts Monday 08:30.
    assert sla_due(capsys, "05.21.001", "2026-11-28T07:45Z") == {
        "service": "05.21.001",
        "start": "2026-11-30T08:30:00+03:00",
        "response_due": "2026-11-30T09:30:00+03:00",
        "resolution_due": "2026-12-02T08:30:00+03:00",
    }


def test_always_open_service_at_three_naive_means_istanbul(capsys: pytest.CaptureFixture[str]) -> None:
    assert sla_due(capsys, "05.23.002", "2026-11-28T03:00") == {
        "service": "05.23.002",
        "start": "2026-11-28T03:00:00+03:00",
        "response_due": "2026-11-28T04:00:00+03:00",
        "resolution_due": "2026-11-28T05:30:00+03:00",
    }


def test_shared_code_asks_for_an_id(capsys: pytest.CaptureFixture[str]) -> None:
    err = sla_error(capsys, "05.26.006", "2026-11-30T10:00")
    assert "05.26.006-a (Mobil İnternet Cihazı Tedarik İşlemleri)" in err
    assert "05.26.006-b (Baskı ve Tarama Cihazları Tedarik İşlemleri)" in err
    assert sla_due(capsys, "05.26.006-b", "2026-11-30T10:00")["service"] == "05.26.006-b"


def test_placeholder_unknown_service_and_bad_timestamp(capsys: pytest.CaptureFixture[str]) -> None:
    assert "inactive placeholder" in sla_error(capsys, "05.29.XXX", "2026-11-30T10:00")
    assert "no service with code or id '05.99.001'" in sla_error(capsys, "05.99.001", "2026-11-30T10:00")
    assert "not an ISO-8601 timestamp" in sla_error(capsys, "05.21.001", "30.11.2026 10:00")


def test_calendar_settings_apply(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # Monday 30 Nov declared a closure: the Saturday ticket now starts on Tuesday.
    monkeypatch.setenv("EXTRA_CLOSURES", "2026-11-30")
    assert sla_due(capsys, "05.21.001", "2026-11-28T10:45")["start"] == "2026-12-01T08:30:00+03:00"
    get_settings.cache_clear()
    monkeypatch.setenv("WORK_START", "half past eight")
    assert "WORK_START" in sla_error(capsys, "05.21.001", "2026-11-28T10:45")


def test_catalog_path_selects_the_operators_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    catalog = tmp_path / "katalog.yaml"
    catalog.write_text(
        """
groups:
  - code: "05.21"
    title: Teknik Servis Hizmetleri
services:
  - id: "05.21.001"
    code: "05.21.001"
    group: "05.21"
    title: Yazıcı Arızaları
    scope: Yazıcı arızalarının giderilmesi
    channels: [employee]
    response: 3 Saat
    resolution: 1 Gün 2 Saat
    hours: business
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("CATALOG_PATH", str(catalog))
    # Friday 16:00: 3 hours = 1.5 Friday + 1.5 Monday; 1 Gün 2 Saat = Monday 16:00 + 2 hours = Tuesday 09:00.
    assert sla_due(capsys, "05.21.001", "2026-11-27T16:00+03:00") == {
        "service": "05.21.001",
        "start": "2026-11-27T16:00:00+03:00",
        "response_due": "2026-11-30T10:00:00+03:00",
        "resolution_due": "2026-12-01T09:00:00+03:00",
    }
    catalog.write_text("groups: [\n", encoding="utf-8")
    # A broken catalog exits 1, as `talepbot catalog check` does for the same file.
    assert "katalog.yaml" in sla_error(capsys, "05.21.001", "2026-11-27T16:00+03:00", exit_code=1)


def test_installed_command(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
    # 31 Dec 16:00: 1 Saat fits before closing; 2 Gün skip 1 Jan (holiday) and the weekend: 4 and 5 Jan.
    done = subprocess.run(
        [
            Path(sys.executable).parent / "talepbot",
            "sla",
            "due",
            "--service",
            "05.21.001",
            "--at",
            "2026-12-31T16:00",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "service": "05.21.001",
        "start": "2026-12-31T16:00:00+03:00",
        "response_due": "2026-12-31T17:00:00+03:00",
        "resolution_due": "2027-01-05T16:00:00+03:00",
    }
