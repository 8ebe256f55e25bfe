"""A durable, bounded, ordered queue of messages waiting for the broker.

Whatever a service accepted (a reading, a loan event) is first written to its
own SQLite file, in the same transaction as the rest of its work, and only then
published. Rows are deleted when the broker acknowledges them (QoS 1 PUBACK),
so a broker that is away for hours, or a killed process, loses nothing within
`limit`; beyond it the oldest rows go, and the loss is counted and logged.
"""

from __future__ import annotations

import collections
import logging
import threading
from typing import Callable

from kiosk.bus.client import Bus
from kiosk.errors import StoreError
from kiosk.logs import Throttled
from kiosk.store import Connection, Database
from kiosk.store.outbox import put, trim

log = logging.getLogger(__name__)

WINDOW = 500          # messages handed to paho but not yet acknowledged
BATCH = 200           # rows read per round trip to SQLite


class Outbox:
    """Sends a database's queued messages in order, deleting each once acknowledged."""

    def __init__(self, db: Database, bus: Bus, limit: int):
        self._db = db
        self._bus = bus
        self.limit = limit
        self._wake = threading.Event()
        self._stop = threading.Event()
        # Only the sender thread touches these; paho's thread just appends acked mids,
        # because its publish callback runs under paho's own lock (taking ours there
        # while we publish under ours would deadlock).
        self._in_flight: dict[int, int] = {}   # paho mid -> outbox row id
        self._acked_mids: collections.deque[int] = collections.deque()
        self._acked: list[int] = []
        self._next_id = 0                       # first row not yet handed to paho
        self._thread: threading.Thread | None = None
        self._trouble = Throttled(log)
        bus.on_publish(self._acknowledged)
        bus.on_connect(self.notify)

    def start(self) -> "Outbox":
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)
        try:
            self._delete_acked()
        except StoreError as exc:      # those rows are sent once more after the restart
            log.warning("could not forget the messages the broker acknowledged: %s", exc)

    def notify(self) -> None:
        """Tell the sender new rows are waiting (call after the write committed)."""
        self._wake.set()

    def pending(self) -> int:
        return self._db.scalar("SELECT count(*) FROM outbox", default=0)

    def dropped(self) -> int:
        return self._db.scalar("SELECT count FROM outbox_dropped WHERE id = 1", default=0)

    def enqueue(self, messages: list[tuple[str, bytes, int, bool]],
                also: Callable[[Connection], None] | None = None) -> None:
        """Queue messages durably (plus any other work in the same transaction), then send."""
        def work(conn: Connection) -> int:
            if also:
                also(conn)
            for topic, payload, qos, retain in messages:
                put(conn, topic, payload, qos, retain)
            return trim(conn, self.limit)
        dropped = self._db.write(work)
        if dropped:
            log.warning("broker unreachable for long: dropped the %d oldest queued message(s) "
                        "(queue limit %d)", dropped, self.limit)
        self.notify()

    # --- sender thread ----------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(1.0)
            self._wake.clear()
            try:
                self._delete_acked()
                while not self._stop.is_set() and self._send_batch():
                    self._delete_acked()
            except StoreError as exc:     # e.g. a full disk: the rows wait, and so does the sender
                self._trouble.warning("store", "outbox: %s; retrying", exc)
                self._stop.wait(1.0)
            except Exception:  # noqa: BLE001 — keep sending after a bug, but say so (throttled)
                self._bus.log_bug("the outbox sender")
                self._stop.wait(1.0)

    def _send_batch(self) -> bool:
        # While the broker is away, rows stay on disk (bounded there), not in paho's memory.
        if not self._bus.connected.is_set():
            return False
        room = WINDOW - len(self._in_flight)
        if room <= 0:
            return False
        rows = self._db.rows("SELECT id, topic, payload, qos, retain FROM outbox WHERE id >= ? "
                             "ORDER BY id LIMIT ?", (self._next_id, min(room, BATCH)))
        if not rows:
            return False
        for row in rows:
            info = self._bus.publish(row["topic"], bytes(row["payload"]), qos=row["qos"],
                                     retain=bool(row["retain"]))
            if row["qos"] == 0:
                self._acked.append(row["id"])
            else:
                self._in_flight[info.mid] = row["id"]
            self._next_id = row["id"] + 1
        return True

    def _acknowledged(self, mid: int) -> None:
        self._acked_mids.append(mid)
        self._wake.set()

    def _delete_acked(self) -> None:
        while self._acked_mids:
            row_id = self._in_flight.pop(self._acked_mids.popleft(), None)
            if row_id is not None:
                self._acked.append(row_id)
        if self._acked:
            # Forgotten only once deleted: a delete the disk refused is tried again next round.
            self._db.write(lambda conn: conn.executemany("DELETE FROM outbox WHERE id = ?",
                                                         [(i,) for i in self._acked]))
            self._acked = []
