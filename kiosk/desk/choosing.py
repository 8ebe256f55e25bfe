"""Which books to print labels for: numbers ("17-29, 31"), "registered since" a day, or "not yet printed".

Everything staff type is read here, once, for the console and `kiosk admin` alike. A mistake
raises BadChoice with a `reason` from REASONS (each face has its own words for it) and nothing
is printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from kiosk.clock import parse_iso
from kiosk.errors import BadChoice

MAX_LABELS = 1000          # 42 sheets: more at once is a range typed wrong, not a print job
MAX_DIGITS = 9             # book numbers are counted from 1; ten digits is a typo
MAX_TEXT = 2000            # a pasted list longer than this is not a list of numbers
SHOWN_MISSING = 10
REASONS = ("form", "range", "big", "too_many", "none", "unknown", "date", "no_new", "sheet", "start")

_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")
_PIECE = re.compile(r"([0-9]+)(?:-([0-9]+))?")
_GERMAN_DAY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_numbers(text: str) -> list[int]:
    """Book numbers from "17-29, 31" (commas, semicolons or spaces between), sorted, each once.

    Raises BadChoice: "form" (not numbers and ranges), "range" (5-3, 0), "big" (more than
    MAX_DIGITS digits), "too_many" (more than MAX_LABELS books), "none" (nothing given).
    """
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise BadChoice("form", "write book numbers and ranges like 17-29, 31")
    pieces = [p for p in re.split(r"[,;\s]+", _DASHES.sub("-", text.strip())) if p]
    if not pieces:
        raise BadChoice("none", "say which books: numbers and ranges like 17-29, 31")
    numbers: set[int] = set()
    for piece in pieces:
        found = _PIECE.fullmatch(piece)
        if not found:
            raise BadChoice("form", f"cannot read {piece[:20]!r}: write numbers and ranges like 17-29, 31")
        if any(len(part) > MAX_DIGITS for part in found.groups() if part):
            raise BadChoice("big", f"{piece[:20]!r}: no book has a number that long")
        first = int(found.group(1))
        last = int(found.group(2)) if found.group(2) else first
        if first < 1 or last < first:
            raise BadChoice("range", f"{piece!r}: a range goes from the smaller number to the larger, from 1 up")
        if last - first + 1 > MAX_LABELS:
            raise BadChoice("too_many", f"at most {MAX_LABELS} labels at once")
        numbers.update(range(first, last + 1))
        if len(numbers) > MAX_LABELS:
            raise BadChoice("too_many", f"at most {MAX_LABELS} labels at once")
    return sorted(numbers)


def parse_day(text: str) -> date:
    """A day as 2026-11-03 (what a date field sends) or 3.11.2026; raises BadChoice("date")."""
    text = text.strip() if isinstance(text, str) else ""
    found = _ISO_DAY.fullmatch(text)
    parts = (found.group(1), found.group(2), found.group(3)) if found else None
    if parts is None and (found := _GERMAN_DAY.fullmatch(text)):
        parts = (found.group(3), found.group(2), found.group(1))
    try:
        if parts is None:
            raise ValueError
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise BadChoice("date", f"the day must look like 2026-11-03 or 3.11.2026, not {text[:30]!r}") from None


@dataclass(frozen=True)
class Choice:
    """One of: `numbers`, books registered on or after `since`, or `new` (no label made yet)."""

    numbers: tuple[int, ...] = ()
    since: date | None = None
    new: bool = False

    @classmethod
    def read(cls, how: str, numbers: str = "", since: str = "") -> "Choice":
        """From a face's fields: how is "numbers", "since" or "new"; raises BadChoice."""
        if how == "numbers":
            return cls(numbers=tuple(parse_numbers(numbers)))
        if how == "since":
            return cls(since=parse_day(since))
        if how == "new":
            return cls(new=True)
        raise BadChoice("none", "choose the books by numbers, by a day (since) or the new ones")


def choose(shelf: list[dict], choice: Choice, zone: ZoneInfo, printed: set[int] = frozenset()) -> list[dict]:
    """The books of `shelf` (BoothStore.shelf(): id, title, author, age_group, created) that `choice` names.

    Raises BadChoice: "unknown" (a number no book has; retired books in a range are left out),
    "none" (no book at all), "no_new" (every book has its label already).
    """
    if choice.numbers:
        by_id = {book["id"]: book for book in shelf}
        wanted = set(choice.numbers)
        missing = [n for n in choice.numbers if n not in by_id]
        if missing:
            shown = ", ".join(map(str, missing[:SHOWN_MISSING])) + (" …" if len(missing) > SHOWN_MISSING else "")
            raise BadChoice("unknown", f"there is no book number {shown}; `kiosk admin book list` shows them", shown)
        books = [book for book in shelf if book["id"] in wanted and not book["retired"]]
    elif choice.since is not None:
        books = [book for book in shelf if not book["retired"] and _local_day(book["created"], zone) >= choice.since]
    else:
        books = [book for book in shelf if not book["retired"] and book["id"] not in printed]
        if not books and any(not book["retired"] for book in shelf):
            raise BadChoice("no_new", "every book has its label already")
    if not books:
        raise BadChoice("none", "no book matches that choice")
    return books


def _local_day(stamp: str, zone: ZoneInfo) -> date:
    return parse_iso(stamp).astimezone(zone).date()
