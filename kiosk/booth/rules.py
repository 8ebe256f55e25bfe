"""The lending rules of the booth: pure decisions, no I/O.

`decide()` gets what the booth knows about a tapped tag (a card, a book or
nothing), the state of the desk (whose session is open, register mode) and the
time, and says what happens. The service applies the decision in one
transaction and then gives feedback. Everything here is plain data, so each
rule is tested without a reader, a broker or a database.

The rules, as children and staff meet them:
- A child's card opens a session for `session_s` seconds; each book checked out
  restarts that time. The same card again closes it; another child's card
  closes the first session and opens its own.
- A book tapped during a session is checked out to that card. If it is still on
  loan to another card it is moved: that loan ends as returned, the new one
  starts. If it is on loan to this card already, the loan is renewed.
- A book tapped with no session open is returned.
- A retired book (staff said it is gone) counts as an unknown tag, in register
  mode too: it is not registered again, and its loans stay counted.
- Denied: an unknown tag, a blocked card, a card already holding
  `max_loans_per_card` books, a book tapped with no session that is not on loan.
- A child with an overdue book is reminded when the session opens, and may
  still borrow.
- A staff card steps through register modes: off → books → cards → off. In a
  register mode unknown tags become new books ("Buch 17") or new cards (next
  pseudonym); it ends after `REGISTER_IDLE_S` without a registration, or when a
  child's card is tapped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

REGISTER_IDLE_S = 120.0
# The age groups a book may carry (shelf signs, the desk's suggestion from a catalogue record);
# "" means none given. Each is "low-high" years, the last "low+".
AGE_GROUPS = ("0-3", "4-6", "7-9", "10-12", "13+")
REGISTER_MODES = ("off", "books", "cards")
NEXT_MODE = {"off": "books", "books": "cards", "cards": "off"}

# What a decision does.
OPEN, CLOSE, SWITCH = "open", "close", "switch"
CHECKOUT, MOVE, RENEW, RETURN = "checkout", "move", "renew", "return"
DENY, REGISTER, NEW_BOOK, NEW_CARD = "deny", "register", "new_book", "new_card"

# Reasons, as they appear in events.
UNKNOWN_TAG, BLOCKED, LIMIT, NOT_ON_LOAN = "unknown_tag", "blocked", "limit", "not_on_loan"
ALREADY_REGISTERED, OVERDUE = "already_registered", "overdue"
CLOSED, SWITCHED, TIMEOUT, STAFF = "closed", "switched", "timeout", "staff"


@dataclass(frozen=True)
class Card:
    """A registered card as the rules see it."""

    id: int
    pseudonym: str
    staff: bool = False
    blocked: bool = False
    loans: int = 0          # books on loan now
    overdue: int = 0        # of those, past their due date


@dataclass(frozen=True)
class Book:
    """A registered book as the rules see it; `holder` is the card it is on loan to."""

    id: int
    title: str
    holder: int | None = None
    retired: bool = False
    isbn: str | None = None           # where staff registered it by ISBN: the kiosk shows its cover


@dataclass(frozen=True)
class Limits:
    max_loans: int = 3
    session_s: float = 30.0


@dataclass(frozen=True)
class Desk:
    """The booth's short-lived state: the open session and the register mode."""

    session: int | None = None        # card id
    session_until: float = 0.0
    register: str = "off"
    register_until: float = 0.0


@dataclass(frozen=True)
class Decision:
    """What a tap does: `action`, on which card/book, why, and the desk afterwards.

    `previous` is the card whose session a SWITCH closed (or a staff tap ended).
    """

    action: str
    desk: Desk
    card: Card | None = None
    book: Book | None = None
    reason: str | None = None
    previous: int | None = None


