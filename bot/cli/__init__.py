"""The `talepbot` command line: each subcommand group lives in its own module under bot/cli/."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

# Each module exposes register(subparsers); the handler it sets returns the exit code.
from bot.cli import (
    catalog_cmd,
    chat_cmd,
    db_cmd,
    match_cmd,
    panel_cmd,
    privacy_cmd,
    run_cmd,
    sla_cmd,
    staff_cmd,
    teams_cmd,
    tickets_cmd,
)
from bot.cli.errors import CliError
from bot.settings import SettingsError

COMMAND_MODULES = (
    run_cmd,
    chat_cmd,
    catalog_cmd,
    sla_cmd,
    match_cmd,
    teams_cmd,
    db_cmd,
    staff_cmd,
    tickets_cmd,
    privacy_cmd,
    panel_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="talepbot", description="Bilgi İşlem talep botu")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="KOMUT")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        code: int = args.handler(args)
    except (CliError, SettingsError) as exc:  # SettingsError: a bad value in the environment or .env
        print(f"talepbot: {exc}", file=sys.stderr)
        return exc.exit_code if isinstance(exc, CliError) else 2
    except KeyboardInterrupt:
        return 130
    return code
