"""The outbox table: rows per chain go only when confirmed, the bound drops the oldest, each file its origin."""

from __future__ import annotations

import re

from kiosk.store import Database, Migration
from kiosk.store import outbox

MIGRATIONS = [Migration(1, outbox.SCHEMA), Migration(2, outbox.CONFIRMED_SCHEMA)]


def topics(db: Database) -> list[str]:
    return [row["topic"] for row in db.rows("SELECT topic FROM outbox ORDER BY id")]


def test_a_confirmation_deletes_only_its_chain_up_to_its_id(tmp_path):
    with Database(tmp_path / "bridge.sqlite", MIGRATIONS) as db:
        def queue(conn):
            for i in range(3):
                outbox.put(conn, f"bed-1/{i}", b"{}", chain="bed-1")
                outbox.put(conn, f"bed-2/{i}", b"{}", chain="bed-2")
        db.write(queue)
        ids = {row["topic"]: row["id"] for row in db.rows("SELECT id, topic FROM outbox")}
        assert db.write(lambda conn: outbox.confirm(conn, "bed-1", ids["bed-1/1"])) == 2
        assert topics(db) == ["bed-2/0", "bed-2/1", "bed-1/2", "bed-2/2"]


def test_the_bound_drops_the_oldest_and_counts_them(tmp_path):
    with Database(tmp_path / "bridge.sqlite", MIGRATIONS) as db:
        def queue(conn):
            for i in range(5):
                outbox.put(conn, f"bed-1/{i}", b"{}", chain="bed-1")
            return outbox.trim(conn, 3)
        assert db.write(queue) == 2
        assert topics(db) == ["bed-1/2", "bed-1/3", "bed-1/4"]
        assert db.scalar("SELECT count FROM outbox_dropped") == 2


def test_every_database_names_itself_with_its_own_origin(tmp_path):
    origins = []
    for name in ("a.sqlite", "b.sqlite"):
        with Database(tmp_path / name, MIGRATIONS) as db:
            origins.append(db.scalar("SELECT origin FROM outbox_origin"))
    with Database(tmp_path / "a.sqlite", MIGRATIONS) as db:          # opened again: the same
        assert db.scalar("SELECT origin FROM outbox_origin") == origins[0]
    assert all(re.fullmatch(r"[0-9a-f]{16}", origin) for origin in origins)
    assert origins[0] != origins[1]
