"""Builds the application's parts from the settings; the one place that knows how they fit together."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.channels import ChannelSender
from bot.engine.context import EngineConfig, Services
from bot.engine.engine import DialogEngine
from bot.notifier import Notifier
from bot.service import ChatService
from bot.settings import Settings
from catalog.calendar import BusinessCalendar
from catalog.clock import Clock
from catalog.loader import load_catalog
from catalog.model import Catalog
from catalog.sla_policy import SlaPolicy
from nlu import Matcher, build_matcher
from storage import outbox
from storage.sla_plan import SlaPlanner


def build_calendar(settings: Settings) -> BusinessCalendar:
    """The business calendar as configured; ValueError names a bad setting."""
    return BusinessCalendar.from_config(
        timezone=settings.timezone,
        work_days=settings.work_days,
        work_start=settings.work_start,
        work_end=settings.work_end,
        lunch_start=settings.lunch_start,
        lunch_end=settings.lunch_end,
        half_day_end=settings.half_day_end,
        extra_closures=settings.extra_closures,
    )


def build_sla_planner(settings: Settings, calendar: BusinessCalendar) -> SlaPlanner:
    """The SLA reminder policy as configured (SLA_STEPS); ValueError names a bad step."""
    return SlaPlanner(calendar, SlaPolicy.parse(settings.sla_steps, settings.sla_repeat_escalation))


def panel_base_url(settings: Settings) -> str:
    """Where the panel is reached from outside (PANEL_PUBLIC_URL), without a trailing slash."""
    return (settings.panel_public_url or f"http://{settings.panel_host}:{settings.panel_port}").rstrip("/")


def build_configured_matcher(settings: Settings, catalog: Catalog) -> Matcher:
    """The matcher with the NLU_* thresholds; ValueError for a threshold outside 0..1 or a lexicon that does
    not fit the catalog."""
    return build_matcher(
        catalog,
        auto_threshold=settings.nlu_auto_threshold,
        auto_margin=settings.nlu_auto_margin,
        none_threshold=settings.nlu_none_threshold,
    )


def build_dialog_services(settings: Settings, catalog: Catalog | None = None) -> Services:
    """The dialog engine's collaborators: catalog (CATALOG_PATH), matcher, calendar, texts' settings.

    ValueError names a bad calendar setting (TIMEZONE included), CatalogError a bad catalog file.
    """
    calendar = build_calendar(settings)
    catalog = catalog or load_catalog(settings.catalog_path)
    matcher = build_configured_matcher(settings, catalog)
    config = EngineConfig(
        kvkk_version=settings.kvkk_notice_version,
        kvkk_controller=settings.kvkk_data_controller,
        work_start=settings.work_start,
        timezone=calendar.zone,
        panel_url=panel_base_url(settings),
    )
    return Services(catalog, matcher, calendar, config)


def build_chat_service(
    services: Services,
    sessions: sessionmaker[Session],
    clock: Clock,
    senders: Sequence[ChannelSender] = (),
    lease: timedelta = outbox.DEFAULT_LEASE,
) -> ChatService:
    """The engine, the notifier and the dispatch behind every channel adapter; `lease` is how long this
    process owns a message it delivers (DELIVERY_LEASE_SECONDS)."""
    notifier = Notifier({s.channel: s for s in senders}, services.config.timezone)
    return ChatService(DialogEngine(sessions, services, lease), sessions, notifier, clock)
