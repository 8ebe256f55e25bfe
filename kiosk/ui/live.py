"""What the kiosk knows from the bus: herb-bed state, alerts, history, booth summary and events.

`Live` is plain data. Bus callbacks run on paho's thread; they only decode the
message and hand it over with `handoff` (Kivy's Clock in the app), so every
change to the data and every listener call happens on the UI thread.

Each retained value is kept with the time it arrived. It counts as *current*
only while the bus is connected and its service says `online`; otherwise the
screens show it marked "not quite up to date" with its time. Retained values are
also written to ui.sqlite, so after a restart with the broker away the kiosk
still shows what it last knew. When the broker comes back, paho reconnects and
resubscribes by itself and the retained messages bring everything up to date.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Callable

from kiosk.bus.topics import HISTORY_RANGES, Topics
from kiosk.errors import KioskError, ProtocolError

log = logging.getLogger(__name__)

Listener = Callable[[str, Any], None]
REMEMBER_EVERY_S = 60.0     # a changing moisture value is written to disk at most this often


@dataclass(frozen=True)
class Known:
    """A value from the bus and when the kiosk received it (epoch seconds)."""

    payload: Any
    received: float


class Live:
    """Last known values from the bus, with listeners (see module doc)."""

    def __init__(self, config, store=None, handoff: Callable[[Callable[[], None]], None] | None = None,
                 clock: Callable[[], float] = time.time):
        self.topics = Topics.of(config)
        self.nodes = [s.node for s in config.garden.sensors]
        self.store = store
        self.handoff = handoff or (lambda fn: fn())
        self.clock = clock
        self.state: dict[str, Known] = {}
        self.alert: dict[str, Known] = {}
        self.history: dict[tuple[str, str], Known] = {}
        self.summary: Known | None = None
        self.events: list[dict] = []
        self.services: dict[str, str] = {}
        self.connected = False
        self._listeners: list[Listener] = []
        self._remembered: dict[str, float] = {}
        self.bus = None
        if store is not None:
            self._restore()

    # --- listeners ----------------------------------------------------------------------
    def listen(self, listener: Listener) -> Callable[[], None]:
        """Call listener(kind, key) on the UI thread after each change; returns an unlisten."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _notify(self, kind: str, key: Any = None) -> None:
        for listener in list(self._listeners):
            try:
                listener(kind, key)
            except Exception:  # noqa: BLE001 — one broken screen must not stop the others
                log.exception("live listener failed on %s", kind)

    # --- freshness ------------------------------------------------------------------------
    def is_current(self, service: str) -> bool:
        return self.connected and self.services.get(service) == "online"

    def set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            if not connected:
                self.services.clear()
            self._notify("connection", connected)

    # --- the bus side ------------------------------------------------------------------------
    def attach(self, bus) -> None:
        """Subscribe on `bus` (a kiosk.bus.Bus); safe to call before it connects."""
        self.bus = bus
        t = self.topics
        bus.subscribe(t.garden_state("+"), self._on_message)
        bus.subscribe(t.garden_alert("+"), self._on_message)
        bus.subscribe(f"{t.base}/garden/+/history/+", self._on_message)
        bus.subscribe(t.booth_events(), self._on_message)
        bus.subscribe(t.booth_summary(), self._on_message)
        bus.subscribe(t.status("+"), self._on_message)

    def poll_connection(self) -> None:
        """Mirror the bus's connection flag (call about once a second on the UI thread)."""
        if self.bus is not None:
            self.set_connected(self.bus.connected.is_set())

    def _on_message(self, message) -> None:
        """paho's thread: decode, then hand over to the UI thread."""
        topic = message.topic
        if topic.endswith("/status"):
            text = message.payload.decode("utf-8", "replace")
            self.handoff(lambda: self.apply(topic, text))
            return
        if not message.payload:
            return          # a cleared retained message
        payload = message.json_object()
        self.handoff(lambda: self.apply(topic, payload))

    def apply(self, topic: str, payload: Any, received: float | None = None, remember: bool = True) -> None:
        """Take one message (UI thread). Unknown topics are ignored; bad payloads are logged."""
        received = self.clock() if received is None else received
        t = self.topics
        try:
            if topic.endswith("/status"):
                service = topic[len(t.base) + 1:].split("/")[0]
                self.services[service] = str(payload)
                self._notify("status", service)
                return
            if topic == t.booth_events():
                self._event(payload, received)
                return
            if topic == t.booth_summary():
                self.summary = Known(_object(payload), received)
                self._remember(topic, payload, received, remember)
                self._notify("summary")
                return
            node = t.node_of(topic)
            if node is None:
                return
            if topic == t.garden_state(node):
                _need(payload, "moisture", "status")
                self.state[node] = Known(payload, received)
                self._remember(topic, payload, received, remember, throttle=True)
                self._notify("state", node)
            elif topic == t.garden_alert(node):
                _need(payload, "active")
                self.alert[node] = Known(payload, received)
                self._remember(topic, payload, received, remember)
                self._notify("alert", node)
            elif "/history/" in topic:
                span = topic.rsplit("/", 1)[1]
                if span in HISTORY_RANGES:
                    _need(payload, "points")
                    self.history[(node, span)] = Known(payload, received)
                    self._remember(topic, payload, received, remember)
                    self._notify("history", (node, span))
        except (ProtocolError, TypeError, AttributeError) as exc:
            log.warning("ignored a bad message on %s: %s", topic, exc)

    def _event(self, payload: dict, received: float) -> None:
        if not isinstance(payload, dict) or "type" not in payload:
            raise ProtocolError("booth event without a type")
        payload = dict(payload)
        payload["_received"] = received
        self.events.append(payload)
        del self.events[:-20]
        self._notify("booth_event", payload)

    def _remember(self, topic: str, payload: Any, received: float, remember: bool, throttle: bool = False) -> None:
        if not remember or self.store is None:
            return
        if throttle and received - self._remembered.get(topic, -1e9) < REMEMBER_EVERY_S:
            return
        self._remembered[topic] = received
        try:
            self.store.remember(topic, payload, received)
        except KioskError as exc:
            log.warning("could not keep %s for after a restart: %s", topic, exc)

    def _restore(self) -> None:
        try:
            known = self.store.known()
        except KioskError as exc:
            log.warning("could not read the last known values: %s", exc)
            return
        for topic, payload, received in known:
            self.apply(topic, payload, received=received, remember=False)

    # --- staff commands ------------------------------------------------------------------------
    def request(self, service: str, name: str, payload: dict, done: Callable[[dict | None, str], None],
                timeout: float = 5.0) -> None:
        """Send a staff command in a worker thread; done(reply, error) runs on the UI thread."""
        import threading

        def work() -> None:
            reply, error = None, ""
            try:
                if self.bus is None:
                    raise KioskError("not connected")
                reply = self.bus.request(service, name, payload, timeout=timeout)
                if not reply.get("ok", True):
                    error = str(reply.get("error") or "refused")
            except KioskError as exc:
                error = str(exc) or "failed"
            self.handoff(lambda: done(reply, error))

        threading.Thread(target=work, name=f"ui-{service}-{name}", daemon=True).start()


def _object(payload: Any) -> dict:
    if not isinstance(payload, dict):
        raise ProtocolError("payload must be a JSON object")
    return payload


def _need(payload: Any, *keys: str) -> None:
    _object(payload)
    missing = [k for k in keys if k not in payload]
    if missing:
        raise ProtocolError(f"missing {', '.join(missing)}")
