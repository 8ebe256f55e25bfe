"""ISBNs as staff type or scan them, read into one form: the ISBN-13 as 13 digits.

A USB barcode scanner types the book's EAN-13 (978… or 979…, the ISBN-13 itself); people type
the ISBN-10 or -13 from the back of the book, with hyphens or spaces, sometimes with "ISBN"
before it, and an ISBN-10 may end in the check "digit" X (ten). Every ISBN-10 has an ISBN-13
(978 + its first nine digits + a new check digit); only 978-ISBNs have an ISBN-10.
"""

from __future__ import annotations

import re

from kiosk.errors import BadIsbn

MAX_INPUT = 40                  # longer text is no ISBN; refused before any work on a huge paste
# Separators people and scanners put between the groups: hyphens of every kind, spaces, dots.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.]+")
_PREFIX = re.compile(r"^\s*isbn(?:[-\u2010-\u2015]1[03])?\s*:?", re.IGNORECASE)
BOOK_PREFIXES = ("978", "979")


def parse_isbn(text: str) -> str:
    """The ISBN-13 (13 digits) of an ISBN-10 or ISBN-13 typed or scanned.

    Raises BadIsbn (a BadValue) with `kind` "empty", "characters", "length", "prefix" or "checksum".
    """
    if not isinstance(text, str):
        raise BadIsbn("characters", "an ISBN must be text")
    if len(text) > MAX_INPUT:
        raise BadIsbn("length", "this is too long for an ISBN: it has 10 or 13 digits")
    compact = _SEPARATORS.sub("", _PREFIX.sub("", text))
    if not compact:
        raise BadIsbn("empty", "type or scan the ISBN: 10 or 13 digits from the back of the book")
    body, last = compact[:-1], compact[-1]
    if not (body.isascii() and body.isdigit()) or not (last.isascii() and (last.isdigit() or last in "xX")):
        raise BadIsbn("characters", "an ISBN has only digits (an ISBN-10 may end in X)")
    if last in "xX" and len(compact) != 10:
        raise BadIsbn("characters", "only an ISBN-10 may end in X")
    if len(compact) == 10:
        if _check10(body) != last.upper():
            raise BadIsbn("checksum", "a digit of this ISBN-10 is wrong (its check digit does not match)")
        return to_isbn13(body)
    if len(compact) == 13:
        if not compact.startswith(BOOK_PREFIXES):
            raise BadIsbn("prefix", "this is no book's number: an ISBN-13 starts with 978 or 979")
        if _check13(body) != last:
            raise BadIsbn("checksum", "a digit of this ISBN-13 is wrong (its check digit does not match)")
        return compact
    raise BadIsbn("length", f"an ISBN has 10 or 13 digits, this has {len(compact)}")


def isbn10(isbn13: str) -> str | None:
    """The ISBN-10 of an ISBN-13 from `parse_isbn`, or None (979-ISBNs have none)."""
    if len(isbn13) != 13 or not isbn13.startswith("978"):
        return None
    body = isbn13[3:12]
    return body + _check10(body)


def to_isbn13(body9: str) -> str:
    body = "978" + body9
    return body + _check13(body)


def _check10(body9: str) -> str:
    remainder = (11 - sum((10 - i) * int(d) for i, d in enumerate(body9)) % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def _check13(body12: str) -> str:
    return str((10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12)) % 10) % 10)
