"""Right-to-left text in the order it is drawn: Arabic shaped, lines in visual order.

Kivy (kiosk/ui/text.py) and ReportLab (the PDFs) both draw the code points they are given, left
to right, unjoined. So a logical (typed-order) line is shaped here (`arabic_reshaper`) and put
into visual order (`python-bidi`), one line at a time: wrap first, then make each line visual.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import arabic_reshaper
from bidi import get_display

try:
    from bidi.mirror import MIRRORED as MIRROR
except ImportError:  # pragma: no cover - older python-bidi
    MIRROR = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "«": "»", "»": "«", "<": ">", ">": "<"}


def has_rtl(text: str) -> bool:
    # Every right-to-left letter lies at or above U+0590 (Hebrew): one quick look for most text.
    if not text or max(text) < "\u0590":
        return False
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


# "+1" in Arabic text would show as "1+": the bidi algorithm gives a sign before digits the
# direction of the words around it. Wrapped in LRI…PDI it keeps its own left-to-right order.
_SIGNED_NUMBER = re.compile(r"(?<!\w)[+\u2212]\d+")
_LRI, _PDI = "\u2066", "\u2069"
_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))      # no glyph in any font: dropped once placed


def isolate_numbers(line: str) -> str:
    """Signed numbers ("+1") wrapped in left-to-right isolates, for right-to-left text."""
    return _SIGNED_NUMBER.sub(lambda found: _LRI + found.group() + _PDI, line)


def visual(line: str, rtl_base: bool) -> str:
    """One logical line -> shaped glyphs in display order, mirrored where they run right to left."""
    if not has_rtl(line):
        return line
    shaped = arabic_reshaper.reshape(isolate_numbers(line))
    return _visual(shaped, "R" if rtl_base else "L").translate(_ISOLATES)


@lru_cache(maxsize=4096)
def _visual(shaped: str, base: str) -> str:
    levels = _levels(shaped, base)
    if levels is None:
        return get_display(shaped, base_dir=base)
    chars = list(shaped)
    # Rule L4: a mirrored character on a right-to-left level shows its mirror image.
    for i, ch in enumerate(chars):
        if levels[i] % 2 and ch in MIRROR:
            chars[i] = MIRROR[ch]
    # Rule L2: from the highest level down to the lowest odd one, reverse every run at or above it.
    odd = [lv for lv in levels if lv % 2]
    if odd:
        for level in range(max(levels), min(odd) - 1, -1):
            i = 0
            while i < len(chars):
                if levels[i] >= level:
                    j = i
                    while j < len(chars) and levels[j] >= level:
                        j += 1
                    chars[i:j] = chars[i:j][::-1]
                    levels[i:j] = levels[i:j][::-1]
                    i = j
                else:
                    i += 1
    return "".join(chars)


_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _levels(text: str, base: str) -> list[int] | None:
    """Resolved bidi levels per character (python-bidi computes them; it does not mirror)."""
    try:
        info = get_display(text, base_dir=base, debug=True)
        section = info.split("levels:", 1)[1].split("paragraphs:", 1)[0]
        per_byte = [int(n) for n in _LEVEL.findall(section)]
    except (IndexError, ValueError, TypeError):
        return None
    levels, position = [], 0
    for ch in text:
        if position >= len(per_byte):
            return None
        levels.append(per_byte[position])
        position += len(ch.encode("utf-8"))
    return levels if position == len(per_byte) else None


def first_strong_rtl(text: str) -> bool:
    """True when the first letter with a direction runs right to left (the paragraph's own direction)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False
