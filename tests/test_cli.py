import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

TALEPBOT = str(Path(sys.executable).with_name("talepbot"))


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["nonesuch"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def _talepbot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XDG_DATA_HOME")}
    clean.update(HOME=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'talepbot.db'}")
    clean.update(env)
    return subprocess.run(
        [TALEPBOT, *args], cwd=tmp_path, env=clean, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["sla", "due", "--service", "05.21.001", "--at", "9999-12-31T17:00"], {}, "year must be between"),
        (["sla", "due", "--service", "05.21.001", "--at", "0001-01-01T00:00"], {}, "year must be between"),
        (["privacy", "purge", "--older-than", "99999999999"], {}, "--older-than must be between 0 and"),
        (["privacy", "purge", "--older-than", "800000"], {}, "--older-than must be between 0 and"),
        (["tickets", "list"], {"DATABASE_URL": "foo://bar"}, "DATABASE_URL: foo:// is not supported"),
        (["tickets", "list"], {"DATABASE_URL": "not a url"}, "DATABASE_URL is not a database URL"),
        (["run"], {"DATABASE_URL": "mysql://bot:secret@127.0.0.1/talepbot"}, "mysql:// is not supported"),
        (["run"], {"DATABASE_URL": "postgresql+pg8000://bot:secret@127.0.0.1/x"}, "is not installed"),
    ],
)
def test_bad_operator_arguments_are_one_line_and_exit_code_2(
    tmp_path: Path, args: list[str], env: dict[str, str], named: str
) -> None:
    result = _talepbot(tmp_path, *args, **env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "secret" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("talepbot: "), result.stderr
    assert named in result.stderr


def test_the_default_sqlite_database_is_absolute_and_named_at_start(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data_home = tmp_path / "xdg"
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    clean.update(HOME=str(tmp_path), XDG_DATA_HOME=str(data_home))
    for cwd in (tmp_path, elsewhere):
        result = subprocess.run(
            [TALEPBOT, "tickets", "list"], cwd=cwd, env=clean, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert f"database sqlite:///{data_home / 'talepbot' / 'talepbot.db'}" in result.stderr
    assert (data_home / "talepbot" / "talepbot.db").exists()
    assert not list(tmp_path.glob("**/data/talepbot.db"))
