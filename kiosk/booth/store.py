"""The booth's SQLite file (data_dir/booth.sqlite): books, cards, loans, monthly counts, outbox.

Tags are stored only as keyed hashes (see `tagkey`). One open loan per book is
enforced by a partial unique index; the partial indexes on open loans keep a
checkout as fast with a million returned loans behind it as with none.
Monthly counts are bumped in the same transaction as the loan they count, so
they stay right after anonymisation cuts the link between loans and cards.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from kiosk.booth import pending, pseudonyms, rules
from kiosk.booth.messages import BookRef, MonthCounts, OverdueLoan, SameIsbn, Summary
from kiosk.errors import (BadImport, BadTag, BadValue, PseudonymTaken, TagInUse, UnknownBook,
                                UnknownCard)
from kiosk.booth.tagkey import load_or_create_key, parse_tag, tag_hash
from kiosk.store import outbox as outbox_table
from kiosk.clock import iso, parse_iso
from kiosk.csvfiles import read_rows
from kiosk.store import Connection, Database, Migration, Store
from kiosk.booth.details import BookDetails, clean_field, clean_title

DB_FILE = "booth.sqlite"
SUMMARY_OVERDUE_MAX = 100        # the staff screen shows the oldest this many
SUMMARY_UNTITLED_MAX = 50        # books waiting for a title, the oldest this many
SUMMARY_BLOCKED_MAX = 100
SUMMARY_SAME_ISBN_MAX = 50       # ISBNs that more than one book in the booth has
SUMMARY_RECENT_MAX = 10          # the books registered last
IMPORT_COLUMNS = ("tag", "title", "author", "age_group")
MAX_BOOK_ID = 2**63 - 1          # SQLite's largest row id

MIGRATIONS = [
    Migration(1, """
CREATE TABLE cards (
    id           INTEGER PRIMARY KEY,
    tag_hash     TEXT NOT NULL UNIQUE,
    pseudonym    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    staff        INTEGER NOT NULL DEFAULT 0,
    blocked      INTEGER NOT NULL DEFAULT 0,
    active_month TEXT,                 -- last month this card borrowed: counts 'readers' once a month
    created      TEXT NOT NULL
);
CREATE TABLE books (
    id        INTEGER PRIMARY KEY,
    tag_hash  TEXT NOT NULL UNIQUE,
    title     TEXT,                    -- NULL: shown as "Buch <id>" until staff give a title
    author    TEXT NOT NULL DEFAULT '',
    age_group TEXT NOT NULL DEFAULT '',
    created   TEXT NOT NULL
);
CREATE TABLE loans (
    id          INTEGER PRIMARY KEY,
    book_id     INTEGER NOT NULL REFERENCES books(id),
    card_id     INTEGER REFERENCES cards(id),   -- NULL once anonymised
    out_ts      TEXT NOT NULL,
    due         TEXT NOT NULL,
    returned_ts TEXT,
    return_kind TEXT                            -- 'returned' or 'moved' (to another card)
);
CREATE UNIQUE INDEX loans_open_book ON loans(book_id) WHERE returned_ts IS NULL;
CREATE INDEX loans_open_card ON loans(card_id, due) WHERE returned_ts IS NULL;
CREATE INDEX loans_open_due ON loans(due) WHERE returned_ts IS NULL;
CREATE INDEX loans_to_anonymise ON loans(returned_ts) WHERE card_id IS NOT NULL AND returned_ts IS NOT NULL;
CREATE TABLE stats_month (
    month     TEXT PRIMARY KEY,          -- YYYY-MM in the station's time zone
    loans     INTEGER NOT NULL DEFAULT 0,
    returns   INTEGER NOT NULL DEFAULT 0,
    readers   INTEGER NOT NULL DEFAULT 0,
    new_books INTEGER NOT NULL DEFAULT 0
);
""" + outbox_table.SCHEMA),
    # A retired book is gone from the booth; its row stays for the loans that name it.
    Migration(2, "ALTER TABLE books ADD COLUMN retired TEXT;"),
    # Books registered at the desk by ISBN. Not unique: donated books come twice.
    # A pending book waits for the next new tag tapped at the booth (kiosk/booth/pending.py).
    Migration(3, """
