"""`kiosk admin` tasks of the booth; they work on booth.sqlite directly, booth running or not.

A running booth reads books and cards afresh at every tap, so it sees what staff
changed here at once. Output never shows a tag's UID.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kiosk.booth.pending import CANCELLED, CARD, DONE, REPLACED, TIMEOUT, WAITING
from kiosk.booth.rules import REGISTER_IDLE_S
from kiosk.booth.store import BoothStore
from kiosk.booth.details import BookDetails
from kiosk.desk.isbn import parse_isbn
from kiosk.desk.lookup import UNKNOWN, Lookup
from kiosk.csvfiles import csv_text
from kiosk.errors import BadImport, BadValue
from kiosk.text import clean_line


POLL_S = 0.3
SOURCES = {"dnb": "Deutsche Nationalbibliothek", "openlibrary": "Open Library"}


def book_add(config, args) -> int:
    if args.isbn is None:
        if args.tag is None or args.title is None:
            raise BadValue("give --tag and --title, or --isbn to look the book up")
        with BoothStore.open(config) as store:
            book = store.add_book(args.tag, args.title, args.author or "", args.age or "")
        print(f"Book {book.id} added: {book.title}")
        return 0
    details = _looked_up(config, args)
    with BoothStore.open(config) as store:
        if args.tag is not None:
            book = store.add_book_details(args.tag, details)
            print(f"Book {book.id} added: {book.title}")
            return 0
        return _wait_for_tag(store, details)


def _looked_up(config, args) -> BookDetails:
    """The book of --isbn as the catalogues know it, with what staff gave on the command line instead."""
    isbn13 = parse_isbn(args.isbn)            # BadIsbn: one line naming what is wrong
    lookup = Lookup(config)
    try:
        finding = lookup.find(isbn13)
    finally:
        lookup.close()
    facts = finding.facts
    if facts is not None:
        said = ", ".join(part for part in (facts.author, facts.publisher, facts.year, facts.age_group and
                                           f"age {facts.age_group}") if part)
        print(f"Found ({SOURCES.get(facts.source, facts.source)}): {_cut(facts.title, 80)}"
              + (f" — {_cut(said, 80)}" if said else ""))
    elif args.title is None:
        raise BadValue(f"ISBN {isbn13}: " + ("no catalogue knows this book" if finding.reason == UNKNOWN else
                                             "the catalogues cannot be reached now")
                       + "; give its title with --title (and --author, --age)")
    else:
        print(f"ISBN {isbn13}: " + ("no catalogue knows it" if finding.reason == UNKNOWN
                                    else "the catalogues cannot be reached") + "; taking what you gave")

    def given(value, found):
        return found if value is None else value
    year = given(args.year, int(facts.year) if facts and facts.year else None)
    return BookDetails.checked(given(args.title, facts and facts.title), given(args.author, facts.author if facts else ""),
                               given(args.age, facts.age_group if facts else ""), isbn13,
                               given(args.publisher, facts.publisher if facts else ""), year)


def _wait_for_tag(store: BoothStore, details) -> int:
    """The next new tag tapped at the booth becomes the book; wait for it as long as register mode lasts."""
    now = datetime.now(timezone.utc)
    waiting = store.put_pending(details, now + timedelta(seconds=REGISTER_IDLE_S), now)
    minutes = round(REGISTER_IDLE_S / 60)
    print(f"Now hold the book's new tag to the booth's reader (I wait {minutes} minutes; Ctrl-C stops).",
          flush=True)
    deadline = time.monotonic() + REGISTER_IDLE_S + 2
    said = None           # the used tag last told about
    try:
        while time.monotonic() < deadline:
            found = store.pending(waiting.ticket)
            if found is None or found.state != WAITING:
                break
            if found.taken and found.taken != said:
                said = found.taken
                print(f"That tag is book {found.taken.id} ({found.taken.title}) already: take a new tag.", flush=True)
            time.sleep(POLL_S)
        else:
            found = store.pending(waiting.ticket, cancel=True)
    except KeyboardInterrupt:
        store.pending(waiting.ticket, cancel=True)
        raise
    if found is not None and found.state == DONE and found.book is not None:
        print(f"Book {found.book.id} added: {found.book.title}")
        return 0
    why = {TIMEOUT: f"no new tag was tapped within {minutes} minutes",
           CARD: "a card was tapped instead of a new tag", REPLACED: "another book now waits for its tag",
           CANCELLED: f"no new tag was tapped within {minutes} minutes"}
    reason = why.get(found.reason if found else "", why[TIMEOUT])
    raise BadValue(f"not added: {reason}. Is `kiosk booth` running here? Or give the tag's UID: --tag UID")


def book_import(config, args) -> int:
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadImport(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    with BoothStore.open(config) as store:
        books = store.import_books(text, source=path.name)
    if books:
        print(f"{len(books)} book(s) imported, numbers {books[0].id}–{books[-1].id}")
    else:
        print("no books in the file")
    return 0


def book_title(config, args) -> int:
    with BoothStore.open(config) as store:
        book = store.set_title(args.book, args.title)
    print(f"Book {book.id} is now called: {book.title}")
    return 0


def book_retire(config, args) -> int:
    with BoothStore.open(config) as store:
        book = store.retire(args.book)
    print(f"Book {book.id} ({book.title}) is retired: the booth treats its tag as unknown; its loans stay counted.")
    return 0


def book_list(config, args) -> int:
    with BoothStore.open(config) as store:
        books = store.books()
    print(f"{'no.':>5}  {'title':<40}{'author':<22}{'age':<7}on loan to")
    for b in books:
        lent = f"{b['card']} (due {b['due'][:10]})" if b["due"] else ("retired" if b["retired"] else "")
        print(f"{b['id']:>5}  {_cut(b['title'], 39):<40}{_cut(b['author'], 21):<22}{_cut(b['age_group'], 6):<7}{lent}")
    print(f"{len(books)} book(s)")
    return 0


def card_add(config, args) -> int:
    with BoothStore.open(config) as store:
        card = store.add_card(args.tag, args.name, args.staff)
    print(f"Card added: {card.pseudonym}{' (staff)' if card.staff else ''}")
    return 0


def card_list(config, args) -> int:
    with BoothStore.open(config) as store:
        cards = store.cards()
    print(f"{'pseudonym':<28}{'books':>6}{'overdue':>9}  notes")
    for c in cards:
        notes = ", ".join(n for n, on in (("staff", c["staff"]), ("blocked", c["blocked"])) if on)
        print(f"{_cut(c['pseudonym'], 27):<28}{c['loans']:>6}{c['overdue']:>9}  {notes}")
    print(f"{len(cards)} card(s)")
    return 0


def card_block(config, args) -> int:
    with BoothStore.open(config) as store:
        card = store.block(args.pseudonym, not args.unblock)
    print(f"{card.pseudonym} is {'blocked' if card.blocked else 'unblocked'}")
    return 0


def loans(config, args) -> int:
    with BoothStore.open(config) as store:
        rows = store.open_loans()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    _print_loans(rows)
    print(f"{len(rows)} book(s) on loan")
    return 0


def overdue(config, args) -> int:
    with BoothStore.open(config) as store:
        rows = store.open_loans(overdue_only=True)
    _print_loans(rows)
    print(f"{len(rows)} book(s) overdue")
    return 0


def _print_loans(rows: list[dict]) -> None:
    print(f"{'no.':>5}  {'title':<40}{'card':<24}due")
    for r in rows:
        print(f"{r['book_id']:>5}  {_cut(r['title'], 39):<40}{_cut(r['card'] or '', 23):<24}{r['due'][:10]}")


def export(config, args) -> int:
    with BoothStore.open(config) as store:
        if args.stats:
            rows = store.db.dicts("SELECT month, loans, returns, readers, new_books FROM stats_month ORDER BY month")
            columns = ["month", "loans", "returns", "readers", "new_books"]
        else:
            rows = store.export_rows()
            columns = ["loan", "book", "title", "card", "borrowed", "due", "returned", "how"]
    text = csv_text(columns, rows)
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise BadValue(f"cannot write {args.out}: {exc.strerror or exc}") from None
        print(f"{len(rows)} row(s) written to {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _cut(text: str, width: int) -> str:
    # Cleaned again for the terminal: a title stored before titles were cleaned may still
    # hold escape sequences that would recolour or rewrite the staff's screen.
    text = clean_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"
