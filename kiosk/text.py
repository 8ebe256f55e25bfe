"""Cleaning text that comes from outside (the street, staff, a CSV file, a bus message).

One rule for every such text, so an idea, a book title and an author read the same
on the kiosk, in a terminal and in a spreadsheet as what was approved or typed:

- terminal escape sequences (ANSI colours, cursor moves, window titles) go whole;
- control characters go (a tab becomes a space; a line break stays only in `clean_text`);
- invisible format characters go: direction overrides and isolates (U+202A–U+202E,
  U+2066–U+2069, which make a text read differently from what was typed), zero-width
  spaces (U+200B, U+2060, U+FEFF) and the like. The joiners U+200C/U+200D and the
  direction marks LRM/RLM/ALM stay: Persian, the Indic scripts and emoji need them,
  and they cannot reorder a text;
- lone surrogates go (they cannot be stored as UTF-8);
- the result is NFC.
"""

from __future__ import annotations

import re
import unicodedata

# Format characters a script needs; every other one (category Cf) is removed.
KEPT_FORMAT_CHARACTERS = frozenset("\u200c\u200d\u200e\u200f\u061c")

# ESC [ … final byte (CSI), ESC ] … BEL or ESC \ (OSC), two-byte ESC sequences, and the
# one-byte CSI (U+009B) some terminals also obey.
_TERMINAL_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]"
                              r"|\x9b[0-?]*[ -/]*[@-~]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_BLANK_LINES = re.compile(r"\n{3,}")
_REMOVED_CATEGORIES = ("Cc", "Cs")


def is_removed(char: str) -> bool:
    """True for a character no cleaned text keeps (line breaks and tabs are handled apart)."""
    category = unicodedata.category(char)
    return category in _REMOVED_CATEGORIES or (category == "Cf" and char not in KEPT_FORMAT_CHARACTERS)


def clean_text(text: str) -> str:
    """A text of several lines: cleaned as above, at most one blank line in a row, trimmed."""
    text = _TERMINAL_ESCAPE.sub("", text)
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    if not text.isprintable():     # the common case needs no look at each character
        text = "".join(c for c in text if c == "\n" or not is_removed(c))
    text = unicodedata.normalize("NFC", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def clean_line(text: str) -> str:
    """A text of one line (a title, a name, a contact): cleaned as above, every run of
    white space one space, trimmed."""
    return " ".join(clean_text(text).split())
