"""The touch kiosk's own small SQLite file, DATA_DIR/ui.sqlite.

It holds what must survive a restart of the kiosk and belongs to no other
service: the staff PIN hash (set with `kiosk admin pin`), the PIN lockout
(so pulling the plug does not reset the count of wrong tries), and the last
values the kiosk knew from the bus (shown, marked as not current, while the
broker or a service is away).
"""

from __future__ import annotations

import json
import time
from typing import Any

from kiosk.store import Database, Migration, Store

MIGRATIONS = [
    Migration(1, """
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE pin_guard (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0,
    lockouts     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO pin_guard (id) VALUES (1);
CREATE TABLE known (
    topic    TEXT PRIMARY KEY,
    payload  TEXT NOT NULL,
    received REAL NOT NULL
);
"""),
]


class UiStore(Store):
    """Settings, PIN guard and last-known bus values of the kiosk (see module doc)."""

    def __init__(self, db: Database):
        self.db = db

    @classmethod
    def open(cls, config) -> "UiStore":
        """Open (and create) DATA_DIR/ui.sqlite; raises StoreError."""
        return cls(cls.file_in(config, "ui.sqlite", MIGRATIONS))

    # --- settings ---------------------------------------------------------------------
    def setting(self, name: str, default: str = "") -> str:
        return self.db.scalar("SELECT value FROM settings WHERE name = ?", (name,), default)

    def set_setting(self, name: str, value: str | None) -> None:
        if value is None:
            self.db.execute_write("DELETE FROM settings WHERE name = ?", (name,))
        else:
            self.db.execute_write("INSERT INTO settings (name, value) VALUES (?, ?) "
                                  "ON CONFLICT(name) DO UPDATE SET value = excluded.value", (name, value))

    # --- PIN guard ----------------------------------------------------------------------
    def guard(self) -> tuple[int, float, int]:
        row = self.db.first("SELECT failures, locked_until, lockouts FROM pin_guard WHERE id = 1")
        return (row[0], row[1], row[2]) if row else (0, 0.0, 0)

    def set_guard(self, failures: int, locked_until: float, lockouts: int) -> None:
        self.db.execute_write("UPDATE pin_guard SET failures = ?, locked_until = ?, lockouts = ? WHERE id = 1",
                              (failures, locked_until, lockouts))

    # --- last known values --------------------------------------------------------------
    def remember(self, topic: str, payload: Any, received: float | None = None) -> None:
        self.remember_all({topic: (payload, received if received is not None else time.time())})

    def remember_all(self, values: dict[str, tuple[Any, float]]) -> None:
        """Keep {topic: (payload, received)} in one transaction (one fsync for all); raises StoreError."""
        rows = [(topic, json.dumps(payload, ensure_ascii=False), received)
                for topic, (payload, received) in values.items()]
        self.db.write(lambda conn: conn.executemany(
            "INSERT INTO known (topic, payload, received) VALUES (?, ?, ?) "
            "ON CONFLICT(topic) DO UPDATE SET payload = excluded.payload, received = excluded.received", rows))

    def known(self) -> list[tuple[str, Any, float]]:
        out = []
        for row in self.db.rows("SELECT topic, payload, received FROM known"):
            try:
                out.append((row[0], json.loads(row[1]), row[2]))
            except ValueError:
                continue
        return out
