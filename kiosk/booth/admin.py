"""`kiosk admin` tasks of the booth; they work on booth.sqlite directly, booth running or not.

A running booth reads books and cards afresh at every tap, so it sees what staff
changed here at once. Output never shows a tag's UID.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.booth.store import BoothStore
from kiosk.csvfiles import csv_text
from kiosk.errors import BadImport, BadValue
from kiosk.text import clean_line


def book_add(config, args) -> int:
    with BoothStore.open(config) as store:
        book = store.add_book(args.tag, args.title, args.author, args.age)
    print(f"Book {book.id} added: {book.title}")
    return 0


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
