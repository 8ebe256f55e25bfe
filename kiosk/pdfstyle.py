"""The fonts and colours of the station's PDFs (the funders' report, the library desk's labels and lists).

Helvetica needs no font file read (a fifth of a second on a Pi), so it is taken when every text
of a document fits its encoding (WinAnsi: ä ö ü ß – … are in it). Otherwise DejaVu Sans, which
covers the Latin, Cyrillic, Greek and Arabic letters of book titles and approved ideas. ReportLab
draws what it is given left to right, unjoined: `drawn()` shapes Arabic and puts a line in
visual order first (kiosk/rtl.py, as the kiosk does for Kivy).
"""

from __future__ import annotations

from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.rtl import first_strong_rtl, has_rtl, visual

# Our own drawings need no attribute checks on every set (a third of the drawing time), and a PDF
# sent by e-mail needs no ASCII85 text streams (pure Python without ReportLab's optional C part).
rl_config.shapeChecking = 0
rl_config.useA85 = 0

TEAL = colors.HexColor("#0f6e6e")
ORANGE = colors.HexColor("#d9662b")
GREY = colors.HexColor("#5a5a5a")
LIGHT = colors.HexColor("#e9f2f1")

FONT_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
              Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"))


def fonts(texts: list[str]) -> tuple[str, str]:
    """(plain, bold) font names that draw every one of `texts` (see module doc)."""
    if winansi(texts) or not all(path.exists() for path in FONT_FILES):
        return "Helvetica", "Helvetica-Bold"
    if "KSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("KSans", str(FONT_FILES[0])))
        pdfmetrics.registerFont(TTFont("KSans-Bold", str(FONT_FILES[1])))
    return "KSans", "KSans-Bold"


def winansi(texts: list[str]) -> bool:
    """True when the standard PDF fonts can draw all of `texts`."""
    try:
        "".join(texts).encode("cp1252")      # the standard fonts' encoding (WinAnsi)
    except UnicodeEncodeError:
        return False
    return True


def drawn(line: str) -> str:
    """One line of logical (typed-order) text as ReportLab must draw it: shaped, in visual order."""
    return visual(line, first_strong_rtl(line)) if has_rtl(line) else line


def right_to_left(line: str) -> bool:
    """True for a line whose own direction is right to left (it is set flush right)."""
    return has_rtl(line) and first_strong_rtl(line)
