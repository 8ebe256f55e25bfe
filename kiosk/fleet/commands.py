"""The fleet's part of the `kiosk` command line (argparse only; work is imported lazily)."""

from __future__ import annotations

from kiosk.command_handlers import lazy


def register(commands, admin) -> None:
    fleet_parser = commands.add_parser("fleet", help="the link to the district's central broker")
    fleet = fleet_parser.add_subparsers(dest="task", metavar="TASK", required=True)

    bridge = fleet.add_parser("bridge", help="print this station's bridge configuration (from station.toml)")
    bridge.add_argument("--central", required=True, metavar="HOST:PORT", help="the central broker, e.g. central.example.org:8883")
    bridge.add_argument("--password-file", required=True, metavar="FILE",
                        help="a file holding this station's password at the central broker")
    bridge.set_defaults(run=lazy("kiosk.fleet.bridge", "run"))

    central = fleet.add_parser("central", help="make a central broker's CA, certificate, accounts and ACL")
    central.add_argument("--dir", required=True, metavar="DIR", help="where its files go, e.g. /etc/mosquitto/central")
    central.add_argument("--host", required=True, metavar="NAME", help="the name the stations reach it by")
    central.add_argument("--station", action="append", default=[], metavar="ID",
                         help="a station's id (its account); may be repeated; run again to add more")
    central.set_defaults(run=lazy("kiosk.fleet.central", "run"), needs_config=False)
