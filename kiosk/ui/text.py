"""Text that Kivy can show in five scripts: fonts per script, Arabic shaping, right-to-left lines.

Kivy's text renderer has no glyph fallback, no Arabic shaping and no bidi: it draws
the code points it is given, left to right, in one font. So the kiosk does three
things itself, here, without Kivy widgets (only Kivy's font measuring):

- `Fonts` finds Noto Sans (Latin, Cyrillic) and Noto Sans Arabic from the
  `fonts-noto-core` package and registers them as the families `KSans` and `KArabic`.
- `layout()` wraps a logical (typed-order) text into lines that fit a width,
  measuring words in the font that will draw them; only then is each line
  shaped (`arabic_reshaper`) and put into visual order (`python-bidi`) on its own
  (kiosk/rtl.py, which the PDFs use too).
  Kivy would otherwise wrap the visual string and show wrapped RTL lines in reverse.
- Each line is split into runs by font; a line with more than one font becomes
  Kivy markup (`[font=KArabic]…[/font]`), which is the only per-glyph font switch
  Kivy has.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kiosk.languages import is_rtl  # the screens ask text.is_rtl too
# The screens and widgets ask text.visual, has_rtl … too; the PDFs use the same (kiosk/rtl.py).
from kiosk.rtl import first_strong_rtl as _first_strong_rtl, has_rtl, isolate_numbers, visual  # noqa: F401

log = logging.getLogger(__name__)

FONT_DIRS = (
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/noto",
    "/usr/local/share/fonts",
    str(Path.home() / ".local/share/fonts"),
)
LATIN, ARABIC = "KSans", "KArabic"
WRAP_MARGIN = 0.97          # lines are wrapped a little short, so Kivy never re-wraps them

# What Noto Sans Arabic draws itself (from its cmap); everything else goes to Noto Sans.
_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_SHARED = set(" !,-.0123456789:\u00a0\u00ab\u00bb\u200b\u200c\u200d\u200e\u200f")


@dataclass
class Fonts:
    """The font files in use and what is missing (shown once in the log, never on screen)."""

    latin: str = ""
    latin_bold: str = ""
    arabic: str = ""
    arabic_bold: str = ""
    missing: list[str] = field(default_factory=list)

    @classmethod
    def find(cls, dirs: tuple[str, ...] = FONT_DIRS) -> "Fonts":
        def look(*names: str) -> str:
            for folder in dirs:
                for name in names:
                    path = Path(folder) / name
                    if path.is_file():
                        return str(path)
            return ""

        fonts = cls(
            latin=look("NotoSans-Regular.ttf"),
            latin_bold=look("NotoSans-Bold.ttf", "NotoSans-Regular.ttf"),
            # The UI cut first (fonts-noto-ui-core): the same letters, but a line as high as a Latin
            # one. Noto Sans Arabic's own line is 2.1 em high, so Arabic text in a box made for
            # German shrank to 11 px, or its box had to be half again as high.
            arabic=look("NotoSansArabicUI-Regular.ttf", "NotoSansArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf"),
            arabic_bold=look("NotoSansArabicUI-Bold.ttf", "NotoSansArabic-Bold.ttf", "NotoNaskhArabic-Bold.ttf",
                             "NotoSansArabicUI-Regular.ttf", "NotoSansArabic-Regular.ttf",
                             "NotoNaskhArabic-Regular.ttf"),
        )
        if not fonts.latin:
            fonts.missing.append("Noto Sans")
        if not fonts.arabic:
            fonts.missing.append("Noto Sans Arabic")
        return fonts

    def register(self) -> None:
        """Register KSans and KArabic with Kivy; falls back to Kivy's Roboto with a clear log line."""
        from kivy.core.text import LabelBase

        if self.missing:
            log.warning("fonts missing: %s — install the Debian package fonts-noto-core "
                        "(sudo apt install fonts-noto-core); until then some scripts show as boxes",
                        ", ".join(self.missing))
        latin = self.latin or "Roboto"
        latin_bold = self.latin_bold or ("Roboto-Bold" if not self.latin else self.latin)
        LabelBase.register(LATIN, fn_regular=_resolve(latin), fn_bold=_resolve(latin_bold))
        arabic = self.arabic or _resolve(latin)
        LabelBase.register(ARABIC, fn_regular=arabic, fn_bold=self.arabic_bold or arabic)


def _resolve(name: str) -> str:
    if os.path.isabs(name):
        return name
    from kivy.resources import resource_find
    return resource_find(f"data/fonts/{name}.ttf") or resource_find(f"{name}.ttf") or name


# --- scripts and direction ------------------------------------------------------------

def is_arabic_char(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _ARABIC_RANGES)


def base_font(lang: str) -> str:
    return ARABIC if is_rtl(lang) else LATIN


# A number with a sign or separator Noto Sans Arabic lacks ("12/6", "+1") is drawn whole in the
# Latin font: digits from two fonts differ in size, and "23/12" would look like a fraction.
_NUMBER = re.compile(r"[+\u2212]?\d+(?:[/.:,]\d+)*[+\u2212]?")


def _latin_numbers(text: str) -> set[int]:
    return {i for found in _NUMBER.finditer(text) if not set(found.group()) <= _SHARED
            for i in range(found.start(), found.end())}


def font_runs(text: str, base: str) -> list[tuple[str, str]]:
    """Split (visual) text into (font, chunk) runs; shared characters stay in the current run."""
    runs: list[tuple[str, str]] = []
    current = base
    chunk = ""
    latin_numbers = _latin_numbers(text)
    for i, ch in enumerate(text):
        if ch == "\u2013" and current == ARABIC:
            ch = "-"           # Noto Sans Arabic has no en dash; a Latin one sits too low between Arabic words
        if i in latin_numbers:
            font = LATIN
        elif ch in _SHARED:
            font = current
        elif is_arabic_char(ch):
            font = ARABIC
        else:
            font = LATIN
        if font != current and chunk:
            runs.append((current, chunk))
            chunk = ""
        current = font
        chunk += ch
    if chunk:
        runs.append((current, chunk))
    return runs


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")


