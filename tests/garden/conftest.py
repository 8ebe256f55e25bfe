"""Run `kiosk garden` and `kiosk bridge` in-process against the test broker."""

from __future__ import annotations

import threading

import pytest

from kiosk.bus import Bus
from kiosk.garden.notify import Notifier
from kiosk.garden.service import Garden
from kiosk.garden.store import GardenStore

from .serial_cable import SerialCable


class RunningGarden:
    def __init__(self, config, clock=None):
        self.store = GardenStore.open(config)
        self.db = self.store.db
        self.bus = Bus(config, "garden", persistent=True)
        kwargs = {"clock": clock} if clock else {}
        self.garden = Garden(config, self.bus, self.store, notifier=Notifier(config.garden.notify, self.store),
                             **kwargs)
        self.garden.attach()
        self.bus.start()
        assert self.bus.wait_connected(10)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.garden.run, args=(self.stopping,), daemon=True)
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join(10)
        self.bus.stop()
        self.db.close()


@pytest.fixture
def run_garden():
    started: list[RunningGarden] = []

    def start(config, clock=None) -> RunningGarden:
        running = RunningGarden(config, clock)
        started.append(running)
        return running
    yield start
    for running in started:
        if running.thread.is_alive():
            running.stop()


@pytest.fixture
def cable(tmp_path):
    """A USB serial cable to the sensor node: a pseudo-terminal behind a stable by-id name."""
    plugged = SerialCable(tmp_path / "usb-MicroPython_Board-if00").plug()
    yield plugged
    if plugged.master is not None:
        plugged.pull()
