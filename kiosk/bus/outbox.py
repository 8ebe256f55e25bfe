"""A durable, bounded, ordered queue of messages waiting for the broker — or for their receiver.

Whatever a service accepted (a reading, a loan event) is first written to its
own SQLite file, in the same transaction as the rest of its work, and only then
published, so a broker that is away for hours, or a killed process, loses
nothing within `limit`; beyond it the oldest rows go, and the loss is counted
and logged. When a row may go depends on what the sender needs:

- plain: a row is deleted when the broker acknowledges it (QoS 1 PUBACK). A
  broker crash can still lose what it held only in memory.
- confirmed (`confirmed=True`): a row is stamped with a delivery ticket each
  time it is sent and kept until the receiver confirms it stored it
  (`confirm(chain, upto)`; kiosk/bus/delivery.py). Unconfirmed rows are sent
  again, oldest first, after every connect, when the receiver asks
  (`resend()`), and when the receiver has been online for RESEND_AFTER_S but
  confirmed nothing (doubling up to RESEND_MAX_S while that lasts). This is
  what carries a reading through a broker crash.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from typing import Callable, NamedTuple

from kiosk.bus import delivery
from kiosk.bus.client import Bus
from kiosk.errors import StoreError
from kiosk.logs import Throttled
from kiosk.store import Connection, Database
from kiosk.store.outbox import confirm, put, trim

log = logging.getLogger(__name__)

WINDOW = 500          # messages handed to paho but not yet acknowledged by the broker
BATCH = 200           # rows read per round trip to SQLite
RESEND_AFTER_S = 10.0     # receiver online, unconfirmed rows, no progress: send them again …
RESEND_MAX_S = 300.0      # … waiting twice as long each time it stays so, up to this
RESEND_GAP_S = 1.0        # at most one resend a second, however often it is asked for


class Queued(NamedTuple):
    """One message to queue; `chain` (a sensor node) is needed by a confirmed outbox."""

    topic: str
    payload: bytes
    qos: int = 1
    retain: bool = False
    chain: str | None = None


class Outbox:
    """Sends a database's queued messages in order, deleting each once acknowledged or confirmed."""

    def __init__(self, db: Database, bus: Bus, limit: int, *, confirmed: bool = False,
                 receiver_online: Callable[[], bool] = lambda: True,
                 clock: Callable[[], float] = time.monotonic):
        self._db = db
        self._bus = bus
        self.limit = limit
        self.confirmed = confirmed
        # Names this database in every ticket (made by kiosk.store.outbox.CONFIRMED_SCHEMA).
        self.origin: str | None = db.scalar("SELECT origin FROM outbox_origin") if confirmed else None
        self._receiver_online = receiver_online
        self._clock = clock
        self._trouble = Throttled(log)
        self._wake = threading.Event()
        self._stop = threading.Event()
        # Only the sender thread touches these; paho's thread just appends acked mids,
        # because its publish callback runs under paho's own lock (taking ours there
        # while we publish under ours would deadlock).
        self._in_flight: dict[int, int | None] = {}   # paho mid -> row id to delete on PUBACK, or None
        self._acked_mids: collections.deque[int] = collections.deque()
        self._acked: list[int] = []
        self._next_id = 0                       # first row not yet handed to paho in this pass
        self._thread: threading.Thread | None = None
        # Confirmed mode. A pass sends every row from the oldest on; `after` of a row's
        # ticket is the previous row of its chain sent in the same pass.
        self._confirm_lock = threading.Lock()
        self._confirmations: dict[str, int] = {}   # chain -> highest id confirmed, not yet applied
        self._pass_wanted = confirmed
        self._pass_after: dict[str, int] = {}
        self._last_pass = float("-inf")
        self._waiting_since = clock()
        self._resend_after = RESEND_AFTER_S
        bus.on_publish(self._acknowledged)
        bus.on_connect(self._connected)

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
            self._settle()
        except StoreError as exc:
            log.warning("outbox: could not record the last acknowledgements (%s); "
                        "those messages go out once more after the restart", exc)

    def notify(self) -> None:
        """Tell the sender new rows are waiting (call after the write committed)."""
        self._wake.set()

    def confirm(self, chain: str, upto: int) -> None:
        """The receiver stored `chain`'s messages up to id `upto` (any thread)."""
        with self._confirm_lock:
            if upto > self._confirmations.get(chain, 0):
                self._confirmations[chain] = upto
        self._wake.set()

    def resend(self) -> None:
        """Send every unconfirmed message again, oldest first (any thread)."""
        self._pass_wanted = True
        self._wake.set()

    def pending(self) -> int:
        """Rows waiting for the broker or, when confirmed, for the receiver."""
        return self._db.scalar("SELECT count(*) FROM outbox", default=0)

    def dropped(self) -> int:
        return self._db.scalar("SELECT count FROM outbox_dropped WHERE id = 1", default=0)

    def enqueue(self, messages: list[Queued], also: Callable[[Connection], None] | None = None) -> None:
        """Queue messages durably (plus any other work in the same transaction), then send.

        Raises StoreError when the write fails (e.g. the disk is full); nothing was queued then.
        """
        if self.confirmed and any(m.chain is None for m in messages):
            raise ValueError("a confirmed outbox needs a chain for every message")

        def work(conn: Connection) -> int:
            if also:
                also(conn)
            for message in messages:
                put(conn, message.topic, message.payload, message.qos, message.retain, message.chain)
            return trim(conn, self.limit)
        dropped = self._db.write(work)
        if dropped:
            waiting_for = "the receiver to confirm them" if self.confirmed else "the broker"
            log.warning("queue limit %d reached: dropped the %d oldest queued message(s) still waiting "
                        "for %s", self.limit, dropped, waiting_for)
        self.notify()

    # --- sender thread ----------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(1.0)
            self._wake.clear()
            try:
                self._settle()
                if self.confirmed:
                    self._consider_resending()
                while not self._stop.is_set() and self._send_batch():
                    self._settle()
            except StoreError as exc:
                # A full disk: the rows stay, the deletes are retried; the service says so.
                self._trouble.warning("store", "outbox cannot update its database (%s); retrying", exc)
                self._stop.wait(1.0)
            except Exception:  # noqa: BLE001 — keep sending after anything unforeseen
                self._bus.log_bug("the outbox sender")
                self._stop.wait(1.0)

    def _send_batch(self) -> bool:
        # While the broker is away, rows stay on disk (bounded there), not in paho's memory.
        if not self._bus.connected.is_set():
            return False
        room = WINDOW - len(self._in_flight)
        if room <= 0:
            return False
        rows = self._db.rows("SELECT * FROM outbox WHERE id >= ? ORDER BY id LIMIT ?",
                             (self._next_id, min(room, BATCH)))
        if not rows:
            return False
        for row in rows:
            payload = bytes(row["payload"])
            # Rows without a chain (queued before the outbox waited for confirmations)
            # keep the plain promise: gone once the broker has them.
            chain = row["chain"] if self.confirmed else None
            if chain is not None:
                ticket = delivery.Ticket(self.origin, row["id"], self._pass_after.get(chain, 0))
                payload = delivery.stamp(payload, ticket)
                self._pass_after[chain] = row["id"]
            info = self._bus.publish(row["topic"], payload, qos=row["qos"], retain=bool(row["retain"]))
            if row["qos"]:
                self._in_flight[info.mid] = None if chain is not None else row["id"]
            elif chain is None:
                self._acked.append(row["id"])
            self._next_id = row["id"] + 1
        return True

    def _acknowledged(self, mid: int) -> None:
        self._acked_mids.append(mid)
        self._wake.set()

    def _connected(self) -> None:
        # The broker may have lost what it held (a crash takes its memory and the
        # receiver's session with it): start over from the oldest unconfirmed row.
        if self.confirmed:
            self._pass_wanted = True
        self._wake.set()

    def _settle(self) -> None:
        """Apply acknowledgements and confirmations to the database (sender thread)."""
        while self._acked_mids:
            row_id = self._in_flight.pop(self._acked_mids.popleft(), None)
            if row_id is not None:
                self._acked.append(row_id)
        if self._acked:
            done = self._acked
            self._db.write(lambda conn: conn.executemany("DELETE FROM outbox WHERE id = ?",
                                                         [(i,) for i in done]))
            self._acked = []
        if not self.confirmed:
            return
        with self._confirm_lock:
            confirmations, self._confirmations = self._confirmations, {}
        if not confirmations:
            return
        try:
            deleted = self._db.write(lambda conn: sum(confirm(conn, chain, upto)
                                                      for chain, upto in confirmations.items()))
        except StoreError:
            for chain, upto in confirmations.items():
                self.confirm(chain, upto)
            raise
        if deleted:
            self._waiting_since = self._clock()
            self._resend_after = RESEND_AFTER_S

    def _consider_resending(self) -> None:
        now = self._clock()
        if not self._receiver_online():
            # The clock runs only while the receiver is there: once back, it first gets the
            # time to work through what the broker kept for it.
            self._waiting_since = now
        elif not self._db.first("SELECT 1 FROM outbox WHERE id < ? AND chain IS NOT NULL LIMIT 1",
                                (self._next_id,)):
            self._waiting_since = now           # nothing sent is waiting for a confirmation
        elif now - self._waiting_since >= self._resend_after:
            self._trouble.warning("resend", "the receiver confirmed nothing for %.0f s; sending the "
                                  "unconfirmed messages again", now - self._waiting_since)
            self._pass_wanted = True
            self._resend_after = min(self._resend_after * 2, RESEND_MAX_S)
        if self._pass_wanted and now - self._last_pass >= RESEND_GAP_S and self._bus.connected.is_set():
            self._pass_wanted = False
            self._last_pass = self._waiting_since = now
            self._next_id = 0
            self._pass_after.clear()
            self._in_flight.clear()     # late PUBACKs of the last pass change nothing now
