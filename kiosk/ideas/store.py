"""Residents' ideas in DATA_DIR/ideas.sqlite, owned by the kiosk UI process.

An idea is anonymous unless its author leaves a contact *and* consents; it
appears on the public wall only after staff approve it. Limits are checked
before anything touches the disk, so a 10 MB paste costs nothing, and a burst
of submissions (a child hammering "send") is slowed down, not stored.
`kiosk admin` may write the same file while the kiosk runs (SQLite locking).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from kiosk.clock import iso_from_epoch
from kiosk.errors import IdeaRejected, ModerationError, NotFoundError
from kiosk.store import Connection, Database, Migration, Store
from kiosk.text import clean_line, clean_text

CATEGORIES = ("play", "green", "meeting", "clean", "other")
STATES = ("pending", "approved", "rejected")
# Stored as these identifiers; the words people read live with the faces' catalogs.
STATUSES = ("new", "in_progress", "implemented", "not_possible")
MAX_TEXT_CHARS = 500
MAX_ANSWER_CHARS = 280      # a short public answer: it shares the wall row with the idea
MAX_LANG_CHARS = 8
MAX_CONTACT_CHARS = 120
MAX_VISIT_CHARS = 100
# (submissions, seconds): at most 3 a minute and 20 an hour across the kiosk.
RATE_LIMITS = ((3, 60), (20, 3600))
# A visit id only needs to outlive one visit; older plus-one marks are dropped.
PLUS_ONE_MEMORY_S = 2 * 86400
MAX_WALL_PAGE = 500

# moderate() action -> (column, value)
ACTIONS = {
    "approve": ("state", "approved"),
    "reject": ("state", "rejected"),
    "new": ("status", "new"),
    "in_progress": ("status", "in_progress"),
    "implemented": ("status", "implemented"),
    "not_possible": ("status", "not_possible"),
}

REASONS = {
    "empty": "the idea is empty",
    "too_long": f"the idea is longer than {MAX_TEXT_CHARS} characters",
    "contact_without_consent": "a contact was given without consent to store it",
    "contact_too_long": f"the contact is longer than {MAX_CONTACT_CHARS} characters",
    "unknown_category": "the category is not one of " + ", ".join(CATEGORIES),
    "slow_down": "too many ideas in a short time; try again in a little while",
    "answer_too_long": f"the answer is longer than {MAX_ANSWER_CHARS} characters",
}

MIGRATIONS = [
    Migration(1, """
CREATE TABLE ideas (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    text       TEXT NOT NULL,
    category   TEXT NOT NULL,
    created    TEXT NOT NULL,
    created_s  REAL NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    status     TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'implemented')),
    plus_ones  INTEGER NOT NULL DEFAULT 0,
    contact    TEXT,
    consent_at TEXT,
    moderated  TEXT
);
CREATE INDEX ideas_wall ON ideas (state, id);
CREATE INDEX ideas_wall_status ON ideas (state, status, id);
CREATE INDEX ideas_created ON ideas (created_s);
CREATE TABLE plus_ones (
    idea_id   INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    visit     TEXT NOT NULL,
    created_s REAL NOT NULL,
    PRIMARY KEY (idea_id, visit)
) WITHOUT ROWID;
CREATE INDEX plus_ones_created ON plus_ones (created_s);
"""),
    # Ideas get an answer: the "not_possible" status (a CHECK cannot be altered, so the table is
    # rebuilt), a public answer with its time, and the language the author wrote in (to answer in
    # it). plus_ones is rebuilt against the new table first: dropping the old `ideas` while a table
    # still refers to it would cascade-delete every +1.
    Migration(2, """
CREATE TABLE ideas_v2 (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    text       TEXT NOT NULL,
    category   TEXT NOT NULL,
    created    TEXT NOT NULL,
    created_s  REAL NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    status     TEXT NOT NULL DEFAULT 'new'
               CHECK (status IN ('new', 'in_progress', 'implemented', 'not_possible')),
    plus_ones  INTEGER NOT NULL DEFAULT 0,
    contact    TEXT,
    consent_at TEXT,
    moderated  TEXT,
    answer     TEXT,
    answered   TEXT,
    lang       TEXT
);
INSERT INTO ideas_v2 (id, text, category, created, created_s, state, status, plus_ones, contact, consent_at,
                      moderated)
    SELECT id, text, category, created, created_s, state, status, plus_ones, contact, consent_at, moderated
    FROM ideas;
