"""The garden's part of the `kiosk` command line (argparse only; work is imported lazily)."""

from __future__ import annotations

from kiosk.command_handlers import lazy, service
from kiosk.garden import spans


def register(commands, admin) -> None:
    commands.add_parser("bridge", help="serial sensor node → MQTT").set_defaults(run=service("kiosk.garden.bridge"))
    commands.add_parser("garden", help="moisture, watering alerts, history, notifications") \
        .set_defaults(run=service("kiosk.garden.service"))

    calibrate = admin.add_parser("calibrate", help="take a sensor's latest raw reading as its dry or wet point")
    calibrate.add_argument("node", help="node id, e.g. bed-1")
    point = calibrate.add_mutually_exclusive_group(required=True)
    point.add_argument("--dry", dest="point", action="store_const", const="dry",
                       help="the sensor is in dry air / dry soil now")
    point.add_argument("--wet", dest="point", action="store_const", const="wet",
                       help="the sensor is in water / soaked soil now")
    calibrate.set_defaults(run=lazy("kiosk.garden.admin", "calibrate"))

    readings = admin.add_parser("readings", help="the moisture history of a sensor")
    readings.add_argument("node")
    readings.add_argument("--span", choices=spans.NAMES, default=spans.DEFAULT)
    readings.add_argument("--json", action="store_true", help="print JSON instead of a table")
    readings.set_defaults(run=lazy("kiosk.garden.admin", "readings"))
