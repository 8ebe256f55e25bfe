"""The desk's SQLite file (data_dir/desk.sqlite): what the catalogues said about each ISBN.

One row per ISBN, written whole in one transaction or not at all: a book's facts (found), or
the note that every source answered and none knew it (unknown). Each row carries the time it
may be used until; an answer that never came (unreachable) is not stored, so the next try asks
again.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

from kiosk.clock import iso, parse_iso
from kiosk.desk.facts import BookFacts
from kiosk.store import Migration, Store

DB_FILE = "desk.sqlite"

MIGRATIONS = [
    Migration(1, """
CREATE TABLE lookups (
    isbn    TEXT PRIMARY KEY,            -- ISBN-13
    reason  TEXT NOT NULL,               -- 'found' or 'unknown'
    facts   TEXT,                        -- BookFacts as JSON when found
    stored  TEXT NOT NULL,
    expires TEXT NOT NULL                -- ISO 8601 UTC: used until then, asked again after
);
"""),
]


class DeskStore(Store):
    """The look-up cache; raises StoreError (from Database)."""

    def __init__(self, db):
        self.db = db

    @classmethod
    def open(cls, config) -> "DeskStore":
        """The store in DATA_DIR/desk.sqlite (created and migrated when needed); raises StoreError."""
        return cls(cls.file_in(config, DB_FILE, MIGRATIONS))

    def remembered(self, isbn13: str, now: datetime) -> tuple[str, BookFacts | None] | None:
        """(reason, facts) stored for the ISBN and not yet expired, else None.

        A row that cannot be read back (written by another version) counts as not stored.
        """
        row = self.db.first("SELECT reason, facts, expires FROM lookups WHERE isbn = ?", (isbn13,))
        if row is None:
            return None
        try:
            if parse_iso(row["expires"]) <= now:
                return None
            if row["reason"] == "unknown":
                return "unknown", None
            if row["reason"] == "found":
                return "found", BookFacts(**json.loads(row["facts"]))
        except (ValueError, TypeError):
            pass
        return None

    def remember(self, isbn13: str, reason: str, facts: BookFacts | None, now: datetime, until: datetime) -> None:
        """Store what the sources said about the ISBN (reason 'found' with facts, or 'unknown')."""
        payload = json.dumps(dataclasses.asdict(facts), ensure_ascii=False) if facts else None
        self.db.execute_write("INSERT OR REPLACE INTO lookups (isbn, reason, facts, stored, expires) "
                              "VALUES (?, ?, ?, ?, ?)", (isbn13, reason, payload, iso(now), iso(until)))

    def count(self) -> int:
        return self.db.scalar("SELECT count(*) FROM lookups", default=0)
