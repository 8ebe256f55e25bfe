"""The console's part of the `kiosk` command line (argparse only; work is imported lazily)."""

from __future__ import annotations

from kiosk.command_handlers import service


def register(commands, admin) -> None:
    commands.add_parser("console", help="the staff console: a web page for the office PC and phones") \
        .set_defaults(run=service("kiosk.console.service"))