@dataclass(frozen=True)
class Applied:
    """What a decision changed, for the events: cards' loan counts after it, the due date."""

    due: str | None = None
    loans: int | None = None              # of the decision's card
    previous_loans: int | None = None     # of the card that lost a moved book
    previous_pseudonym: str | None = None
    book: Book | None = None        # a newly registered book
    card: Card | None = None        # a newly registered card


def decide(tag: Card | Book | None, desk: Desk, limits: Limits, now: float) -> Decision:
    """What a tap of `tag` (None: a tag the booth does not know) does now."""
    desk = expire(desk, now).desk
    if isinstance(tag, Card):
        return _card(tag, desk, limits, now)
    if isinstance(tag, Book) and tag.retired:
        return Decision(DENY, desk, reason=UNKNOWN_TAG)
    if isinstance(tag, Book):
        return _book(tag, desk, limits, now)
    if desk.register == "books":
        return Decision(NEW_BOOK, replace(desk, register_until=now + REGISTER_IDLE_S))
    if desk.register == "cards":
        return Decision(NEW_CARD, replace(desk, register_until=now + REGISTER_IDLE_S))
    return Decision(DENY, desk, reason=UNKNOWN_TAG)


def _card(card: Card, desk: Desk, limits: Limits, now: float) -> Decision:
    if card.blocked:
        return Decision(DENY, desk, card=card, reason=BLOCKED)
    if card.staff:
        mode = NEXT_MODE[desk.register]
        after = Desk(register=mode, register_until=now + REGISTER_IDLE_S if mode != "off" else 0.0)
        return Decision(REGISTER, after, card=card, reason=mode, previous=desk.session)
    if desk.session == card.id:
        return Decision(CLOSE, Desk(), card=card, reason=CLOSED)
    opened = Desk(session=card.id, session_until=now + limits.session_s)
    reason = OVERDUE if card.overdue else None
    if desk.session is not None:
        return Decision(SWITCH, opened, card=card, reason=reason, previous=desk.session)
    return Decision(OPEN, opened, card=card, reason=reason)


def _book(book: Book, desk: Desk, limits: Limits, now: float) -> Decision:
    if desk.register != "off":
        return Decision(DENY, replace(desk, register_until=now + REGISTER_IDLE_S), book=book,
                        reason=ALREADY_REGISTERED)
    if desk.session is None:
        if book.holder is None:
            return Decision(DENY, desk, book=book, reason=NOT_ON_LOAN)
        return Decision(RETURN, desk, book=book)
    return Decision(CHECKOUT, desk, book=book)   # refined by `lend` once the card is known


def lend(book: Book, card: Card, desk: Desk, limits: Limits, now: float) -> Decision:
    """A book tapped in `card`'s session: checkout, move, renewal or a denial."""
    if card.blocked:
        # Blocked by staff while the session was open: the session ends with the denial.
        return Decision(DENY, Desk(), card=card, book=book, reason=BLOCKED)
    kept = replace(desk, session_until=now + limits.session_s)
    if book.holder == card.id:
        return Decision(RENEW, kept, card=card, book=book)
    if card.loans >= limits.max_loans:
        return Decision(DENY, desk, card=card, book=book, reason=LIMIT)
    if book.holder is not None:
        return Decision(MOVE, kept, card=card, book=book, previous=book.holder)
    return Decision(CHECKOUT, kept, card=card, book=book)


def expire(desk: Desk, now: float) -> Decision:
    """The desk after time passed: a session or register mode whose time is up ends.

    Returns a Decision whose action is CLOSE (reason TIMEOUT, previous = the card)
    when a session timed out, REGISTER (reason "off") when register mode ended, else "".
    """
    if desk.session is not None and now >= desk.session_until:
        return Decision(CLOSE, Desk(register=desk.register, register_until=desk.register_until),
                        reason=TIMEOUT, previous=desk.session)
    if desk.register != "off" and now >= desk.register_until:
        return Decision(REGISTER, Desk(session=desk.session, session_until=desk.session_until), reason="off")
    return Decision("", desk)
