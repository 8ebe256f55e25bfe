"""`kiosk booth` as a real subprocess with the emulated reader, driven through booth/simulate."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from kiosk.bus import Bus

REPO = Path(__file__).resolve().parents[2]


class BoothProcess:
    """Starts, kills and restarts `python -m kiosk --config X booth`; records what it publishes."""

    def __init__(self, config, log_path: Path):
        self.config = config
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.events: list[dict] = []            # every booth event, in arrival order (duplicates too)
        self.onlines = 0
        self._cond = threading.Condition()
        self.bus = Bus(config, "test-driver", announce=False)
        topics = self.bus.topics
        self.bus.subscribe(topics.booth_events(), self._on_event)
        self.bus.subscribe(topics.status("booth"), self._on_status)
        self.bus.start()
        assert self.bus.wait_connected(10)

    def _on_event(self, message) -> None:
        with self._cond:
            self.events.append(json.loads(message.payload))
            self._cond.notify_all()

    def _on_status(self, message) -> None:
        if message.payload == b"online" and not message.retain:
            with self._cond:
                self.onlines += 1
                self._cond.notify_all()

    def start(self, timeout: float = 20.0) -> None:
        with self._cond:
            before = self.onlines
        env = dict(os.environ, KIOSK_LOG_LEVEL="INFO")
        env.pop("GPIOZERO_PIN_FACTORY", None)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kiosk", "--config", self.config.source, "booth"],
                cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        with self._cond:
            ok = self._cond.wait_for(lambda: self.onlines > before or self.process.poll() is not None, timeout)
        assert ok and self.process.poll() is None, f"booth did not come online; see {self.log_path}"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> int:
        if self.alive():
            self.process.terminate()
            return self.process.wait(15)
        return self.process.returncode if self.process else 0

    def simulate(self, uid: str, present: bool) -> None:
        self.bus.publish(self.bus.topics.booth_simulate(), {"uid": uid, "present": present}, qos=1)

    def publish_raw(self, payload: bytes) -> None:
        self.bus.publish(self.bus.topics.booth_simulate(), payload, qos=1)

    def wait_event(self, predicate, start_index: int, timeout: float) -> dict | None:
        """The first event from `start_index` on that satisfies predicate, or None (time-out or the booth died)."""
        deadline = time.monotonic() + timeout
        index = start_index
        with self._cond:
            while True:
                while index < len(self.events):
                    if predicate(self.events[index]):
                        return self.events[index]
                    index += 1
                left = deadline - time.monotonic()
                if left <= 0 or not self.alive():
                    return None
                self._cond.wait(min(left, 0.05))

    def close(self) -> None:
        try:
            self.stop()
        finally:
            self.bus.stop()
