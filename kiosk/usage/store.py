"""DATA_DIR/usage.sqlite: how often each thing was used on the kiosk, per local day.

One row per (day, key) and a count: no sequences, no sessions, no visitor, no time of day
(DESIGN.md "Counting use without watching people"). Keys are made by kiosk/usage/keys.py.
"""

from __future__ import annotations

from kiosk.store import Database, Migration, Store

DB_FILE = "usage.sqlite"

MIGRATIONS = [
    Migration(1, """
CREATE TABLE usage (
    day   TEXT NOT NULL,              -- YYYY-MM-DD in the station's time zone
    key   TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, key)
) WITHOUT ROWID;
"""),
]


class UsageStore(Store):
    """The kiosk's day counters; raises StoreError (from Database)."""

    def __init__(self, db: Database):
        self.db = db

    @classmethod
    def open(cls, config) -> "UsageStore":
        """Open (and create) DATA_DIR/usage.sqlite; raises StoreError."""
        return cls(cls.file_in(config, DB_FILE, MIGRATIONS))

    def add(self, counts: dict[tuple[str, str], int]) -> None:
        """Add {(day, key): n} to the stored counters in one transaction (one fsync for all)."""
        rows = [(day, key, n) for (day, key), n in counts.items() if n > 0]
        if rows:
            self.db.write(lambda conn: conn.executemany(
                "INSERT INTO usage (day, key, count) VALUES (?, ?, ?) "
                "ON CONFLICT(day, key) DO UPDATE SET count = count + excluded.count", rows))

    def totals(self, first_day: str, last_day: str) -> dict[str, int]:
        """{key: sum of counts} over the days first_day..last_day (inclusive, YYYY-MM-DD)."""
        return {row[0]: row[1] for row in self.db.rows(
            "SELECT key, sum(count) FROM usage WHERE day BETWEEN ? AND ? GROUP BY key", (first_day, last_day))}

    def days_in_use(self, first_day: str, last_day: str) -> int:
        """How many days of the range have any counter at all."""
        return self.db.scalar("SELECT count(DISTINCT day) FROM usage WHERE day BETWEEN ? AND ?",
                              (first_day, last_day), 0)
