"""What the booth publishes, as typed messages: one `to_payload`/`from_payload` pair each.

`BoothEvent` goes on `booth/events` (kiosk/booth/events.py makes them from the
rules' decisions), `Summary` retained on `booth/summary`. The kiosk and the demo
read them with `from_payload`, which takes the decoded JSON (kiosk/bus/payloads.py)
and raises BadMessage on anything else, never another error. Cards appear by
pseudonym only: a raw card UID never leaves the booth service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.booth.rules import REGISTER_MODES
from kiosk.bus.fields import Fields

SESSION_START, SESSION_END = "session_start", "session_end"
CHECKOUT, RETURN, DENIED = "checkout", "return", "denied"
REGISTER, REGISTERED = "register", "registered"
EVENT_TYPES = (SESSION_START, SESSION_END, CHECKOUT, RETURN, DENIED, REGISTER, REGISTERED)
REGISTERED_KINDS = ("book", "card")
# Beyond the four every event has, these appear only when they have a value.
_EXTRAS = ("loans", "due", "overdue", "renewed", "mode", "kind")


@dataclass(frozen=True)
class BookRef:
    """A book as messages name it: its number and title, and its ISBN-13 where staff gave one
    (the kiosk shows the book's cover by it)."""

    id: int
    title: str | None
    isbn: str | None = None

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"id": self.id, "title": self.title}
        if self.isbn is not None:
            payload["isbn"] = self.isbn
        return payload

    @classmethod
    def read(cls, f: Fields) -> "BookRef":
        isbn = f.text("isbn", optional=True, null=True)
        if isbn is not None and not (len(isbn) == 13 and isbn.isascii() and isbn.isdigit()):
            raise f.problem("isbn", "13 digits")
        return cls(id=f.count("id"), title=f.text("title", null=True), isbn=isbn)


@dataclass(frozen=True)
class BoothEvent:
    """One thing that happened at the booth (`booth/events`).

    `card` is a pseudonym or None, `book` None when no book took part; `reason` where
    there is one; `loans` (books the card has now), `due` and `renewed` for checkouts,
    `overdue` for a session start, `mode` for register mode, `kind` for a new tag.
    """

    type: str
    ts: str
    card: str | None = None
    book: BookRef | None = None
    reason: str | None = None
    loans: int | None = None
    due: str | None = None
    overdue: int | None = None
    renewed: bool | None = None
    mode: str | None = None
    kind: str | None = None

    @property
    def title(self) -> str | None:
        """The book's title, None without a book (or without a title)."""
        return self.book.title if self.book else None

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"type": self.type, "ts": self.ts, "card": self.card,
                                   "book": None if self.book is None else self.book.to_payload()}
        if self.reason is not None:
            payload["reason"] = self.reason
        payload.update({key: getattr(self, key) for key in _EXTRAS if getattr(self, key) is not None})
        return payload

    @classmethod
    def from_payload(cls, payload: Any) -> "BoothEvent":
        f = Fields(payload, "booth event")
        book = f.nested("book", optional=True, null=True)
        return cls(type=f.choice("type", EVENT_TYPES), ts=f.time("ts"), card=f.text("card", optional=True, null=True),
                   book=None if book is None else BookRef.read(book), reason=f.text("reason", optional=True),
                   loans=f.count("loans", optional=True), due=f.time("due", optional=True),
                   overdue=f.count("overdue", optional=True), renewed=f.flag("renewed", optional=True),
                   mode=f.choice("mode", REGISTER_MODES, optional=True),
                   kind=f.choice("kind", REGISTERED_KINDS, optional=True))


@dataclass(frozen=True)
class OverdueLoan:
    """A loan past its due date, as the staff screen lists it."""

    book: BookRef
    card: str | None          # None once the card is gone
    due: str

    def to_payload(self) -> dict[str, Any]:
        return {"book": self.book.to_payload(), "card": self.card, "due": self.due}

    @classmethod
    def read(cls, f: Fields) -> "OverdueLoan":
        return cls(book=BookRef.read(f.nested("book")), card=f.text("card", null=True), due=f.time("due"))


@dataclass(frozen=True)
class MonthCounts:
    """This month's figures for the funders' report (counted when a loan happens)."""

    loans: int = 0
    returns: int = 0
    readers: int = 0
    new_books: int = 0

    def to_payload(self) -> dict[str, Any]:
        return {"loans": self.loans, "returns": self.returns, "readers": self.readers, "new_books": self.new_books}

    @classmethod
    def read(cls, f: Fields) -> "MonthCounts":
        return cls(loans=f.count("loans"), returns=f.count("returns"), readers=f.count("readers"),
                   new_books=f.count("new_books"))


@dataclass(frozen=True)
class SameIsbn:
    """Books in the booth that share one ISBN: donated twice, or registered twice by mistake."""

    isbn: str
    books: tuple[int, ...]

    def to_payload(self) -> dict[str, Any]:
        return {"isbn": self.isbn, "books": list(self.books)}

    @classmethod
    def read(cls, f: Fields) -> "SameIsbn":
        books = f.payload.get("books")
        if not isinstance(books, list) or not all(isinstance(b, int) and not isinstance(b, bool) and b >= 0
                                                  for b in books):
            raise f.problem("books", "a list of book numbers")
        return cls(isbn=f.text("isbn"), books=tuple(books))


@dataclass(frozen=True)
class Summary:
    """`booth/summary` (retained): books out now, the overdue list (the first few), this month's counts.

    `untitled`: books registered at the booth that still wait for a title (the first few),
    `blocked`: pseudonyms of blocked cards — so a staff face can offer "title" and "unblock"
    without opening the booth's database; `same_isbn`: ISBNs more than one book has (the first
    few); `recent`: the books registered last, newest first. These came later: a summary
    without them has none.
    """

    ts: str
    active_loans: int
    overdue: tuple[OverdueLoan, ...]
    month: MonthCounts
    untitled: tuple[int, ...] = ()
    blocked: tuple[str, ...] = ()
    same_isbn: tuple[SameIsbn, ...] = ()
    recent: tuple[BookRef, ...] = ()

    def to_payload(self) -> dict[str, Any]:
        return {"ts": self.ts, "active_loans": self.active_loans,
                "overdue": [loan.to_payload() for loan in self.overdue], "month": self.month.to_payload(),
                "untitled": [{"id": book} for book in self.untitled],
                "blocked": [{"card": card} for card in self.blocked],
                "same_isbn": [same.to_payload() for same in self.same_isbn],
                "recent": [book.to_payload() for book in self.recent]}

    @classmethod
    def from_payload(cls, payload: Any) -> "Summary":
        f = Fields(payload, "booth summary")
        return cls(ts=f.time("ts"), active_loans=f.count("active_loans"),
                   overdue=tuple(OverdueLoan.read(item) for item in f.items("overdue")),
                   month=MonthCounts.read(f.nested("month")),
                   untitled=tuple(item.count("id") for item in _later_items(f, "untitled")),
                   blocked=tuple(item.text("card") for item in _later_items(f, "blocked")),
                same_isbn=tuple(SameIsbn.read(item) for item in _later_items(f, "same_isbn")),
                recent=tuple(BookRef.read(item) for item in _later_items(f, "recent")))


def _later_items(f: Fields, key: str) -> list[Fields]:
    return f.items(key) if key in f.payload else []


__all__ = ["BookRef", "BoothEvent", "EVENT_TYPES", "MonthCounts", "OverdueLoan", "SameIsbn", "Summary",
           "SESSION_START", "SESSION_END", "CHECKOUT", "RETURN", "DENIED", "REGISTER", "REGISTERED"]
