"""`kiosk demo`: the whole station on one machine, with simulated hardware.

It starts a private Mosquitto, then every service as its own process — exactly
the processes that run on the Pi — with a demo station.toml in a fresh folder:
the sensor firmware runs on this machine and writes to a pseudo-terminal that
`kiosk bridge` opens like the real USB port; the bed dries out over a few
minutes so the watering alert appears; the booth runs the real mfrc522 library
on the emulated reader, with thirty books and three cards to tap from the
terminal (or by publishing to `booth/simulate`). Ctrl-C, --duration, closing the
terminal (SIGHUP) and `kill` (SIGTERM) all stop everything the same way and leave no
process behind.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kiosk import config as config_mod
from kiosk import logs
from kiosk.booth.messages import BoothEvent
from kiosk.bus import Bus
from kiosk.bus.broker import LocalBroker, free_port
from kiosk.demo_seed import BOOKS, CHILD_CARDS, STAFF_CARD, book_tag, seed
from kiosk.errors import KioskError
from kiosk.garden.messages import BedAlert

log = logging.getLogger("kiosk.demo")

ROOT = Path(__file__).resolve().parent.parent
WET_RAW, DRY_RAW = 24000, 47000          # ≈ 90 % and ≈ 16 % with the demo calibration
TAP_S = 0.8                              # how long a virtual card or book lies on the reader
# Ctrl-C, `kill`, and the terminal window being closed: each ends the demo the same clean way.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
HELP = """  Tap at the booth — type a letter and Enter:
    a / b   a child's card (Lesefuchs 1 / Bücherwurm 2)     s   the staff card
    1 … 9   a book (1 = {first}, 2 = {second}, …)         w   water the herb bed
    q       quit"""

DEMO_CONFIG = """\
# Written by `kiosk demo`; the station's real configuration is config/station.toml.
[station]
id = "batenbrock-demo"
data_dir = "."

[mqtt]
host = "127.0.0.1"
port = {port}

[bridge]
port = "{serial}"

[[garden.sensors]]
node = "bed-1"
name = "Kräuterbeet"
raw_dry = 52000
raw_wet = 21000
dry_below = 30
ok_above = 38
confirm_readings = 3
stale_after_s = 120

[booth]
reader = "emulated"

[ui]
fullscreen = false
offers_file = "{offers}"

