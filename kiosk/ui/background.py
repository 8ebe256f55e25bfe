"""One worker thread for the kiosk's slow work, so that no frame waits for it.

A write to ui.sqlite ends in an fsync (synchronous=FULL: tens of milliseconds on an SD card, far
more on a worn one), and checking the staff PIN runs scrypt over 16 MiB. Both run here, one job
after another in the order they were handed over; each result comes back to the UI thread through
`handoff` (Kivy's Clock in the app). One thread, not a pool: ui.sqlite has a single writer, and a
PIN try reads and writes the lockout count in one job, so two tries cannot interleave.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any, Callable

from kiosk.errors import KioskError
from kiosk.logs import Throttled

log = logging.getLogger(__name__)

STOP_WAIT_S = 10.0      # on close, at most this long for the jobs already handed over


class Background:
    """Runs jobs on one worker thread (see module doc); started by the first job."""

    def __init__(self, handoff: Callable[[Callable[[], None]], None], name: str = "ui-background"):
        self.handoff = handoff
        self.name = name
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._trouble = Throttled(log)

    def submit(self, job: Callable[[], Any], done: Callable[[Any], None] | None = None,
               failed: Callable[[KioskError], None] | None = None) -> None:
        """Run job() on the worker, then done(result) — or failed(error) for a KioskError — on the UI thread.

        A KioskError without `failed` is logged (throttled); any other exception is a bug: logged with
        its traceback, and the worker goes on with the next job.
        """
        with self._lock:
            if self._closed:
                log.warning("%s is closed; a job handed over after the kiosk stopped is dropped", self.name)
                return
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._jobs.put((job, done, failed))

    def close(self, timeout: float = STOP_WAIT_S) -> bool:
        """Finish the jobs handed over so far, then stop; False when they took longer than `timeout`."""
        with self._lock:
            if self._closed:
                return True
            self._closed = True
            thread = self._thread
            self._jobs.put(None)
        if thread is None:
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.warning("%s: jobs still running after %.0f s at stop", self.name, timeout)
            return False
        return True

    def _run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            job, done, failed = item
            try:
                result = job()
            except KioskError as exc:
                if failed is not None:
                    self.handoff(lambda f=failed, e=exc: f(e))
                else:
                    self._trouble.warning(type(exc).__name__, "%s: %s", self.name, exc)
                continue
            except Exception:  # noqa: BLE001 — one broken job must not stop the ones after it
                log.exception("%s: a job failed", self.name)
                continue
            if done is not None:
                self.handoff(lambda d=done, r=result: d(r))
