"""A pending book: "the next new tag tapped at the booth becomes this book".

Staff at the desk (console, `kiosk admin book add --isbn`) say what the book is; the booth
keeps it in booth.sqlite (table pending_books) with a ticket, waits for one new tag, and
writes the book and the ticket's outcome in the tap's own transaction — so a tag is
never paired half, and whoever holds the ticket can ask what became of it.

A ticket is `waiting`, then `done` (with its book) or `ended` (with a reason: its time
ran out like register mode does, staff cancelled it, a newer book took its place, a card
was tapped). While it waits, a tag that already belongs to a book leaves it waiting and
notes that book in `taken`, so the desk can say "this tag is Buch 12 already".
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from kiosk.booth.details import BookDetails
from kiosk.booth.messages import BookRef
from kiosk.store import Connection

WAITING, DONE, ENDED = "waiting", "done", "ended"
TIMEOUT, CANCELLED, REPLACED, CARD = "timeout", "cancelled", "replaced", "card"
MAX_TICKET = 64


@dataclass(frozen=True)
class Pending:
    """One pending book and what became of it."""

    ticket: str
    details: BookDetails
    until: str
    state: str = WAITING
    book: BookRef | None = None         # done: the book it became
    taken: BookRef | None = None        # the book whose tag was tapped instead of a new one
    reason: str | None = None           # ended: why

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"ticket": self.ticket, "state": self.state, "until": self.until,
                                   "title": self.details.title}
        if self.book:
            payload["book"] = self.book.to_payload()
        if self.taken:
            payload["taken"] = self.taken.to_payload()
        if self.reason:
            payload["reason"] = self.reason
        return payload


def new_ticket() -> str:
    return secrets.token_hex(8)


def put(conn: Connection, details: BookDetails, until: str, now: str) -> Pending:
    """A new pending book; one still waiting ends (a newer one took its place)."""
    end(conn, REPLACED)
    ticket = new_ticket()
    conn.execute("INSERT INTO pending_books (ticket, details, until, created) VALUES (?, ?, ?, ?)",
                 (ticket, json.dumps(details.to_payload(), ensure_ascii=False), until, now))
    return Pending(ticket, details, until)


def waiting(conn: Connection, now: str) -> Pending | None:
    """The pending book waiting for its tag now (`now` an ISO time as kiosk.clock.iso writes it), if any.

    One whose time ran out while no booth ran (or whose `kiosk admin` was killed) is not
    waiting any more, even before anything marked it ended."""
    row = conn.execute("SELECT ticket FROM pending_books WHERE state = ? AND until > ? "
                       "ORDER BY created DESC, rowid DESC LIMIT 1", (WAITING, now)).fetchone()
    return find(conn, row[0]) if row else None


def find(conn: Connection, ticket: str) -> Pending | None:
    if not isinstance(ticket, str) or not 0 < len(ticket) <= MAX_TICKET:
        return None
    row = conn.execute(
        "SELECT p.ticket, p.details, p.until, p.state, p.book_id, coalesce(b.title, 'Buch ' || b.id), b.isbn, "
        "p.taken, coalesce(t.title, 'Buch ' || t.id), t.isbn, p.reason FROM pending_books p "
        "LEFT JOIN books b ON b.id = p.book_id LEFT JOIN books t ON t.id = p.taken WHERE p.ticket = ?",
        (ticket,)).fetchone()
    if row is None:
        return None
    details = BookDetails(**json.loads(row[1]))
    book = BookRef(row[4], row[5], row[6]) if row[4] is not None and row[5] is not None else None
    taken = BookRef(row[7], row[8], row[9]) if row[7] is not None and row[8] is not None else None
    return Pending(row[0], details, row[2], row[3], book, taken, row[10])


def done(conn: Connection, ticket: str, book_id: int) -> None:
    conn.execute("UPDATE pending_books SET state = ?, book_id = ? WHERE ticket = ?", (DONE, book_id, ticket))


def taken(conn: Connection, ticket: str, book_id: int) -> None:
    conn.execute("UPDATE pending_books SET taken = ? WHERE ticket = ?", (book_id, ticket))


def end(conn: Connection, reason: str, ticket: str | None = None) -> int:
    """End the waiting pending book (only `ticket`, when given); how many ended."""
    if ticket is None:
        return conn.execute("UPDATE pending_books SET state = ?, reason = ? WHERE state = ?",
                            (ENDED, reason, WAITING)).rowcount
    return conn.execute("UPDATE pending_books SET state = ?, reason = ? WHERE state = ? AND ticket = ?",
                        (ENDED, reason, WAITING, ticket)).rowcount


def forget_old(conn: Connection, keep: int = 200) -> None:
    """Only the last `keep` tickets are kept: enough for any desk session's questions."""
    conn.execute("DELETE FROM pending_books WHERE rowid NOT IN "
                 "(SELECT rowid FROM pending_books ORDER BY rowid DESC LIMIT ?)", (keep,))