ALTER TABLE books ADD COLUMN isbn TEXT;
ALTER TABLE books ADD COLUMN publisher TEXT NOT NULL DEFAULT '';
ALTER TABLE books ADD COLUMN year INTEGER;
CREATE INDEX books_isbn ON books(isbn) WHERE isbn IS NOT NULL;
CREATE TABLE pending_books (
    ticket    TEXT PRIMARY KEY,
    details   TEXT NOT NULL,           -- BookDetails as JSON
    until     TEXT NOT NULL,           -- it waits for a tag until then
    state     TEXT NOT NULL DEFAULT 'waiting',   -- 'waiting', 'done', 'ended'
    book_id   INTEGER,                 -- done: the book it became
    taken     INTEGER,                 -- a tag of this book was tapped instead of a new one
    reason    TEXT,                    -- ended: why
    created   TEXT NOT NULL
);
"""),
]


class BoothStore(Store):
    """All queries and transactions of the booth; used by the service and by `kiosk admin`.

    Raises StoreError (from Database) and the errors of `kiosk.booth.errors`.
    """

    def __init__(self, db: Database, key: bytes, *, timezone_name: str = "Europe/Berlin", loan_days: int = 21):
        self.db = db
        self.key = key
        self.zone = ZoneInfo(timezone_name)
        self.loan_days = loan_days

    @classmethod
    def open(cls, config) -> "BoothStore":
        """The store in DATA_DIR/booth.sqlite (created and migrated when needed); raises StoreError."""
        return cls(cls.file_in(config, DB_FILE, MIGRATIONS), load_or_create_key(config.data_dir),
                   timezone_name=config.station.timezone, loan_days=config.booth.loan_days)

    def hash(self, uid: bytes) -> str:
        return tag_hash(self.key, uid)

    def month(self, now: datetime) -> str:
        return now.astimezone(self.zone).strftime("%Y-%m")

    # --- what a tag is (inside the tap's transaction) ---------------------------------

    def identify(self, conn: Connection, digest: str, now: datetime) -> rules.Card | rules.Book | None:
        row = conn.execute("SELECT id FROM cards WHERE tag_hash = ?", (digest,)).fetchone()
        if row:
            return self.card(conn, row[0], now)
        row = conn.execute("SELECT b.id, coalesce(b.title, 'Buch ' || b.id), l.card_id, b.retired, b.isbn FROM books b "
                           "LEFT JOIN loans l ON l.book_id = b.id AND l.returned_ts IS NULL "
                           "WHERE b.tag_hash = ?", (digest,)).fetchone()
        if row:
            return rules.Book(id=row[0], title=row[1], holder=row[2], retired=row[3] is not None, isbn=row[4])
        return None

    def card(self, conn: Connection, card_id: int, now: datetime) -> rules.Card | None:
        row = conn.execute("SELECT id, pseudonym, staff, blocked FROM cards WHERE id = ?", (card_id,)).fetchone()
        if row is None:
            return None
        loans, overdue = conn.execute(
            "SELECT count(*), coalesce(sum(due < ?), 0) FROM loans WHERE card_id = ? AND returned_ts IS NULL",
            (iso(now), card_id)).fetchone()
        return rules.Card(id=row[0], pseudonym=row[1], staff=bool(row[2]), blocked=bool(row[3]),
                          loans=loans, overdue=overdue)

    def pseudonym_of(self, conn: Connection, card_id: int | None) -> str | None:
        if card_id is None:
            return None
        row = conn.execute("SELECT pseudonym FROM cards WHERE id = ?", (card_id,)).fetchone()
        return row[0] if row else None

    def _open_loans(self, conn: Connection, card_id: int) -> int:
        return conn.execute("SELECT count(*) FROM loans WHERE card_id = ? AND returned_ts IS NULL",
                            (card_id,)).fetchone()[0]

    # --- applying a decision (inside the tap's transaction) ----------------------------

    def apply(self, conn: Connection, decision: rules.Decision, digest: str, now: datetime,
              details: BookDetails | None = None) -> rules.Applied:
        """Make the decision's loans, returns and registrations durable; count them.

        `details`: what a new book is (a pending book from the desk); without, it is "Buch <id>".
        """
        action, book, card = decision.action, decision.book, decision.card
        stamp = iso(now)
        if action in (rules.CHECKOUT, rules.MOVE):
            previous_loans = previous_name = None
            if action == rules.MOVE:
                self._close_loan(conn, book.id, stamp, "moved", now)
                previous_loans = self._open_loans(conn, decision.previous)
                previous_name = self.pseudonym_of(conn, decision.previous)
            due = iso(now + timedelta(days=self.loan_days))
            conn.execute("INSERT INTO loans (book_id, card_id, out_ts, due) VALUES (?, ?, ?, ?)",
                         (book.id, card.id, stamp, due))
            month = self.month(now)
            self._bump(conn, month, "loans")
            if conn.execute("UPDATE cards SET active_month = ? WHERE id = ? AND active_month IS NOT ?",
                            (month, card.id, month)).rowcount:
                self._bump(conn, month, "readers")
            return rules.Applied(due=due, loans=self._open_loans(conn, card.id), previous_loans=previous_loans,
                           previous_pseudonym=previous_name)
        if action == rules.RENEW:
            due = iso(now + timedelta(days=self.loan_days))
            conn.execute("UPDATE loans SET due = ? WHERE book_id = ? AND returned_ts IS NULL", (due, book.id))
            return rules.Applied(due=due, loans=card.loans)
        if action == rules.RETURN:
            self._close_loan(conn, book.id, stamp, "returned", now)
            return rules.Applied(loans=self._open_loans(conn, book.holder),
                           previous_pseudonym=self.pseudonym_of(conn, book.holder))
        if action == rules.NEW_BOOK:
            return rules.Applied(book=self._insert_book(conn, digest, details or BookDetails(None), now))
        if action == rules.NEW_CARD:
            return rules.Applied(card=self._insert_card(conn, digest, None, False, now))
        return rules.Applied(loans=card.loans if card else None)

    def _close_loan(self, conn: Connection, book_id: int, stamp: str, kind: str, now: datetime) -> None:
        conn.execute("UPDATE loans SET returned_ts = ?, return_kind = ? WHERE book_id = ? AND returned_ts IS NULL",
                     (stamp, kind, book_id))
        self._bump(conn, self.month(now), "returns")

    def _bump(self, conn: Connection, month: str, column: str) -> None:
        conn.execute(f"INSERT INTO stats_month (month, {column}) VALUES (?, 1) "
                     f"ON CONFLICT(month) DO UPDATE SET {column} = {column} + 1", (month,))

    def _tag_free(self, conn: Connection, digest: str) -> None:
        if conn.execute("SELECT 1 FROM cards WHERE tag_hash = ? UNION ALL SELECT 1 FROM books WHERE tag_hash = ?",
                        (digest, digest)).fetchone():
            raise TagInUse("this tag is already registered (as a book or a card); use another tag")

    def _insert_book(self, conn: Connection, digest: str, details: BookDetails, now: datetime) -> rules.Book:
        self._tag_free(conn, digest)
        d = details
        book_id = conn.execute(
            "INSERT INTO books (tag_hash, title, author, age_group, isbn, publisher, year, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (digest, d.title, d.author, d.age_group, d.isbn, d.publisher, d.year, iso(now))).lastrowid
        self._bump(conn, self.month(now), "new_books")
        return rules.Book(id=book_id, title=d.title or f"Buch {book_id}", isbn=d.isbn)

    def _insert_card(self, conn: Connection, digest: str, name: str | None, staff: bool,
                     now: datetime) -> rules.Card:
        self._tag_free(conn, digest)
        if name is None:
            number = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM cards").fetchone()[0]
            name = pseudonyms.pseudonym_for(number)
            while conn.execute("SELECT 1 FROM cards WHERE pseudonym = ?", (name,)).fetchone():
                number += 1
                name = pseudonyms.pseudonym_for(number)
        elif conn.execute("SELECT 1 FROM cards WHERE pseudonym = ?", (name,)).fetchone():
            raise PseudonymTaken(f"another card is already called {name!r}; pick another name or leave --name out")
        card_id = conn.execute("INSERT INTO cards (tag_hash, pseudonym, staff, created) VALUES (?, ?, ?, ?)",
                               (digest, name, int(staff), iso(now))).lastrowid
        return rules.Card(id=card_id, pseudonym=name, staff=staff)

    # --- staff tasks ---------------------------------------------------------------------

    def add_book(self, tag: str, title: str, author: str = "", age_group: str = "",
                 now: datetime | None = None) -> rules.Book:
        """Register a book by its tag. Raises BadTag, BadValue, TagInUse."""
        return self.add_book_details(tag, BookDetails.checked(title, author, age_group), now)

    def add_book_details(self, tag: str, details: BookDetails, now: datetime | None = None) -> rules.Book:
        """Register a book by its tag with everything staff know of it. Raises BadTag, TagInUse."""
        digest = self.hash(parse_tag(tag))
        now = now or _now()
        return self.db.write(lambda conn: self._insert_book(conn, digest, details, now))

    def import_books(self, text: str, source: str = "the file", now: datetime | None = None) -> list[rules.Book]:
        """Register the books of a CSV (tag,title,author,age_group), all or none.

        Every row is checked first; any bad row raises BadImport naming each bad line, and
        nothing is imported. Raises BadImport.
        """
        now = now or _now()
        rows = read_rows(text, source)
        problems: list[str] = []
        if not rows:
            raise BadImport(f"{source} is empty; the first line must be: {','.join(IMPORT_COLUMNS)}")
        header = [h.strip().lower() for h in rows[0]]
        if header[:2] != ["tag", "title"] or any(h not in IMPORT_COLUMNS for h in header):
            raise BadImport(f"{source}, line 1: the header must be {','.join(IMPORT_COLUMNS)} "
                            "(author and age_group may be left out)")
        good: list[tuple[int, str, str, str, str]] = []
        seen: dict[str, int] = {}
        for line, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                problems.append(f"line {line}: {len(row)} columns, the header has {len(header)}")
                continue
            values = dict(zip(header, [c.strip() for c in row]))
            try:
                digest = self.hash(parse_tag(values.get("tag", "")))
                title = clean_title(values.get("title", ""))
                author = clean_field(values.get("author", ""), "author")
                age = clean_field(values.get("age_group", ""), "age group")
            except (BadTag, BadValue) as exc:
                problems.append(f"line {line}: {exc}")
                continue
            if digest in seen:
                problems.append(f"line {line}: same tag as line {seen[digest]}")
                continue
            seen[digest] = line
            good.append((line, digest, title, author, age))
        if not problems:
            known = self._registered(list(seen))
            problems = [f"line {line}: the tag is already registered" for line, digest, *_ in good if digest in known]
        if problems:
            shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
            raise BadImport(f"{source}: {len(problems)} bad row(s), nothing imported — {shown}")

        def work(conn: Connection) -> list[rules.Book]:
            return [self._insert_book(conn, digest, BookDetails(title, author, age), now)
                    for _, digest, title, author, age in good]
        return self.db.write(work)

    def _registered(self, digests: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(digests), 500):
            chunk = digests[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.db.rows(
                f"SELECT tag_hash FROM books WHERE tag_hash IN ({marks}) "
                f"UNION SELECT tag_hash FROM cards WHERE tag_hash IN ({marks})", chunk + chunk))
        return found

    def set_title(self, book_id: int, title: str) -> rules.Book:
        """Give a book its title. Raises UnknownBook, BadValue."""
        title = clean_title(title)
        _check_number(book_id)

        def work(conn: Connection) -> rules.Book:
            if not conn.execute("UPDATE books SET title = ? WHERE id = ?", (title, book_id)).rowcount:
                raise UnknownBook(f"there is no book number {book_id}; `kiosk admin book list` shows them")
            return rules.Book(id=book_id, title=title)
        return self.db.write(work)

    def retire(self, book_id: int, now: datetime | None = None) -> rules.Book:
        """Take a book that is gone out of the booth: its tag counts as unknown from now on, an
        open loan of it ends (not counted as a return), its past loans stay. Raises UnknownBook, BadValue."""
        _check_number(book_id)
        stamp = iso(now or _now())

        def work(conn: Connection) -> rules.Book:
            row = conn.execute("SELECT coalesce(title, 'Buch ' || id) FROM books WHERE id = ?", (book_id,)).fetchone()
            if row is None:
                raise UnknownBook(f"there is no book number {book_id}; `kiosk admin book list` shows them")
            conn.execute("UPDATE books SET retired = coalesce(retired, ?) WHERE id = ?", (stamp, book_id))
            conn.execute("UPDATE loans SET returned_ts = ?, return_kind = 'retired' WHERE book_id = ? "
                         "AND returned_ts IS NULL", (stamp, book_id))
            return rules.Book(id=book_id, title=row[0], retired=True)
        return self.db.write(work)

    def undo(self, book_id: int) -> tuple[rules.Book, str]:
        """Take back a registration made by mistake: a book never lent is removed (and no longer
        counted as new), one that was lent is retired. Returns the book and "removed" or "retired".
        Raises UnknownBook, BadValue."""
        _check_number(book_id)

        def work(conn: Connection) -> tuple[rules.Book, str]:
            row = conn.execute("SELECT coalesce(title, 'Buch ' || id), isbn, created FROM books WHERE id = ?",
                               (book_id,)).fetchone()
            if row is None:
                raise UnknownBook(f"there is no book number {book_id}; `kiosk admin book list` shows them")
            book = rules.Book(id=book_id, title=row[0], isbn=row[1])
            if conn.execute("SELECT 1 FROM loans WHERE book_id = ?", (book_id,)).fetchone():
                return book, "retired"
            conn.execute("DELETE FROM books WHERE id = ?", (book_id,))
            month = self.month(parse_iso(row[2]))
            conn.execute("UPDATE stats_month SET new_books = max(new_books - 1, 0) WHERE month = ?", (month,))
            return book, "removed"
        book, how = self.db.write(work)
        if how == "retired":
            book = self.retire(book_id)
        return book, how

    def same_isbn(self, isbn: str) -> list[BookRef]:
        """The books in the booth (not retired) with this ISBN-13: donated twice, or registered twice."""
        return [BookRef(r["id"], r["title"], r["isbn"]) for r in self.db.dicts(
            "SELECT id, coalesce(title, 'Buch ' || id) AS title, isbn FROM books "
            "WHERE isbn = ? AND retired IS NULL ORDER BY id", (isbn,))]

    # --- pending books: the next new tag becomes this book (kiosk/booth/pending.py) -------

    def put_pending(self, details: BookDetails, until: datetime, now: datetime | None = None) -> pending.Pending:
        """Say what the next new tag tapped at the booth becomes, until `until`; a running booth
        takes it up within a second (also when `kiosk admin` wrote it)."""
        def work(conn: Connection) -> pending.Pending:
            made = pending.put(conn, details, iso(until), iso(now or _now()))
            pending.forget_old(conn)
            return made
        return self.db.write(work)

    def pending(self, ticket: str, cancel: bool = False) -> pending.Pending | None:
        """What became of a pending book (None: no such ticket); `cancel` ends its waiting first."""
        def work(conn: Connection) -> pending.Pending | None:
            if cancel:
                pending.end(conn, pending.CANCELLED, ticket)
            return pending.find(conn, ticket)
        return self.db.write(work)

    def waiting_pending(self, now: datetime | None = None) -> pending.Pending | None:
        stamp = iso(now or _now())
        return self.db.write(lambda conn: pending.waiting(conn, stamp))

    def add_card(self, tag: str, name: str | None = None, staff: bool = False,
                 now: datetime | None = None) -> rules.Card:
        """Register a card; without `name` it gets the next free pseudonym. Raises BadTag, BadValue, TagInUse, PseudonymTaken."""
        digest = self.hash(parse_tag(tag))
        if name is not None:
            name = " ".join(name.split())
            problem = pseudonyms.check_pseudonym(name)
            if problem:
                raise BadValue(problem)
        now = now or _now()
        return self.db.write(lambda conn: self._insert_card(conn, digest, name, staff, now))

    def block(self, pseudonym: str, blocked: bool = True) -> rules.Card:
        """Block or unblock a card by its pseudonym. Raises UnknownCard."""
        if not isinstance(pseudonym, str) or not isinstance(blocked, bool):
            raise BadValue("say which card (its pseudonym) and blocked true or false")

        def work(conn: Connection) -> rules.Card:
            row = conn.execute("SELECT id FROM cards WHERE pseudonym = ?", (pseudonym.strip(),)).fetchone()
            if row is None:
                raise UnknownCard(f"no card is called {pseudonym.strip()!r}; `kiosk admin card list` shows them")
            conn.execute("UPDATE cards SET blocked = ? WHERE id = ?", (int(blocked), row[0]))
            return self.card(conn, row[0], _now())
        return self.db.write(work)

    # --- reading for staff ----------------------------------------------------------------

    def books(self) -> list[dict]:
        return self.db.dicts(
            "SELECT b.id, coalesce(b.title, 'Buch ' || b.id) AS title, b.author, b.age_group, "
            "c.pseudonym AS card, l.due, b.retired FROM books b "
            "LEFT JOIN loans l ON l.book_id = b.id AND l.returned_ts IS NULL "
            "LEFT JOIN cards c ON c.id = l.card_id ORDER BY b.id")

    def cards(self, now: datetime | None = None) -> list[dict]:
        stamp = iso(now or _now())
        return self.db.dicts(
            "SELECT c.pseudonym, c.staff, c.blocked, "
            "(SELECT count(*) FROM loans l WHERE l.card_id = c.id AND l.returned_ts IS NULL) AS loans, "
            "(SELECT count(*) FROM loans l WHERE l.card_id = c.id AND l.returned_ts IS NULL AND l.due < ?) AS overdue "
            "FROM cards c ORDER BY c.id", (stamp,))

    def open_loans(self, overdue_only: bool = False, now: datetime | None = None, limit: int = -1) -> list[dict]:
        stamp = iso(now or _now())
        where = "AND l.due < ?" if overdue_only else ""
        params = (stamp, limit) if overdue_only else (limit,)
        return self.db.dicts(
            "SELECT b.id AS book_id, coalesce(b.title, 'Buch ' || b.id) AS title, c.pseudonym AS card, "
            "l.out_ts, l.due FROM loans l JOIN books b ON b.id = l.book_id LEFT JOIN cards c ON c.id = l.card_id "
            f"WHERE l.returned_ts IS NULL {where} ORDER BY l.due, l.id LIMIT ?", params)

    def export_rows(self) -> list[dict]:
        """Every loan, pseudonyms only (empty once anonymised), for the staff's spreadsheet."""
        return self.db.dicts(
            "SELECT l.id AS loan, b.id AS book, coalesce(b.title, 'Buch ' || b.id) AS title, "
            "coalesce(c.pseudonym, '') AS card, l.out_ts AS borrowed, l.due, "
            "coalesce(l.returned_ts, '') AS returned, coalesce(l.return_kind, '') AS how "
            "FROM loans l JOIN books b ON b.id = l.book_id LEFT JOIN cards c ON c.id = l.card_id ORDER BY l.id")

    def month_counts(self, month: str) -> MonthCounts:
        row = self.db.first("SELECT loans, returns, readers, new_books FROM stats_month WHERE month = ?", (month,))
        return MonthCounts(*row) if row else MonthCounts()

    def summary(self, now: datetime) -> Summary:
        """The retained staff-screen summary: open loans, the overdue list, this month's counts."""
        active = self.db.scalar("SELECT count(*) FROM loans WHERE returned_ts IS NULL", default=0)
        overdue = tuple(OverdueLoan(BookRef(r["book_id"], r["title"]), r["card"], r["due"])
                        for r in self.open_loans(overdue_only=True, now=now, limit=SUMMARY_OVERDUE_MAX))
        untitled = tuple(row[0] for row in self.db.rows(
            "SELECT id FROM books WHERE title IS NULL AND retired IS NULL ORDER BY id LIMIT ?", (SUMMARY_UNTITLED_MAX,)))
        blocked = tuple(row[0] for row in self.db.rows(
            "SELECT pseudonym FROM cards WHERE blocked ORDER BY pseudonym LIMIT ?", (SUMMARY_BLOCKED_MAX,)))
        same = {}
        for isbn, book_id in self.db.rows(
                "SELECT isbn, id FROM books WHERE retired IS NULL AND isbn IN (SELECT isbn FROM books "
                "WHERE isbn IS NOT NULL AND retired IS NULL GROUP BY isbn HAVING count(*) > 1 ORDER BY min(id) "
                "LIMIT ?) ORDER BY id", (SUMMARY_SAME_ISBN_MAX,)):
            same.setdefault(isbn, []).append(book_id)
        recent = tuple(BookRef(r[0], r[1], r[2]) for r in self.db.rows(
            "SELECT id, coalesce(title, 'Buch ' || id), isbn FROM books WHERE retired IS NULL ORDER BY id DESC "
            "LIMIT ?", (SUMMARY_RECENT_MAX,)))
        return Summary(iso(now), active, overdue, self.month_counts(self.month(now)), untitled, blocked,
                       tuple(SameIsbn(isbn, tuple(ids)) for isbn, ids in same.items()), recent)

    # --- the funders' report (kiosk/report): counts and titles, never a card ----------------

    def counts_between(self, first_month: str, last_month: str) -> MonthCounts:
        """The monthly counts of first_month..last_month (YYYY-MM) added up."""
        row = self.db.first("SELECT coalesce(sum(loans), 0), coalesce(sum(returns), 0), coalesce(sum(readers), 0), "
                            "coalesce(sum(new_books), 0) FROM stats_month WHERE month BETWEEN ? AND ?",
                            (first_month, last_month))
        return MonthCounts(*row)

    def loans_between(self, start: str, end: str) -> list[dict]:
        """Loans begun in [start, end) (ISO times): when, and which title. Kept after anonymisation."""
        return self.db.dicts(
            "SELECT l.out_ts, coalesce(b.title, 'Buch ' || b.id) AS title FROM loans l "
            "JOIN books b ON b.id = l.book_id WHERE l.out_ts >= ? AND l.out_ts < ? ORDER BY l.out_ts", (start, end))

    def returns_between(self, start: str, end: str) -> tuple[int, int]:
        """(books brought back in [start, end), of those after their due date); a move to another card is no return."""
        row = self.db.first(
            "SELECT count(*), coalesce(sum(returned_ts > due), 0) FROM loans WHERE return_kind = 'returned' "
            "AND returned_ts >= ? AND returned_ts < ?", (start, end))
        return row[0], row[1]

    # --- the library desk's labels and lists (kiosk/desk): books, never a card --------------------

    def shelf(self) -> list[dict]:
        """Every book by number: id, title ('' while it has none), author, age group, created, retired."""
        return self.db.dicts("SELECT id, coalesce(title, '') AS title, author, age_group, created, retired "
                             "FROM books ORDER BY id")

    # --- data protection --------------------------------------------------------------------

    def anonymise(self, days: int, now: datetime | None = None) -> int:
        """Cut the card link of loans returned more than `days` ago; returns how many."""
        cutoff = iso((now or _now()) - timedelta(days=days))
        return self.db.write(lambda conn: conn.execute(
            "UPDATE loans SET card_id = NULL WHERE card_id IS NOT NULL AND returned_ts IS NOT NULL "
            "AND returned_ts < ?", (cutoff,)).rowcount)


def _check_number(book_id) -> None:
    if not isinstance(book_id, int) or isinstance(book_id, bool):
        raise BadValue("the book must be given by its number")
    if not 1 <= book_id <= MAX_BOOK_ID:      # SQLite could not even look it up (OverflowError)
        raise UnknownBook(f"there is no book number {book_id}; `kiosk admin book list` shows them")


def _now() -> datetime:
    return datetime.now(timezone.utc)

