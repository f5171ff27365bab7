"""`talepbot privacy purge --older-than DAYS`: anonymises closed citizen tickets (KVKK), keeps statistics."""

from __future__ import annotations

import argparse
from datetime import timedelta

from bot.cli.database import open_database
from bot.cli.errors import CliError
from catalog.clock import SystemClock
from storage.privacy import purge, purge_idle_citizens

MAX_DAYS = 36_525


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("privacy", help="kişisel veriler (KVKK)")
    actions = parser.add_subparsers(dest="privacy_command", required=True, metavar="İŞLEM")
    purging = actions.add_parser(
        "purge", help="kapanmış vatandaş taleplerini anonimleştir (istatistikler korunur)"
    )
    purging.add_argument(
        "--older-than", type=int, required=True, metavar="GÜN", help="kaç günden eski kapanmış talepler"
    )
    purging.set_defaults(handler=_purge)


def _purge(args: argparse.Namespace) -> int:
    if not 0 <= args.older_than <= MAX_DAYS:
        raise CliError(f"--older-than must be between 0 and {MAX_DAYS} days (100 years)")
    now, older_than = SystemClock().now(), timedelta(days=args.older_than)
    with open_database().begin() as session:
        count = purge(session, now, older_than)
        idle = purge_idle_citizens(session, now, older_than)
    print(f"anonymised {count} closed citizen ticket(s) older than {args.older_than} day(s)")
    print(f"deleted {idle} citizen(s) with no ticket and no message in {args.older_than} day(s)")
    return 0
