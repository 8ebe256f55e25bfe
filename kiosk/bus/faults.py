"""Faults a service is living with, told to staff as one retained message.

A service that cannot do part of its job — notifications failing, the disk full,
the sensor port gone — keeps running and says so here: `raise_fault(kind, text)`
when trouble starts, `clear(kind)` when it is over. The set of current faults is
published retained on `{p}/{s}/{service}/faults`, so the staff screen, `kiosk
doctor` and the station's health see it, also after they (re)start:

    {"ts": "...Z", "faults": {"notify": {"since": "...Z", "message": "..."}}}

`{"faults": {}}` means the service is well. Repeating a fault that is already
raised changes nothing on the bus (its `since` stays the time it began), so a
fault can be reported on every failed attempt without flooding the broker.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from kiosk.bus.fields import Fields
from kiosk.clock import iso_from_epoch

MAX_MESSAGE_CHARS = 300   # one plain sentence for staff, never a traceback


@dataclass(frozen=True)
class Fault:
    kind: str
    since: str
    message: str


@dataclass(frozen=True)
class FaultReport:
    """`{service}/faults` (retained): the faults a service lives with at `ts`, by kind; none: it is well."""

    ts: str
    faults: Mapping[str, Fault] = field(default_factory=dict)

    def to_payload(self) -> dict[str, Any]:
        return {"ts": self.ts,
                "faults": {f.kind: {"since": f.since, "message": f.message} for f in self.faults.values()}}

    @classmethod
    def from_payload(cls, payload: Any) -> "FaultReport":
        """Read a faults message; raises BadMessage (a ProtocolError) when it is not one."""
        f = Fields(payload, "faults")
        faults = f.nested("faults")
        result = {}
        for kind in faults.payload:
            body = faults.nested(kind)
            result[kind] = Fault(kind, body.time("since"), body.text("message")[:MAX_MESSAGE_CHARS])
        return cls(f.time("ts"), result)


class Faults:
    """The current faults of one service, published retained whenever they change.

    Thread-safe: the worker, a notifier thread and paho's thread may all report.
    `publish(topic, payload)` is the bus's publish (paho queues it while the broker
    is away and sends it on reconnect; `announce()` re-sends after a connect).
    """

    def __init__(self, topic: str, publish: Callable[..., Any], clock: Callable[[], float] = time.time):
        self.topic = topic
        self._publish = publish
        self._clock = clock
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}

    def raise_fault(self, kind: str, message: str) -> None:
        message = message[:MAX_MESSAGE_CHARS]
        with self._lock:
            current = self._faults.get(kind)
            if current is not None and current.message == message:
                return
            since = current.since if current else iso_from_epoch(self._clock())
            self._faults[kind] = Fault(kind, since, message)
        self.announce()

    def clear(self, kind: str) -> None:
        with self._lock:
            if self._faults.pop(kind, None) is None:
                return
        self.announce()

    def current(self) -> dict[str, Fault]:
        with self._lock:
            return dict(self._faults)

    def announce(self) -> None:
        with self._lock:
            payload = FaultReport(iso_from_epoch(self._clock()), dict(self._faults)).to_payload()
        self._publish(self.topic, payload, qos=1, retain=True)
