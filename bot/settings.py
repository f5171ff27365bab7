"""Settings from the environment and `.env`; every field is listed in `.env.example`."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
        populate_by_name=True,
    )

    # Data
    # Absolute, so every command finds the same database whatever the current directory.
    database_url: str = Field(default_factory=lambda: f"sqlite:///{default_sqlite_path()}")
    catalog_path: Path | None = None  # None: the catalog bundled with the package

    # Business calendar
    timezone: str = "Europe/Istanbul"
    work_days: str = "1-5"  # ISO weekdays, Monday = 1
    work_start: str = "08:30"
    work_end: str = "17:30"
    lunch_start: str | None = None
    lunch_end: str | None = None
    half_day_end: str = "13:00"  # when work ends on a half-day eve
    extra_closures: str = ""  # comma-separated dates and ranges (idari izin), e.g. 2026-12-31..2027-01-02

    # SLA reminders (catalog.sla_policy): PERCENT:AUDIENCE steps, audiences assignee, team_lead, manager
    sla_steps: str = "50:assignee,80:assignee+team_lead,100:assignee+team_lead,200:manager"
    sla_repeat_escalation: bool = True  # repeat the last escalation once per working day while breached
    # the scheduler's safety tick; a standby tries to take the lead this often
    sla_tick_seconds: int = Field(default=30, gt=0)

    # How long a process owns a message it is delivering (an answer, a notification); when it dies mid-send,
    # another process, or itself restarted, sends it after this
    delivery_lease_seconds: int = Field(default=60, gt=0)

    # Matcher
    nlu_auto_threshold: float | None = None  # None: the matcher's measured default
    nlu_auto_margin: float | None = None
    nlu_none_threshold: float | None = None

    # Telegram
    telegram_bot_token: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535)
    telegram_webhook_listen: str = "127.0.0.1"  # a reverse proxy in front terminates TLS
    telegram_api_base_url: str | None = None

    # Teams (names as the Bot Framework tools spell them)
    teams_port: int = Field(default=3978, ge=0, le=65535)  # 0: any free port
    teams_host: str | None = None  # None: 127.0.0.1 without MicrosoftAppId (no authentication), else 0.0.0.0
    microsoft_app_id: str | None = Field(default=None, alias="MicrosoftAppId")
    microsoft_app_password: str | None = Field(default=None, alias="MicrosoftAppPassword")
    microsoft_app_type: str = Field(default="SingleTenant", alias="MicrosoftAppType")
    microsoft_app_tenant_id: str | None = Field(default=None, alias="MicrosoftAppTenantId")
    teams_allowed_tenant_ids: str = ""  # comma-separated; empty: any tenant
    teams_allow_insecure: bool = False  # without an app id, listen on a non-loopback TEAMS_HOST anyway
    # Comma-separated serviceUrls accepted besides the Bot Framework's own (e.g. a local test connector)
    teams_extra_service_urls: str = ""
    # A send the Bot Connector has not answered by then counts as sent, unconfirmed: it is not repeated
    teams_send_timeout_seconds: float = Field(default=15, gt=0, le=300)

    # GET /healthz of talepbot run (also served on the Teams endpoint); port 0: a free port
    health_host: str = "127.0.0.1"
    health_port: int = Field(default=8081, ge=0, le=65535)

    # Personal data
    kvkk_notice_version: str = "2026-11"
    kvkk_data_controller: str = "Başakşehir Belediye Başkanlığı"  # named in the notice as veri sorumlusu

    # Panel (bot/panel): the web pages for staff, served by `talepbot run`
    panel_port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port
    panel_host: str = "127.0.0.1"
    panel_public_url: str | None = None  # the base of the links the bot sends; None: http://HOST:PORT
    panel_session_hours: float = Field(default=12, gt=0)
    panel_secret: str | None = None  # None: generated once and kept in the database

    log_level: str = "INFO"


def default_sqlite_path() -> Path:
    """$XDG_DATA_HOME/talepbot/talepbot.db (~/.local/share/talepbot/talepbot.db when it is unset).

    The XDG spec ignores a relative XDG_DATA_HOME, and so do we.
    """
    xdg = Path(os.environ.get("XDG_DATA_HOME") or "~/.local/share").expanduser()
    base = xdg if xdg.is_absolute() else Path.home() / ".local" / "share"
    return base / "talepbot" / "talepbot.db"


class SettingsError(ValueError):
    """A value in the environment or `.env` that cannot be used; the message names the variables."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError("; ".join(_problem(error) for error in exc.errors())) from None


def _problem(error: ErrorDetails) -> str:
    """E.g. "TEAMS_PORT: Input should be a valid integer (got 'abc')": named as in the environment."""
    name = ".".join(str(part) for part in error["loc"])
    return f"{name.upper() if name.islower() else name}: {error['msg']} (got {error['input']!r})"
