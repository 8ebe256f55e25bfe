"""Printable lists of the booth: every book on its shelf, and the overdue books for the booth's door.

The door list hangs where anyone can read it, so it names a card only by its pseudonym (a
child's card is "Lesefuchs 17", never a name), and nothing else about a card: no tag, no count
of its loans.
"""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from kiosk.pdfstyle import GREY, LIGHT, ORANGE, TEAL, drawn, fonts, right_to_left  # first: it sets ReportLab up

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kiosk.clock import parse_iso
from kiosk.desk.labels import MOTTO, wrap
from kiosk.desk.shelf import Overdue
from kiosk.text import clean_line

MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN
CELL_PADDING = 12          # a table cell's left and right padding (ReportLab's 6 pt each)
UNTITLED = "(noch ohne Titel)"
DOOR_HINT = ("Diese Bücher sind schon länger unterwegs. Bitte bring sie bald zurück – "
             "andere Kinder warten schon darauf. Danke!")


def books_pdf(books: list[dict], *, booth: str, made: date) -> bytes:
    """Every book that is not retired: number, title, author, age group."""
    shelf = [b for b in books if not b["retired"]]
    rows = [[str(b["id"]), clean_line(b["title"]) or UNTITLED, clean_line(b["author"]), clean_line(b["age_group"])]
            for b in shelf]
    count = f"{len(shelf)} Buch" if len(shelf) == 1 else f"{len(shelf)} Bücher"
    return _document(booth, "Alle Bücher der Bücherzelle", f"Stand {made:%d.%m.%Y} · {count}",
                     ["Nr.", "Titel", "Autor*in", "Alter"], rows, [0.09, 0.53, 0.28, 0.10])


def overdue_pdf(overdue: Overdue, *, booth: str, made: date, zone: ZoneInfo) -> bytes:
    """The overdue books for the door: title, number, due day, the card's pseudonym (and only that)."""
    rows = [[clean_line(loan["title"] or "") or f"Buch {loan['book_id']}", str(loan["book_id"]),
             f"{parse_iso(loan['due']).astimezone(zone):%d.%m.%Y}", clean_line(loan["card"] or "") or "–"]
            for loan in overdue.loans]
    note = f"Stand {made:%d.%m.%Y}"
    if overdue.partial:
        note += f" · die ersten {len(rows)}"
    intro = DOOR_HINT if rows else "Gerade ist kein Buch überfällig. Danke fürs Zurückbringen!"
    return _document(booth, "Diese Bücher warten auf ihre Rückkehr", note,
                     ["Titel", "Nr.", "zurück bis", "Karte"], rows, [0.48, 0.10, 0.17, 0.25], intro=intro, size=12)


def _cell(value: str, width: float, style: ParagraphStyle, rtl: ParagraphStyle) -> Paragraph:
    if not right_to_left(value):
        return Paragraph(escape(drawn(value)), style)
    # ReportLab would wrap the visual (drawn) string and so put an Arabic title's first words on its
    # last line: it is wrapped in typed order here, each line then drawn, set flush right.
    lines, _ = wrap(value, style.fontName, style.fontSize, width, most=100)
    return Paragraph("<br/>".join(escape(drawn(line)) for line in lines), rtl)


def _document(booth: str, title: str, note: str, header: list[str], rows: list[list[str]],
              widths: list[float], intro: str = "", size: float = 9.5) -> bytes:
    # The door list is read through the booth's glass: its rows are larger (size).
    plain, bold = fonts([booth, title, note, intro] + [" ".join(row) for row in rows])
    cell = ParagraphStyle("cell", fontName=plain, fontSize=size, leading=size * 1.3)
    rtl = ParagraphStyle("rtl", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("head", fontName=bold, fontSize=size, leading=size * 1.3, textColor=TEAL)
    story: list = [
        Paragraph(escape(booth), ParagraphStyle("booth", fontName=bold, fontSize=18, leading=22, textColor=TEAL)),
        Paragraph(escape(MOTTO), ParagraphStyle("motto", fontName=plain, fontSize=11, leading=14, textColor=ORANGE)),
        Spacer(1, 4 * mm),
        Paragraph(escape(title), ParagraphStyle("title", fontName=bold, fontSize=15, leading=19)),
        Paragraph(escape(note), ParagraphStyle("note", fontName=plain, fontSize=9, leading=12, textColor=GREY))]
    if intro:
        story += [Spacer(1, 2 * mm), Paragraph(escape(intro), ParagraphStyle("intro", fontName=plain, fontSize=11,
                                                                               leading=14))]
    story.append(Spacer(1, 4 * mm))
    if rows:
        data = [[Paragraph(escape(h), head) for h in header]] + \
            [[_cell(value, WIDTH * share - CELL_PADDING, cell, rtl) for value, share in zip(row, widths)] for row in rows]
        table = Table(data, colWidths=[WIDTH * share for share in widths], repeatRows=1)
        table.setStyle(TableStyle([("ROWBACKGROUNDS", (0, 1), (-1, -1), ["white", LIGHT]),
                                   ("LINEBELOW", (0, 0), (-1, 0), 0.8, TEAL),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        story.append(table)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"{booth} – {title}", author=booth, lang="de-DE")

    def page(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont(plain, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, 9 * mm, f"{booth} · {title}")
        canvas.drawRightString(A4[0] - MARGIN, 9 * mm, f"Seite {doc_.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=page, onLaterPages=page)
    return out.getvalue()
