"""`talepbot run` and `talepbot chat` as an operator starts them: real processes, real signals, real HTTP."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from fake_telegram import TOKEN, FakeBotApi, FakeUser

TALEPBOT = str(Path(sys.executable).with_name("talepbot"))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "Microsoft", "TEAMS_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'talepbot.db'}", TEAMS_PORT="0", **extra)
    return env


async def _wait_for_line(stream: asyncio.StreamReader, needle: str, seen: list[str]) -> None:
    while True:
        line = (await asyncio.wait_for(stream.readline(), 30)).decode()
        if not line:
            raise AssertionError(f"process ended before {needle!r}; output: {''.join(seen)}")
        seen.append(line)
        if needle in line:
            return


def test_run_serves_telegram_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    async def main() -> tuple[int, str]:
        api = FakeBotApi()
        await api.start()
        proc = await asyncio.create_subprocess_exec(
            TALEPBOT,
            "run",
            cwd=tmp_path,
            env=_env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        assert proc.stdout is not None
        seen: list[str] = []
        try:
            await _wait_for_line(proc.stdout, "active channels: Telegram (polling), Teams", seen)
            api.send_text(FakeUser(42, "Deniz"), "/start")
            await api.wait_message(42, "Bilgi İşlem Müdürlüğü'nün talep asistanı", timeout=20)
            assert any(c.method == "setMyCommands" for c in api.calls)
        finally:
            proc.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(proc.wait(), 30)
            seen.append((await proc.stdout.read()).decode())
            await api.stop()
        return code, "".join(seen)

    code, output = asyncio.run(main())
    assert code == 0, output
    assert "shutting down" in output and "Traceback" not in output


def test_run_without_token_says_how_to_try_the_bot_and_stops_on_sigint(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [TALEPBOT, "run"],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if "talepbot chat" in line:
            break
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=30)
    output = "".join(lines) + rest
    assert proc.returncode == 0, output
    assert "Telegram: off" in output and "active channels: Teams" in output
    assert (tmp_path / "talepbot.db").exists()  # migrated on start
    assert "Traceback" not in output


def test_webhook_without_secret_is_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [TALEPBOT, "run"],
        cwd=tmp_path,
        env=_env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_WEBHOOK_URL="https://bot.example.org/tg"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("talepbot: TELEGRAM_WEBHOOK_SECRET is required")
    assert "Traceback" not in result.stderr


def _chat(tmp_path: Path, role: str, lines: list[str]) -> str:
    result = subprocess.run(
        [TALEPBOT, "chat", "--as", role],
        cwd=tmp_path,
        env=_env(tmp_path),
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_console_demo_employee_and_technician_go_through_a_ticket(tmp_path: Path) -> None:
    employee = _chat(
        tmp_path, "employee", ["yazıcı kağıt sıkıştırıyor", "1", "Oda 305", "dahili 1234", "1", "1"]
    )
    assert "Demo hesabı oluşturuldu: Demo Çalışan" in employee
    assert "  1) Evet, bu hizmet" in employee and "BIM-" in employee
    number = employee.split("Talep numaranız: ")[1].split()[0]
    assert "(→ demo-technician için bildirim)" in employee and f"Yeni iş: {number}" in employee

    technician = _chat(tmp_path, "technician", ["/islerim", "1", "1", "Kağıt çıkarıldı."])
    assert "Demo hesabı kullanılıyor: Demo Teknisyen" in technician
    assert f"{number} numaralı talebi üstlendiniz" in technician
    assert "çözüldü olarak işaretlendi" in technician

    again = _chat(tmp_path, "employee", [f"/durum {number}", "1", "1"])
    assert "Demo hesabı kullanılıyor: Demo Çalışan" in again
    assert "1 ile 5 arasında" in again and "(5/5)" in again


def test_console_citizen_meets_the_kvkk_notice(tmp_path: Path) -> None:
    output = _chat(tmp_path, "citizen", ["@/nonexistent/ariza.jpg", "1", "2"])
    assert "Dosya bulunamadı: /nonexistent/ariza.jpg" in output
    assert "AYDINLATMA METNİ" in output and "hiçbir bilginizi kaydetmedim" in output
