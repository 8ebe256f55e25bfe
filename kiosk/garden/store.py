"""The garden's SQLite file: readings history, sensor states, calibration, notices.

Readings are clustered by (node, ts) in a WITHOUT ROWID table, so the plot query
for the last 7 days reads one contiguous slice whatever the years behind it.
`deliveries` holds, per node and bridge outbox, the highest delivery ticket id
stored (kiosk/bus/delivery.py), written in the same transaction as the readings
it covers: that is what garden confirms to the bridge, and what makes a
re-delivered reading a no-op instead of a duplicate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kiosk.bus.delivery import MAX_ORIGINS
from kiosk.clock import iso_from_epoch
from kiosk.errors import NotFoundError, ProtocolError
from kiosk.garden import spans
from kiosk.garden.alerts import NodeState
from kiosk.garden.messages import History, HistoryPoint, Notice
from kiosk.store import Database, Migration, Store

CHANNELS = ("email", "ntfy")

MIGRATIONS = [
    Migration(1, """
CREATE TABLE readings (
    node     TEXT NOT NULL,
    ts_ms    INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    raw      INTEGER NOT NULL,
    moisture REAL,
    PRIMARY KEY (node, ts_ms, seq)
) WITHOUT ROWID;
CREATE TABLE node_state (
    node TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE calibration (
    node    TEXT PRIMARY KEY,
    raw_dry INTEGER,
    raw_wet INTEGER,
    updated TEXT NOT NULL
);
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    node       TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    event      TEXT NOT NULL,
    moisture   REAL,
    since      TEXT NOT NULL,
    created    TEXT NOT NULL,
    sent_email INTEGER NOT NULL DEFAULT 0,
    sent_ntfy  INTEGER NOT NULL DEFAULT 0
);
"""),
    Migration(2, """
CREATE TABLE deliveries (
    node     TEXT NOT NULL,
    origin   TEXT NOT NULL,
    upto     INTEGER NOT NULL,
    changed  INTEGER NOT NULL,
    PRIMARY KEY (node, origin)
);
"""),
    # Thresholds staff changed from the console (kiosk/garden/thresholds.py), as JSON.
    Migration(3, """
CREATE TABLE thresholds (
    node    TEXT PRIMARY KEY,
    data    TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""),
]


@dataclass(frozen=True)
class StoredReading:
    node: str
    ts_ms: int
    seq: int
    raw: int
    moisture: float | None


