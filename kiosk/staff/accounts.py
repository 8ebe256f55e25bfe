"""Staff accounts in DATA_DIR/staff.sqlite: passwords, lock-out, sessions and the audit log.

Owned by the console service; `kiosk admin staff …` writes the same file (SQLite locking),
and the console sees a change at the next request, because every request reads the file.

- Passwords: salted scrypt (kiosk/passwords.py), at least MIN_PASSWORD characters.
- MAX_FAILURES wrong passwords in a row lock the account for LOCKOUT_S seconds, during which
  even the right password is refused; a successful login resets the count.
- Sessions live here, not in the cookie: the browser holds a random id, the file holds its
  SHA-256. Logging out deletes it; a password change or removal deletes all of the
  account's sessions; a session unused for IDLE_TIMEOUT_S is gone.
- Every change staff make is one row in `changes` (who, when, what), shown on the console.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kiosk.clock import iso_from_epoch
from kiosk.errors import BadValue, NotFoundError
from kiosk.passwords import hash_secret, verify_secret
from kiosk.store import Connection, Database, Migration

MAX_FAILURES = 5
LOCKOUT_S = 10 * 60            # how long an account stays locked after MAX_FAILURES wrong passwords
IDLE_TIMEOUT_S = 30 * 60       # a session unused this long has ended
SEEN_EVERY_S = 60              # a session's last use is written at most this often (SD card wear)
MIN_PASSWORD, MAX_PASSWORD = 10, 200
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
MAX_WHAT_CHARS = 300
CHANGES_SHOWN = 200


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the name is unknown, so an unknown name costs as long as a wrong
    password. Made on first use, not on import: each hash takes scrypt's memory for a moment."""
    return hash_secret("not a password", salt=b"\0" * 16)


