"""Logging set-up and a guard against log floods.

A sensor spitting garbage or a broker that is down for hours must not fill the
SD card: `Throttled` logs the first occurrence of a kind of trouble at once and
then at most one summary line per interval, with the count of what it skipped.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time


def setup(service: str, level: str | None = None) -> None:
    """Log to stderr (journald adds time and unit); KIOSK_LOG_LEVEL overrides the level."""
    level = (level or os.environ.get("KIOSK_LOG_LEVEL") or "INFO").upper()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


class Throttled:
    """Logs a recurring problem at most once per `every_s`, counting what it held back."""

    def __init__(self, logger: logging.Logger, every_s: float = 60.0, clock=time.monotonic):
        self._log = logger
        self._every = every_s
        self._clock = clock
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def warning(self, kind: str, message: str, *args: object) -> None:
        now = self._clock()
        with self._lock:
            last = self._last.get(kind)
            if last is not None and now - last < self._every:
                self._held[kind] = self._held.get(kind, 0) + 1
                return
            held = self._held.pop(kind, 0)
            self._last[kind] = now
        if held:
            message += f" (and {held} more like it in the last {self._every:.0f} s)"
        self._log.warning(message, *args)
