"""Time budgets that interrupt library code, for the feed worker process.

A timer signal interrupts pure-Python code (icalendar, dateutil's rules) and a
blocking socket read alike; a thread cannot be stopped that way, so this only
works in a process's main thread — the feed worker's, not the kiosk's.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class Overtime(BaseException):
    """A step ran past its time budget (raised from a timer signal).

    A BaseException, so that the libraries' own `except Exception` does not swallow it.
    """


@contextmanager
def budget(seconds: float):
    """Raise Overtime inside the block once `seconds` have passed.

    Off the main thread there is no timer and no limit (the kiosk's own process
    never reads a feed itself; its worker process is stopped from outside).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise Overtime()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
