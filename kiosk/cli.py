"""The `kiosk` command: one entry point for every service and staff task.

Modules are imported only for the command that runs, so `kiosk bridge` on a
Pi Zero never loads Kivy. Any KioskError ends as one line on stderr and exit
code 2; a traceback means a bug.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from kiosk import __version__
from kiosk.errors import KioskError

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="The Batenbrock shop-front station.",
        epilog="The config file is --config, else $KIOSK_CONFIG, else config/station.toml.")
    parser.add_argument("--config", metavar="PATH", help="station.toml to use")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    commands.add_parser("bridge", help="serial sensor node → MQTT").set_defaults(run=_service("kiosk.garden.bridge"))
    commands.add_parser("garden", help="moisture, watering alerts, history, notifications") \
        .set_defaults(run=_service("kiosk.garden.service"))

    demo = commands.add_parser("demo", help="the whole station on this machine, with simulated hardware")
    demo.add_argument("--data", metavar="DIR", help="keep the demo's data here (default: a fresh temporary folder)")
    demo.add_argument("--minutes", type=float, default=3.0, help="how long the simulated bed takes to dry out")
    demo.add_argument("--duration", type=float, default=0.0, help="stop by itself after this many seconds")
    demo.set_defaults(run=_lazy("kiosk.demo", "run"), needs_config=False)

    doctor = commands.add_parser("doctor", help="check config, broker, serial port and disk; say how to fix")
    doctor.set_defaults(run=_lazy("kiosk.doctor", "run"), needs_config=False)

    admin = commands.add_parser("admin", help="staff tasks without the touchscreen")
    tasks = admin.add_subparsers(dest="task", metavar="TASK", required=True)
    calibrate = tasks.add_parser("calibrate", help="take a sensor's latest raw reading as its dry or wet point")
    calibrate.add_argument("node", help="node id, e.g. bed-1")
    point = calibrate.add_mutually_exclusive_group(required=True)
    point.add_argument("--dry", dest="point", action="store_const", const="dry",
                       help="the sensor is in dry air / dry soil now")
    point.add_argument("--wet", dest="point", action="store_const", const="wet",
                       help="the sensor is in water / soaked soil now")
    calibrate.set_defaults(run=_lazy("kiosk.garden.admin", "calibrate"))
    readings = tasks.add_parser("readings", help="the latest moisture history of a sensor")
    readings.add_argument("node")
    readings.add_argument("--span", choices=("24h", "7d", "30d"), default="24h")
    readings.add_argument("--json", action="store_true", help="print JSON instead of a table")
    readings.set_defaults(run=_lazy("kiosk.garden.admin", "readings"))
    backup = tasks.add_parser("backup", help="copy every database of this Pi safely while it runs")
    backup.add_argument("--to", metavar="DIR", help="target folder (default: DATA_DIR/backup)")
    backup.add_argument("--keep", type=int, default=14, help="how many backups to keep")
    backup.set_defaults(run=_lazy("kiosk.backup", "backup"))
    return parser


def _lazy(module: str, function: str) -> Callable:
    def run(config, args):
        import importlib
        return getattr(importlib.import_module(module), function)(config, args)
    return run


def _service(module: str) -> Callable:
    def run(config, args):
        import importlib
        return importlib.import_module(module).run(config)
    return run


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
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
