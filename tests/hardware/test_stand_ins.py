import importlib.util
import sys
import types

import pytest

from kiosk.hardware.rfid import stand_ins
from kiosk.hardware.rfid.emulator import EmulatedSpi

REAL_PI = importlib.util.find_spec("spidev") is not None


def test_real_modules_are_not_clobbered(monkeypatch):
    real_spidev = types.ModuleType("spidev")
    real_gpio = types.ModuleType("RPi.GPIO")
    monkeypatch.setitem(sys.modules, "spidev", real_spidev)
    monkeypatch.setitem(sys.modules, "RPi.GPIO", real_gpio)
    assert stand_ins.install() == ()
    assert sys.modules["spidev"] is real_spidev
    assert sys.modules["RPi.GPIO"] is real_gpio
    stand_ins.uninstall()
    assert sys.modules["spidev"] is real_spidev


@pytest.mark.skipif(REAL_PI, reason="the real spidev is installed here")
def test_missing_modules_get_stand_ins_and_lose_them_after(monkeypatch):
    for name in ("spidev", "RPi", "RPi.GPIO"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    with stand_ins.stand_ins() as added:
        assert set(added) == {"spidev", "RPi", "RPi.GPIO"}
        import RPi.GPIO as GPIO
        import spidev
        assert spidev.SpiDev is EmulatedSpi
        assert GPIO.getmode() is None
        GPIO.setmode(GPIO.BOARD)
        GPIO.setup(22, GPIO.OUT)
        GPIO.output(22, 1)
        assert GPIO.input(22) == 1
    assert "spidev" not in sys.modules


def test_library_is_bound_to_the_stand_ins_here():
    library = stand_ins.import_mfrc522()
    if not REAL_PI:
        assert stand_ins.is_stand_in(library.spidev)
        assert stand_ins.is_stand_in(library.GPIO)
