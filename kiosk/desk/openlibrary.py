"""Open Library's Books API: the question for an ISBN, and its JSON answer read into BookFacts.

The fallback for books the DNB does not have (translations printed abroad, English books).
Request: /api/books?bibkeys=ISBN:<isbn>&format=json&jscmd=data. The answer is a JSON object
keyed by the bibkey asked for, `{}` when Open Library does not know the book; a record has
`title`, `authors` [{name, url}], `publishers` [{name}], `publish_date` (free text),
`subjects` [{name, url}] and `cover` {small, medium, large}.
"""

from __future__ import annotations

import json
import urllib.parse

from kiosk.desk import facts
from kiosk.desk.facts import BookFacts
from kiosk.errors import SourceFailed

CONTENT_TYPES = ("application/json", "text/javascript")
MAX_BYTES = 512 * 1024        # one record is a few KB


def url(base: str, isbn13: str) -> str:
    return f"{base}?" + urllib.parse.urlencode({"bibkeys": f"ISBN:{isbn13}", "format": "json", "jscmd": "data"})


def parse(body: bytes, isbn13: str) -> BookFacts | None:
    """The book in Open Library's answer, None when it does not know it; raises SourceFailed for
    anything that is not such an answer."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SourceFailed("Open Library's answer is no JSON") from None
    if not isinstance(data, dict):
        raise SourceFailed("Open Library's answer is no JSON object")
    record = data.get(f"ISBN:{isbn13}")
    if record is None:
        return None
    if not isinstance(record, dict):
        raise SourceFailed("Open Library's record is no JSON object")
    title = facts.title_text(_text(record.get("title")))
    if not title:
        return None
    return BookFacts(isbn=isbn13, title=title, author=facts.authors(_names(record.get("authors"))),
                     publisher=facts.field_text(next(iter(_names(record.get("publishers"))), "")),
                     year=facts.year(_text(record.get("publish_date"))),
                     age_group=facts.age_group(_names(record.get("subjects"))), source="openlibrary")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _names(value: object) -> list[str]:
    """The names of a list of {name: …} objects (authors, publishers, subjects); others skipped."""
    if not isinstance(value, list):
        return []
    return [item["name"] for item in value[:50] if isinstance(item, dict) and isinstance(item.get("name"), str)]
