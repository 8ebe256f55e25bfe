"""Run the booth in-process: real Mosquitto, real SQLite, the real mfrc522 library on the
emulated chip, gpiozero's MockFactory for LEDs and buzzer."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from gpiozero import Device
from gpiozero.pins.mock import MockFactory

from kiosk.booth.service import Booth
from kiosk.booth.store import BoothStore
from kiosk.bus import Bus
from kiosk.hardware.feedback import Feedback
from kiosk.hardware.rfid import Mfrc522Chip, make_reader, parse_uid

BOOTH = """
[booth]
reader = "emulated"
poll_ms = 10
max_loans_per_card = {max_loans}
loan_days = 21
session_s = {session_s}
anonymise_after_days = 90
"""

EVENTS = "batenbrock/test-1/booth/events"
SUMMARY = "batenbrock/test-1/booth/summary"
SIMULATE = "batenbrock/test-1/booth/simulate"

# Tags used across the tests: children's cards, staff card, books.
ANNA, BEN, STAFF = "04a1b2c3", "04d4e5f6", "0badcafe"
BOOK1, BOOK2, BOOK3, BOOK4 = "b0000001", "b0000002", "b0000003", "04112233445566"
UNKNOWN = "cafed00d"


@pytest.fixture
def booth_config(make_config):
    def make(port: int, *, max_loans: int = 3, session_s: int = 30):
        return make_config(port, extra=BOOTH.format(max_loans=max_loans, session_s=session_s))
    return make


@pytest.fixture
def mock_factory():
    """gpiozero's own MockFactory as the default pin factory, restored afterwards."""
    saved = Device.pin_factory
    Device.pin_factory = MockFactory()
    try:
        yield Device.pin_factory
    finally:
        if Device.pin_factory is not None:
            Device.pin_factory.reset()
        Device.pin_factory = saved


@pytest.fixture(autouse=True)
def _library_logger():
    yield
    logging.getLogger("mfrc522Logger").handlers.clear()


class MovableClock:
    """Wall time that tests can push forward (to expire sessions)."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


class RunningBooth:
    """A booth with its loop on a thread; `tap(uid)` presents a tag, waits for the outcome, removes it."""

    def __init__(self, config, factory: MockFactory, clock=None, loop: bool = True):
        self.config = config
        self.clock = clock or MovableClock()
        self.store = BoothStore.open(config)
        self.chip = Mfrc522Chip()
        self.reader, self.field = make_reader("emulated", chip=self.chip, poll_interval=config.booth.poll_ms / 1000)
        self.feedback = Feedback(config.booth.led_green, config.booth.led_red, config.booth.buzzer,
                                 pin_factory=factory)
        self.pins = {name: factory.pin(getattr(config.booth, name)) for name in ("led_green", "led_red", "buzzer")}
        self.bus = Bus(config, "booth")
        self.confirmed: list[tuple] = []
        self._lock = threading.Lock()
        self.booth = Booth(config, self.store, self.bus, self.reader, self.field, self.feedback, clock=self.clock,
                           on_confirmed=self._confirmed)
        self.booth.attach()
        self.booth.start()
        self.bus.start()
        assert self.bus.wait_connected(10)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.booth.run, args=(self.stopping,), daemon=True)
        if loop:
            self.thread.start()

    def _confirmed(self, decision, payloads):
        with self._lock:
            self.confirmed.append((decision, payloads))

    def wait_confirmed(self, count: int, timeout: float = 5.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.confirmed) >= count:
                    return self.confirmed[count - 1][1]
            time.sleep(0.002)
        raise AssertionError(f"the booth did not react within {timeout} s")

    def tap(self, uid: str, timeout: float = 5.0) -> list[dict]:
        """Hold a tag to the reader until the booth reacts, then take it away; the events it made."""
        before = len(self.confirmed)
        self.field.present(uid)
        payloads = self.wait_confirmed(before + 1, timeout)
        self.take_away(uid)
        return payloads

    def take_away(self, uid: str, timeout: float = 5.0) -> None:
        self.field.remove(uid)
        raw = parse_uid(uid)
        deadline = time.monotonic() + timeout
        while raw in self.reader.present:
            assert time.monotonic() < deadline, "the reader still sees a removed tag"
            time.sleep(0.002)

    def stop(self):
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(10)
        self.booth.stop()
        self.bus.stop()
        self.reader.close()
        self.feedback.close()
        self.store.close()


@pytest.fixture
def run_booth(mock_factory):
    started: list[RunningBooth] = []

    def start(config, clock=None, loop: bool = True) -> RunningBooth:
        running = RunningBooth(config, mock_factory, clock, loop)
        started.append(running)
        return running
    yield start
    for running in started:
        if not running.stopping.is_set():
            running.stop()


@pytest.fixture
def stocked(booth_config, broker):
    """A config whose booth.sqlite knows Anna's and Ben's cards, a staff card and four books."""
    def make(**kwargs):
        config = booth_config(broker.port, **kwargs)
        with BoothStore.open(config) as store:
            store.add_card(ANNA)                       # Lesefuchs 1
            store.add_card(BEN, name="Bücherwurm 2")
            store.add_card(STAFF, name="Team", staff=True)
            store.add_book(BOOK1, "Die kleine Raupe Nimmersatt", "Eric Carle", "2-5")
            store.add_book(BOOK2, "Das Sams", "Paul Maar", "8-10")
            store.add_book(BOOK3, "Der Grüffelo", "Julia Donaldson", "3-6")
            store.add_book(BOOK4, "Pippi Langstrumpf", "Astrid Lindgren", "6-9")
        return config
    return make
