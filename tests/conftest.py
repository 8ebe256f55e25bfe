"""Shared fixtures: a real Mosquitto on a free port, station configs, an MQTT watcher."""

from __future__ import annotations

import errno
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Tests assert behaviour, never speed: Hypothesis's clocks (a per-example deadline, "input generation is
# slow") would fail a test only because the machine is busy — two workers on two cores, or a loaded CI.
settings.register_profile("station", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("station")

from kiosk import config as config_mod
from kiosk.bus import Bus, Message
from kiosk.bus.broker import LocalBroker

BASE_CONFIG = """
[station]
id = "test-1"
data_dir = "{data_dir}"

[mqtt]
host = "127.0.0.1"
port = {port}
topic_prefix = "batenbrock"

[bridge]
port = "{serial_port}"
queue_max = {queue_max}

[[garden.sensors]]
node = "bed-1"
name = "Kräuterbeet"
raw_dry = 52000
raw_wet = 21000
dry_below = 30
ok_above = 38
confirm_readings = 3
stale_after_s = {stale_after_s}

[garden.notify]
reminder_every_s = {reminder_every_s}
{extra}
"""


def in_ci() -> bool:
    """CI (`bash .ci/run`, CI=true) runs on a machine scripts/dev.sh has set up completely."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def require_tool(name: str, install: str, *, present: bool | None = None) -> None:
    """Skip the test when tool `name` is missing on this machine, but fail it in CI, where
    scripts/dev.sh installs every tool, so a missing one is a broken set-up, not a reason to skip.

    `present` overrides the check for a command called `name` on the PATH; `install` says how
    to get it."""
    if present is None:
        present = shutil.which(name) is not None
    if present:
        return
    message = f"{name} is missing ({install})"
    if in_ci():
        pytest.fail(f"{message}; CI must have it: scripts/dev.sh installs it", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def broker(tmp_path):
    """A real Mosquitto with persistence, on a free loopback port, stopped afterwards."""
    with LocalBroker(tmp_path / "broker") as running:
        yield running


@pytest.fixture
def make_config(tmp_path, request):
    """Write a station.toml for the test and load it: make_config(port=..., **overrides)."""
    def make(port: int = 1, *, serial_port: str = "/dev/null", queue_max: int = 100_000,
             stale_after_s: int = 1800, reminder_every_s: int = 21600, extra: str = "",
             data_dir: Path | None = None):
        text = BASE_CONFIG.format(data_dir=data_dir or (tmp_path / "data"), port=port, serial_port=serial_port,
                                  queue_max=queue_max, stale_after_s=stale_after_s,
                                  reminder_every_s=reminder_every_s, extra=extra)
        path = tmp_path / "station.toml"
        path.write_text(text, encoding="utf-8")
        return config_mod.load(path)
    return make


class Watcher:
    """A plain subscriber that records everything under a filter, for assertions."""

    def __init__(self, config, topic_filter: str, persistent: bool = False):
        self.messages: "queue.Queue[Message]" = queue.Queue()
        self.seen: list[Message] = []
        self._lock = threading.Lock()
        # A persistent watcher keeps its broker session across a broker restart,
        # like kiosk garden does, so nothing published meanwhile passes it by.
        self.bus = Bus(config, "watcher", announce=False, persistent=persistent,
                       client_id="test-watcher" if persistent else None)
        self.bus.subscribe(topic_filter, self.messages.put)
        self.bus.start()
        assert self.bus.wait_connected(10), "watcher could not connect to the test broker"

    def wait_for(self, topic: str, predicate=lambda payload: True, timeout: float = 10.0):
        """The first (JSON) payload on `topic` that satisfies `predicate`, seen now or later."""
        with self._lock:
            for message in self.seen:
                if message.topic == topic and predicate(_decode(message)):
                    return _decode(message)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            with self._lock:
                self.seen.append(message)
            if message.topic == topic and predicate(_decode(message)):
                return _decode(message)
        raise AssertionError(f"nothing matching on {topic} within {timeout} s; saw "
                             f"{[m.topic for m in self.seen][-10:]}")

    def drain(self, settle: float = 0.3) -> list[Message]:
        """Everything received so far, after `settle` seconds of quiet."""
        while True:
            try:
                message = self.messages.get(timeout=settle)
            except queue.Empty:
                break
            with self._lock:
                self.seen.append(message)
        return list(self.seen)

    def payloads(self, topic: str) -> list:
        return [_decode(m) for m in self.drain() if m.topic == topic]

    def close(self) -> None:
        self.bus.stop()


def _decode(message: Message):
    try:
        return json.loads(message.payload)
    except ValueError:
        return message.payload.decode("utf-8", "replace")


@pytest.fixture
def watch():
    """watch(config, filter) -> Watcher; all closed after the test."""
    made: list[Watcher] = []

    def start(config, topic_filter: str = "#", persistent: bool = False) -> Watcher:
        watcher = Watcher(config, topic_filter, persistent)
        made.append(watcher)
        return watcher
    yield start
    for watcher in made:
        watcher.close()


class SmallDisk:
    """An 8 MiB tmpfs of its own: `fill()` takes its last free byte, `free()` gives it back.
    `path` is the mount point, `data` a data folder on it (created by whoever uses it)."""

    def __init__(self, path: Path):
        self.path = path
        self.data = path / "data"
        self._filler = path / "filler"

    def fill(self) -> None:
        with open(self._filler, "ab", buffering=0) as out:
            for size in (1 << 20, 64 << 10, 4 << 10, 512, 1):
                try:
                    while True:
                        out.write(b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc

    def free(self) -> None:
        self._filler.unlink()


@pytest.fixture
def small_disk(tmp_path):
    """A really full disk on demand: a small tmpfs (needs root, which CI has: there a failed
    mount fails the test instead of skipping it)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        message = f"cannot mount a small tmpfs to fill (needs root): {result.stderr.strip()}"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield SmallDisk(mount_point)
    if subprocess.run(["umount", str(mount_point)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


# --- a real browser: Debian's chromium through Playwright, one per test session ---------------------
# One session fixture for every folder that drives the console (tests/console, tests/report):
# Playwright's sync API allows one running instance per thread.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def chromium():
    require_tool("chromium", "apt-get install chromium", present=Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser page (own cookies) that fails the test on any JavaScript dialog."""
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()
    page.on("dialog", on_dialog)
    yield page
    context.close()
    assert dialogs == [], f"a page opened a JavaScript dialog: {dialogs}"
