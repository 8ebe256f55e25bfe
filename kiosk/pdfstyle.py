"""The fonts and colours of the station's PDFs (the funders' report, the library desk's labels and lists).

Helvetica needs no font file read (a fifth of a second on a Pi), so it is taken when every text
of a document fits its encoding (WinAnsi: ä ö ü ß – … are in it). Otherwise DejaVu Sans, which
covers the Latin, Cyrillic and Greek letters of book titles and approved ideas. Arabic is not
shaped here: ReportLab draws the letters unjoined, left to right.
"""

from __future__ import annotations

from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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
