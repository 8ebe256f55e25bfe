"""`kiosk bridge`: the sensor node's USB serial line → MQTT → stored by `kiosk garden`.

Every line is checked (`line_protocol.parse_line`); good ones are written to the
bridge's own SQLite outbox in one transaction per chunk read (group commit keeps
a flood cheap) and published from there in order. A row stays in the outbox
until garden confirms it stored it (kiosk/bus/delivery.py), so neither a broker
that is away for hours or crashes, nor garden being down, nor a pulled USB
cable loses an accepted reading (up to `queue_max` waiting; beyond that the
oldest go, counted and logged). Bad lines are counted and dropped, with at most
one log line a minute per kind of trouble.

When the outbox cannot be written (the disk is full), the bridge keeps running:
it holds what it accepted in memory (up to HELD_MAX), says so on
`bridge/faults`, and moves it into the outbox, in order, as soon as a write
works again. It does not forward held readings past the outbox: without a
durable copy they could not be resent, and garden, on the same disk as a rule,
could not store them either.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from typing import Callable

import serial

from kiosk.bus import Bus, Message, delivery
from kiosk.bus import outbox as outbox_mod
from kiosk.bus.client import encode
from kiosk.clock import iso_from_epoch
from kiosk.errors import ProtocolError, StoreError, StoreFullError
from kiosk.garden.line_protocol import MAX_LINE_BYTES, NodeEvent, Reading, parse_line
from kiosk.logs import Throttled
from kiosk.store import Database, Migration, Store
from kiosk.store import outbox as outbox_table

log = logging.getLogger(__name__)

MIGRATIONS = [Migration(1, outbox_table.SCHEMA), Migration(2, outbox_table.CONFIRMED_SCHEMA)]
READ_CHUNK = 4096
REOPEN_MIN_S, REOPEN_MAX_S = 0.2, 10.0
HELD_MAX = 10_000          # messages held in memory while the outbox cannot be written
STORE_RETRY_S = 2.0        # how often a failing outbox write is tried again

DISK_FULL = ("Der Speicher ist voll: Neue Messwerte vom Beet können nicht gesichert werden. Lösch alte "
             "Sicherungen oder Dateien, dann geht es von selbst weiter. Bis dahin die Station bitte "
             "nicht neu starten.")
CANNOT_STORE = ("Neue Messwerte vom Beet können gerade nicht gesichert werden. Die Station versucht es "
                "weiter. Prüf sie mit „kiosk doctor“.")


def open_database(config) -> Database:
    """bridge.sqlite (the readings waiting for garden) in the data directory; raises StoreError."""
    return Store.file_in(config, "bridge.sqlite", MIGRATIONS)


class LineSplitter:
    """Turns a byte stream into lines, discarding any run longer than a protocol line."""

    def __init__(self, limit: int = MAX_LINE_BYTES + 2):
        self._limit = limit
        self._buffer = bytearray()
        self._overflowing = False
        self.overflows = 0

    def feed(self, data: bytes) -> list[bytes]:
        lines = []
        start = 0
        while True:
            end = data.find(b"\n", start)
            if end < 0:
                break
            piece = data[start:end]
            if self._overflowing:
                self._overflowing = False
            elif len(self._buffer) + len(piece) <= self._limit:
                self._buffer += piece
                lines.append(bytes(self._buffer))
            else:
                self.overflows += 1
            self._buffer.clear()
            start = end + 1
        rest = data[start:]
        if not self._overflowing:
            if len(self._buffer) + len(rest) > self._limit:
                self._buffer.clear()
                self._overflowing = True
                self.overflows += 1
            else:
                self._buffer += rest
        return lines

    def reset(self) -> None:
        """Forget a half line (the cable was pulled mid-line)."""
        self._buffer.clear()
        self._overflowing = False


class Bridge:
    """Reads the serial port, checks lines, queues them durably until garden has stored them."""

    def __init__(self, config, bus: Bus, db: Database, *, clock: Callable[[], float] = time.time,
                 open_port: Callable[[], serial.Serial] | None = None):
        self.config = config
        self.bus = bus
        self.topics = bus.topics
        self.known_nodes = {s.node for s in config.garden.sensors}
        self.garden_online = threading.Event()
        self.outbox = outbox_mod.Outbox(db, bus, config.bridge.queue_max, confirmed=True,
                                        receiver_online=self.garden_online.is_set)
        bus.subscribe(self.topics.garden_stored("+"), self._on_stored)
        bus.subscribe(self.topics.status("garden"), self._on_garden_status)
        self.counts: Counter[str] = Counter()
        self._held: list[outbox_mod.Queued] = []     # accepted, not yet in the outbox (disk full)
        self._retry_at = 0.0
        self._clock = clock
        self._open_port = open_port or self._open_configured_port
        self._splitter = LineSplitter()
        self._trouble = Throttled(log)
        # Set while the port is open. pyserial flushes the input on open, so what a
        # node sent before that is gone, as it would be with a real USB port.
        self.port_open = threading.Event()

    def _open_configured_port(self) -> serial.Serial:
        # A short timeout bounds how long a stop request waits for read().
        return serial.Serial(self.config.bridge.port, self.config.bridge.baud, timeout=0.2)

    def run(self, stopping: threading.Event, alive: Callable[[], None] = lambda: None) -> None:
        """Bridge until `stopping` is set, reopening the port with backoff when it goes away."""
        self.outbox.start()
        delay = REOPEN_MIN_S
        try:
            while not stopping.is_set():
                alive()
                if self._held:
                    self._store([])
                try:
                    port = self._open_port()
                except (serial.SerialException, OSError) as exc:
                    self._trouble.warning("open", "sensor port %s not available (%s); retrying",
                                          self.config.bridge.port, exc)
                    stopping.wait(delay)
                    delay = min(delay * 2, REOPEN_MAX_S)
                    continue
                log.info("reading sensor lines from %s", port.name)
                delay = REOPEN_MIN_S
                self.port_open.set()
                try:
                    self._pump(port, stopping, alive)
                except (serial.SerialException, OSError) as exc:
                    self._trouble.warning("lost", "sensor port went away (%s); reopening", exc)
                finally:
                    self.port_open.clear()
                    self._splitter.reset()
                    try:
                        port.close()
                    except (serial.SerialException, OSError):
                        pass
        finally:
            self.outbox.stop()
            if self._held:
                log.warning("stopping with %d checked message(s) held in memory that could not be stored; "
                            "they are lost", len(self._held))

    def _pump(self, port: serial.Serial, stopping: threading.Event, alive: Callable[[], None]) -> None:
        while not stopping.is_set():
            data = port.read(max(1, min(port.in_waiting, READ_CHUNK)))
            alive()
            if data:
                self.take(data)
            elif self._held:
                self._store([])

    def take(self, data: bytes) -> int:
        """Check the lines in `data` and queue the good ones; returns how many were queued."""
        now = iso_from_epoch(self._clock())
        messages = []
        for line in self._splitter.feed(data):
            message = self._check(line, now)
            if message:
                messages.append(message)
        if self._splitter.overflows:
            self.counts["too_long"] += self._splitter.overflows
            self._trouble.warning("too_long", "dropped an over-long run of bytes without a newline")
            self._splitter.overflows = 0
        if messages:
            self._store(messages)
        return len(messages)

    def _store(self, messages: list[outbox_mod.Queued]) -> None:
        """Queue `messages` after any held ones; on a failed write, hold them all in memory."""
        self._held.extend(messages)
        excess = len(self._held) - HELD_MAX
        if excess > 0:
            del self._held[:excess]
            self.counts["lost_disk"] += excess
            self._trouble.warning("held", "storing still fails: dropped the %d oldest message(s) held in "
                                  "memory (%d lost so far)", excess, self.counts["lost_disk"])
        if not self._held or time.monotonic() < self._retry_at:
            return
        try:
            self.outbox.enqueue(self._held)
        except StoreError as exc:
            self._retry_at = time.monotonic() + STORE_RETRY_S
            self._trouble.warning("store", "cannot store new readings (%s); holding %d in memory and "
                                  "trying again", exc, len(self._held))
            self.bus.faults.raise_fault("disk", DISK_FULL if isinstance(exc, StoreFullError) else CANNOT_STORE)
            return
        if self._retry_at:
            log.info("storing works again; %d held message(s) are queued", len(self._held))
            self._retry_at = 0.0
            self.bus.faults.clear("disk")
        self._held = []

    def _on_stored(self, message: Message) -> None:
        """Garden's confirmation for a node (paho's thread: hands it to the outbox)."""
        node = self.topics.node_of(message.topic)
        if node not in self.known_nodes:
            return
        stored, resend = delivery.read_confirmation(message.json())
        upto = stored.get(self.outbox.origin)
        if upto:
            self.outbox.confirm(node, upto)
        if resend:
            self.outbox.resend()

    def _on_garden_status(self, message: Message) -> None:
        if message.payload == b"online":
            self.garden_online.set()
        else:
            self.garden_online.clear()

    def _check(self, line: bytes, now: str) -> outbox_mod.Queued | None:
        if not line.strip():
            return None
        try:
            parsed = parse_line(line)
        except ProtocolError as exc:
            self.counts["bad"] += 1
            self._trouble.warning("bad", "dropped a bad sensor line (%s); %d bad so far", exc, self.counts["bad"])
            return None
        if parsed.node not in self.known_nodes:
            self.counts["unknown_node"] += 1
            self._trouble.warning(f"unknown:{parsed.node}",
                                  "dropped a line from unknown node %r — add a [[garden.sensors]] "
                                  "table with node = %r to station.toml", parsed.node, parsed.node)
            return None
        self.counts["accepted"] += 1
        if isinstance(parsed, Reading):
            topic = self.topics.garden_reading(parsed.node)
        else:
            assert isinstance(parsed, NodeEvent)
            topic = self.topics.garden_event(parsed.node)
        return outbox_mod.Queued(topic, encode(parsed.payload(now)), chain=parsed.node)


def run(config) -> int:
    """Entry point of `kiosk bridge`."""
    from kiosk.service import serve

    def build(parts) -> Bridge:
        db = parts.enter_context(open_database(config))
        bus = Bus(config, "bridge")
        bridge = Bridge(config, bus, db)     # subscribes before the first connect
        parts.enter_context(bus)             # starts it; stopped before the database closes
        return bridge

    return serve("bridge", build)


__all__ = ["Bridge", "LineSplitter", "open_database", "run"]
