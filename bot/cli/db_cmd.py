"""`talepbot db upgrade`: applies the database migrations (`talepbot run` does it at start too)."""

from __future__ import annotations

import argparse

from bot.cli.database import migrate


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("db", help="veritabanı")
    actions = parser.add_subparsers(dest="db_command", required=True, metavar="İŞLEM")
    upgrade = actions.add_parser("upgrade", help="şemayı son sürüme yükselt (DATABASE_URL)")
    upgrade.set_defaults(handler=_upgrade)


def _upgrade(args: argparse.Namespace) -> int:
    shown = migrate()
    print(f"database {shown} is at the latest schema")
    return 0
