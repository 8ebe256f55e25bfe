"""Fixtures for the RFID layer: a fake clock, an emulated chip and field, readers and the real library on it."""

from __future__ import annotations

import heapq
import itertools
import logging

import pytest

from kiosk.hardware.rfid import Mfrc522Chip, make_reader, plugged, stand_ins


class FakeClock:
    """Monotonic time that only moves when someone sleeps; actions can be scheduled at a time."""

    def __init__(self, start: float = 1000.0):
        self.now = start
        self.slept = 0.0
        self._queue: list = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        target = self.now + max(0.0, seconds)
        self.slept += max(0.0, seconds)
        while self._queue and self._queue[0][0] <= target:
            when, _, action = heapq.heappop(self._queue)
            self.now = max(self.now, when)
            action()
        self.now = target

    def at(self, when: float, action) -> None:
        heapq.heappush(self._queue, (when, next(self._order), action))


@pytest.fixture(scope="session", autouse=True)
def _stand_ins():
    """mfrc522 imported once with stand-ins (where the Pi modules are missing)."""
    added = stand_ins.install()
    stand_ins.import_mfrc522()
    yield
    stand_ins.uninstall(added)


@pytest.fixture(autouse=True)
def _library_logger():
    # Every MFRC522() adds a StreamHandler to this logger; don't let them pile up across tests.
    yield
    logging.getLogger("mfrc522Logger").handlers.clear()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def chip(clock):
    return Mfrc522Chip(clock=clock)


@pytest.fixture
def field(chip):
    return chip.field


@pytest.fixture
def reader(chip, clock):
    made, _ = make_reader("emulated", chip=chip, sleep=clock.sleep, clock=clock)
    with made:
        yield made


@pytest.fixture
def mfrc522():
    import mfrc522
    return mfrc522


@pytest.fixture
def lib(chip, mfrc522):
    """The library's MFRC522 class, constructed unchanged on the emulated chip."""
    with plugged(chip):
        return mfrc522.MFRC522()


@pytest.fixture
def simple(chip, mfrc522):
    with plugged(chip):
        return mfrc522.SimpleMFRC522()