[console]
listen = "127.0.0.1:{console_port}"
allow = ["127.0.0.0/8"]
tls_cert = ""
tls_key = ""
"""
DEMO_STAFF = "demo"


class SimulatedBed:
    """Soil that dries out linearly over `minutes`, and is wet again when watered."""

    def __init__(self, minutes: float):
        self.span_s = max(10.0, minutes * 60)
        # About twenty readings while it dries: enough for the alert's confirmation.
        self.reading_every_ms = int(min(5.0, max(1.0, self.span_s / 20)) * 1000)
        self.watered_at = time.monotonic()
        self._lock = threading.Lock()

    def raw(self) -> int:
        with self._lock:
            dryness = min(1.0, (time.monotonic() - self.watered_at) / self.span_s)
        return int(WET_RAW + (DRY_RAW - WET_RAW) * dryness)

    def water(self) -> None:
        with self._lock:
            self.watered_at = time.monotonic()


class Demo:
    """Owns the broker, the simulated node and the service processes; `stop()` ends all."""

    def __init__(self, folder: Path, minutes: float, with_ui: bool):
        self.folder = folder
        self.bed = SimulatedBed(minutes)
        self.with_ui = with_ui
        self.broker = LocalBroker(folder / "broker")
        self.processes: dict[str, subprocess.Popen] = {}
        self.bus: Bus | None = None
        self.stopping = threading.Event()
        self.port = None
        self.config_path = folder / "station.toml"

    def start(self) -> None:
        from firmware.host import open_pty, run_node

        self.broker.start()
        self.port = open_pty()
        link = self.folder / "usb-MicroPython_Board-if00"
        if link.is_symlink():
            link.unlink()
        link.symlink_to(self.port.path)   # like udev's /dev/serial/by-id/… link
        offers = self.folder / "offers.toml"       # a copy: the demo's console edits it, never the checkout's
        if not offers.exists():
            shutil.copy(ROOT / "config" / "offers.toml", offers)
        self.config_path.write_text(DEMO_CONFIG.format(port=self.broker.port, serial=link, console_port=free_port(),
                                                       offers=offers), encoding="utf-8")
        config = config_mod.load(self.config_path)
        seed(config)
        self.console_url = f"http://{config.console.listen}/"
        self.staff_password = demo_staff_account(config)
        for service in self.services():
            self._spawn(service)
        # The demo's own hands: it taps virtual tags and waters the bed over the bus,
        # exactly as a viewer could with mosquitto_pub.
        self.bus = Bus(config, "demo", announce=False)
        self.bus.subscribe(self.bus.topics.demo_water(), lambda message: self.bed.water())
        self.bus.subscribe(self.bus.topics.booth_events(), _print_event)
        self.bus.subscribe(self.bus.topics.garden_alert("+"), _print_alert)
        self.bus.start()
        threading.Thread(target=run_node, name="sensor-node", daemon=True,
                         args=(self.port.write, self.bed.raw),
                         kwargs={"interval_ms": self.bed.reading_every_ms, "stop": self.stopping}).start()

    def services(self) -> list[str]:
        wanted = ["garden", "bridge", "booth", "console"]
        if self.with_ui:
            if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
                wanted.append("ui")
            else:
                _say("  No screen here (DISPLAY is not set): the kiosk window is left out. "
                     "Run the demo on a desktop, or under `xvfb-run -a`.")
        return wanted

    def _spawn(self, service: str) -> None:
        logfile = open(self.folder / f"{service}.log", "ab")
        # A session of its own: the terminal's signals (Ctrl-C, the hang-up of a closed window)
        # reach only the demo, which then stops each service with SIGTERM, as systemd would,
        # instead of some of them dying half-way on the terminal's signal.
        self.processes[service] = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--config", str(self.config_path), service],
            stdout=logfile, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.folder,
            start_new_session=True)
        logfile.close()

    def watch(self) -> str | None:
        """The name of a service that died, if any."""
        for name, process in self.processes.items():
            if process.poll() is not None:
                return name
        return None

    def tap(self, uid: str) -> None:
        """Lay a tag on the emulated reader for a moment, then take it away."""
        topic = self.bus.topics.booth_simulate()
        self.bus.publish(topic, {"uid": uid, "present": True})
        threading.Timer(TAP_S, lambda: self.bus.publish(topic, {"uid": uid, "present": False})).start()

    def command(self, line: str) -> bool:
        """One line typed by the viewer; False for quit."""
        key = line.strip().lower()
        if key == "q":
            return False
        if key in CHILD_CARDS:
            self.tap(CHILD_CARDS[key])
        elif key == "s":
            self.tap(STAFF_CARD)
        elif key.isdigit() and 1 <= int(key) <= len(BOOKS):
            self.tap(book_tag(int(key)))
        elif key == "w":
            self.bed.water()
            _say("  The herb bed is watered.")
        elif key:
            _say("  Unknown key. " + HELP.splitlines()[0].strip())
        return True

    def stop(self) -> None:
        self.stopping.set()
        if self.bus:
            self.bus.stop()
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.broker.stop()
        if self.port:
            self.port.close()


def run(config, args) -> int:
    """Entry point of `kiosk demo`."""
    logs.setup("demo", level="WARNING")      # the viewer reads the terminal; services log to files
    # Said before anything starts, in one line, rather than as a booth that dies on start.
    from kiosk.hardware.rfid.factory import check_emulated_reader
    check_emulated_reader()
    folder = Path(args.data).resolve() if args.data else Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    demo = Demo(folder, args.minutes, with_ui=not args.no_ui)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in STOP_SIGNALS}
    try:
        demo.start()
        _say(f"The Batenbrock station runs on this machine (data in {folder}).\n"
             f"  Services: {', '.join(demo.processes)} — logs in {folder}/*.log\n"
             f"  The herb bed dries out within {args.minutes:g} minutes; then the watering alert appears.\n"
             f"  Watch the bus: mosquitto_sub -p {demo.broker.port} -t 'batenbrock/#' -v\n"
             f"  Staff console: {demo.console_url} — log in as {DEMO_STAFF} with the password "
             f"{demo.staff_password}\n"
             + HELP.format(first=BOOKS[0][0], second=BOOKS[1][0]) + "\n"
             "  Stop with Ctrl-C.")
        if sys.stdin and sys.stdin.isatty():
            threading.Thread(target=_read_commands, args=(demo, stop), daemon=True).start()
        deadline = time.monotonic() + args.duration if args.duration else None
        while not stop.wait(0.5):
            dead = demo.watch()
            if dead:
                raise KioskError(f"the {dead} service stopped unexpectedly; see {folder}/{dead}.log")
            if deadline and time.monotonic() >= deadline:
                break
    finally:
        demo.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    _say("Demo stopped.")
    return 0


def demo_staff_account(config) -> str:
    """The demo's staff account with a fresh password each run (said in the terminal only)."""
    import secrets

    from kiosk.staff.accounts import StaffAccounts

    letters = "abcdefghkmnpqrstuvwxyz23456789"      # nothing to mistake for another when typed
    password = "-".join("".join(secrets.choice(letters) for _ in range(4)) for _ in range(3))
    with StaffAccounts.open(config) as accounts:
        if accounts.exists(DEMO_STAFF):
            accounts.set_password(DEMO_STAFF, password, by="kiosk demo")
        else:
            accounts.add(DEMO_STAFF, password, by="kiosk demo")
    return password


def _say(text: str) -> None:
    # After the terminal was closed, writing to it fails (EIO); the demo still stops cleanly.
    try:
        print(text, flush=True)
    except OSError:
        pass


def _print_event(message) -> None:
    event = BoothEvent.from_payload(message.json_object())     # a bad one: the bus logs it
    words = {"checkout": f"{event.card} borrows “{event.title or ''}” (now {event.loans} book(s))",
             "return": f"“{event.title or ''}” is back", "denied": f"denied ({event.reason})",
             "session_start": f"{event.card} tapped their card", "session_end": "session closed"}
    _say(f"  booth: {words.get(event.type, event.type)}")


def _print_alert(message) -> None:
    alert = BedAlert.from_payload(message.json_object())
    if message.retain or alert.moisture is None:
        return
    state = f"ALERT {alert.kind}" if alert.active else "all clear"
    _say(f"  herb bed: {state} (moisture {alert.moisture} %)")


def _read_commands(demo: Demo, stop: threading.Event) -> None:
    try:
        for line in sys.stdin:
            if not demo.command(line):
                stop.set()
                return
    except OSError:
        pass                    # the terminal is gone; its hang-up signal stops the demo


__all__ = ["Demo", "SimulatedBed", "run"]
