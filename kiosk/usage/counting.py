"""The kiosk's counters in memory, written to usage.sqlite off the UI thread.

A touch only adds one to a dict (under a lock: microseconds); a worker thread writes the dict
every FLUSH_S seconds as one transaction, and once more on close, so a power cut loses at most
FLUSH_S of counting. The day is the local date when counted; nothing finer is kept.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from kiosk.clock import iso
from kiosk.errors import KioskError
from kiosk.usage import keys
from kiosk.usage.messages import UsageSummary

log = logging.getLogger(__name__)

FLUSH_S = 60.0


class Counting:
    """Day counters of kiosk use (see module doc). `open_store` makes a UsageStore on the worker.

    Nothing here raises to the caller: a counter that cannot be written is logged and kept for
    the next try, because counting must never get in the way of a touch.
    """

    def __init__(self, open_store: Callable[[], object], timezone_name: str = "Europe/Berlin",
                 clock: Callable[[], float] = time.time, flush_s: float = FLUSH_S):
        self._open_store = open_store
        self._store = None
        self._zone = ZoneInfo(timezone_name)
        self._clock = clock
        self._flush_s = flush_s
        self._pending: Counter = Counter()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None
        self._publish: Callable[[dict], None] | None = None

    def publish_to(self, publish: Callable[[dict], None]) -> None:
        """After each write, hand this month's summary payload (kiosk/usage/messages.py) to `publish`."""
        self._publish = publish

    # --- what the kiosk calls (one line each in the faces) -----------------------------------
    def count(self, key: str) -> None:
        day = datetime.fromtimestamp(self._clock(), self._zone).strftime("%Y-%m-%d")
        with self._lock:
            if self._closed:
                return
            self._pending[(day, key)] += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="usage-counting", daemon=True)
                self._thread.start()

    def screen(self, name: str) -> None:
        self.count(keys.screen(name))

    def offer(self, offer_id: object) -> None:
        self.count(keys.offer(offer_id))

    def finder(self, audience: str | None, topic: str | None) -> None:
        if audience or topic:
            self.count(keys.finder(audience, topic))

    def language(self, lang: str) -> None:
        self.count(keys.language(lang))

    def read_aloud(self) -> None:
        self.count(keys.READ_ALOUD)

    def large_text(self, on: bool = True) -> None:
        if on:                     # switched on is "used"; switching back is not a second use
            self.count(keys.LARGE_TEXT)

    def idea(self) -> None:
        self.count(keys.IDEA)

    def plus_one(self, added: bool = True) -> None:
        if added:                  # a second +1 from the same visit was not stored: not counted
            self.count(keys.PLUS_ONE)

    def idle_reset(self) -> None:
        self.count(keys.IDLE_RESET)

    # --- writing ---------------------------------------------------------------------------
    def flush(self) -> None:
        """Write what was counted so far (on the calling thread); kept for later if it fails."""
        with self._lock:
            batch, self._pending = self._pending, Counter()
        if not batch:
            return
        try:
            if self._store is None:
                self._store = self._open_store()
            self._store.add(dict(batch))
        except KioskError as exc:
            log.warning("kiosk use not counted yet (%s); trying again later", exc)
            with self._lock:
                self._pending.update(batch)
            return
        if self._publish is not None:
            self._publish_summary()

    def _publish_summary(self) -> None:
        now = datetime.fromtimestamp(self._clock(), self._zone)
        first, last = now.strftime("%Y-%m-01"), now.strftime("%Y-%m-31")    # days are compared as text
        try:
            summary = UsageSummary(iso(now), now.strftime("%Y-%m"), self._store.days_in_use(first, last),
                                   self._store.totals(first, last))
            self._publish(summary.to_payload())
        except KioskError as exc:
            log.warning("kiosk use summary not sent (%s)", exc)

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(self._flush_s)
            self.flush()

    def close(self) -> None:
        """Write the rest and stop the worker; later counts are dropped."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self._wake.set()
        if thread is not None:
            thread.join(10.0)
        self.flush()
        if self._store is not None:
            self._store.close()
            self._store = None
