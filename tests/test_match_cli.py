"""`talepbot match`: one text, or JSON lines in and out, through the real command line."""

from __future__ import annotations

import io
import json

import pytest

from bot.cli import main
from bot.settings import get_settings


def test_one_text_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["match", "yeni mouse lazım"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["text"] == "yeni mouse lazım"
    assert answer["decision"] == "auto"
    assert 1 <= len(answer["candidates"]) <= 5
    best = answer["candidates"][0]
    assert best["id"] == "05.26.003"
    assert best["code"] == "05.26.003"
    assert best["title"] == "Çevrebirim Tedarik İşlemleri"
    assert 0.0 <= best["score"] <= 1.0


def test_jsonl_answers_every_line_in_order(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["mouse çalışmıyor", "toner bitti", "şifremi unuttum", "çöp toplanmadı"]
    stdin = "".join(json.dumps({"text": text}, ensure_ascii=False) + "\n" for text in lines)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["match", "--jsonl"]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a["text"] for a in answers] == lines
    assert [a["candidates"][0]["id"] if a["candidates"] else None for a in answers[:3]] == [
        "05.21.007",
        "05.26.001",
        "05.25.006",
    ]
    assert answers[3]["decision"] == "none"


def test_a_bad_jsonl_line_gets_an_error_in_its_place(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"text": "internet yok"}\nnot json\n{"txt": 1}\n'))
    assert main(["match", "--jsonl"]) == 1
    captured = capsys.readouterr()
    answers = [json.loads(line) for line in captured.out.splitlines()]
    assert answers[0]["candidates"][0]["id"] == "05.25.003"
    assert answers[1] == {"line": 2, "error": 'expected a JSON object {"text": "..."}'}
    assert answers[2]["line"] == 3
    assert "2 input line(s)" in captured.err


def test_text_and_jsonl_together_is_an_operator_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["match", "--jsonl", "yazıcı"]) == 2
    assert "either one text or --jsonl" in capsys.readouterr().err


def test_a_threshold_outside_0_1_is_reported_not_raised(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NLU_AUTO_THRESHOLD", "1.5")
    get_settings.cache_clear()
    try:
        assert main(["match", "yazıcı"]) == 1
    finally:
        get_settings.cache_clear()
    assert "between 0 and 1" in capsys.readouterr().err