# --- measuring -------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _measurer(font: str, size: int, bold: bool):
    from kivy.core.text import Label as CoreLabel

    label = CoreLabel(font_name=font, font_size=size, bold=bold)
    label.resolve_font_name()
    return label


@lru_cache(maxsize=20000)
def text_width(font: str, size: int, bold: bool, text: str) -> int:
    """Width in px of `text` drawn in one font (shaped, visual order)."""
    return _measurer(font, size, bold).get_extents(text)[0]


@lru_cache(maxsize=256)
def line_height(font: str, size: int, bold: bool) -> int:
    return _measurer(font, size, bold).get_extents("Hg")[1]


def runs_width(runs: list[tuple[str, str]], size: int, bold: bool) -> int:
    return sum(text_width(font, size, bold, chunk) for font, chunk in runs)


# --- layout ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """What a label gets: the text (maybe markup), its base font, and how much room it needs."""

    text: str
    font: str
    markup: bool
    width: int            # widest line
    height: int           # all lines
    lines: int
    fits_width: bool      # no single word wider than the room


def layout(raw: str, lang: str, size: int, max_width: float | None, bold: bool = False) -> Layout:
    """Wrap `raw` (logical order) into lines of at most `max_width` px at font `size`.

    RTL paragraphs are wrapped on their logical words, then each line is shaped and
    reordered on its own. `max_width=None` keeps explicit line breaks only.
    """
    rtl_ui = is_rtl(lang)
    base = base_font(lang)
    limit = None if max_width is None else max(1.0, max_width * WRAP_MARGIN)
    out_lines: list[list[tuple[str, str]]] = []
    fits = True
    for paragraph in _GLUED.sub("\u00a0", raw).split("\n"):
        rtl_par = rtl_ui if not has_rtl(paragraph) else (rtl_ui or _first_strong_rtl(paragraph))
        words = paragraph.split(" ")
        if limit is None:
            groups = [[word.replace(SOFT_HYPHEN, "") for word in words]]
        else:
            groups, ok = _wrap(words, limit, size, bold, rtl_par, base)
            fits = fits and ok
        for group in groups:
            out_lines.append(font_runs(visual(" ".join(group), rtl_par), base))
    widths = [runs_width(runs, size, bold) for runs in out_lines]
    fonts_used = {font for runs in out_lines for font, _ in runs}
    heights = max((line_height(f, size, bold) for f in fonts_used | {base}), default=0)
    if fonts_used <= {base}:
        text = "\n".join("".join(chunk for _, chunk in runs) for runs in out_lines)
        font, markup = base, False
    elif len(fonts_used) == 1:
        (font,) = fonts_used
        text = "\n".join("".join(chunk for _, chunk in runs) for runs in out_lines)
        markup = False
    else:
        font, markup = base, True
        text = "\n".join("".join(chunk and (escape(chunk) if f == base else f"[font={f}]{escape(chunk)}[/font]")
                                 for f, chunk in runs) for runs in out_lines)
    return Layout(text=text, font=font, markup=markup, width=max(widths, default=0),
                  height=heights * len(out_lines), lines=len(out_lines), fits_width=fits)


def _word_width(word: str, size: int, bold: bool, rtl: bool, base: str) -> int:
    return runs_width(font_runs(visual(word, rtl), base), size, bold)


SOFT_HYPHEN = "\u00ad"
_GLUED = re.compile(r" (?=%)")      # "24 %" never breaks before its sign
_BREAKS = re.compile(r"(?<=[\u00ad-])(?=.)")


def _hyphenate(word: str, limit: float, size: int, bold: bool, rtl: bool, base: str) -> list[str]:
    """A word too long for a line, split where it may break — after a soft hyphen (shown as "-") or
    a hyphen ("Allein\u00aderziehende", "Батьки-одинаки") — into pieces that each fit, if it can."""
    parts = _BREAKS.split(word)
    pieces, current = [], ""
    for part in parts:
        trial = current + part
        shown = trial.replace(SOFT_HYPHEN, "") + ("-" if trial.endswith(SOFT_HYPHEN) else "")
        if current and _word_width(shown, size, bold, rtl, base) > limit:
            pieces.append(current)
            current = part
        else:
            current = trial
    pieces.append(current)
    return [p.replace(SOFT_HYPHEN, "") + ("-" if p.endswith(SOFT_HYPHEN) and i < len(pieces) - 1 else "")
            for i, p in enumerate(pieces)]


def _wrap(words: list[str], limit: float, size: int, bold: bool, rtl: bool, base: str):
    space = text_width(base, size, bold, " ")
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0.0
    ok = True
    for word in words:
        whole = word.replace(SOFT_HYPHEN, "")
        width = _word_width(whole, size, bold, rtl, base) if word else 0
        if width > limit and _BREAKS.search(word):
            *broken, word = _hyphenate(word, limit, size, bold, rtl, base)
            for piece in broken:
                if current:
                    lines.append(current)
                lines.append([piece])
                current, used = [], 0.0
                ok = ok and _word_width(piece, size, bold, rtl, base) <= limit
            whole = word
            width = _word_width(word, size, bold, rtl, base)
        word = whole
        if width > limit:
            ok = False
        if current and used + space + width > limit:
            lines.append(current)
            current, used = [word], width
        else:
            used = used + (space if current else 0) + width
            current.append(word)
    lines.append(current)
    return lines, ok
