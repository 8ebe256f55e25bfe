"""`kiosk admin book labels …` and `kiosk admin book list --pdf`: the desk's prints as PDF files.

Bad input (numbers, a day, a sheet, a start) ends in one plain message and writes nothing.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.desk import choosing, shelf
from kiosk.desk.sheets import sheet_named
from kiosk.errors import BadChoice
from kiosk.report.admin import write_file


def labels(config, args) -> int:
    how = "numbers" if args.numbers else "since" if args.since else "new" if args.new else ""
    choice = choosing.Choice.read(how, args.numbers or "", args.since or "")
    sheet = sheet_named(args.sheet)
    if not 1 <= args.start <= sheet.per_sheet:
        raise BadChoice("start", f"--start is a label from 1 to {sheet.per_sheet} on sheet {sheet.name}")
    from kiosk.desk.labels import labels_pdf     # ReportLab only when a PDF is made
    from kiosk.desk.printed import PrintedLabels

    with PrintedLabels.open(config) as printed:
        books = choosing.choose(shelf.books(config), choice, ZoneInfo(config.station.timezone), printed.numbers())
        write_file(Path(args.pdf), labels_pdf(books, sheet, start=args.start - 1, booth=config.booth.name))
        printed.record([book["id"] for book in books])
    sheets = -(-(args.start - 1 + len(books)) // sheet.per_sheet)
    print(f"{len(books)} label(s) on {sheets} sheet(s) {sheet.name} written: {args.pdf}")
    return 0


def book_list(config, args) -> int:
    """`book list`: the table on the screen as before; with --pdf the printable list (--overdue: for the door)."""
    if not args.pdf:
        from kiosk.booth import admin

        return admin.overdue(config, args) if args.overdue else admin.book_list(config, args)
    zone = ZoneInfo(config.station.timezone)
    today = datetime.now(timezone.utc).astimezone(zone).date()
    from kiosk.desk import lists

    if args.overdue:
        overdue = shelf.overdue(config, _summary(config))
        data = lists.overdue_pdf(overdue, booth=config.booth.name, made=today, zone=zone)
        what = f"{len(overdue.loans)} overdue book(s)"
    else:
        books = shelf.books(config)
        data = lists.books_pdf(books, booth=config.booth.name, made=today)
        what = f"{sum(1 for b in books if not b['retired'])} book(s)"
    write_file(Path(args.pdf), data)
    print(f"{what} written: {args.pdf}")
    return 0


def _summary(config):
    if shelf.booth_here(config):
        return None
    from kiosk.report.remote import booth_summary     # the booth on another Pi: its summary from the bus

    return booth_summary(config)

