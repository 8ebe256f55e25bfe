"""The booth's part of the `kiosk` command line (argparse only; work is imported lazily)."""

from __future__ import annotations

from kiosk.command_handlers import lazy, service


def register(commands, admin) -> None:
    commands.add_parser("booth", help="the RFID book booth: loans, returns, LEDs and buzzer") \
        .set_defaults(run=service("kiosk.booth.service"))

    book = admin.add_parser("book", help="the booth's books: add, import, list, title")
    books = book.add_subparsers(dest="book_task", metavar="BOOK_TASK", required=True)
    add = books.add_parser("add", help="register one book: by its tag and title, or by its ISBN (looked up)")
    add.add_argument("--isbn", metavar="ISBN", help="look the book up (DNB, Open Library); without --tag the next "
                     "new tag tapped at the booth becomes it")
    add.add_argument("--tag", metavar="UID", help="the tag's UID in hex, e.g. 04a1b2c3")
    add.add_argument("--title", help="the title (needed without --isbn; with it, instead of the one found)")
    add.add_argument("--author")
    add.add_argument("--age", metavar="GROUP", help="age group, e.g. 4-6")
    add.add_argument("--publisher")
    add.add_argument("--year", type=int)
    add.set_defaults(run=lazy("kiosk.booth.admin", "book_add"))
    _book_prints(books)
    imp = books.add_parser("import", help="register books from a CSV file (tag,title,author,age_group); all or none")
    imp.add_argument("file", metavar="FILE.csv")
    imp.set_defaults(run=lazy("kiosk.booth.admin", "book_import"))
    title = books.add_parser("title", help="give a book (e.g. one registered as 'Buch 17') its title")
    title.add_argument("book", type=int, metavar="NUMBER")
    title.add_argument("title")
    title.set_defaults(run=lazy("kiosk.booth.admin", "book_title"))
    retire = books.add_parser("retire", help="a book that is gone: its tag counts as unknown, its loans stay counted")
    retire.add_argument("--id", type=int, required=True, metavar="NUMBER", dest="book")
    retire.set_defaults(run=lazy("kiosk.booth.admin", "book_retire"))

    card = admin.add_parser("card", help="children's and staff cards: add, list, block")
    cards = card.add_subparsers(dest="card_task", metavar="CARD_TASK", required=True)
    add = cards.add_parser("add", help="register a card; it gets the next free pseudonym unless --name")
    add.add_argument("--tag", required=True, metavar="UID", help="the card's UID in hex, e.g. 04a1b2c3")
    add.add_argument("--name", metavar="PSEUDONYM", help='e.g. "Lesefuchs 17" — never a child\'s real name')
    add.add_argument("--staff", action="store_true", help="a staff card: its tap switches register mode")
    add.set_defaults(run=lazy("kiosk.booth.admin", "card_add"))
    cards.add_parser("list", help="every card with its loans").set_defaults(run=lazy("kiosk.booth.admin", "card_list"))
    block = cards.add_parser("block", help="block a card (it cannot borrow), or --unblock it")
    block.add_argument("pseudonym")
    block.add_argument("--unblock", action="store_true")
    block.set_defaults(run=lazy("kiosk.booth.admin", "card_block"))

    loans = admin.add_parser("loans", help="books on loan now")
    loans.add_argument("--json", action="store_true", help="print JSON instead of a table")
    loans.set_defaults(run=lazy("kiosk.booth.admin", "loans"))
    admin.add_parser("overdue", help="books past their due date").set_defaults(run=lazy("kiosk.booth.admin", "overdue"))
    export = admin.add_parser("export", help="CSV of every loan (pseudonyms only) for staff reports")
    export.add_argument("--out", metavar="FILE", help="write here instead of the screen")
    export.add_argument("--stats", action="store_true", help="the monthly counts instead of the loans")
    export.set_defaults(run=lazy("kiosk.booth.admin", "export"))


def _book_prints(books) -> None:
    """The library desk's prints (kiosk/desk): `book list [--overdue] [--pdf FILE]`, `book labels`."""
    from kiosk.desk.choosing import MAX_LABELS
    from kiosk.desk.sheets import DEFAULT, SHEETS

    listing = books.add_parser("list", help="every book, and who has it; --pdf: a list to print",
                               description="Without --pdf the table on the screen; with it, a PDF to print.")
    listing.add_argument("--overdue", action="store_true", help="only the overdue books (for the booth's door)")
    listing.add_argument("--pdf", metavar="FILE", help="write a printable PDF here")
    listing.set_defaults(run=lazy("kiosk.desk.admin", "book_list"))
    labels = books.add_parser(
        "labels", help="sticker labels for books, as a PDF for an A4 label sheet",
        description=f"Choose the books by NUMBERS (e.g. \"17-29, 31\"), --since DAY or --new; at most {MAX_LABELS}.")
    which = labels.add_mutually_exclusive_group(required=True)
    which.add_argument("numbers", nargs="?", metavar="NUMBERS", help='book numbers and ranges, e.g. "17-29, 31"')
    which.add_argument("--since", metavar="DAY", help="books registered on or after this day (2026-11-03 or 3.11.2026)")
    which.add_argument("--new", action="store_true", help="books that have no label yet")
    labels.add_argument("--sheet", default=DEFAULT, metavar="NAME", help=f"the label sheet: {', '.join(SHEETS)}")
    labels.add_argument("--start", type=int, default=1, metavar="N",
                        help="first free label on a half-used sheet (1 = top left, by rows)")
    labels.add_argument("--pdf", required=True, metavar="FILE", help="write the labels here")
    labels.set_defaults(run=lazy("kiosk.desk.admin", "labels"))
