"""Stand-ins for `RPi.GPIO` and `spidev`, so the `mfrc522` library imports off a Pi.

`mfrc522` imports both at import time and `RPi.GPIO` refuses to import anywhere but on
a Pi. For the emulated reader (and tests) `install()` puts minimal modules into
`sys.modules` for whichever of the two cannot be imported; real modules that import
are left alone. The spidev stand-in's `SpiDev` is `EmulatedSpi`, so
`spidev.SpiDev().open(bus, device)` reaches the chip `plugged()` there.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import sys
import types
from collections.abc import Iterator

from kiosk.errors import ReaderUnavailable

from .emulator import EmulatedSpi

MARK = "__kiosk_stand_in__"
DISTRIBUTION = "batenbrock-kiosk"          # pyproject.toml's project name


def is_stand_in(module: object) -> bool:
    """True for a module this file made."""
    return bool(getattr(module, MARK, False))


def _make_gpio() -> types.ModuleType:
    gpio = types.ModuleType("RPi.GPIO", "Stand-in for RPi.GPIO (kiosk emulated reader): records pin states.")
    setattr(gpio, MARK, True)
    gpio.BOARD, gpio.BCM = 10, 11
    gpio.OUT, gpio.IN = 0, 1
    gpio.LOW, gpio.HIGH = 0, 1
    gpio.PUD_OFF, gpio.PUD_DOWN, gpio.PUD_UP = 20, 21, 22
    gpio.RPI_INFO = {"TYPE": "emulated"}
    gpio.pins = {}
    state = {"mode": None}

    def getmode():
        return state["mode"]

    def setmode(mode):
        state["mode"] = mode

    def setwarnings(flag):
        pass

    def setup(channel, direction, pull_up_down=None, initial=None):
        gpio.pins[channel] = initial if initial is not None else 0

    def output(channel, value):
        gpio.pins[channel] = int(bool(value))

    def input(channel):
        return gpio.pins.get(channel, 0)

    def cleanup(channel=None):
        if channel is None:
            gpio.pins.clear()
            state["mode"] = None
        else:
            gpio.pins.pop(channel, None)

    for function in (getmode, setmode, setwarnings, setup, output, input, cleanup):
        setattr(gpio, function.__name__, function)
    return gpio


def _make_spidev() -> types.ModuleType:
    spidev = types.ModuleType("spidev", "Stand-in for spidev (kiosk emulated reader): SPI to an emulated MFRC522.")
    setattr(spidev, MARK, True)
    spidev.SpiDev = EmulatedSpi
    return spidev


def _importable(name: str) -> bool:
    if name in sys.modules:
        return True
    try:
        importlib.import_module(name)
    # RPi.GPIO raises RuntimeError off a Pi; rpi-lgpio's lgpio raises OSError where it cannot
    # make its notification pipe (off a Pi, or run from a folder it may not write, like /).
    except (ImportError, RuntimeError, OSError):
        return False
    return True


def install() -> tuple[str, ...]:
    """Put stand-ins into sys.modules for `spidev` and `RPi.GPIO` where the real ones do not
    import; returns the names it added (empty on a Pi)."""
    added = []
    if not _importable("spidev"):
        sys.modules["spidev"] = _make_spidev()
        added.append("spidev")
    if not _importable("RPi.GPIO"):
        gpio = _make_gpio()
        if "RPi" not in sys.modules or is_stand_in(sys.modules["RPi"]):
            package = types.ModuleType("RPi", "Stand-in package for RPi.GPIO.")
            setattr(package, MARK, True)
            package.__path__ = []
            package.GPIO = gpio
            sys.modules["RPi"] = package
            added.append("RPi")
        sys.modules["RPi.GPIO"] = gpio
        added.append("RPi.GPIO")
    return tuple(added)


def uninstall(names: tuple[str, ...] | None = None) -> None:
    """Remove stand-ins (those named, or all) from sys.modules; real modules stay."""
    for name in names or ("spidev", "RPi.GPIO", "RPi"):
        if is_stand_in(sys.modules.get(name)):
            del sys.modules[name]


@contextlib.contextmanager
def stand_ins() -> Iterator[tuple[str, ...]]:
    """Stand-ins installed for the block and removed after it (modules imported meanwhile,
    such as `mfrc522`, keep their references to them)."""
    added = install()
    try:
        yield added
    finally:
        uninstall(added)


def import_mfrc522() -> types.ModuleType:
    """The `mfrc522.MFRC522` module, importing it with stand-ins where the Pi modules are missing.

    Raises ReaderUnavailable, saying what to install, if the mfrc522 package itself is not
    installed (a plain `pip install .` leaves it out: it is part of the "pi" extra).
    """
    if "mfrc522.MFRC522" not in sys.modules:
        install()
    try:
        importlib.import_module("mfrc522")
    except ImportError as exc:
        raise ReaderUnavailable(f"the emulated reader runs the mfrc522 library, which cannot be imported ({exc}); "
                                f"install it with: {sys.executable} -m pip install --no-deps "
                                f"\"{mfrc522_requirement()}\" (without its Pi-only RPi.GPIO and spidev)") from None
    return sys.modules["mfrc522.MFRC522"]


def mfrc522_requirement() -> str:
    """The mfrc522 version this station is tested with, as its "pi" extra names it."""
    try:
        requirements = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        requirements = []            # run from a source tree that was never installed
    for requirement in requirements:
        if requirement.startswith("mfrc522"):
            return requirement.split(";")[0].strip()
    return "mfrc522"
