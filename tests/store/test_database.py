"""The SQLite owner: migrations, WAL, all-or-nothing writes, other processes' changes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.errors import StoreError
from kiosk.store import Database, Migration, snapshot

V1 = Migration(1, "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);")
V2 = Migration(2, "ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'green';")


def test_migrations_run_once_in_order_and_keep_data(tmp_path):
    path = tmp_path / "x.sqlite"
    with Database(path, [V1]) as db:
        db.execute_write("INSERT INTO things (name) VALUES ('Minze')")
    with Database(path, [V1, V2]) as db:
        assert db.dicts("SELECT name, colour FROM things") == [{"name": "Minze", "colour": "green"}]
        assert db.scalar("PRAGMA user_version") == 2
        assert db.scalar("PRAGMA journal_mode") == "wal"


def test_a_database_newer_than_the_software_is_refused(tmp_path):
    path = tmp_path / "x.sqlite"
    Database(path, [V1, V2]).close()
    with pytest.raises(StoreError, match="newer than this software"):
        Database(path, [V1])


def test_a_failed_write_changes_nothing(tmp_path):
    with Database(tmp_path / "x.sqlite", [V1]) as db:
        def two_inserts(conn):
            conn.execute("INSERT INTO things (name) VALUES ('Salbei')")
            conn.execute("INSERT INTO things (name) VALUES ('Salbei')")   # violates UNIQUE
        with pytest.raises(StoreError, match="UNIQUE"):
            db.write(two_inserts)
        assert db.scalar("SELECT count(*) FROM things") == 0


def test_a_commit_survives_the_process_being_killed(tmp_path):
    path = tmp_path / "x.sqlite"
    Database(path, [V1]).close()
    code = ("import os; from kiosk.store import Database, Migration; "
            f"db = Database({str(path)!r}, [Migration(1, {V1.sql!r})]); "
            "db.execute_write(\"INSERT INTO things (name) VALUES ('Thymian')\"); "
            "os.kill(os.getpid(), 9)")
    subprocess.run([sys.executable, "-c", code], timeout=30)
    with Database(path, [V1]) as db:
        assert db.integrity_check() == "ok"
        assert db.dicts("SELECT name FROM things") == [{"name": "Thymian"}]


def test_changes_by_another_process_are_noticed(tmp_path):
    path = tmp_path / "x.sqlite"
    with Database(path, [V1]) as db:
        assert db.changed() is False
        with Database(path, [V1]) as other:
            other.execute_write("INSERT INTO things (name) VALUES ('Dill')")
        assert db.changed() is True
        assert db.changed() is False


def test_snapshot_of_a_live_database_is_complete(tmp_path):
    with Database(tmp_path / "x.sqlite", [V1]) as db:
        db.write(lambda conn: conn.executemany("INSERT INTO things (name) VALUES (?)",
                                               [(f"Kraut {i}",) for i in range(500)]))
        copy = snapshot(db.path, tmp_path / "backup" / "x.sqlite")
        with Database(copy, [V1]) as restored:
            assert restored.scalar("SELECT count(*) FROM things") == 500
