"""Which books have their label already (DATA_DIR/labels.sqlite), for "not yet printed".

A label counts as printed once its PDF was made: staff print what they download. The file is
the desk's own, beside booth.sqlite (whose numbers it names), so the booth's schema stays the
booth's.
"""

from __future__ import annotations

from datetime import datetime, timezone

from kiosk.clock import iso
from kiosk.store import Migration, Store

DB_FILE = "labels.sqlite"
MIGRATIONS = [Migration(1, "CREATE TABLE printed (book_id INTEGER PRIMARY KEY, printed TEXT NOT NULL);")]


class PrintedLabels(Store):
    """The record of labels made; raises StoreError (from Database)."""

    def __init__(self, db):
        self.db = db

    @classmethod
    def open(cls, config) -> "PrintedLabels":
        return cls(cls.file_in(config, DB_FILE, MIGRATIONS))

    def numbers(self) -> set[int]:
        return {row[0] for row in self.db.rows("SELECT book_id FROM printed")}

    def record(self, numbers: list[int], now: datetime | None = None) -> None:
        stamp = iso(now or datetime.now(timezone.utc))
        self.db.write(lambda conn: conn.executemany(
            "INSERT INTO printed (book_id, printed) VALUES (?, ?) ON CONFLICT(book_id) DO UPDATE SET printed = ?",
            [(n, stamp, stamp) for n in numbers]))
