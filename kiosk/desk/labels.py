"""Sticker labels for the booth's books, as an A4 PDF for a label sheet (kiosk/desk/sheets.py).

Each label: the booth's name and "leih mich aus, bring mich zurück", the title (wrapped on two
lines, made smaller before it is shortened, and then cut at a word with "…": never past the
label's edge), the author, and the book's number big. A half-used sheet is used again by
starting at label `start` (0 = top left). Drawn straight on the canvas, in millimetres: a label
sheet forgives no layout engine's idea of a margin.
"""

from __future__ import annotations

import io
from functools import lru_cache

from kiosk.pdfstyle import GREY, ORANGE, TEAL, drawn, fonts, right_to_left  # first: it sets ReportLab up

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kiosk.desk.sheets import Sheet
from kiosk.errors import BadChoice
from kiosk.text import clean_line

MOTTO = "leih mich aus, bring mich zurück"
PAD_X, PAD_Y = 4 * mm, 3.5 * mm      # printers leave 3–4 mm at a sheet's edge unprinted; labels touch it
HEADER_PT = 6.5
TITLE_PT = (10.5, 9.5, 8.5)          # tried in turn: a whole title a little smaller beats a cut one
TITLE_LINES = 2
AUTHOR_PT = 7.5
NUMBER_PT = 20
ELLIPSIS = "…"


def labels_pdf(books: list[dict], sheet: Sheet, *, start: int = 0, booth: str = "Bücherzelle Batenbrock") -> bytes:
    """The PDF's bytes: one label per book (dicts with id, title, author), from slot `start` on.

    Raises BadChoice ("none" without books, "start" for a slot not on the sheet).
    """
    if not books:
        raise BadChoice("none", "no book to make a label for")
    if not isinstance(start, int) or not 0 <= start < sheet.per_sheet:
        raise BadChoice("start", f"the first label is a number from 1 to {sheet.per_sheet} on this sheet")
    plain, bold = fonts([booth, MOTTO] + [f"{b['title']} {b['author']}" for b in books])
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{booth} – Etiketten")
    canvas.setAuthor(booth)
    canvas.setSubject(sheet.title)
    w, h = sheet.width * mm, sheet.height * mm
    # The header is the same on every label: drawn once, placed on each (smaller PDF, less work).
    canvas.beginForm("header")
    rule = _header(canvas, w, h, plain, bold, booth)
    canvas.endForm()
    for n, book in enumerate(books):
        slot = start + n
        if n and slot % sheet.per_sheet == 0:
            canvas.showPage()
        left, top = sheet.position(slot)
        canvas.saveState()
        canvas.translate(left * mm, A4[1] - (top + sheet.height) * mm)     # the label's bottom-left corner
        canvas.doForm("header")
        _book(canvas, book, w, rule, plain, bold)
        canvas.restoreState()
    canvas.save()
    return out.getvalue()


def _header(canvas: Canvas, w: float, h: float, plain: str, bold: str, booth: str) -> float:
    """Draws the booth's name, the motto and a rule at the label's top; returns the rule's height."""
    inner = w - 2 * PAD_X
    top = h - PAD_Y
    lead = HEADER_PT * 1.2
    canvas.setFillColor(TEAL)
    canvas.setFont(bold, HEADER_PT)
    canvas.drawString(PAD_X, top - HEADER_PT, fit_line(booth, bold, HEADER_PT, inner))
    canvas.setFillColor(ORANGE)
    canvas.setFont(plain, HEADER_PT)
    canvas.drawString(PAD_X, top - HEADER_PT - lead, fit_line(MOTTO, plain, HEADER_PT, inner))
    rule = top - 2 * lead - 1.5
    canvas.setStrokeColor(TEAL)
    canvas.setLineWidth(0.5)
    canvas.line(PAD_X, rule, w - PAD_X, rule)
    return rule


def _book(canvas: Canvas, book: dict, w: float, rule: float, plain: str, bold: str) -> None:
    inner = w - 2 * PAD_X
    number = f"Nr. {book['id']}"
    size = NUMBER_PT
    while size > 8 and stringWidth(number, bold, size) > inner:
        size -= 1
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(bold, size)
    canvas.drawString(PAD_X, PAD_Y, number)
    title = clean_line(book["title"] or "")
    author = clean_line(book.get("author") or "")
    cursor = rule - 3
    if title:
        size, lines = _title_lines(title, bold, inner)
        canvas.setFont(bold, size)
        for line in lines:
            cursor -= size
            _line(canvas, line, w, cursor)
            cursor -= size * 0.2
    if author:
        canvas.setFillColor(GREY)
        canvas.setFont(plain, AUTHOR_PT)
        _line(canvas, fit_line(author, plain, AUTHOR_PT, inner), w, cursor - AUTHOR_PT - 1)


def _line(canvas: Canvas, line: str, w: float, y: float) -> None:
    # An Arabic title is set flush right, as it is read.
    if right_to_left(line):
        canvas.drawRightString(w - PAD_X, y, drawn(line))
    else:
        canvas.drawString(PAD_X, y, drawn(line))


def _title_lines(title: str, font: str, width: float) -> tuple[float, list[str]]:
    for size in TITLE_PT:
        lines, whole = wrap(title, font, size, width, TITLE_LINES)
        if whole:
            return size, lines
    return size, lines


def wrap(text: str, font: str, size: float, width: float, most: int) -> tuple[list[str], bool]:
    """`text` in at most `most` lines no wider than `width`, and whether all of it fitted; when
    not, the last line ends in "…"."""
    words = text.split()
    space, room = _unit_width(" ", font), width / size
    lines: list[str] = []
    while words and len(lines) < most:
        line = words.pop(0)
        used = _unit_width(line, font)
        if used > room:                                       # one word wider than the label: cut it
            cut = _longest(line, font, size, width)
            words.insert(0, line[len(cut):])
            line, used = cut, _unit_width(cut, font)
        while words and used + space + _unit_width(words[0], font) <= room:
            used += space + _unit_width(words[0], font)
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        lines[-1] = fit_line(f"{lines[-1]} {' '.join(words)}", font, size, width)
    return lines, not words


@lru_cache(maxsize=4096)
def _unit_width(word: str, font: str) -> float:
    # Widths grow with the size in proportion: a word is measured once, at size 1, for every size
    # and every label it is on (pure-Python ReportLab measures slowly); Arabic as it is drawn, joined.
    return stringWidth(drawn(word), font, 1)


def fit_line(text: str, font: str, size: float, width: float) -> str:
    """`text` if it fits `width`, else cut (at a word where one is near) and ended with "…"."""
    if _unit_width(text, font) * size <= width:
        return text
    cut = _longest(text, font, size, width - stringWidth(ELLIPSIS, font, size))
    at_word = cut.rfind(" ")
    if at_word > len(cut) * 0.6:                             # a word boundary not too far back
        cut = cut[:at_word]
    return cut.rstrip(" ,.;:–-") + ELLIPSIS


def _longest(text: str, font: str, size: float, width: float) -> str:
    low, high = 1, len(text)           # at least one character, so a line always moves on
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(drawn(text[:middle]), font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low]
