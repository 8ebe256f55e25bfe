"""What the console knows of the station right now, from the retained topics on the bus.

The services' status (`online` / `offline`), their faults, the herb bed's state and
alert, and the booth's summary are retained, so the console has them moments after it
connects; booth events are not, so the booth's last activity is known from the console's
start on. Every message is read with its `from_payload` (kiosk/garden/messages.py,
kiosk/booth/messages.py), the same the kiosk uses; one of another shape is logged by the
bus and changes nothing. paho's thread only updates this snapshot; pages read a copy of it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import Callable

from kiosk.booth.messages import BoothEvent, Summary
from kiosk.bus import Message, Topics
from kiosk.bus.faults import Fault, FaultReport
from kiosk.errors import ProtocolError
from kiosk.garden.messages import BedAlert, BedState, History


@dataclass(frozen=True)
class Snapshot:
    services: dict[str, str] = field(default_factory=dict)              # name -> online | offline
    faults: dict[str, dict[str, Fault]] = field(default_factory=dict)    # service -> kind -> fault
    states: dict[str, BedState] = field(default_factory=dict)            # node -> its state
    alerts: dict[str, BedAlert] = field(default_factory=dict)            # node -> its alert
    booth_summary: Summary | None = None
    booth_last_event: BoothEvent | None = None
    histories: dict[tuple[str, str], History] = field(default_factory=dict)   # (node, span) -> plot series


class StationView:
    """A thread-safe snapshot of the retained station topics; `on_services(fn)` hears status changes."""

    def __init__(self, topics: Topics, clock: Callable[[], float] = time.time):
        self.topics = topics
        self.clock = clock
        self.started = clock()
        self._lock = threading.Lock()
        self._snapshot = Snapshot()
        self._service_listeners: list[Callable[[], None]] = []

    def attach(self, bus) -> None:
        bus.subscribe(self.topics.status("+"), self._status)
        bus.subscribe(self.topics.faults("+"), self._faults)
        bus.subscribe(self.topics.garden_state("+"), self._state)
        bus.subscribe(self.topics.garden_alert("+"), self._alert)
        bus.subscribe(self.topics.booth_summary(), self._summary)
        bus.subscribe(self.topics.booth_events(), self._event)
        bus.subscribe(self.topics.garden_history("+", "+"), self._history)

    def snapshot(self) -> Snapshot:
        with self._lock:
            return self._snapshot

    def on_services(self, listener: Callable[[], None]) -> None:
        self._service_listeners.append(listener)

    # --- paho's thread -------------------------------------------------------------------

    def _service_of(self, topic: str) -> str:
        return topic[len(self.topics.base) + 1:].split("/", 1)[0]

    def _status(self, message: Message) -> None:
        text = message.text()
        if text not in ("online", "offline"):
            raise ProtocolError(f"{message.topic}: status must be online or offline")
        with self._lock:
            before = self._snapshot.services
            if before.get(self._service_of(message.topic)) == text:
                return
            self._snapshot = replace(self._snapshot, services={**before, self._service_of(message.topic): text})
        for listener in self._service_listeners:
            listener()

    def _faults(self, message: Message) -> None:
        if not message.payload:          # a retained message deleted
            current: dict[str, Fault] = {}
        else:
            current = dict(FaultReport.from_payload(message.json_object()).faults)
        with self._lock:
            self._snapshot = replace(self._snapshot,
                                     faults={**self._snapshot.faults, self._service_of(message.topic): current})

    def _node_update(self, message: Message, name: str, read: Callable) -> None:
        node = self.topics.node_of(message.topic)
        value = read(message.json_object()) if message.payload else None     # empty: a retained message deleted
        with self._lock:
            table = dict(getattr(self._snapshot, name))
            if value is None:
                table.pop(node, None)
            else:
                table[node] = value
            self._snapshot = replace(self._snapshot, **{name: table})

    def _state(self, message: Message) -> None:
        self._node_update(message, "states", BedState.from_payload)

    def _alert(self, message: Message) -> None:
        self._node_update(message, "alerts", BedAlert.from_payload)

    def _history(self, message: Message) -> None:
        if not message.payload:
            return
        history = History.from_payload(message.json_object())
        with self._lock:
            self._snapshot = replace(self._snapshot,
                                     histories={**self._snapshot.histories, (history.node, history.span): history})

    def _summary(self, message: Message) -> None:
        summary = Summary.from_payload(message.json_object()) if message.payload else None
        with self._lock:
            self._snapshot = replace(self._snapshot, booth_summary=summary)

    def _event(self, message: Message) -> None:
        event = BoothEvent.from_payload(message.json_object())
        with self._lock:
            self._snapshot = replace(self._snapshot, booth_last_event=event)

    def apply_alert(self, node: str, alert: BedAlert) -> None:
        """Show an alert change the console caused before its retained message comes back."""
        with self._lock:
            self._snapshot = replace(self._snapshot, alerts={**self._snapshot.alerts, node: alert})
