"""The tag reader interface of the book booth: poll for taps, close, use as a context manager."""

from __future__ import annotations

import abc
import threading
import time
from collections.abc import Callable, Iterator

from kiosk.errors import ReaderClosed
from .taps import TAP, TagEvent, TapTracker


class TagReader(abc.ABC):
    """Reads RFID tag UIDs and turns them into taps.

    A tag held in the field is one tap until it leaves: a card left lying on the reader
    is not tapped again, but it is after it was taken away and brought back. Subclasses
    implement `_scan()`; `poll()` / `poll_events()` / `watch()` work on top of it and do not
    raise on hardware trouble (the implementation logs and recovers). Using a closed
    reader raises ReaderClosed.
    """

    def __init__(self, *, poll_interval: float = 0.05, miss_limit: int = 3,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.poll_interval = poll_interval
        self._tracker = TapTracker(miss_limit)
        self._sleep = sleep
        self._clock = clock
        self._closed = False

    # --- what subclasses provide ----------------------------------------------------------
    @abc.abstractmethod
    def _scan(self, known: frozenset[bytes]) -> frozenset[bytes] | None:
        """The UIDs in the field now (`known` are those seen before), or None when the
        scan failed and says nothing either way."""

    def _close_device(self) -> None:
        """Release the hardware."""

    # --- the interface --------------------------------------------------------------------
    @property
    def present(self) -> frozenset[bytes]:
        """UIDs of the tags currently in the field (debounced)."""
        return self._tracker.present

    @property
    def closed(self) -> bool:
        return self._closed

    def poll_events(self) -> list[TagEvent]:
        """Scan once; returns the taps and departures since the last poll. Raises ReaderClosed."""
        if self._closed:
            raise ReaderClosed(f"{type(self).__name__} is closed")
        seen = self._scan(self._tracker.present)
        if seen is None:
            return []
        return self._tracker.update(seen)

    def poll(self) -> bytes | None:
        """Scan once; the UID of a tag that has just been tapped, else None. Raises ReaderClosed."""
        for event in self.poll_events():
            if event.kind == TAP:
                return event.uid
        return None

    def watch(self, stop: threading.Event | None = None) -> Iterator[TagEvent]:
        """Poll every `poll_interval` seconds and yield events until `stop` is set or the reader closes."""
        while not self._closed and not (stop is not None and stop.is_set()):
            started = self._clock()
            yield from self.poll_events()
            rest = self.poll_interval - (self._clock() - started)
            if rest > 0:
                if stop is not None:
                    stop.wait(rest)
                else:
                    self._sleep(rest)

    def close(self) -> None:
        """Release the hardware; further polls raise ReaderClosed. Closing twice is fine."""
        if not self._closed:
            self._closed = True
            self._tracker.forget()
            self._close_device()

    def __enter__(self) -> "TagReader":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._closed:
            return f"<{type(self).__name__} closed>"
        return f"<{type(self).__name__} present={sorted(uid.hex() for uid in self.present)}>"
