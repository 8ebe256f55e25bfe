"""`kiosk garden`: readings in; moisture, state, alerts, history and notices out.

Readings come from any source that publishes `garden/{node}/reading` — the
serial bridge or an ESP32 node — and are indistinguishable here. Alerts run on
this station's clock (when a reading arrived); a node's own time stamp only
places the reading in the history, and only when it is believable. One worker
thread owns all sensor state: paho's thread only hands messages over, and the
worker takes whatever has queued up as one batch and one transaction, which
keeps a whole district's sensors cheap on a Pi Zero.

The bridge's messages carry a delivery ticket (kiosk/bus/delivery.py): garden
takes each exactly once, in order, and confirms on `garden/{node}/stored` only
what it committed, so the bridge keeps everything else and sends it again.
When a write fails (a full disk), the batch is undone in memory, its messages
are held and tried again, and `garden/faults` says so until a write works.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Callable

from kiosk.bus import Bus, Command, Message, delivery
from kiosk.clock import iso_from_epoch, parse_iso
from kiosk.errors import NotFoundError, ProtocolError, StoreError, StoreFullError
from kiosk.garden import alerts, calibration, spans, thresholds
from kiosk.garden.calibration import calibrate_node
from kiosk.garden.alerts import NodeState, Thresholds
from kiosk.garden.discovery import discovery_messages
from kiosk.station import discovery
from kiosk.garden.line_protocol import parse_payload
from kiosk.garden.messages import BedAlert, BedSettings, BedState, Notice
from kiosk.garden.notify import Notifier
from kiosk.garden.store import GardenStore, StoredReading
from kiosk.logs import Throttled

log = logging.getLogger(__name__)

TICK_S = 1.0                 # stale checks and reminders
HISTORY_EVERY_S = 300        # republish the retained plot series
STATE_EVERY_S = 0.5          # a flood of readings updates each node's retained state (and confirmation) at most this often
MAX_BATCH = 2000
# How far a node's own time stamp is believed for the history (see believable_time).
NODE_CLOCK_AHEAD_S = 300
NODE_CLOCK_BEHIND_S = spans.LONGEST_S
HELD_MAX = 10_000            # messages kept in memory while garden.sqlite cannot be written
STORE_RETRY_S = 5.0          # how often such a write is tried again

DISK_FULL = ("Der Speicher ist voll: Neue Messwerte vom Beet werden nicht gespeichert, und es gibt "
             "keine neuen Gieß-Hinweise. Lösch alte Sicherungen oder Dateien, dann holt die Station "
             "alles von selbst nach.")
CANNOT_STORE = ("Die Station kann gerade keine Messwerte vom Beet speichern und versucht es weiter. "
                "Prüf sie mit „kiosk doctor“.")


class Garden:
    """The garden service's logic, bound to a bus and a store; `run()` drives it."""

    def __init__(self, config, bus: Bus, store: GardenStore, *, clock: Callable[[], float] = time.time,
                 notifier: Notifier | None = None):
        self.config = config
        self.bus = bus
        self.topics = bus.topics
        self.store = store
        self.clock = clock
        self.configured = {s.node: s for s in config.garden.sensors}
        self.sensors = dict(self.configured)      # with staff's thresholds (see _reload_calibration)
        self.notifier = notifier
        if notifier is not None:
            notifier.attach(config, bus.faults)   # local times, node links, failures shown to staff
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._trouble = Throttled(log)
        self._clock_trouble = Throttled(log, every_s=3600)   # a wrong node clock shows on every reading
        self._history_due = 0.0
        self._dirty: set[str] = set()     # nodes whose state is newer than what the bus has
        self._state_due = 0.0
        self._load_states()
        self.ledger = delivery.Ledger(store.load_deliveries())
        self._confirm_due: set[str] = set()    # nodes whose bridge needs to hear how far garden stored
        self._resend_due: set[str] = set()     # … and that something is missing
        self._confirm_at = 0.0                 # monotonic time the next confirmation may go out
        self._held: list[Message] = []         # messages of batches that could not be stored
        self._retry_at = 0.0                   # set while storing fails: when to try again
        self._calibrations: dict[str, calibration.Calibration] = {}
        self._reload_calibration(publish=False)   # announce() publishes once connected
        store.db.changed()   # start watching for `kiosk admin calibrate`
        self.ingested = 0

    # --- wiring ----------------------------------------------------------------------------

    def attach(self) -> None:
        """Subscribe and serve commands; call before `bus.start()`."""
        self.bus.subscribe(self.topics.garden_reading("+"), self.inbox.put)
        self.bus.subscribe(self.topics.garden_event("+"), self.inbox.put)
        self.bus.on_connect(lambda: self.inbox.put("announce"))
        for name, handler in (("ack", self.acknowledge), ("calibrate", self.calibrate), ("history", self.history),
                              ("thresholds", self.set_thresholds)):
            self.bus.serve(name, handler, worker=self.inbox.put)

    # --- the worker loop ---------------------------------------------------------------

    def run(self, stopping: threading.Event, alive: Callable[[], None] = lambda: None) -> None:
        if self.notifier:
            self.notifier.start()
        try:
            while not stopping.is_set():
                try:
                    # With states waiting to go out, come back soon to send them.
                    first = self.inbox.get(timeout=STATE_EVERY_S / 2 if self._dirty else TICK_S)
                except queue.Empty:
                    first = None
                batch = [first] if first is not None else []
                while len(batch) < MAX_BATCH:
                    try:
                        batch.append(self.inbox.get_nowait())
                    except queue.Empty:
                        break
                try:
                    self.process(batch)
                    self.tick()
                except Exception:  # noqa: BLE001 — one bug must not end the garden's worker for good
                    self.bus.log_bug("the garden's worker")
                alive()
        finally:
            if self.notifier:
                self.notifier.stop()

    def process(self, batch: list) -> None:
        """Handle a batch of inbox items: readings, events, commands, announcements."""
        if self.store.db.changed():
            self._reload_calibration()
        if self._held and time.monotonic() < self._retry_at:
            # The disk was full a moment ago: new messages queue behind the held ones.
            self._hold([item for item in batch if isinstance(item, Message)])
            batch = [item for item in batch if not isinstance(item, Message)]
        elif self._held:
            batch, self._held = self._held + batch, []
        readings: list[StoredReading] = []
        touched: dict[str, NodeState] = {}
        effects = Effects()
        for item in batch:
            if item == "announce":
                self.announce()
            elif isinstance(item, Command):
                item.run()
            elif isinstance(item, Message):
                try:
                    self._take(item, readings, touched, effects)
                except ProtocolError as exc:
                    self._trouble.warning("bad", "ignored a bad message on %s: %s", item.topic, exc)
                except Exception:  # noqa: BLE001 — a bug met by one message must not stop the garden
                    self.bus.log_bug("taking a garden message")
        if readings or touched or self.ledger.pending():
            if not self._record(readings, list(touched.values()), effects.notices,
                                [item for item in batch if isinstance(item, Message)]):
                return
            self.ingested += len(readings)
        self._publish(touched, effects)
        if self._confirm_due and time.monotonic() >= self._confirm_at:
            self._confirm()

    def _record(self, readings: list[StoredReading], states: list[NodeState], notices: list[dict],
                messages: list[Message] = ()) -> bool:
        """Store a batch; when that fails, undo it in memory, hold its messages and say so."""
        try:
            self.store.record(readings, states, notices, self.ledger.pending())
        except StoreError as exc:
            self.ledger.rollback()
            self._load_states()         # what the database holds is what happened
            self._hold(list(messages))
            self._retry_at = time.monotonic() + STORE_RETRY_S
            self._trouble.warning("store", "cannot store readings (%s); holding %d message(s) and trying "
                                  "again", exc, len(self._held))
            self.bus.faults.raise_fault("disk", DISK_FULL if isinstance(exc, StoreFullError) else CANNOT_STORE)
            return False
        self.ledger.commit()
        if self._retry_at:
            self._retry_at = 0.0
            log.info("storing works again")
            self.bus.faults.clear("disk")
        return True

    def _hold(self, messages: list[Message]) -> None:
        self._held.extend(messages)
        excess = len(self._held) - HELD_MAX
        if excess > 0:
            # The bridge sends its own again; only an ESP32 node's readings are lost here.
            del self._held[:excess]
            self._trouble.warning("held", "storing still fails: dropped the %d oldest held message(s)", excess)

    def _load_states(self) -> None:
        now = self.clock()
        self.states = self.store.load_states()
        for node in self.sensors:
            self.states.setdefault(node, NodeState(node=node, since=now, watching_since=now))

    def _admit(self, node: str, ticket: delivery.Ticket | None) -> bool:
        """Whether to take a message: always without a ticket, with one only the next in order."""
        if ticket is None:
            return True
        verdict = self.ledger.admit(node, ticket)
        self._confirm_due.add(node)
        if verdict == delivery.GAP:
            self._resend_due.add(node)
        return verdict == delivery.NEW

    def _confirm(self, nodes: set[str] | None = None) -> None:
        """Tell the bridge how far its messages are stored (retained), and whether to resend."""
        now = self.clock()
        for node in sorted(self._confirm_due if nodes is None else nodes):
            stored = self.ledger.stored(node)
            if stored or node in self._resend_due:
                self.bus.publish(self.topics.garden_stored(node),
                                 delivery.confirmation(stored, now, resend=node in self._resend_due),
                                 qos=1, retain=True)
        self._confirm_due.clear()
        self._resend_due.clear()
        self._confirm_at = time.monotonic() + STATE_EVERY_S

    def _publish(self, touched: dict[str, NodeState], effects: "Effects") -> None:
        """After the commit: every alert change in the order it happened, and soon the states."""
        self._dirty.update(touched)
        for change in effects.changes:      # logged once stored: a batch tried again logs nothing twice
            log.info("%s: %s → %s (moisture %s)", *change)
        if effects.alerts:
            self._flush_states()      # a state that contradicts a fresh alert must not linger
        for node, payload in effects.alerts:
            self.bus.publish(self.topics.garden_alert(node), payload, qos=1, retain=True)
        if effects.notices and self.notifier:
            self.notifier.poke()

    def _changed(self, state: NodeState, change: alerts.Change, effects: "Effects", now: float) -> None:
        """Capture the alert and notice of a change now: later readings in the batch move the state on."""
        event = "raised" if change.raised else "cleared"
        effects.changes.append((state.node, change.old, change.new,
                                "unknown" if state.moisture is None else f"{state.moisture:.0f} %"))
        effects.notices.append(self._notice(state, event, change.old))
        effects.alerts.append((state.node, self._alert_payload(state, change)))
        state.last_notified = now

    def _take(self, message: Message, readings: list, touched: dict, effects: "Effects") -> None:
        parsed = self.topics.parse(message.topic)
        node = parsed.node if parsed else None
        sensor = self.sensors.get(node or "")
        if sensor is None:
            self._trouble.warning(f"unknown:{node}", "reading from unknown node %r; add a [[garden.sensors]] "
                                  "table for it to station.toml", node)
            return
        payload = message.json_object()
        ticket = delivery.ticket_of(payload)
        if parsed.kind == "garden_event":
            if self._admit(node, ticket):
                self._take_event(node, payload, touched, effects)
            return
        reading, ts = parse_payload(payload)
        if reading.node != node:
            raise ProtocolError(f"payload names node {reading.node!r} but the topic {node!r}")
        received = self.clock()
        if not self._admit(node, ticket):
            return
        state = self.states[node]
        moisture = self._calibrations[node].moisture(reading.raw)
        change = alerts.on_reading(state, Thresholds.of_sensor(sensor), moisture, reading.raw, received)
        taken = self._taken_at(node, ts, received)
        readings.append(StoredReading(node, int(taken * 1000), reading.seq, reading.raw, moisture))
        touched[node] = state
        if change:
            self._changed(state, change, effects, received)

    def _taken_at(self, node: str, ts: str | None, received: float) -> float:
        """When a reading was taken, for the history only; alerts go by the time it arrived."""
        if ts is None:
            return received
        taken = believable_time(ts, received)
        if taken is None:
            self._clock_trouble.warning(node, "sensor node %s sent a reading stamped %r, but the station's "
                                        "clock says %s; stored it at the time it arrived (check the node's "
                                        "clock)", node, ts[:40], iso_from_epoch(received))
            return received
        return taken

    def _take_event(self, node: str, payload: dict, touched: dict, effects: "Effects") -> None:
        event = payload.get("event")
        if event == "boot":
            log.info("sensor node %s started (firmware %s)", node, payload.get("fw", "?"))
        elif event == "fault":
            state = self.states[node]
            change = alerts.on_fault_report(state, self.clock())
            touched[node] = state
            if change:
                self._changed(state, change, effects, self.clock())
            self._trouble.warning(f"fault:{node}", "sensor node %s reports a fault: %s", node,
                                  payload.get("reason", "no reason given"))

    def tick(self) -> None:
        """Silence checks, reminders and the periodic history publication."""
        now = self.clock()
        touched: dict[str, NodeState] = {}
        effects = Effects()
        every = self.config.garden.notify.reminder_every_s
        for node, sensor in self.sensors.items():
            state = self.states[node]
            change = alerts.on_tick(state, Thresholds.of_sensor(sensor), now)
            if change:
                self._changed(state, change, effects, now)
                touched[node] = state
            elif alerts.reminder_due(state, every, now):
                effects.notices.append(self._notice(state, "reminder", state.status))
                state.last_notified = now
                touched[node] = state
        if touched and self._record([], list(touched.values()), effects.notices):
            self._publish(touched, effects)
        if self._dirty and time.monotonic() >= self._state_due:
            self._flush_states()
        if self._confirm_due and time.monotonic() >= self._confirm_at:
            self._confirm()
        if now >= self._history_due:
            self._history_due = now + HISTORY_EVERY_S
            self.publish_history(now)

    def _flush_states(self) -> None:
        for node in sorted(self._dirty):
            self._publish_state(self.states[node])
        self._dirty.clear()
        self._state_due = time.monotonic() + STATE_EVERY_S

    # --- publishing ----------------------------------------------------------------------

    def announce(self) -> None:
        """After every connect: discovery, and the retained state and alert of every node."""
        discovery.publish(self.bus, discovery_messages(self.config, self.topics))
        for node in self.sensors:
            self._publish_settings(node)
        for state in self.states.values():
            if state.node in self.sensors:
                self._publish_state(state)
                self.bus.publish(self.topics.garden_alert(state.node), self._alert_payload(state, None),
                                 qos=1, retain=True)
        self._confirm(self.ledger.chains())

    def _publish_state(self, state: NodeState) -> None:
        message = BedState(ts=iso_from_epoch(state.last_seen or state.since), moisture=state.moisture,
                           status=state.status)
        self.bus.publish(self.topics.garden_state(state.node), message.to_payload(), qos=1, retain=True)

    def _publish_settings(self, node: str) -> None:
        message = BedSettings(**thresholds.values(self.sensors[node]))
        self.bus.publish(self.topics.garden_settings(node), message.to_payload(), qos=1, retain=True)

    def _alert_payload(self, state: NodeState, change: alerts.Change | None) -> dict:
        if state.alert_active:
            kind = state.status
        else:
            # Cleared: name what was cleared; with nothing ever raised, an all-clear "dry".
            kind = change.old if change else alerts.DRY
        return BedAlert(active=state.alert_active, kind=kind, since=iso_from_epoch(state.since),
                        moisture=state.moisture, acknowledged=state.acknowledged).to_payload()

    def publish_history(self, now: float) -> None:
        for node in self.sensors:
            for span in spans.NAMES:
                self.bus.publish(self.topics.garden_history(node, span), self.store.series(node, span, now).to_payload(),
                                 qos=1, retain=True)

    def _notice(self, state: NodeState, event: str, old: str) -> dict:
        # `since`: when the status began on the station's clock (for a silent sensor: its last
        # reading); the notifier says it in local time.
        notice = Notice(node=state.node, name=self.sensors[state.node].name,
                        kind=state.status if event != "cleared" else old, event=event, moisture=state.moisture,
                        since=iso_from_epoch(state.since))
        configured = self.notifier.channels if self.notifier else {}
        return {**notice.to_payload(), "created": iso_from_epoch(self.clock()),
                # A channel that is not set up counts as done, so turning it on later
                # does not flood staff with old news.
                "sent_email": int("email" not in configured), "sent_ntfy": int("ntfy" not in configured)}

    # --- commands --------------------------------------------------------------------------

    def _node_of(self, request: dict) -> str:
        node = request.get("node")
        if not isinstance(node, str) or node not in self.sensors:
            raise NotFoundError(f"unknown sensor node {node!r}"[:120])
        return node

    def acknowledge(self, request: dict) -> dict:
        """Staff saw the alert: no more reminders until the status changes."""
        state = self.states[self._node_of(request)]
        if not state.alert_active:
            return {"active": False}
        state.acknowledged = True
        self.store.record([], [state], [])
        self.bus.publish(self.topics.garden_alert(state.node), self._alert_payload(state, None), qos=1, retain=True)
        return {"active": True, "acknowledged": True}

    def calibrate(self, request: dict) -> dict:
        node = self._node_of(request)
        point = request.get("point")
        raw = calibrate_node(self.config, self.store, node, point, self.clock())
        self._reload_calibration()
        return {"node": node, "point": point, "raw": raw}

    def set_thresholds(self, request: dict) -> dict:
        """Staff changed thresholds: checked by station.toml's rules, kept in garden.sqlite, published."""
        node = self._node_of(request)
        sensor = thresholds.checked(self.sensors[node], request.get("values"))
        self.store.set_thresholds(node, thresholds.values(sensor), self.clock())
        self._reload_calibration()
        log.info("%s: thresholds set by staff: %s", node, thresholds.values(self.sensors[node]))
        return {"node": node, **thresholds.values(self.sensors[node])}

    def history(self, request: dict) -> dict:
        span = spans.named(request.get("span", spans.DEFAULT)).name
        return self.store.series(self._node_of(request), span, self.clock()).to_payload()

    def _reload_calibration(self, publish: bool = True) -> None:
        """What staff changed in garden.sqlite (here, or with `kiosk admin` meanwhile): calibration, thresholds."""
        overrides = self.store.calibration_overrides()
        self._calibrations = {node: calibration.of_sensor(sensor, overrides.get(node))
                              for node, sensor in self.configured.items()}
        chosen = self.store.threshold_overrides()
        before = self.sensors
        self.sensors = {node: thresholds.in_force(sensor, chosen.get(node)) for node, sensor in self.configured.items()}
        for node, sensor in self.sensors.items():
            if publish and before.get(node) != sensor:
                self._publish_settings(node)


