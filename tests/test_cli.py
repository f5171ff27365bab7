import pytest

from bot.cli import main


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["nonesuch"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