CREATE TABLE plus_ones_v2 (
    idea_id   INTEGER NOT NULL REFERENCES ideas_v2 (id) ON DELETE CASCADE,
    visit     TEXT NOT NULL,
    created_s REAL NOT NULL,
    PRIMARY KEY (idea_id, visit)
) WITHOUT ROWID;
INSERT INTO plus_ones_v2 SELECT idea_id, visit, created_s FROM plus_ones;
DROP TABLE plus_ones;
DROP TABLE ideas;
ALTER TABLE ideas_v2 RENAME TO ideas;
ALTER TABLE plus_ones_v2 RENAME TO plus_ones;
CREATE INDEX ideas_wall ON ideas (state, id);
CREATE INDEX ideas_wall_status ON ideas (state, status, id);
CREATE INDEX ideas_created ON ideas (created_s);
CREATE INDEX plus_ones_created ON plus_ones (created_s);
"""),
    # An answer that waits to be mailed to its author (kiosk/ideas/answer_mail.py): kept here, so a
    # dead mail server or a restart loses nothing; the contact is erased when the mail is sent.
    Migration(3, """
CREATE TABLE answer_mails (
    idea_id    INTEGER PRIMARY KEY REFERENCES ideas (id) ON DELETE CASCADE,
    queued     TEXT NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0,
    next_try_s REAL NOT NULL DEFAULT 0,
    problem    TEXT,
    refused    INTEGER NOT NULL DEFAULT 0
);
"""),
]

_COLUMNS = ("id, text, category, created, state, status, plus_ones, contact IS NOT NULL AS has_contact,"
            " answer, answered")


@dataclass(frozen=True)
class Idea:
    """One idea as the kiosk and staff see it; the contact itself is never part of it."""

    id: int
    text: str
    category: str
    created: str          # ISO 8601, UTC
    state: str            # pending | approved | rejected
    status: str           # one of STATUSES
    plus_ones: int
    has_contact: bool
    answer: str = ""      # staff's public answer, shown with the idea on the wall
    answered: str = ""    # when it was last written, ISO 8601 UTC

    @property
    def number(self) -> int:
        """The short number the author is given on the thank-you screen (and staff look up)."""
        return self.id

    @property
    def public(self) -> bool:
        return self.state == "approved"


@dataclass(frozen=True)
class AnswerMail:
    """An answer waiting to be mailed: the idea, where to and in which language ("" = unknown)."""

    idea: Idea
    contact: str
    lang: str
    tries: int


class IdeaStore(Store):
    """Submitting, moderating and showing ideas; every method is one query or one transaction.

    Raises IdeaRejected for an idea that cannot be stored, NotFoundError for an
    unknown idea id, ModerationError for an unknown action, StoreError when the
    database fails.
    """

    def __init__(self, db: Database, clock: Callable[[], float] = time.time):
        self.db = db
        self._clock = clock

    @classmethod
    def open(cls, config, *, clock: Callable[[], float] = time.time) -> "IdeaStore":
        """The store in DATA_DIR/ideas.sqlite (created and migrated when needed); raises StoreError."""
        return cls(cls.file_in(config, "ideas.sqlite", MIGRATIONS), clock=clock)

    # --- residents ---------------------------------------------------------------

    def submit(self, text: str, category: str, contact: str = "", consent: bool = False, lang: str = "") -> Idea:
        """Store a new idea as pending and return it; raises IdeaRejected(reason).

        The one door for every idea, typed on the kiosk or brought in by staff. Whitespace
        is trimmed; a contact is stored only with `consent`; `lang` is the language the
        author wrote in (an answer is sent in it).
        """
        if not isinstance(text, str) or not isinstance(contact, str) or not isinstance(lang, str):
            raise TypeError("text, contact and lang must be str")
        # Cheap length checks first: a huge paste is refused before any work on it.
        if len(text) > MAX_TEXT_CHARS * 4:
            raise IdeaRejected("too_long", REASONS["too_long"])
        text = clean_text(text)
        if not text:
            raise IdeaRejected("empty", REASONS["empty"])
        if len(text) > MAX_TEXT_CHARS:
            raise IdeaRejected("too_long", REASONS["too_long"])
        if category not in CATEGORIES:
            raise IdeaRejected("unknown_category", REASONS["unknown_category"])
        if len(contact) > MAX_CONTACT_CHARS * 4:
            raise IdeaRejected("contact_too_long", REASONS["contact_too_long"])
        contact = clean_line(contact)
        if contact and not consent:
            raise IdeaRejected("contact_without_consent", REASONS["contact_without_consent"])
        if len(contact) > MAX_CONTACT_CHARS:
            raise IdeaRejected("contact_too_long", REASONS["contact_too_long"])
        lang = lang.strip()[:MAX_LANG_CHARS] if lang.strip().isalpha() else ""
        now = self._clock()

        def insert(conn: Connection) -> int:
            for allowed, window in RATE_LIMITS:
                # Only ideas of the last `window` seconds count: not ones stamped "later" while the
                # Pi's clock ran ahead (no RTC: it may start at the last shutdown time, then jump).
                rows = conn.execute("SELECT created_s FROM ideas WHERE created_s > ? AND created_s <= ?"
                                    " ORDER BY created_s LIMIT ?", (now - window, now, allowed)).fetchall()
                if len(rows) >= allowed:
                    raise IdeaRejected("slow_down", REASONS["slow_down"], retry_after_s=max(1.0, rows[0][0] + window - now))
            return conn.execute(
                "INSERT INTO ideas (text, category, created, created_s, contact, consent_at, lang)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (text, category, iso_from_epoch(now), now, contact or None,
                 iso_from_epoch(now) if contact else None, lang or None)).lastrowid

        return self.get(self.db.write(insert))

    def wall(self, limit: int = 50, offset: int = 0, status: str | None = None) -> list[Idea]:
        """Approved ideas, newest first (optionally only one status); never pending or rejected."""
        limit = max(0, min(int(limit), MAX_WALL_PAGE))
        offset = max(0, int(offset))
        if status is None:
            rows = self.db.rows(f"SELECT {_COLUMNS} FROM ideas WHERE state = 'approved'"
                                " ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset))
        else:
            _check_status(status)
            rows = self.db.rows(f"SELECT {_COLUMNS} FROM ideas WHERE state = 'approved' AND status = ?"
                                " ORDER BY id DESC LIMIT ? OFFSET ?", (status, limit, offset))
        return [_idea(row) for row in rows]

    def count_wall(self, status: str | None = None) -> int:
        """How many ideas the public wall holds (optionally with one status)."""
        if status is None:
            return self.db.scalar("SELECT COUNT(*) FROM ideas WHERE state = 'approved'", default=0)
        _check_status(status)
        return self.db.scalar("SELECT COUNT(*) FROM ideas WHERE state = 'approved' AND status = ?",
                              (status,), default=0)

    def plus_one(self, idea_id: int, visit: str) -> bool:
        """Count one "me too" for a public idea, once per visit; False when already given or not public."""
        if not isinstance(visit, str) or not visit or len(visit) > MAX_VISIT_CHARS:
            raise ValueError(f"visit must be a non-empty id of at most {MAX_VISIT_CHARS} characters")
        now = self._clock()

        def give(conn: Connection) -> bool:
            conn.execute("DELETE FROM plus_ones WHERE created_s < ?", (now - PLUS_ONE_MEMORY_S,))
            if conn.execute("SELECT 1 FROM ideas WHERE id = ? AND state = 'approved'", (idea_id,)).fetchone() is None:
                return False
            added = conn.execute("INSERT OR IGNORE INTO plus_ones (idea_id, visit, created_s) VALUES (?, ?, ?)",
                                 (idea_id, visit, now)).rowcount
            if added:
                conn.execute("UPDATE ideas SET plus_ones = plus_ones + 1 WHERE id = ?", (idea_id,))
            return bool(added)

        return self.db.write(give)

    # --- staff ---------------------------------------------------------------------

    def get(self, idea_id: int) -> Idea:
        """One idea by id, whatever its state; raises NotFoundError."""
        row = self.db.first(f"SELECT {_COLUMNS} FROM ideas WHERE id = ?", (idea_id,))
        if row is None:
            raise NotFoundError(f"there is no idea #{idea_id}")
        return _idea(row)

    def pending(self) -> list[Idea]:
        """Ideas waiting for staff, oldest first."""
        return [_idea(r) for r in self.db.rows(f"SELECT {_COLUMNS} FROM ideas WHERE state = 'pending' ORDER BY id")]

    def moderate(self, idea_id: int, action: str) -> Idea:
        """Apply "approve", "reject", "new", "in_progress" or "implemented"; returns the idea.

        Raises ModerationError for another action, NotFoundError for an unknown id.
        """
        if action not in ACTIONS:
            raise ModerationError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
        column, value = ACTIONS[action]
        now = iso_from_epoch(self._clock())

        def apply(conn: Connection) -> int:
            return conn.execute(f"UPDATE ideas SET {column} = ?, moderated = ? WHERE id = ?",
                                (value, now, idea_id)).rowcount

        if not self.db.write(apply):
            raise NotFoundError(f"there is no idea #{idea_id}")
        return self.get(idea_id)

    def set_answer(self, idea_id: int, answer: str) -> Idea:
        """Write (or, with an empty text, take back) staff's public answer; returns the idea.

        The answer is cleaned like any text from outside; raises IdeaRejected("answer_too_long"),
        NotFoundError for an unknown id.
        """
        if not isinstance(answer, str):
            raise TypeError("answer must be str")
        if len(answer) > MAX_ANSWER_CHARS * 4:
            raise IdeaRejected("answer_too_long", REASONS["answer_too_long"])
        answer = clean_text(answer)
        if len(answer) > MAX_ANSWER_CHARS:
            raise IdeaRejected("answer_too_long", REASONS["answer_too_long"])
        now = iso_from_epoch(self._clock())

        def write(conn: Connection) -> int:
            return conn.execute("UPDATE ideas SET answer = ?, answered = ?, moderated = ? WHERE id = ?",
                                (answer or None, now if answer else None, now, idea_id)).rowcount

        if not self.db.write(write):
            raise NotFoundError(f"there is no idea #{idea_id}")
        return self.get(idea_id)

    def language_of(self, idea_id: int) -> str:
        """The language the author wrote in ("" when not known, e.g. ideas from before it was kept)."""
        row = self.db.first("SELECT lang FROM ideas WHERE id = ?", (idea_id,))
        if row is None:
            raise NotFoundError(f"there is no idea #{idea_id}")
        return row[0] or ""

    def contact_of(self, idea_id: int) -> str | None:
        """The contact the author left with consent (staff only); None without one."""
        row = self.db.first("SELECT contact FROM ideas WHERE id = ?", (idea_id,))
        if row is None:
            raise NotFoundError(f"there is no idea #{idea_id}")
        return row[0]

    def forget_contact(self, idea_id: int) -> Idea:
        """Erase an idea's contact (once staff have answered, or on request)."""
        def erase(conn: Connection) -> int:
            conn.execute("DELETE FROM answer_mails WHERE idea_id = ?", (idea_id,))
            return conn.execute("UPDATE ideas SET contact = NULL, consent_at = NULL WHERE id = ?",
                                (idea_id,)).rowcount
        if not self.db.write(erase):
            raise NotFoundError(f"there is no idea #{idea_id}")
        return self.get(idea_id)

    # --- answers that wait to be mailed to their authors -----------------------------------

    def queue_answer_mail(self, idea_id: int) -> None:
        """Keep the idea's answer for its author until `answer_mail_sent` (a newer answer replaces it)."""
        now = self._clock()
        self.db.execute_write("INSERT OR REPLACE INTO answer_mails (idea_id, queued) VALUES (?, ?)",
                              (idea_id, iso_from_epoch(now)))

    def drop_answer_mail(self, idea_id: int) -> None:
        """Nothing to tell any more (the answer was taken back)."""
        self.db.execute_write("DELETE FROM answer_mails WHERE idea_id = ?", (idea_id,))

    def answer_mails_due(self) -> list[AnswerMail]:
        """Answers whose mail may be tried now, oldest first (never ones the server refused for good)."""
        rows = self.db.rows(
            f"SELECT {_COLUMNS}, i.contact, i.lang, m.tries FROM answer_mails m JOIN ideas i ON i.id = m.idea_id"
            " WHERE m.refused = 0 AND m.next_try_s <= ? AND i.contact IS NOT NULL AND i.answer IS NOT NULL"
            " ORDER BY m.queued", (self._clock(),))
        return [AnswerMail(idea=_idea(row), contact=row["contact"], lang=row["lang"] or "", tries=row["tries"])
                for row in rows]

    def answer_mail_sent(self, idea_id: int) -> None:
        """The author has the answer: forget the mail and, in the same transaction, the contact."""
        def done(conn: Connection) -> None:
            conn.execute("DELETE FROM answer_mails WHERE idea_id = ?", (idea_id,))
            conn.execute("UPDATE ideas SET contact = NULL, consent_at = NULL WHERE id = ?", (idea_id,))
        self.db.write(done)

    def answer_mail_failed(self, idea_id: int, problem: str, retry_at_s: float | None) -> None:
        """Note why the mail did not go; try again at `retry_at_s`, or never (None: refused for good)."""
        self.db.execute_write(
            "UPDATE answer_mails SET tries = tries + 1, problem = ?, next_try_s = ?, refused = ? WHERE idea_id = ?",
            (problem, retry_at_s or 0, int(retry_at_s is None), idea_id))

    def waiting_answer_mails(self) -> dict[int, str]:
        """Idea id -> why its author's mail has not gone yet ("" while nothing went wrong)."""
        rows = self.db.rows("SELECT m.idea_id, m.problem FROM answer_mails m JOIN ideas i ON i.id = m.idea_id"
                            " WHERE i.contact IS NOT NULL AND i.answer IS NOT NULL")
        return {row[0]: row[1] or "" for row in rows}

    def report_rows(self, start_s: float, end_s: float) -> list[dict]:
        """Ideas received in [start_s, end_s) for the funders' report: category, state, status, +1s,
        days to an answer, and the text only where staff approved it. Never a contact."""
        return self.db.dicts(
            "SELECT id, category, state, status, plus_ones, created_s, "
            "CASE WHEN state = 'approved' THEN text END AS text, "
            "CASE WHEN state = 'approved' THEN answer END AS answer, "
            "CASE WHEN answered IS NOT NULL THEN julianday(answered) - julianday(created) END AS days_to_answer "
            "FROM ideas WHERE created_s >= ? AND created_s < ? ORDER BY id", (start_s, end_s))

    def export_rows(self, pending_only: bool = False) -> list[dict]:
        """Every idea as a plain dict, oldest first, for `kiosk admin ideas --json`.

        Contacts are not included (see contact_of); `has_contact` says whether there is one.
        """
        where = "WHERE state = 'pending'" if pending_only else ""
        rows = self.db.dicts(f"SELECT {_COLUMNS}, moderated FROM ideas {where} ORDER BY id")
        for row in rows:
            row["has_contact"] = bool(row["has_contact"])
        return rows


def _idea(row) -> Idea:
    return Idea(id=row["id"], text=row["text"], category=row["category"], created=row["created"],
                state=row["state"], status=row["status"], plus_ones=row["plus_ones"],
                has_contact=bool(row["has_contact"]), answer=row["answer"] or "", answered=row["answered"] or "")


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ModerationError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
