"""The touch kiosk's part of the `kiosk` command line (argparse only; Kivy is imported when it runs)."""

from __future__ import annotations

from kiosk.command_handlers import lazy


def register(commands, admin) -> None:
    ui = commands.add_parser("ui", help="the touch kiosk in the shop window",
                             description="The touch kiosk. With --screenshot it renders every main screen to "
                                         "DIR/<screen>.png at exactly --size and exits (needs a display; on a "
                                         "server use xvfb-run).")
    ui.add_argument("--screenshot", metavar="DIR", help="render every main screen into DIR/<screen>.png and exit")
    ui.add_argument("--size", metavar="WxH", help="window size, e.g. 800x480 (default: the screen, or 800x480 "
                                                  "for screenshots)")
    ui.add_argument("--lang", metavar="CODE", help="start in this language (de, en, tr, ar, uk)")
    ui.add_argument("--sample", action="store_true",
                    help="with --screenshot: show sample ideas, moisture and a loan instead of this station's data")
    ui.set_defaults(run=lazy("kiosk.ui.main", "run"))

    pin = admin.add_parser("pin", help="set, clear or unlock the staff PIN of the touch kiosk")
    pin.add_argument("--pin", help="the new PIN, 4–8 digits (asked for when left out)")
    pin.add_argument("--clear", action="store_true", help="remove the PIN (staff mode then only by staff card)")
    pin.add_argument("--unlock", action="store_true", help="lift the lock after too many wrong tries")
    pin.add_argument("--print-hash", action="store_true",
                     help="only print the hash, for ui.staff_pin_hash in station.toml")
    pin.set_defaults(run=lazy("kiosk.ui.staff", "admin_pin"))
