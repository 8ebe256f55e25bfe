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

The writing happens on the kiosk's background thread (kiosk.ui.background), never
on the UI thread: values wait in `_unsaved` (the newest per topic) and one job
writes all that are waiting in one transaction. A failed write keeps them waiting
and is tried again; `flush()` at stop hands over the last of them.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from kiosk.booth.messages import BoothEvent, Summary
from kiosk.bus.topics import Topics
from kiosk.errors import KioskError, ProtocolError
from kiosk.garden.messages import BedAlert, BedState, History
from kiosk.garden.spans import SPANS
from kiosk.logs import Throttled
from kiosk.ui.background import Background

log = logging.getLogger(__name__)

Listener = Callable[[str, Any], None]
REMEMBER_EVERY_S = 60.0     # a changing moisture value is written to disk at most this often
RETRY_SAVE_S = 30.0         # after a failed write (disk full, card worn), try again this much later


@dataclass(frozen=True)
class Known:
    """A message from the bus (BedState, BedAlert, History, Summary, BoothEvent) and when the
    kiosk received it (epoch seconds)."""

    value: Any
    received: float


class Live:
    """Last known values from the bus, with listeners (see module doc)."""

    def __init__(self, config, store=None, handoff: Callable[[Callable[[], None]], None] | None = None,
                 clock: Callable[[], float] = time.time, background: Background | None = None):
        self.topics = Topics.of(config)
        self.nodes = [s.node for s in config.garden.sensors]
        self.store = store
        self.handoff = handoff or (lambda fn: fn())
        self.clock = clock
        self.background = background or Background(self.handoff, name="ui-live-store")
        self.state: dict[str, Known] = {}
        self.alert: dict[str, Known] = {}
        self.history: dict[tuple[str, str], Known] = {}
        self.summary: Known | None = None
        self.events: list[Known] = []              # BoothEvents, the newest last
        self.services: dict[str, str] = {}
        self.connected = False
        self._listeners: list[Listener] = []
        self._remembered: dict[str, float] = {}
        self._unsaved: dict[str, tuple[Any, float]] = {}    # topic -> (payload, received), not on disk yet
        self._unsaved_lock = threading.Lock()
        self._save_queued = False
        self._retry_at = 0.0                                 # monotonic
        self._trouble = Throttled(log)
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
        bus.subscribe(t.garden_history("+", "+"), self._on_message)
        bus.subscribe(t.booth_events(), self._on_message)
        bus.subscribe(t.booth_summary(), self._on_message)
        bus.subscribe(t.status("+"), self._on_message)

    def poll_connection(self) -> None:
        """Mirror the bus's connection flag and retry a failed save (call about once a second on the UI thread)."""
        if self.bus is not None:
            self.set_connected(self.bus.connected.is_set())
        if self._unsaved and time.monotonic() >= self._retry_at:
            self._save_soon()

    def _on_message(self, message) -> None:
        """paho's thread: decode, then hand over to the UI thread."""
        topic = message.topic
        parsed = self.topics.parse(topic)
        if parsed is not None and parsed.kind == "status":
            text = message.payload.decode("utf-8", "replace")
            self.handoff(lambda: self.apply(topic, text))
            return
        if not message.payload:
            return          # a cleared retained message
        payload = message.json_object()
        self.handoff(lambda: self.apply(topic, payload))

    def apply(self, topic: str, payload: Any, received: float | None = None, remember: bool = True) -> None:
        """Take one message (UI thread). Unknown topics are ignored; payloads of another shape than the
        contract's (the `from_payload` of kiosk/garden/messages.py, kiosk/booth/messages.py) are logged
        and dropped."""
        received = self.clock() if received is None else received
        parsed = self.topics.parse(topic)
        if parsed is None:
            return
        kind, node = parsed.kind, parsed.node
        try:
            if kind == "status":
                self.services[parsed.service] = str(payload)
                self._notify("status", parsed.service)
                return
            if kind == "booth_events":
                self._event(BoothEvent.from_payload(payload), received)
                return
            if kind == "booth_summary":
                self.summary = self._keep(topic, Summary.from_payload(payload), received, remember)
                self._notify("summary")
                return
            if kind == "garden_state":
                self.state[node] = self._keep(topic, BedState.from_payload(payload), received, remember, throttle=True)
                self._notify("state", node)
            elif kind == "garden_alert":
                self.alert[node] = self._keep(topic, BedAlert.from_payload(payload), received, remember)
                self._notify("alert", node)
            elif kind == "garden_history" and parsed.span in SPANS:
                span = parsed.span
                self.history[(node, span)] = self._keep(topic, History.from_payload(payload), received, remember)
                self._notify("history", (node, span))
        except ProtocolError as exc:
            self._trouble.warning("bad message", "ignored a bad message on %s: %s", topic, exc)

    def _event(self, event: BoothEvent, received: float) -> None:
        self.events.append(Known(event, received))
        del self.events[:-20]
        self._notify("booth_event", event)

    def _keep(self, topic: str, value: Any, received: float, remember: bool, throttle: bool = False) -> Known:
        """`value` as known now, and on its way to ui.sqlite for after a restart."""
        self._remember(topic, value.to_payload(), received, remember, throttle)
        return Known(value, received)

    def _remember(self, topic: str, payload: Any, received: float, remember: bool, throttle: bool = False) -> None:
        if not remember or self.store is None:
            return
        if throttle and received - self._remembered.get(topic, -1e9) < REMEMBER_EVERY_S:
            return
        self._remembered[topic] = received
        with self._unsaved_lock:
            self._unsaved[topic] = (payload, received)
        if time.monotonic() >= self._retry_at:
            self._save_soon()

    def _save_soon(self) -> None:
        # One save job at a time; values arriving meanwhile wait for the next, which takes them all.
        if not self._save_queued:
            self._save_queued = True
            self.background.submit(self._save, done=self._saved, failed=self._save_failed)

    def flush(self) -> None:
        """Hand every value not yet on disk to the background thread (at stop, before it is closed)."""
        self._retry_at = 0.0
        if self._unsaved:
            self._save_queued = False
            self._save_soon()

    def _save(self) -> None:
        """The background thread: write what waits, in one transaction."""
        with self._unsaved_lock:
            values, self._unsaved = self._unsaved, {}
        if not values:
            return
        try:
            self.store.remember_all(values)
        except KioskError:
            with self._unsaved_lock:          # keep them for the retry, unless a newer value came meanwhile
                self._unsaved = {**values, **self._unsaved}
            raise
        except Exception:  # noqa: BLE001 — a value that cannot be written at all must not stop later saves
            log.exception("could not keep %s for after a restart", ", ".join(values))

    def _saved(self, _result=None) -> None:
        self._save_queued = False
        if self._unsaved:                     # arrived while the job ran
            self._save_soon()

    def _save_failed(self, exc: KioskError) -> None:
        self._save_queued = False
        self._retry_at = time.monotonic() + RETRY_SAVE_S
        self._trouble.warning("save", "could not keep the last known values for after a restart "
                                      "(trying again in %.0f s): %s", RETRY_SAVE_S, exc)

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
