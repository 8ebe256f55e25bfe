"""UI tests: real Kivy under Xvfb (xvfb-run), one app per test module where possible."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk.ui.main import prepare_kivy

# Kivy reads its settings on first import: configure it before any test module imports it.
prepare_kivy(fullscreen=False, size=(800, 480), screenshot=True)

ROOT = Path(__file__).resolve().parents[2]

STATION = """
[station]
id = "test-1"
data_dir = "{data_dir}"

[mqtt]
host = "127.0.0.1"
port = {port}
topic_prefix = "batenbrock"

[[garden.sensors]]
node = "bed-1"
name = "Kräuterbeet"
dry_below = 30
ok_above = 38

[ui]
fullscreen = false
idle_reset_s = 60
dim_after_s = 300
opening_hours = ""
offers_file = "{offers}"
pin_lockout_s = 300
{extra}
"""


def write_config(folder: Path, port: int = 1, extra: str = ""):
    """A station.toml in `folder` with the repository's offers and a private data folder."""
    from kiosk import config as config_mod

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "station.toml"
    path.write_text(STATION.format(data_dir=folder / "data", port=port, offers=ROOT / "config" / "offers.toml",
                                   extra=extra), encoding="utf-8")
    return config_mod.load(path)


class FakeClock:
    """Time the test moves by hand (idle reset, PIN lockout)."""

    def __init__(self, start: float = 1_800_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingSpeaker:
    """Stands in for espeak-ng: records what would be spoken."""

    def __init__(self):
        self.said: list[tuple[str, str]] = []

    def say(self, text: str, lang: str) -> None:
        self.said.append((lang, text))

    def speaking(self) -> bool:
        return False

    def stop(self) -> None:
        pass


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("ui")


@contextmanager
def sample_kiosk(folder: Path, *, pin: str | None = None):
    """One kiosk at 800×480 with the sample offers, no broker, a clock the test moves and a speaker that
    records (`driver.clock`, `driver.speaker`, `driver.config`); `pin` sets the staff PIN first."""
    from kiosk.ui import sample
    from kiosk.ui.app import KioskApp
    from kiosk.ui.driver import Driver
    from kiosk.ui.staff import PinGuard
    from kiosk.ui.store import UiStore

    config = write_config(folder)
    store = UiStore.open(config)
    if pin:
        PinGuard(store).set_pin(pin)
    clock, speaker = FakeClock(), RecordingSpeaker()
    app = KioskApp(config, size=(800, 480), connect=False, clock=clock, speaker=speaker, store=store,
                   offers=sample.offers(config))
    driver = Driver(app).start()
    driver.clock, driver.speaker, driver.config = clock, speaker, config
    try:
        yield driver
    finally:
        driver.stop()
        store.close()
