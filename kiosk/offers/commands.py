"""The offers' part of the `kiosk` command line (argparse only; work is imported lazily)."""

from __future__ import annotations

from kiosk.command_handlers import lazy
from kiosk.languages import CODES, DEFAULT


def register(commands, admin) -> None:
    offers = admin.add_parser("offers", help="check offers.toml and the calendar feeds; list what the kiosk shows")
    offers.add_argument("--json", action="store_true", help="print JSON instead of a list")
    offers.add_argument("--lang", default=DEFAULT, choices=CODES,
                        help=f"language of titles and times (default: {DEFAULT})")
    offers.set_defaults(run=lazy("kiosk.offers.admin", "offers"))