MIGRATIONS = [
    Migration(1, """
CREATE TABLE accounts (
    name         TEXT PRIMARY KEY,
    hash         TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0,
    created      TEXT NOT NULL,
    password_set TEXT NOT NULL
);
CREATE TABLE sessions (
    id_hash  TEXT PRIMARY KEY,
    name     TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    created  REAL NOT NULL,
    seen     REAL NOT NULL
);
CREATE INDEX sessions_name ON sessions (name);
CREATE TABLE changes (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    ts    TEXT NOT NULL,
    who   TEXT NOT NULL,
    what  TEXT NOT NULL
);
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""),
]


@dataclass(frozen=True)
class Account:
    name: str
    created: str
    password_set: str
    locked_for_s: float


@dataclass(frozen=True)
class Login:
    """The outcome of a login: `session` (the browser's secret id) when it worked."""

    ok: bool
    session: str = ""
    locked_for_s: float = 0.0


@dataclass(frozen=True)
class Change:
    ts: str
    who: str
    what: str


def check_name(name: object) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise BadValue("a staff name is 1–32 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")
    return name


def check_password(password: object) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise BadValue(f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    return password


class StaffAccounts:
    """The console's accounts, sessions and audit log; every method is one query or one transaction.

    Raises BadValue for a malformed name or password, NotFoundError for an unknown
    account, StoreError when the database fails.
    """

    def __init__(self, db: Database, clock: Callable[[], float] = time.time):
        self.db = db
        self.clock = clock

    @classmethod
    def open(cls, config, clock: Callable[[], float] = time.time) -> "StaffAccounts":
        return cls(Database(Path(config.data_dir) / "staff.sqlite", MIGRATIONS), clock)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "StaffAccounts":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- accounts --------------------------------------------------------------------

    def add(self, name: str, password: str, by: str) -> None:
        check_name(name)
        hashed = hash_secret(check_password(password))
        now = iso_from_epoch(self.clock())

        def insert(conn: Connection) -> None:
            if conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
                raise BadValue(f"there is already a staff account {name!r}")
            conn.execute("INSERT INTO accounts (name, hash, created, password_set) VALUES (?, ?, ?, ?)",
                         (name, hashed, now, now))
            self._record(conn, by, f"Zugang {name} angelegt")
        self.db.write(insert)

    def accounts(self) -> list[Account]:
        now = self.clock()
        return [Account(r["name"], r["created"], r["password_set"], max(0.0, r["locked_until"] - now))
                for r in self.db.rows("SELECT * FROM accounts ORDER BY name")]

    def exists(self, name: str) -> bool:
        return self.db.first("SELECT 1 FROM accounts WHERE name = ?", (name,)) is not None

    def set_password(self, name: str, password: str, by: str) -> None:
        """A new password; every session of the account ends and a lock-out is lifted."""
        hashed = hash_secret(check_password(password))
        now = iso_from_epoch(self.clock())

        def update(conn: Connection) -> None:
            if not conn.execute("UPDATE accounts SET hash = ?, password_set = ?, failures = 0, locked_until = 0"
                                " WHERE name = ?", (hashed, now, name)).rowcount:
                raise NotFoundError(f"there is no staff account {name!r}")
            conn.execute("DELETE FROM sessions WHERE name = ?", (name,))
            self._record(conn, by, f"Passwort von {name} geändert")
        self.db.write(update)

    def remove(self, name: str, by: str) -> None:
        def delete(conn: Connection) -> None:
            if not conn.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount:
                raise NotFoundError(f"there is no staff account {name!r}")
            self._record(conn, by, f"Zugang {name} gelöscht")
        self.db.write(delete)

    # --- logging in and out ------------------------------------------------------------

    def verify(self, name: str, password: str) -> Login:
        """Check a password, counting failures; a locked account refuses even the right one."""
        now = self.clock()
        row = self.db.first("SELECT hash, locked_until FROM accounts WHERE name = ?", (name,)) \
            if isinstance(name, str) and NAME_PATTERN.match(name) else None
        if row is None:
            verify_secret(password if isinstance(password, str) else "", _dummy_hash())
            return Login(False)
        if row["locked_until"] > now:
            return Login(False, locked_for_s=row["locked_until"] - now)
        if not isinstance(password, str) or len(password) > MAX_PASSWORD * 4 \
                or not verify_secret(password, row["hash"]):
            return self._failed(name, now)
        self.db.execute_write("UPDATE accounts SET failures = 0 WHERE name = ? AND failures > 0", (name,))
        return Login(True)

    def login(self, name: str, password: str) -> Login:
        """`verify`, then a new session whose id only the returned Login carries."""
        checked = self.verify(name, password)
        if not checked.ok:
            return checked
        now = self.clock()
        session = secrets.token_urlsafe(32)

        def start(conn: Connection) -> None:
            conn.execute("DELETE FROM sessions WHERE seen < ?", (now - IDLE_TIMEOUT_S,))
            conn.execute("INSERT INTO sessions (id_hash, name, created, seen) VALUES (?, ?, ?, ?)",
                         (_digest(session), name, now, now))
        self.db.write(start)
        return Login(True, session)

    def _failed(self, name: str, now: float) -> Login:
        def count(conn: Connection) -> float:
            failures = conn.execute("UPDATE accounts SET failures = failures + 1 WHERE name = ? RETURNING failures",
                                    (name,)).fetchone()[0]
            if failures >= MAX_FAILURES:
                conn.execute("UPDATE accounts SET failures = 0, locked_until = ? WHERE name = ?",
                             (now + LOCKOUT_S, name))
                self._record(conn, name, f"Zugang {name} nach {MAX_FAILURES} falschen Passwörtern gesperrt")
                return float(LOCKOUT_S)
            return 0.0
        return Login(False, locked_for_s=self.db.write(count))

    def session_user(self, session: object) -> str | None:
        """The account a session id belongs to, or None when it is unknown, ended or idle too long."""
        if not isinstance(session, str) or not session or len(session) > 100:
            return None
        now = self.clock()
        digest = _digest(session)
        row = self.db.first("SELECT name, seen FROM sessions WHERE id_hash = ?", (digest,))
        if row is None or row["seen"] < now - IDLE_TIMEOUT_S:
            return None
        if row["seen"] < now - SEEN_EVERY_S:
            self.db.execute_write("UPDATE sessions SET seen = ? WHERE id_hash = ?", (now, digest))
        return row["name"]

    def logout(self, session: object) -> None:
        if isinstance(session, str) and session:
            self.db.execute_write("DELETE FROM sessions WHERE id_hash = ?", (_digest(session),))

    # --- the audit log -------------------------------------------------------------------

    def record(self, who: str, what: str) -> None:
        """Note that `who` changed `what` (plain German, shown on the console's "Änderungen" page)."""
        self.db.write(lambda conn: self._record(conn, who, what))

    def _record(self, conn: Connection, who: str, what: str) -> None:
        conn.execute("INSERT INTO changes (ts, who, what) VALUES (?, ?, ?)",
                     (iso_from_epoch(self.clock()), who, what[:MAX_WHAT_CHARS]))

    def changes(self, limit: int = CHANGES_SHOWN) -> list[Change]:
        """The newest changes first."""
        return [Change(r["ts"], r["who"], r["what"])
                for r in self.db.rows("SELECT ts, who, what FROM changes ORDER BY id DESC LIMIT ?", (limit,))]

    # --- the console's signing key ---------------------------------------------------------

    def secret_key(self) -> str:
        """The key that signs the console's cookies: made once, kept in this file (never shown)."""
        def get_or_make(conn: Connection) -> str:
            row = conn.execute("SELECT value FROM settings WHERE name = 'secret_key'").fetchone()
            if row:
                return row[0]
            key = secrets.token_hex(32)
            conn.execute("INSERT INTO settings (name, value) VALUES ('secret_key', ?)", (key,))
            return key
        return self.db.write(get_or_make)


def _digest(session: str) -> str:
    return hashlib.sha256(session.encode("utf-8", "surrogatepass")).hexdigest()
