"""Finding a book by its ISBN: the DNB first, Open Library second, the cache before both.

`Lookup(config).find(isbn13)` never takes longer than `[desk] lookup_timeout_s` (4 s), never
raises for what the internet does, and says why it has nothing:
- "found": facts from a catalogue (cached for FOUND_KEEP);
- "unknown": every source answered and none knows the ISBN (cached for UNKNOWN_KEEP, so a
  book printed for a school fair is not asked about again and again, but a catalogue that
  adds it later is asked again tomorrow);
- "unreachable": offline, slow, an error page, garbage, or too much; or `[desk] online` is
  false. Not cached: the next try asks again.
The DNB may use DNB_SHARE of the time, so a slow DNB leaves Open Library time to answer.
A cover is fetched in the time left (kiosk.desk.covers); a cover failing never fails a look-up.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Callable

from kiosk.clock import utc_now
from kiosk.desk import covers, dnb, fetch, openlibrary
from kiosk.desk.facts import BookFacts
from kiosk.desk.isbn import parse_isbn
from kiosk.desk.store import DeskStore
from kiosk.errors import SourceFailed, StoreError

__all__ = ["BookFacts", "Finding", "Lookup", "FOUND", "UNKNOWN", "UNREACHABLE"]

log = logging.getLogger(__name__)

FOUND, UNKNOWN, UNREACHABLE = "found", "unknown", "unreachable"
FOUND_KEEP = timedelta(days=180)
UNKNOWN_KEEP = timedelta(days=1)
DNB_SHARE = 0.6


@dataclass(frozen=True)
class Finding:
    """What a look-up gave: the facts (None unless `reason` is "found") and why."""

    facts: BookFacts | None
    reason: str          # "found", "unknown" (services answered, nobody knows it), "unreachable"

    @property
    def found(self) -> bool:
        return self.facts is not None


class Lookup:
    """The desk's look-up of books by ISBN, with its cache in data_dir/desk.sqlite.

    Safe to share between threads (the console's request threads). Opening raises StoreError
    when the data directory cannot hold the cache; `find` raises only BadIsbn.
    """

    def __init__(self, config, *, clock: Callable[[], datetime] = utc_now,
                 monotonic: Callable[[], float] = time.monotonic):
        self.config = config
        self.settings = config.desk
        self.clock = clock
        self.monotonic = monotonic
        self.store = DeskStore.open(config)

    def find(self, isbn13: str) -> Finding:
        """The facts of the book with this ISBN (any form parse_isbn reads); raises BadIsbn."""
        isbn13 = parse_isbn(isbn13)
        now = self.clock()
        cached = self._remembered(isbn13, now)
        if cached is not None:
            return cached
        if not self.settings.online:
            return Finding(None, UNREACHABLE)
        start = self.monotonic()
        end = start + self.settings.lookup_timeout_s
        answers = []
        for name, source, base, share in (("dnb", dnb, self.settings.dnb_url, DNB_SHARE),
                                          ("openlibrary", openlibrary, self.settings.openlibrary_url, 1.0)):
            deadline = start + self.settings.lookup_timeout_s * share
            try:
                body = fetch.get(source.url(base, isbn13), deadline=deadline, max_bytes=source.MAX_BYTES,
                                 content_types=source.CONTENT_TYPES)
                book = source.parse(body, isbn13)
            except SourceFailed as exc:
                log.info("look-up of %s: %s", isbn13, exc)
                answers.append(UNREACHABLE)
                continue
            if book is not None:
                book = replace(book, cover=covers.fetch(self.config, isbn13, deadline=end))
                self._remember(isbn13, FOUND, book, now, FOUND_KEEP)
                return Finding(book, FOUND)
            answers.append(UNKNOWN)
        if all(answer == UNKNOWN for answer in answers):
            self._remember(isbn13, UNKNOWN, None, now, UNKNOWN_KEEP)
            return Finding(None, UNKNOWN)
        return Finding(None, UNREACHABLE)

    def _remembered(self, isbn13: str, now: datetime) -> Finding | None:
        try:
            cached = self.store.remembered(isbn13, now)
        except StoreError as exc:
            log.warning("look-up cache unreadable, asking the catalogues: %s", exc)
            return None
        if cached is None:
            return None
        reason, book = cached
        if book is not None and book.cover and covers.cover_path(self.config, isbn13) is None:
            book = replace(book, cover="")       # the picture was removed since
        return Finding(book, reason)

    def _remember(self, isbn13: str, reason: str, book: BookFacts | None, now: datetime, keep: timedelta) -> None:
        try:
            self.store.remember(isbn13, reason, book, now, now + keep)
        except StoreError as exc:       # the answer is still good for staff now; it is just not kept
            log.warning("look-up of %s not cached: %s", isbn13, exc)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Lookup":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
