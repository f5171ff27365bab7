"""`talepbot run` and `talepbot chat` as an operator starts them: real processes, real signals, real HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from fake_bot_connector import TENANT_ID, FakeBotConnector, TeamsUser
from fake_telegram import TOKEN, FakeBotApi, FakeUser
from sqlalchemy.engine import URL

from bot import texts

TALEPBOT = str(Path(sys.executable).with_name("talepbot"))
TEAMS_LISTENING = re.compile(r"Teams: listening on ([\d.]+):(\d+)/api/messages")
PANEL_LISTENING = re.compile(r"panel: listening on ([\d.]+):(\d+)")
APP_ID = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
UNREACHABLE_DATABASE = "postgresql+psycopg://bot:secret@127.0.0.1:1/talepbot"  # nothing listens on port 1


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "Microsoft", "TEAMS_", "PANEL_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'talepbot.db'}", TEAMS_PORT="0", PANEL_PORT="0", HEALTH_PORT="0"
    )
    env.update(TEAMS_EXTRA_SERVICE_URLS="http://127.0.0.1")  # the fake connector, on any port
    env.update(extra)
    return env


class Running:
    """A `talepbot run` process started by a test, and its output read so far."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        self.proc = proc
        self._stdout = proc.stdout
        self.seen: list[str] = []

    @classmethod
    async def start(cls, tmp_path: Path, ready: str = "active channels", **env: str) -> Running:
        """Starts it and waits for the line `ready`."""
        proc = await asyncio.create_subprocess_exec(
            TALEPBOT,
            "run",
            cwd=tmp_path,
            env=_env(tmp_path, **env),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        running = cls(proc)
        try:
            await running.wait_for_line(ready)
        except BaseException:
            proc.kill()
            await proc.wait()
            raise
        return running

    @property
    def output(self) -> str:
        return "".join(self.seen)

    @property
    def teams_port(self) -> int:
        return _teams_address(self.output)[1]

    async def wait_for_line(self, needle: str) -> None:
        while True:
            line = (await asyncio.wait_for(self._stdout.readline(), 30)).decode()
            if not line:
                raise AssertionError(f"process ended before {needle!r}; output: {self.output}")
            self.seen.append(line)
            if needle in line:
                return

    async def stop(self) -> int:
        """SIGTERM, as systemd or docker stop sends; the exit code once the process ended."""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(self.proc.wait(), 30)
        finally:
            if self.proc.returncode is None:
                self.proc.kill()
        self.seen.append((await self._stdout.read()).decode())
        return code


def test_run_serves_telegram_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    async def main() -> tuple[int, str]:
        api = FakeBotApi()
        await api.start()
        try:
            run = await Running.start(
                tmp_path,
                "active channels: Telegram (polling), Teams",
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE_URL=api.base_url,
            )
            try:
                api.send_text(FakeUser(42, "Deniz"), "/start")
                await api.wait_message(42, "Bilgi İşlem Müdürlüğü'nün talep asistanı", timeout=20)
                assert any(c.method == "setMyCommands" for c in api.calls)
            finally:
                code = await run.stop()
        finally:
            await api.stop()
        return code, run.output

    code, output = asyncio.run(main())
    assert code == 0, output
    assert "shutting down" in output and "Traceback" not in output


def _teams_address(output: str) -> tuple[str, int]:
    found = TEAMS_LISTENING.search(output)
    assert found, output
    return found[1], int(found[2])


def _accepts(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError:
        return False
    return True


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
    # Authentication is off: only this machine may post (127.0.0.2 is this machine too, but another address).
    host, port = _teams_address("".join(lines))
    assert host == "127.0.0.1" and _accepts("127.0.0.1", port) and not _accepts("127.0.0.2", port)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
        health = json.load(response)
    assert health == {
        "status": "ok",
        "database": "ok",
        "scheduler": "running",
        "scheduler_role": "leader",
        "channels": {"teams": "running"},
    }
    panel = PANEL_LISTENING.search("".join(lines))
    assert panel is not None and panel.group(1) == "127.0.0.1"
    try:  # the panel is served too: without a session, a page that says how to get a link
        urllib.request.urlopen(f"http://127.0.0.1:{panel.group(2)}/", timeout=10)
        raise AssertionError("the panel served a page without a session")
    except urllib.error.HTTPError as refused:
        assert refused.code == 401 and "/panel" in refused.read().decode()
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
    assert not (tmp_path / "talepbot.db").exists()  # refused before the database was touched


def test_sigterm_lets_a_teams_request_in_flight_finish_and_ends_the_telegram_poll(tmp_path: Path) -> None:
    async def main() -> tuple[int, str]:
        api, connector = FakeBotApi(), FakeBotConnector()
        await api.start()
        await connector.start()
        user = connector.add_user(TeamsUser("aad-1", "Deniz Yılmaz", "deniz@belediye.bel.tr"))
        connector.release = asyncio.Event()  # the bot's answer waits: its request stays in flight
        try:
            run = await Running.start(
                tmp_path,
                "active channels: Telegram (polling), Teams",
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE_URL=api.base_url,
            )
            try:
                async with aiohttp.ClientSession() as http:
                    url = f"http://127.0.0.1:{run.teams_port}/api/messages"
                    request = asyncio.create_task(http.post(url, json=connector.message(user, "/yardim")))
                    await _until(lambda: connector.held > 0 and api.open_polls > 0)
                    run.proc.send_signal(signal.SIGTERM)
                    await run.wait_for_line("shutting down")
                    await asyncio.sleep(0.5)
                    assert run.proc.returncode is None, "the process waits for the Teams request in flight"
                    connector.release.set()
                    async with await request as response:
                        assert response.status == 201
            finally:
                code = await run.stop()
        finally:
            await connector.stop()
            await api.stop()
        assert [s.conversation_id for s in connector.sent] == [user.conversation_id]  # the answer went out
        return code, run.output

    code, output = asyncio.run(main())
    assert code == 0, output
    assert "Traceback" not in output and "ERROR" not in output, output


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_two_processes_on_postgresql_are_both_healthy_and_the_standby_takes_over(
    tmp_path: Path, db_url: URL
) -> None:
    """One process leads the scheduler, the other stands by; /healthz is 200 on both (a load balancer must
    not drop the standby), and when the leader stops the standby leads."""
    env = {"DATABASE_URL": db_url.render_as_string(hide_password=False), "SLA_TICK_SECONDS": "1"}

    async def health(http: aiohttp.ClientSession, run: Running) -> tuple[int, str]:
        async with http.get(f"http://127.0.0.1:{run.teams_port}/healthz") as response:
            return response.status, (await response.json())["scheduler_role"]

    async def main() -> None:
        first = await Running.start(tmp_path, **env)
        try:
            second = await Running.start(tmp_path, **env)
            try:
                async with aiohttp.ClientSession() as http:
                    roles = {run: await health(http, run) for run in (first, second)}
                    assert sorted(roles.values()) == [(200, "leader"), (200, "standby")]
                    leader = next(run for run, (_, role) in roles.items() if role == "leader")
                    standby = second if leader is first else first
                    assert await leader.stop() == 0, leader.output
                    await standby.wait_for_line("SLA scheduler: leading")
                    assert await health(http, standby) == (200, "leader")
                    assert await standby.stop() == 0, standby.output
            finally:
                await second.stop()
        finally:
            await first.stop()

    asyncio.run(main())


async def _until(condition: Callable[[], bool], timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.05)


def _run_fails(tmp_path: Path, **env: str) -> str:
    """Runs `talepbot run`, expects it to refuse to start, and returns its one line of complaint."""
    result = subprocess.run(
        [TALEPBOT, "run"], cwd=tmp_path, env=_env(tmp_path, **env), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("talepbot: "), result.stderr
    return last


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"MicrosoftAppId": APP_ID, "MicrosoftAppTenantId": TENANT_ID}, "MicrosoftAppPassword is required"),
        ({"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "x"}, "MicrosoftAppTenantId is required"),
        ({"MicrosoftAppType": "Other"}, "MicrosoftAppType='Other'"),
        ({"WORK_START": "25:00"}, "WORK_START"),
        ({"TIMEZONE": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
        ({"SLA_STEPS": "often"}, "SLA_STEPS"),
        ({"EXTRA_CLOSURES": "2027-01-02..2026-12-31"}, "EXTRA_CLOSURES range '2027-01-02..2026-12-31' runs"),
        ({"TEAMS_PORT": "teams"}, "TEAMS_PORT: Input should be a valid integer"),
        ({"SLA_TICK_SECONDS": "-5"}, "SLA_TICK_SECONDS: Input should be greater than 0"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL='loud'"),
        ({"TEAMS_HOST": "0.0.0.0"}, "TEAMS_ALLOW_INSECURE=1"),
        ({"DATABASE_URL": UNREACHABLE_DATABASE}, "cannot open the database"),
        ({"CATALOG_PATH": "catalog.yaml"}, "the catalog cannot be loaded: catalog.yaml:"),
    ],
)
def test_configuration_mistakes_stop_the_start_with_one_line(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    (tmp_path / "catalog.yaml").write_text("groups: [\n", encoding="utf-8")
    line = _run_fails(tmp_path, **env)
    assert named in line and "secret" not in line
    # Checked before migrating: a misconfigured start leaves no database behind (nor a half-migrated one).
    assert not (tmp_path / "talepbot.db").exists()


def test_a_teams_port_in_use_stops_the_start_when_teams_is_configured(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _run_fails(
            tmp_path,
            MicrosoftAppId=APP_ID,
            MicrosoftAppPassword="x",
            MicrosoftAppTenantId=TENANT_ID,
            TEAMS_HOST="127.0.0.1",
            TEAMS_PORT=str(port),
        )
    assert line.startswith("talepbot: Teams: cannot listen (TEAMS_HOST, TEAMS_PORT)"), line


def test_a_webhook_port_in_use_stops_the_start(tmp_path: Path) -> None:
    async def main() -> str:
        api = FakeBotApi()
        await api.start()
        try:
            with socket.socket() as taken:
                taken.bind(("0.0.0.0", 0))
                taken.listen()
                env = {
                    "TELEGRAM_BOT_TOKEN": TOKEN,
                    "TELEGRAM_API_BASE_URL": api.base_url,
                    "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg",
                    "TELEGRAM_WEBHOOK_SECRET": "webhook-secret",
                    "TELEGRAM_WEBHOOK_PORT": str(taken.getsockname()[1]),
                }
                return await asyncio.to_thread(_run_fails, tmp_path, **env)
        finally:
            await api.stop()

    line = asyncio.run(main())
    assert line.startswith("talepbot: Telegram: cannot listen for the webhook (TELEGRAM_WEBHOOK_PORT="), line


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
    employee = _chat(tmp_path, "employee", ["yazıcı kağıt sıkıştırıyor", "1", "Oda 305", "dahili 1234", "1"])
    assert "Demo hesabı oluşturuldu: Demo Çalışan" in employee
    assert texts.CONSOLE_NOTIFICATION not in employee  # answers are answers; no notification came for them
    assert "  1) Evet, bu hizmet" in employee and "BIM-" in employee
    number = employee.split("Talep numaranız: ")[1].split()[0]
    assert f"Yeni iş: {number}" not in employee  # the technician's ping waits for the technician's console

    # Problem 9: a console shows what was addressed to it before it started.
    technician = _chat(tmp_path, "technician", ["/islerim", "1", "1", "Kağıt çıkarıldı."])
    assert "Demo hesabı kullanılıyor: Demo Teknisyen" in technician
    assert technician.index(f"Yeni iş: {number}") < technician.index("Size atanmış açık işler")
    assert f"{number} numaralı talebi üstlendiniz" in technician
    assert "çözüldü olarak işaretlendi" in technician

    # Problem 3: the stars were listed 5…1 under the numbers 1…5, so typing 5 stored 1/5.
    again = _chat(tmp_path, "employee", [f"/durum {number}", "1", "5"])
    assert "Demo hesabı kullanılıyor: Demo Çalışan" in again
    assert "Demo Teknisyen tarafından ele alındı" in again and "Yapılan işlem: Kağıt çıkarıldı." in again
    assert "5 (çok iyi) arasında" in again and "(5/5)" in again
    assert "  1) 1 ⭐ çok kötü" in again and "  5) 5 ⭐⭐⭐⭐⭐ çok iyi" in again


def test_console_citizen_meets_the_kvkk_notice(tmp_path: Path) -> None:
    output = _chat(tmp_path, "citizen", ["@/nonexistent/ariza.jpg", "2"])
    assert "Dosya bulunamadı: /nonexistent/ariza.jpg" in output
    assert "AYDINLATMA METNİ" in output and "bütün kayıtları sildim" in output
