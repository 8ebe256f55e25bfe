"""The staff console for tests: a real `kiosk console` process on a free port with a real
Mosquitto and real SQLite files, Debian's chromium driven by Playwright, and the Flask app
in-process for what a browser need not show."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.bus.broker import free_port
from kiosk.console.app import create_app, wsgi_app
from kiosk.console.live import StationView
from kiosk.console.operations import Operations
from kiosk.bus import Topics
from kiosk.ideas.store import IdeaStore
from kiosk.staff.accounts import StaffAccounts
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, require_tool  # noqa: F401  (chromium, page: fixtures there)

ROOT = Path(__file__).resolve().parents[2]
STAFF, PASSWORD = "anna", "Kräuter-und-Bücher-2024"


def console_section(port: int, allow: str = '["127.0.0.0/8"]') -> str:
    return f'\n[console]\nlisten = "127.0.0.1:{port}"\nallow = {allow}\ntls_cert = ""\ntls_key = ""\n'


class RunningConsole:
    """`kiosk console` as its own process, as systemd runs it."""

    def __init__(self, config, port: int, log: Path):
        self.config = config
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        with open(log, "wb") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", config.source, "console"],
                                            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"kiosk console ended: {log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"kiosk console did not listen within 30 s: {log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def console_config(make_config, broker):
    """A station.toml with a [console] on a free loopback port, and one staff account."""
    def make(allow: str = '["127.0.0.0/8"]', extra: str = ""):
        port = free_port()
        config = make_config(broker.port, extra=console_section(port, allow) + extra)
        with StaffAccounts.open(config) as accounts:
            if not accounts.exists(STAFF):
                accounts.add(STAFF, PASSWORD, by="test")
        return config, port
    return make


@pytest.fixture
def run_console(console_config, tmp_path):
    started: list[RunningConsole] = []

    def start(allow: str = '["127.0.0.0/8"]', extra: str = "") -> RunningConsole:
        config, port = console_config(allow, extra)
        running = RunningConsole(config, port, tmp_path / f"console-{len(started)}.log")
        started.append(running)
        return running
    yield start
    for running in started:
        running.stop()


def log_in(page, url: str, name: str = STAFF, password: str = PASSWORD) -> None:
    page.goto(url + "/login")
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("button[type=submit].primary")


@pytest.fixture
def app_for(tmp_path):
    """The Flask app in-process (no broker: acknowledging says the garden does not answer)."""
    made = []

    def make(config, *, clock=time.time, tls: bool = False, health=None):
        accounts = StaffAccounts.open(config, clock=clock)
        if not accounts.exists(STAFF):
            accounts.add(STAFF, PASSWORD, by="test")
        ideas = IdeaStore.open(config)
        view = StationView(Topics.of(config))
        app = create_app(config, accounts, view, Operations(None, ideas), tls=tls, health=lambda: health)
        app.config["TESTING"] = True
        made.extend([accounts, ideas])
        return app, accounts, ideas
    yield make
    for store in made:
        store.close()


__all__ = ["PASSWORD", "STAFF", "PHONE", "DESKTOP", "log_in", "wsgi_app"]
