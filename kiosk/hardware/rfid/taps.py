"""Turning sightings of tags into taps: pure logic, no hardware."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

TAP = "tap"
GONE = "gone"


@dataclass(frozen=True)
class TagEvent:
    """A tag entered the field (`kind == "tap"`) or has left it (`"gone"`)."""

    kind: str
    uid: bytes

    def __repr__(self) -> str:
        return f"TagEvent({self.kind!r}, {self.uid.hex()!r})"


class TapTracker:
    """Which tags are in the field, debounced.

    A tag counts as one tap when first seen and stays present while it is seen; it is
    gone only after `miss_limit` consecutive scans without it, so a card held at the edge
    of the field (or one failed exchange) does not make a second tap.
    """

    def __init__(self, miss_limit: int = 3):
        if miss_limit < 1:
            raise ValueError("miss_limit must be at least 1")
        self.miss_limit = miss_limit
        self._misses: dict[bytes, int] = {}

    @property
    def present(self) -> frozenset[bytes]:
        return frozenset(self._misses)

    def update(self, seen: Iterable[bytes]) -> list[TagEvent]:
        """Feed the UIDs one scan saw; returns the taps and departures it implies."""
        seen = list(dict.fromkeys(seen))
        events = []
        for uid in list(self._misses):
            if uid in seen:
                self._misses[uid] = 0
                continue
            self._misses[uid] += 1
            if self._misses[uid] >= self.miss_limit:
                del self._misses[uid]
                events.append(TagEvent(GONE, uid))
        for uid in seen:
            if uid not in self._misses:
                self._misses[uid] = 0
                events.append(TagEvent(TAP, uid))
        return events

    def forget(self) -> list[TagEvent]:
        """Drop every tag (e.g. when the reader closes); returns their departures."""
        events = [TagEvent(GONE, uid) for uid in self._misses]
        self._misses.clear()
        return events
