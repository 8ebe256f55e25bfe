"""`make_reader`: the booth's tag reader as `[booth] reader` asks for it."""

from __future__ import annotations

import importlib
import logging
import time

from .emulator import EmulatedSpi, Mfrc522Chip, plugged
from kiosk.errors import ReaderUnavailable, UnknownReaderKind
from .field import RfidField
from .mfrc522_reader import Mfrc522Reader
from .stand_ins import import_mfrc522, is_stand_in

KINDS = ("mfrc522", "emulated")
BCM_MODE = 11      # RPi.GPIO.BCM


def make_reader(kind: str, *, bus: int = 0, device: int = 0, speed_hz: int = 1_000_000, pin_rst: int = -1,
                chip: Mfrc522Chip | None = None, **options) -> tuple[Mfrc522Reader, RfidField | None]:
    """Build the tag reader and, for "emulated", the field whose cards it reads.

    kind "mfrc522": the real chip on /dev/spidev{bus}.{device} through the real RPi.GPIO and
    spidev (the "pi" extra), its RST on BCM pin `pin_rst` (-1: the library's default, physical
    pin 22 = BCM 25); returns (reader, None).
    kind "emulated": the real `mfrc522` library on an emulated chip (`chip`, or a new one);
    returns (reader, field) so `booth/simulate` can bring cards in and out.
    `options` go to Mfrc522Reader (poll_interval, miss_limit, sleep, clock, ...).
    Raises UnknownReaderKind, ReaderUnavailable.
    """
    if kind == "mfrc522":
        return Mfrc522Reader(_real_device(bus, device, speed_hz, pin_rst), **options), None
    if kind == "emulated":
        if chip is None:
            chip = Mfrc522Chip(clock=options.get("clock", time.monotonic))
        return Mfrc522Reader(_emulated_device(chip, bus, device, speed_hz), **options), chip.field
    raise UnknownReaderKind(f"unknown RFID reader {kind!r}: use one of {', '.join(map(repr, KINDS))}")


def check_emulated_reader() -> None:
    """Raise ReaderUnavailable, saying what to install, when the emulated reader cannot run here
    (the `mfrc522` library it runs is not installed)."""
    import_mfrc522()


def _real_device(bus: int, device: int, speed_hz: int, pin_rst: int):
    hint = 'install the Pi extra (pip install "batenbrock-kiosk[pi]") or set [booth] reader = "emulated"'
    for name in ("RPi.GPIO", "spidev"):
        try:
            module = importlib.import_module(name)
        except (ImportError, RuntimeError) as exc:
            raise ReaderUnavailable(f"cannot import {name} ({exc}): {hint}") from None
        if is_stand_in(module):
            raise ReaderUnavailable(f"{name} is the emulator's stand-in, not the real module: {hint}")
    try:
        library = importlib.import_module("mfrc522.MFRC522")
    except ImportError as exc:
        raise ReaderUnavailable(f"cannot import mfrc522 ({exc}): {hint}") from None
    if is_stand_in(library.spidev) or is_stand_in(library.GPIO):
        raise ReaderUnavailable("mfrc522 was imported with the emulator's stand-ins in this process; "
                                "start the service with reader = \"mfrc522\" only")
    try:
        if pin_rst >= 0:
            # `pin_rst` is a BCM number, as everywhere in station.toml; the library's default
            # pin mode is BOARD, where BCM 25 (RST) would be physical pin 25, a ground pin.
            return library.MFRC522(bus=bus, device=device, spd=speed_hz, pin_mode=BCM_MODE, pin_rst=pin_rst)
        return library.MFRC522(bus=bus, device=device, spd=speed_hz, pin_rst=pin_rst)
    except OSError as exc:
        raise ReaderUnavailable(f"cannot open SPI /dev/spidev{bus}.{device} ({exc}): enable SPI with "
                                "`sudo raspi-config nonint do_spi 0` and reboot") from None


def _emulated_device(chip: Mfrc522Chip, bus: int, device: int, speed_hz: int):
    library = import_mfrc522()
    if is_stand_in(library.spidev) and is_stand_in(library.GPIO):
        with plugged(chip, bus, device):
            return library.MFRC522(bus=bus, device=device, spd=speed_hz)
    # The real Pi modules are loaded (e.g. `kiosk demo` on a Pi): the constructor would open
    # the real SPI bus, so wire the library object to the emulated chip by hand instead.
    instance = library.MFRC522.__new__(library.MFRC522)
    instance.spi = EmulatedSpi(chip)
    instance.spi.bus, instance.spi.device = bus, device
    instance.spi.max_speed_hz = speed_hz
    instance.logger = logging.getLogger("mfrc522Logger")
    instance.MFRC522_Init()
    return instance