class Effects:
    """What a batch of work must announce once its transaction committed."""

    def __init__(self) -> None:
        self.notices: list[dict] = []
        self.alerts: list[tuple[str, dict]] = []
        self.changes: list[tuple] = []        # (node, old, new, moisture) for the log


def believable_time(ts: str, received: float) -> float | None:
    """A node's time stamp `ts` in epoch seconds, or None when it cannot be believed.

    The bridge stamps readings with this station's clock, an ESP32 with its own. A
    node's time is believed within a window around the station's clock: up to
    NODE_CLOCK_AHEAD_S ahead (a clock running a little fast) and up to the longest
    history span behind (the bridge and an ESP32 keep readings while the broker is
    away and send them late). Outside it the clock is wrong — 2099, or 2000 before
    NTP — and the reading is better kept at the time it arrived.
    """
    try:
        taken = parse_iso(ts).timestamp()
    except (ValueError, OverflowError):
        return None
    if received - NODE_CLOCK_BEHIND_S <= taken <= received + NODE_CLOCK_AHEAD_S:
        return taken
    return None


def run(config) -> int:
    """Entry point of `kiosk garden`."""
    from kiosk.service import serve

    def build(parts) -> Garden:
        store = parts.enter_context(GardenStore.open(config))
        bus = Bus(config, "garden", persistent=True)
        garden = Garden(config, bus, store, notifier=Notifier(config.garden.notify, store))
        garden.attach()
        parts.enter_context(bus)             # starts it; stopped before the database closes
        return garden

    return serve("garden", build)
