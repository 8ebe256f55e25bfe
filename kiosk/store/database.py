"""One class owns a service's SQLite file.

Durability rules, because nothing accepted may be lost on a power cut:
- WAL journal with `synchronous=FULL`: a commit that returned is on disk.
- One write connection per process, guarded by a lock; every write runs as
  `fn(conn)` inside `BEGIN IMMEDIATE`, so it is all or nothing.
- Readers get their own connection per thread and never block the writer.
- Another process (`kiosk admin`) may write too; SQLite's file lock plus
  `busy_timeout` serialises it, and `changed()` lets a service notice.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, TypeVar

from kiosk.errors import StoreBusyError, StoreError, StoreFullError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 15_000
T = TypeVar("T")
Row = sqlite3.Row


@dataclass(frozen=True)
class Migration:
    """One numbered step of a schema: applied once, in order, in its own transaction."""

    version: int
    sql: str


class Database:
    """A service's SQLite database: migrations, durable writes, concurrent reads.

    Raises StoreError when the file cannot be opened or migrated, StoreBusyError
    when another process holds the write lock for longer than BUSY_TIMEOUT_MS,
    StoreFullError when a write finds the disk full (the service may keep running
    and try again later: a failed write changed nothing).
    """

    def __init__(self, path: str | Path, migrations: Sequence[Migration]):
        self.path = Path(path)
        self._migrations = sorted(migrations, key=lambda m: m.version)
        versions = [m.version for m in self._migrations]
        if versions != list(range(1, len(versions) + 1)):
            raise ValueError(f"migrations must be numbered 1..n without gaps, got {versions}")
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = self._connect()
            self._writer.execute("PRAGMA journal_mode=WAL")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        self._data_version = None
        self._migrate()

    # --- connections -------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _reader(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            conn.execute("PRAGMA query_only=ON")
            self._local.conn = conn
            with self._write_lock:
                self._readers.append(conn)
        return conn

    def _migrate(self) -> None:
        current = self._writer.execute("PRAGMA user_version").fetchone()[0]
        latest = self._migrations[-1].version if self._migrations else 0
        if current > latest:
            raise StoreError(f"{self.path} has schema version {current}, newer than this software "
                             f"knows ({latest}); upgrade the station software")
        for migration in self._migrations[current:]:
            def apply(conn: sqlite3.Connection, m: Migration = migration) -> None:
                for statement in _statements(m.sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version={m.version}")
            self.write(apply)
            log.info("%s: migrated to schema version %d", self.path.name, migration.version)

    # --- writing -----------------------------------------------------------------

    def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run fn(conn) in one durable transaction and return its result."""
        with self._write_lock:
            if self._closed:
                raise StoreError(f"{self.path} is closed")
            conn = self._writer
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _translate(exc, "BEGIN IMMEDIATE", self.path) from exc
            try:
                result = fn(conn)
                conn.execute("COMMIT")
                return result
            except BaseException as exc:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error as undo:   # the first error is the one to report
                        log.warning("%s: rollback failed too: %s", self.path.name, undo)
                if isinstance(exc, sqlite3.Error):
                    raise _translate(exc, "", self.path) from exc
                raise

    def execute_write(self, sql: str, params: Sequence | dict = ()) -> int:
        """Run one statement in its own transaction; returns lastrowid."""
        return self.write(lambda conn: conn.execute(sql, params).lastrowid)

    # --- reading -----------------------------------------------------------------

    def rows(self, sql: str, params: Sequence | dict = ()) -> list[sqlite3.Row]:
        try:
            return self._reader().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _translate(exc, sql, self.path) from exc

    def first(self, sql: str, params: Sequence | dict = ()) -> sqlite3.Row | None:
        try:
            return self._reader().execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise _translate(exc, sql, self.path) from exc

    def dicts(self, sql: str, params: Sequence | dict = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.rows(sql, params)]

    def scalar(self, sql: str, params: Sequence | dict = (), default: Any = None) -> Any:
        row = self.first(sql, params)
        return default if row is None else row[0]

    def changed(self) -> bool:
        """True when another connection or process committed since the last call."""
        with self._write_lock:
            version = self._writer.execute("PRAGMA data_version").fetchone()[0]
            changed = self._data_version is not None and version != self._data_version
            self._data_version = version
            return changed

    # --- maintenance ---------------------------------------------------------------

    def integrity_check(self) -> str:
        return self.scalar("PRAGMA integrity_check")

    def backup(self, destination: str | Path) -> Path:
        """Copy the live database with SQLite's online backup API (safe while running)."""
        destination = Path(destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(destination)
        try:
            with self._write_lock:
                self._writer.backup(target)
        finally:
            target.close()
        return destination

    def close(self) -> None:
        with self._write_lock:
            if self._closed:
                return
            self._closed = True
            for conn in self._readers:
                conn.close()
            self._writer.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Database {self.path}{' closed' if self._closed else ''}>"


class Store:
    """Base of a domain store that owns one SQLite file in the data directory.

    Every store is opened the same way, `XStore.open(config)` (which calls `file_in`), and closed
    with `close()` or a `with` block.
    """

    db: Database

    @staticmethod
    def file_in(config, name: str, migrations: Sequence[Migration]) -> Database:
        """DATA_DIR/name, created and migrated when needed; raises StoreError."""
        return Database(Path(config.data_dir) / name, migrations)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def snapshot(path: str | Path, destination: str | Path) -> Path:
    """Consistent copy of a live database file (its services may keep writing)."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    dst = sqlite3.connect(destination)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return destination


def _statements(sql: str) -> Iterable[str]:
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


def _translate(exc: sqlite3.Error, sql: str, path: Path) -> StoreError:
    text = str(exc)
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return StoreFullError(f"{path.name}: the disk is full")
    if "locked" in text or "busy" in text:
        return StoreBusyError(f"{path.name} stayed locked by another process: {text}")
    where = f" in: {sql.strip()[:200]}" if sql else ""
    return StoreError(f"{path.name}: {text}{where}")
