"""Staff commands to `kiosk booth` (block a card, title or retire a book, register mode, the desk's
new books), for every face.

Each function returns the StaffRequest to send; the booth service answers it in
Booth.command_block / command_title / command_retire / command_register. What is wrong on its face
(no card named, an unknown mode) is refused here with BadValue, before anything is
sent; what only the booth can know (an unknown card) it refuses, and the face shows
the request's `refused` words.
"""

from __future__ import annotations

from kiosk.booth import rules
from kiosk.booth.details import BookDetails, clean_isbn
from kiosk.booth.pending import MAX_TICKET
from kiosk.booth.tagkey import parse_tag
from kiosk.errors import BadValue
from kiosk.staff_requests import StaffRequest
from kiosk.text import clean_line
from kiosk.translation import N_

SILENT = N_("That did not work: the book booth does not answer.")
REFUSED = N_("The book booth did not accept that.")


def block(card: str, blocked: bool = True) -> StaffRequest:
    """Block (or unblock) the card with this pseudonym; a session of it ends at once."""
    card = clean_line(card) if isinstance(card, str) else ""
    if not card:
        raise BadValue("say which card (its pseudonym) to block")
    return StaffRequest("booth", "block", {"card": card, "blocked": bool(blocked)}, silent=SILENT, refused=REFUSED)


def title(book: int, text: str) -> StaffRequest:
    """Give book number `book` its title (cleaned like any text; the booth checks its length)."""
    if isinstance(book, bool) or not isinstance(book, int):
        raise BadValue("the book must be given by its number")
    text = clean_line(text) if isinstance(text, str) else ""
    if not text:
        raise BadValue("the title is empty")
    return StaffRequest("booth", "title", {"book": book, "title": text}, silent=SILENT, refused=REFUSED)


def retire(book: int) -> StaffRequest:
    """Book number `book` is gone: the booth treats its tag as unknown; its past loans stay counted."""
    if isinstance(book, bool) or not isinstance(book, int):
        raise BadValue("the book must be given by its number")
    return StaffRequest("booth", "retire", {"book": book}, silent=SILENT, refused=REFUSED)


def register(mode: str) -> StaffRequest:
    """Register mode: unknown tags become books, cards, or nothing ("off") from now on."""
    if mode not in rules.REGISTER_MODES:
        raise BadValue(f"register mode is one of {', '.join(rules.REGISTER_MODES)}, not {str(mode)[:20]!r}")
    return StaffRequest("booth", "register", {"mode": mode}, silent=SILENT, refused=REFUSED)


def add_book(details: BookDetails, tag: str | None = None) -> StaffRequest:
    """A book with what staff know of it: stored with `tag` (a UID staff typed) at once, or else
    the next new tag tapped at the booth becomes it (the reply's ticket asks `pending`).

    The UID goes to the booth service only, which hashes it; BadTag here, before sending,
    for one that cannot be a UID (without echoing it)."""
    payload: dict = {"book": details.to_payload()}
    if tag is not None:
        parse_tag(tag)
        payload["tag"] = tag
    return StaffRequest("booth", "add_book", payload, silent=SILENT, refused=REFUSED)


def pending(ticket: str, cancel: bool = False) -> StaffRequest:
    """What became of a pending book (its ticket from add_book); `cancel` stops its waiting first."""
    if not isinstance(ticket, str) or not ticket or len(ticket) > MAX_TICKET:
        raise BadValue("say which pending book (its ticket)")
    return StaffRequest("booth", "pending", {"ticket": ticket, "cancel": bool(cancel)}, silent=SILENT,
                        refused=REFUSED)


def undo(book: int) -> StaffRequest:
    """Take back the registration of book number `book`: removed if never lent, else retired."""
    if isinstance(book, bool) or not isinstance(book, int):
        raise BadValue("the book must be given by its number")
    return StaffRequest("booth", "undo", {"book": book}, silent=SILENT, refused=REFUSED)


def same_isbn(isbn: str) -> StaffRequest:
    """Which books in the booth have this ISBN-13 already."""
    return StaffRequest("booth", "same_isbn", {"isbn": clean_isbn(isbn)}, silent=SILENT, refused=REFUSED)
