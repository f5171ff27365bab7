"""`talepbot teams manifest`: writes the Teams app package to sideload or upload to the org's app catalog."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.errors import CliError
from bot.settings import get_settings
from bot.teams.manifest import build_package, is_guid

# Teams only checks that these are https URLs; they are shown on the app's details page.
PLACEHOLDER_URL = "https://example.org"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("teams", help="Microsoft Teams uygulama paketi")
    actions = parser.add_subparsers(dest="teams_command", required=True, metavar="İŞLEM")
    manifest = actions.add_parser("manifest", help="Teams'e yüklenecek uygulama paketini (zip) yaz")
    manifest.add_argument(
        "--app-id", help="Azure Bot kaydının Microsoft App ID'si (GUID); verilmezse MicrosoftAppId ayarı"
    )
    manifest.add_argument("--out", type=Path, default=Path("talepbot-teams.zip"), help="çıktı dosyası (.zip)")
    manifest.add_argument("--website-url", help="uygulama sayfasında gösterilecek kurum sitesi (https://)")
    manifest.add_argument("--privacy-url", help="gizlilik / KVKK sayfası (https://); verilmezse site adresi")
    manifest.add_argument("--terms-url", help="kullanım koşulları sayfası (https://); verilmezse site adresi")
    manifest.set_defaults(handler=_manifest)


def _manifest(args: argparse.Namespace) -> int:
    app_id = args.app_id or get_settings().microsoft_app_id
    if not app_id:
        raise CliError("--app-id is required (or set MicrosoftAppId): the Azure bot's Microsoft App ID")
    if not is_guid(app_id):
        raise CliError(f"--app-id {app_id!r} is not a GUID like 00000000-0000-0000-0000-000000000000")
    website = args.website_url or PLACEHOLDER_URL
    if not args.website_url:
        print(
            f"note: --website-url not given, the app page links to {PLACEHOLDER_URL}; "
            "pass the municipality's pages before uploading to the organisation's app catalog",
            file=sys.stderr,
        )
    try:
        package = build_package(app_id, website, args.privacy_url or website, args.terms_url or website)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    try:
        args.out.write_bytes(package)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror}") from exc
    print(f"wrote {args.out} (manifest.json, color.png, outline.png)")
    return 0
