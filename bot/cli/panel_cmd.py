"""`talepbot panel link EMAIL_OR_PHONE`: prints a one-time login link to the panel for a staff member."""

from __future__ import annotations

import argparse

from bot.cli.database import open_database
from bot.cli.errors import CliError
from bot.engine.panel_login import login_url
from bot.settings import get_settings
from bot.wiring import panel_base_url
from catalog.clock import SystemClock
from storage import panel_auth


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("panel", help="web paneli")
    actions = parser.add_subparsers(dest="panel_command", required=True, metavar="İŞLEM")
    link = actions.add_parser(
        "link", help="bir personel için 10 dakika geçerli, tek kullanımlık giriş bağlantısı"
    )
    link.add_argument("who", metavar="EPOSTA_YA_DA_TELEFON", help="personelin e-posta adresi ya da telefonu")
    link.set_defaults(handler=_link)


def _link(args: argparse.Namespace) -> int:
    with open_database().begin() as session:
        person = panel_auth.staff_by_email_or_phone(session, args.who)
        if person is None:
            raise CliError(f"no active IT staff member with e-mail or phone {args.who!r}", exit_code=1)
        token = panel_auth.create_link(session, person, SystemClock().now())
    print(login_url(panel_base_url(get_settings()), token))
    return 0
