"""The outbox table: messages a service accepted but the broker (or, with a chain, the
receiver) has not yet acknowledged.

Only SQL lives here, so domain code can queue a message inside its own
transaction without importing the MQTT client; `kiosk.bus.outbox.Outbox` sends.
"""

from __future__ import annotations

from sqlite3 import Connection

# Include in the owning service's migrations.
SCHEMA = """
CREATE TABLE outbox (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    topic   TEXT NOT NULL,
    payload BLOB NOT NULL,
    qos     INTEGER NOT NULL DEFAULT 1,
    retain  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE outbox_dropped (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    count   INTEGER NOT NULL
);
"""

# Add to the migrations of an outbox whose rows wait for the receiver's confirmation
# (kiosk/bus/delivery.py): `chain` groups a sender's messages (a sensor node's), and
# the origin names this database in every ticket, so a database made anew never
# looks like the old one to the receiver.
CONFIRMED_SCHEMA = """
ALTER TABLE outbox ADD COLUMN chain TEXT;
CREATE INDEX outbox_by_chain ON outbox (chain, id);
CREATE TABLE outbox_origin (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    origin  TEXT NOT NULL
);
INSERT INTO outbox_origin (id, origin) VALUES (1, lower(hex(randomblob(8))));
"""


def put(conn: Connection, topic: str, payload: bytes, qos: int = 1, retain: bool = False,
        chain: str | None = None) -> None:
    """Queue one message inside the caller's transaction."""
    if chain is None:
        conn.execute("INSERT INTO outbox (topic, payload, qos, retain) VALUES (?, ?, ?, ?)",
                     (topic, payload, qos, int(retain)))
    else:
        conn.execute("INSERT INTO outbox (topic, payload, qos, retain, chain) VALUES (?, ?, ?, ?, ?)",
                     (topic, payload, qos, int(retain), chain))


def confirm(conn: Connection, chain: str, upto: int) -> int:
    """Delete a chain's rows up to id `upto` (the receiver stored them); returns how many went."""
    return conn.execute("DELETE FROM outbox WHERE chain = ? AND id <= ?", (chain, upto)).rowcount


def trim(conn: Connection, limit: int) -> int:
    """Drop the oldest rows beyond `limit`; returns how many went. Call inside a write."""
    count = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    excess = count - limit
    if excess <= 0:
        return 0
    conn.execute("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT ?)", (excess,))
    conn.execute("INSERT INTO outbox_dropped (id, count) VALUES (1, ?) "
                 "ON CONFLICT(id) DO UPDATE SET count = count + excluded.count", (excess,))
    return excess
