import importlib.util

import pytest

from kiosk.errors import KioskError
from kiosk.hardware.rfid import (Mfrc522Chip, Mfrc522Reader, ReaderUnavailable, UnknownReaderKind,
                                  make_reader)


def test_unknown_kind():
    with pytest.raises(UnknownReaderKind) as caught:
        make_reader("pn532")
    assert str(caught.value) == "unknown RFID reader 'pn532': use one of 'mfrc522', 'emulated'"
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, KioskError)


@pytest.mark.skipif(importlib.util.find_spec("spidev") is not None, reason="real spidev installed")
def test_real_reader_off_a_pi_is_unavailable_with_a_hint():
    with pytest.raises(ReaderUnavailable) as caught:
        make_reader("mfrc522")
    assert 'reader = "emulated"' in str(caught.value)
    assert isinstance(caught.value, OSError)


def test_emulated_returns_the_field_of_its_chip(clock):
    chip = Mfrc522Chip(clock=clock)
    reader, field = make_reader("emulated", chip=chip, sleep=clock.sleep, clock=clock, miss_limit=5)
    assert isinstance(reader, Mfrc522Reader)
    assert field is chip.field
    field.present("04a1b2c3d4e5f6")
    assert reader.poll() == bytes.fromhex("04a1b2c3d4e5f6")
    reader.close()


def test_emulated_without_a_chip_makes_one():
    reader, field = make_reader("emulated", poll_interval=0.02)
    with reader:
        field.present("deadbeef")
        assert reader.poll() == bytes.fromhex("deadbeef")
        assert reader.poll_interval == 0.02
