"""What staff say about a new book: title, author, age group, ISBN, publisher, year.

One home for the checks of each field, whoever sends it: the console's desk page, a
`booth/cmd/add_book` request, `kiosk admin book add`, a CSV import. Text is cleaned like
any text from outside (kiosk/text.py); the ISBN is the look-up's ISBN-13, 13 digits —
an ISBN's checksum is checked where staff type it (kiosk/desk), the booth only keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kiosk.errors import BadValue
from kiosk.text import clean_line

MAX_TITLE = 200
MAX_FIELD = 100
YEARS = range(1400, 2201)
ISBN13 = re.compile(r"97[89][0-9]{10}")


@dataclass(frozen=True)
class BookDetails:
    """A book as staff registered it; `title` may be None (a tag tapped in register mode: "Buch 17")."""

    title: str | None
    author: str = ""
    age_group: str = ""
    isbn: str | None = None
    publisher: str = ""
    year: int | None = None

    def to_payload(self) -> dict[str, Any]:
        return {"title": self.title, "author": self.author, "age_group": self.age_group, "isbn": self.isbn,
                "publisher": self.publisher, "year": self.year}

    @classmethod
    def checked(cls, title: Any, author: Any = "", age_group: Any = "", isbn: Any = None, publisher: Any = "",
                year: Any = None) -> "BookDetails":
        """Every field checked and cleaned; raises BadValue naming the first bad one."""
        return cls(title=clean_title(title), author=clean_field(author, "author"),
                   age_group=clean_field(age_group, "age group"), isbn=clean_isbn(isbn),
                   publisher=clean_field(publisher, "publisher"), year=clean_year(year))

    @classmethod
    def from_payload(cls, payload: Any) -> "BookDetails":
        """The details of a request ({"title", "author"?, …}); raises BadValue for anything else."""
        if not isinstance(payload, dict):
            raise BadValue("the book's details must be a JSON object")
        return cls.checked(payload.get("title"), payload.get("author") or "", payload.get("age_group") or "",
                           payload.get("isbn"), payload.get("publisher") or "", payload.get("year"))


def clean_field(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise BadValue(f"the {what} must be text")
    if len(value) > MAX_FIELD * 4:          # refused before any work on a huge paste
        raise BadValue(f"the {what} has more than {MAX_FIELD} characters")
    value = clean_line(value)
    if len(value) > MAX_FIELD:
        raise BadValue(f"the {what} has more than {MAX_FIELD} characters")
    return value


def clean_title(value: Any) -> str:
    if not isinstance(value, str):
        raise BadValue("the title must be text")
    if len(value) > MAX_TITLE * 4:          # refused before any work on a huge paste
        raise BadValue(f"the title has more than {MAX_TITLE} characters")
    value = clean_line(value)
    if not value:
        raise BadValue("the title must not be empty")
    if len(value) > MAX_TITLE:
        raise BadValue(f"the title has more than {MAX_TITLE} characters")
    return value


def clean_isbn(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not ISBN13.fullmatch(value):
        raise BadValue("the ISBN must be an ISBN-13 of 13 digits, starting 978 or 979")
    return value


def clean_year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in YEARS:
        raise BadValue(f"the year must be a whole number from {YEARS.start} to {YEARS.stop - 1}")
    return value
