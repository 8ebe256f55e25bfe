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
from dataclasses import dataclass
from typing import Any, Callable

from kiosk.clock import iso_from_epoch, parse_iso
from kiosk.errors import ProtocolError

MAX_MESSAGE_CHARS = 300   # one plain sentence for staff, never a traceback


@dataclass(frozen=True)
class Fault:
    kind: str
    since: str
    message: str


def faults_payload(faults: dict[str, Fault], now: float) -> dict[str, Any]:
    return {"ts": iso_from_epoch(now),
            "faults": {f.kind: {"since": f.since, "message": f.message} for f in faults.values()}}


def faults_from_payload(payload: Any) -> dict[str, Fault]:
    """Read a `faults` message; raises ProtocolError when it is not one."""
    if not isinstance(payload, dict) or not isinstance(payload.get("faults"), dict):
        raise ProtocolError("a faults message needs a 'faults' object")
    result: dict[str, Fault] = {}
    for kind, body in payload["faults"].items():
        if not isinstance(body, dict) or not isinstance(body.get("message"), str) \
                or not isinstance(body.get("since"), str):
            raise ProtocolError(f"fault {kind!r} needs 'since' and 'message' texts")
        try:
            parse_iso(body["since"])
        except ValueError:
            raise ProtocolError(f"fault {kind!r}: 'since' is not a time") from None
        result[kind] = Fault(kind, body["since"], body["message"][:MAX_MESSAGE_CHARS])
    return result


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
            payload = faults_payload(self._faults, self._clock())
        self._publish(self.topic, payload, qos=1, retain=True)
