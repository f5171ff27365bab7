"""The Bot Framework adapter and its authentication, configured from the talepbot settings."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult

from bot.settings import Settings
from bot.teams.tokens import ReusedTokenCredentials

log = logging.getLogger(__name__)

# Validating a token may fetch Microsoft's signing keys; a request that cannot be verified in this time is
# refused instead of holding a connection open.
AUTH_TIMEOUT_SECONDS = 10.0
APP_TYPES = ("SingleTenant", "MultiTenant", "UserAssignedMSI")


@dataclass(frozen=True)
class BotCredentials:
    """The attribute names ConfigurationBotFrameworkAuthentication reads."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str


def credentials(settings: Settings) -> BotCredentials:
    """The bot's credentials; no app id means authentication off (local trials with an emulator).

    ValueError names the missing setting, so a half-configured registration fails at start-up, not on the
    first message.
    """
    app_id = settings.microsoft_app_id or ""
    app_type = settings.microsoft_app_type
    if app_type.lower() not in (t.lower() for t in APP_TYPES):
        raise ValueError(f"MicrosoftAppType={app_type!r}: expected one of {', '.join(APP_TYPES)}")
    if app_id:
        if app_type.lower() != "userassignedmsi" and not settings.microsoft_app_password:
            raise ValueError("MicrosoftAppPassword is required when MicrosoftAppId is set")
        if app_type.lower() != "multitenant" and not settings.microsoft_app_tenant_id:
            raise ValueError(f"MicrosoftAppTenantId is required for MicrosoftAppType={app_type}")
    return BotCredentials(
        APP_ID=app_id,
        APP_PASSWORD=settings.microsoft_app_password or "",
        APP_TYPE=app_type if app_id else "MultiTenant",  # MultiTenant is botbuilder's "auth off" mode
        APP_TENANTID=settings.microsoft_app_tenant_id or "",
    )


class _FailClosedAuthentication(ConfigurationBotFrameworkAuthentication):  # type: ignore[misc]
    """Any failure to verify a request's token is a 401, never a 500 or a hung request.

    botbuilder fetches Microsoft's signing keys with blocking HTTP calls; verification runs in a worker
    thread (with its own event loop) so a slow key server cannot stall the other channels of the process.
    """

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        if not auth_header:  # no token: accepted only with authentication off, decided without any I/O
            return await super().authenticate_request(activity, auth_header)
        verification = super().authenticate_request(activity, auth_header)
        try:
            result: AuthenticateRequestResult = await asyncio.wait_for(
                asyncio.to_thread(asyncio.run, verification), AUTH_TIMEOUT_SECONDS
            )
            return result
        except PermissionError:
            raise
        except Exception as exc:  # a malformed token, unreachable key endpoint, timeout…
            log.warning("rejecting a Teams request whose token could not be verified: %r", exc)
            raise PermissionError("token could not be verified") from exc


def make_adapter(settings: Settings) -> CloudAdapter:
    configuration = credentials(settings)
    tokens = ReusedTokenCredentials(ConfigurationServiceClientCredentialFactory(configuration))
    return CloudAdapter(_FailClosedAuthentication(configuration, credentials_factory=tokens))
