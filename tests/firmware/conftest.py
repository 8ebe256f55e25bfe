"""Fixtures for the firmware tests: the real firmware on fake_machine boards, simulated time."""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from firmware.host import Board, Clock, load_board, load_protocol, temp_raw  # noqa: E402
from firmware.host.fake_net import Net  # noqa: E402


class PicoRig:
    """A Pico board with the sensor on ADC0 (powered by GP22) and its loaded main module."""

    def __init__(self, raw_source, files=(), **config):
        self.board = Board(adc={26: raw_source, 4: lambda: temp_raw(21.0)},
                           powered_by={26: 22}, files=files)
        self.main = load_board("pico", self.board, **config)
        self.lines = []

    def run(self, max_readings, sleep_ms=None):
        self.main.run(max_readings=max_readings, sleep_ms=sleep_ms, write=self.lines.append)
        return self.lines


class Esp32Rig:
    """An ESP32 board (sensor on GPIO34, powered by GPIO25) with simulated Wi-Fi and broker.

    wake() runs one cycle and returns the deep-sleep time; RTC memory carries over between
    wakes like a real deep sleep, and the reset cause turns into DEEPSLEEP_RESET.
    """

    def __init__(self, raw_source, utc_s=None, **net):
        self.clock = Clock(utc_s=utc_s) if utc_s else Clock()
        self.board = Board(adc={34: raw_source}, powered_by={34: 25}, clock=self.clock)
        self.net = Net(self.clock, **net)
        self.main = load_board("esp32", self.board, self.net.modules)

    def wake(self):
        from firmware.host import DeepSleep
        started = self.clock.now_ms
        try:
            self.main.run()
        except DeepSleep as sleep:
            self.awake_ms = self.clock.now_ms - started
            self.board.reset_cause = self.board.machine.DEEPSLEEP_RESET
            self.clock.now_ms += sleep.ms
            return sleep.ms
        raise AssertionError("run() returned without deep sleep")


@pytest.fixture(scope="session")
def proto():
    """The firmware's own protocol module (common/protocol.py)."""
    return load_protocol()


@pytest.fixture
def pico():
    return PicoRig


@pytest.fixture
def esp32():
    return Esp32Rig