class GardenStore(Store):
    """Garden data access; every method is one query or one durable transaction."""

    def __init__(self, db: Database):
        self.db = db

    @classmethod
    def open(cls, config) -> "GardenStore":
        """The store in DATA_DIR/garden.sqlite (created and migrated when needed); raises StoreError."""
        return cls(cls.file_in(config, "garden.sqlite", MIGRATIONS))

    # --- the ingest transaction --------------------------------------------------------

    def record(self, readings: list[StoredReading], states: list[NodeState],
               notices: list[dict], deliveries: dict[tuple[str, str], int] | None = None) -> None:
        """Store a batch of readings, the node states they led to, new notices and how far
        each bridge's deliveries are stored ((node, origin) -> ticket id), atomically.

        Raises StoreError (StoreFullError on a full disk); nothing is stored then.
        """
        def work(conn) -> None:
            if deliveries:
                self._record_deliveries(conn, deliveries)
            conn.executemany(
                "INSERT OR IGNORE INTO readings (node, ts_ms, seq, raw, moisture) VALUES (?, ?, ?, ?, ?)",
                [(r.node, r.ts_ms, r.seq, r.raw, r.moisture) for r in readings])
            conn.executemany(
                "INSERT INTO node_state (node, data) VALUES (?, ?) "
                "ON CONFLICT(node) DO UPDATE SET data = excluded.data",
                [(s.node, json.dumps(s.to_dict())) for s in states])
            conn.executemany(
                "INSERT INTO notices (node, name, kind, event, moisture, since, created, sent_email, sent_ntfy) "
                "VALUES (:node, :name, :kind, :event, :moisture, :since, :created, :sent_email, :sent_ntfy)",
                notices)
        self.db.write(work)

    @staticmethod
    def _record_deliveries(conn, deliveries: dict[tuple[str, str], int]) -> None:
        # `changed` counts writes, not time: a clock that jumps cannot reorder it.
        tick = conn.execute("SELECT coalesce(max(changed), 0) + 1 FROM deliveries").fetchone()[0]
        conn.executemany(
            "INSERT INTO deliveries (node, origin, upto, changed) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(node, origin) DO UPDATE SET upto = max(upto, excluded.upto), changed = excluded.changed",
            [(node, origin, upto, tick) for (node, origin), upto in deliveries.items()])
        for node in {node for node, _ in deliveries}:
            conn.execute("DELETE FROM deliveries WHERE node = ? AND origin NOT IN (SELECT origin FROM deliveries "
                         "WHERE node = ? ORDER BY changed DESC LIMIT ?)", (node, node, MAX_ORIGINS))

    def load_deliveries(self) -> dict[tuple[str, str], int]:
        """(node, origin) -> highest delivery id stored, least recently changed first."""
        return {(row["node"], row["origin"]): row["upto"]
                for row in self.db.rows("SELECT node, origin, upto FROM deliveries ORDER BY changed")}

    def load_states(self) -> dict[str, NodeState]:
        return {row["node"]: NodeState.from_dict(json.loads(row["data"]))
                for row in self.db.rows("SELECT node, data FROM node_state")}

    # --- history ------------------------------------------------------------------------

    def series(self, node: str, span: str, now: float) -> History:
        """Plot-ready min/avg/max moisture per bucket for the last `span` (kiosk/garden/spans.py);
        raises ProtocolError (a ValueError) for an unknown span."""
        chosen = spans.named(span)
        back, bucket = chosen.back_s, chosen.bucket_s
        bucket_ms = bucket * 1000
        start_ms = int((now - back) * 1000)
        rows = self.db.rows(
            "SELECT ts_ms / ? AS b, min(moisture), avg(moisture), max(moisture), count(moisture) "
            "FROM readings WHERE node = ? AND ts_ms >= ? GROUP BY b ORDER BY b",
            (bucket_ms, node, start_ms))
        points = tuple(HistoryPoint(iso_from_epoch(row[0] * bucket), _round(row[1]), _round(row[2]), _round(row[3]),
                                    row[4]) for row in rows if row[4])
        return History(node, span, bucket, points)

    def latest_raw(self, node: str) -> int:
        """The newest raw reading of a node; raises NotFoundError when there is none."""
        row = self.db.first("SELECT raw FROM readings WHERE node = ? ORDER BY ts_ms DESC, seq DESC LIMIT 1",
                            (node,))
        if row is None:
            raise NotFoundError(f"no reading from node {node!r} yet; wait for the sensor to report")
        return row[0]

    def count_readings(self, node: str | None = None) -> int:
        if node is None:
            return self.db.scalar("SELECT count(*) FROM readings")
        return self.db.scalar("SELECT count(*) FROM readings WHERE node = ?", (node,))

    # --- calibration ----------------------------------------------------------------------

    def calibration_overrides(self) -> dict[str, dict]:
        return {row["node"]: {k: row[k] for k in ("raw_dry", "raw_wet") if row[k] is not None}
                for row in self.db.rows("SELECT node, raw_dry, raw_wet FROM calibration")}

    def set_calibration_point(self, node: str, point: str, raw: int, other: int, now: float) -> None:
        """Save `raw` as the node's dry or wet point; `other` is the opposite point in force."""
        if point not in ("dry", "wet"):
            raise ValueError("point must be 'dry' or 'wet'")
        if raw == other:
            raise ProtocolError(f"the {point} point {raw} equals the other point; measure the sensor "
                                f"{'in dry air' if point == 'dry' else 'in a glass of water'} first")
        column = "raw_dry" if point == "dry" else "raw_wet"
        self.db.write(lambda conn: conn.execute(
            f"INSERT INTO calibration (node, {column}, updated) VALUES (?, ?, ?) "
            f"ON CONFLICT(node) DO UPDATE SET {column} = excluded.{column}, updated = excluded.updated",
            (node, raw, iso_from_epoch(now))))

    # --- thresholds ------------------------------------------------------------------------

    def threshold_overrides(self) -> dict[str, dict]:
        return {row["node"]: json.loads(row["data"]) for row in self.db.rows("SELECT node, data FROM thresholds")}

    def set_thresholds(self, node: str, values: dict, now: float) -> None:
        """Keep `values` (checked by kiosk/garden/thresholds.py) as the node's thresholds."""
        self.db.write(lambda conn: conn.execute(
            "INSERT INTO thresholds (node, data, updated) VALUES (?, ?, ?) "
            "ON CONFLICT(node) DO UPDATE SET data = excluded.data, updated = excluded.updated",
            (node, json.dumps(values), iso_from_epoch(now))))

    # --- notices ------------------------------------------------------------------------------

    def pending_notices(self, channel: str) -> list[Notice]:
        if channel not in CHANNELS:
            raise ValueError(channel)
        rows = self.db.rows(f"SELECT * FROM notices WHERE sent_{channel} = 0 ORDER BY id LIMIT 50")
        return [Notice.from_payload(dict(r)) for r in rows]

    def mark_notice_sent(self, notice_id: int, channel: str) -> None:
        if channel not in CHANNELS:
            raise ValueError(channel)
        self.db.write(lambda conn: conn.execute(f"UPDATE notices SET sent_{channel} = 1 WHERE id = ?",
                                                (notice_id,)))

    def daily_lows(self, days: list[tuple[int, int]]) -> dict[str, list[tuple[float | None, int]]]:
        """Per node, for each [start_ms, end_ms) of `days`: the lowest moisture and how many readings.

        One primary-key range per node and day: a year of minute readings is read in a fifth of the
        time a GROUP BY over it takes (its temporary B-tree), so the report stays light on a Pi Zero.
        """
        nodes: list[str] = []
        while True:            # each node by one seek of the primary key (DISTINCT would read every row)
            row = self.db.first("SELECT node FROM readings WHERE node > ? ORDER BY node LIMIT 1",
                                (nodes[-1] if nodes else "",))
            if row is None:
                break
            nodes.append(row[0])
        query = "SELECT min(moisture), count(*) FROM readings WHERE node = ? AND ts_ms >= ? AND ts_ms < ?"
        return {node: [tuple(self.db.first(query, (node, start, end))) for start, end in days] for node in nodes}

    def notices_between(self, start: str, end: str) -> list[dict]:
        """Notices written in [start, end) (ISO times), oldest first: node, kind, event, created."""
        return self.db.dicts("SELECT node, kind, event, created FROM notices WHERE created >= ? AND created < ? "
                             "ORDER BY created, id", (start, end))

    def notice_count(self) -> int:
        return self.db.scalar("SELECT count(*) FROM notices")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
