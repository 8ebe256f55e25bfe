"""The `kiosk` command: one entry point for every service and staff task.

Each domain adds its own subcommands from its `commands.py` (argparse only,
with the handlers of kiosk/command_handlers.py); this module alone knows them
all. The work behind a command is imported when it runs, so `kiosk bridge` on a Pi
Zero never loads Kivy. Any KioskError ends as one line on stderr and exit code
2; a traceback means a bug.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from typing import Sequence

from kiosk import __version__
from kiosk.command_handlers import lazy
from kiosk.errors import KioskError


# Domains that contribute commands, each through `<module>.register(commands, admin)`.
DOMAINS = ("kiosk.garden.commands", "kiosk.booth.commands", "kiosk.ui.commands",
           "kiosk.ideas.commands", "kiosk.offers.commands", "kiosk.staff.commands",
           "kiosk.console.commands", "kiosk.report.commands", "kiosk.fleet.commands")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="The Batenbrock shop-front station.",
        epilog="The config file is --config, else $KIOSK_CONFIG, else config/station.toml.")
    parser.add_argument("--config", metavar="PATH", help="station.toml to use")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser("demo", help="the whole station on this machine, with simulated hardware")
    demo.add_argument("--data", metavar="DIR", help="keep the demo's data here (default: a fresh temporary folder)")
    demo.add_argument("--minutes", type=float, default=3.0, help="how long the simulated bed takes to dry out")
    demo.add_argument("--duration", type=float, default=0.0, help="stop by itself after this many seconds")
    demo.add_argument("--no-ui", action="store_true", help="run the services without the touch kiosk window")
    demo.set_defaults(run=lazy("kiosk.demo", "run"), needs_config=False)

    doctor = commands.add_parser("doctor", help="check config, broker, serial port and disk; say how to fix")
    doctor.set_defaults(run=lazy("kiosk.doctor", "run"), needs_config=False)

    admin_parser = commands.add_parser("admin", help="staff tasks without the touchscreen")
    admin = admin_parser.add_subparsers(dest="task", metavar="TASK", required=True)
    backup = admin.add_parser("backup", help="copy every database of this Pi safely while it runs")
    backup.add_argument("--to", metavar="DIR", help="target folder (default: DATA_DIR/backup)")
    backup.add_argument("--keep", type=int, default=14, help="how many backups to keep")
    backup.set_defaults(run=lazy("kiosk.backup", "backup"))
    restore = admin.add_parser("restore", help="put the databases of a backup back (stop the services first)")
    restore.add_argument("folder", metavar="DIR", help="a backup folder, e.g. DATA_DIR/backup/20250101T031500Z")
    restore.add_argument("--yes", action="store_true", help="do not ask before replacing the databases")
    restore.set_defaults(run=lazy("kiosk.backup", "restore"))

    for module in DOMAINS:
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module).register(commands, admin)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = None
        if getattr(args, "needs_config", True):
            from kiosk import config as config_mod
            config = config_mod.load(args.config)
        return args.run(config, args) or 0
    except KioskError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
