"""The sideloadable Teams app package: manifest.json and the two icons at the root of a zip file."""

from __future__ import annotations

import io
import json
import re
import zipfile
from importlib.metadata import version
from typing import Any

from bot import texts
from bot.engine import commands
from bot.teams.icons import color_icon, outline_icon

MANIFEST_VERSION = "1.23"
SCHEMA_URL = (
    f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
)
ACCENT_COLOR = "#1F4E79"
COLOR_ICON = "color.png"
OUTLINE_ICON = "outline.png"
# The bot serves one person at a time: tickets and their details never belong in a team channel.
SCOPES = ["personal"]

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_guid(value: str) -> bool:
    return bool(_GUID.match(value))


TEAMS_MENU_COMMANDS = 10


def build_manifest(app_id: str, website_url: str, privacy_url: str, terms_url: str) -> dict[str, Any]:
    """manifest.json for the bot registered as `app_id` (the Azure bot's Microsoft App ID)."""
    if not is_guid(app_id):
        raise ValueError(f"app id {app_id!r} is not a GUID (e.g. 00000000-0000-0000-0000-000000000000)")
    for url in (website_url, privacy_url, terms_url):
        if not url.startswith("https://"):
            raise ValueError(f"{url!r}: Teams requires https:// URLs for the developer links")
    # Teams shows at most ten commands in its menu; the others (the last: /panel) still work when typed.
    command_list = [
        {"title": name, "description": description} for name, description in commands.menu(staff=True)
    ][:TEAMS_MENU_COMMANDS]
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version("talepbot"),
        "id": app_id.lower(),
        "developer": {
            "name": texts.TEAMS_APP_DEVELOPER,
            "websiteUrl": website_url,
            "privacyUrl": privacy_url,
            "termsOfUseUrl": terms_url,
        },
        "name": {"short": texts.TEAMS_APP_NAME_SHORT, "full": texts.TEAMS_APP_NAME_FULL},
        "description": {"short": texts.TEAMS_APP_DESCRIPTION_SHORT, "full": texts.TEAMS_APP_DESCRIPTION_FULL},
        "icons": {"color": COLOR_ICON, "outline": OUTLINE_ICON},
        "accentColor": ACCENT_COLOR,
        "bots": [
            {
                "botId": app_id.lower(),
                "scopes": SCOPES,
                "isNotificationOnly": False,
                "supportsFiles": True,  # a photo or file of the problem can go with the request
                "commandLists": [{"scopes": SCOPES, "commands": command_list}],
            }
        ],
        "validDomains": [],
    }


def build_package(app_id: str, website_url: str, privacy_url: str, terms_url: str) -> bytes:
    """The zip Teams accepts for upload: manifest.json, color.png and outline.png at its root."""
    manifest = build_manifest(app_id, website_url, privacy_url, terms_url)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        package.writestr(COLOR_ICON, color_icon(ACCENT_COLOR))
        package.writestr(OUTLINE_ICON, outline_icon())
    return buffer.getvalue()
