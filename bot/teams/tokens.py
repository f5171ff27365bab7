"""The bot's outbound Bot Framework tokens: fetched from Microsoft Entra off the event loop, and reused.

With an app id, every call to the Bot Connector carries a token the bot gets from Microsoft Entra with its
app id and password. botbuilder fetches it with blocking HTTP calls from inside the coroutine that sends the
message, and builds new credentials (so asks Entra again, twice) for every turn and every proactive message.
Here the credentials are kept per audience, so their token is reused for its lifetime (an hour), and the
token is fetched in a worker thread before botbuilder needs it, so a slow Entra never stalls the other
channels of the process. A token that cannot be had fails the sending with msrest's AuthenticationError (a
ClientException), which the callers treat like any failed delivery; the inbound turn itself still runs.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from botframework.connector.auth import AppCredentials, ServiceClientCredentialsFactory
from msrest.authentication import Authentication
from msrest.exceptions import AuthenticationError

log = logging.getLogger(__name__)

TOKEN_TIMEOUT_SECONDS = 10.0


class _NoToken(Authentication):
    """Credentials that fail every call: Entra gave no token this time."""

    def __init__(self, reason: str) -> None:
        self._reason = reason

    def signed_session(self, session: Any = None) -> Any:
        raise AuthenticationError(self._reason)


class ReusedTokenCredentials(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Wraps botbuilder's credentials factory: one set of credentials (and so one token) per audience."""

    def __init__(self, inner: ServiceClientCredentialsFactory) -> None:
        self._inner = inner
        self._credentials: dict[tuple[str, str, str, bool], Authentication] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        valid: bool = await self._inner.is_valid_app_id(app_id)
        return valid

    async def is_authentication_disabled(self) -> bool:
        disabled: bool = await self._inner.is_authentication_disabled()
        return disabled

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Authentication:
        key = (app_id, oauth_scope, login_endpoint, validate_authority)
        credentials: Authentication | None = self._credentials.get(key)
        if credentials is None:
            credentials = self._credentials[key] = await self._inner.create_credentials(*key)
        if isinstance(credentials, AppCredentials) and credentials.microsoft_app_id:  # authentication on
            try:
                # Fills the credentials' token cache, where botbuilder's own (blocking) request then finds it.
                await asyncio.wait_for(asyncio.to_thread(credentials.get_access_token), TOKEN_TIMEOUT_SECONDS)
            except Exception as exc:  # a refused password, an unknown tenant, Entra unreachable or slow…
                log.warning("Teams: no Bot Framework token from Microsoft Entra: %r", exc)
                return _NoToken(f"no Bot Framework token from Microsoft Entra: {exc}")
        return credentials
