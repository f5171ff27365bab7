"""What the Teams endpoint accepts before botbuilder sees an activity, and where it may listen.

Without MicrosoftAppId nothing authenticates a request, so anyone who can reach the port can write as anyone:
the endpoint then stays on loopback unless TEAMS_ALLOW_INSECURE=1 says otherwise. Whatever the
authentication, replies and later notifications go to the activity's serviceUrl, so only the Bot Framework's
own hosts are accepted (plus TEAMS_EXTRA_SERVICE_URLS, for the tests' fake connector), and a malformed body is
a 400, never a 500.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from bot.settings import Settings

LOOPBACK = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"
# The Bot Connector's hosts: public cloud, GCC, GCC High / DoD.
MICROSOFT_HOSTS = ("smba.trafficmanager.net",)
MICROSOFT_HOST_SUFFIXES = (
    ".botframework.com",
    ".teams.microsoft.com",
    ".teams.microsoft.us",
    ".botframework.azure.us",
)


def listen_host(settings: Settings) -> str:
    """TEAMS_HOST, else only this machine while authentication is off (anyone could post as anyone).

    ValueError: a non-loopback TEAMS_HOST without an app id, unless TEAMS_ALLOW_INSECURE=1.
    """
    host = settings.teams_host or (ALL_INTERFACES if settings.microsoft_app_id else LOOPBACK)
    if not settings.microsoft_app_id and not settings.teams_allow_insecure and not _is_loopback(host):
        raise ValueError(
            f"TEAMS_HOST={host} without MicrosoftAppId would let anyone on the network write as anyone; "
            "set MicrosoftAppId, or TEAMS_ALLOW_INSECURE=1 for a trial on a trusted network"
        )
    return host


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ServiceUrls:
    """The Bot Framework's serviceUrls, and the extra ones configured (scheme, host and, if given, port)."""

    def __init__(self, extra: str = "") -> None:
        self._extra = [urlsplit(url.strip()) for url in extra.split(",") if url.strip()]

    def allowed(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        host = (parts.hostname or "").lower()
        if parts.scheme == "https" and port in (None, 443) and not parts.username and _microsoft(host):
            return True
        return any(
            parts.scheme == allowed.scheme
            and host == (allowed.hostname or "").lower()
            and (allowed.port is None or port == allowed.port)
            and not parts.username
            for allowed in self._extra
        )


def _microsoft(host: str) -> bool:
    return host in MICROSOFT_HOSTS or host.endswith(MICROSOFT_HOST_SUFFIXES)


def malformed(body: Any, service_urls: ServiceUrls) -> str | None:
    """Why `body` is not an activity the bot can take (None when it is): a type, a sender and a conversation
    with ids, and an accepted serviceUrl."""
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        return "not a Bot Framework activity"
    for part in ("from", "conversation"):
        value = body.get(part)
        if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"]:
            return f"the activity has no {part}.id"
    service_url = body.get("serviceUrl")
    if not isinstance(service_url, str) or not service_urls.allowed(service_url):
        return "serviceUrl is not a Bot Framework service"
    return None
