"""The booth's events on `{p}/{s}/booth/events`, built from a decision: pseudonyms only.

What an event holds is `kiosk.booth.messages.BoothEvent`. A move is two events:
the old card's return (reason "moved"), then the new card's checkout. The feedback
the child gets follows the last event.
"""

from __future__ import annotations

from kiosk.booth import rules
from kiosk.booth.messages import (CHECKOUT, DENIED, REGISTER, REGISTERED, RETURN, SESSION_END, SESSION_START,
                                  BookRef, BoothEvent)


def event(type_: str, ts: str, card: str | None = None, book: rules.Book | None = None,
          reason: str | None = None, **extra) -> BoothEvent:
    """One event; `extra` are BoothEvent's optional fields (loans, due, overdue, renewed, mode, kind)."""
    return BoothEvent(type_, ts, card, None if book is None else BookRef(book.id, book.title, book.isbn), reason,
                      **extra)


def for_decision(decision: rules.Decision, applied: rules.Applied, ts: str,
                 previous_pseudonym: str | None) -> list[BoothEvent]:
    """The events of one applied decision, in the order they happened.

    `previous_pseudonym` names the card whose session this tap ended (switch, staff tap).
    """
    d, card = decision, decision.card
    name = card.pseudonym if card else None
    if d.action == rules.OPEN:
        return [event(SESSION_START, ts, name, reason=d.reason, loans=card.loans, overdue=card.overdue or None)]
    if d.action == rules.SWITCH:
        return [event(SESSION_END, ts, previous_pseudonym, reason=rules.SWITCHED),
                event(SESSION_START, ts, name, reason=d.reason, loans=card.loans, overdue=card.overdue or None)]
    if d.action == rules.CLOSE:
        return [event(SESSION_END, ts, name, reason=d.reason, loans=card.loans)]
    if d.action in (rules.CHECKOUT, rules.RENEW):
        return [event(CHECKOUT, ts, name, d.book, loans=applied.loans, due=applied.due,
                      renewed=True if d.action == rules.RENEW else None)]
    if d.action == rules.MOVE:
        return [event(RETURN, ts, applied.previous_pseudonym, d.book, reason="moved", loans=applied.previous_loans),
                event(CHECKOUT, ts, name, d.book, loans=applied.loans, due=applied.due)]
    if d.action == rules.RETURN:
        return [event(RETURN, ts, applied.previous_pseudonym, d.book, loans=applied.loans)]
    if d.action == rules.DENY:
        out = [event(DENIED, ts, name, d.book, reason=d.reason, loans=card.loans if card else None)]
        if d.reason == rules.BLOCKED and card and previous_pseudonym:
            out.append(event(SESSION_END, ts, previous_pseudonym, reason=rules.BLOCKED))
        return out
    if d.action == rules.REGISTER:
        out = []
        if previous_pseudonym:
            out.append(event(SESSION_END, ts, previous_pseudonym, reason=rules.STAFF))
        out.append(event(REGISTER, ts, name, mode=d.reason))
        return out
    if d.action == rules.NEW_BOOK:
        return [event(REGISTERED, ts, None, applied.book, kind="book")]
    if d.action == rules.NEW_CARD:
        return [event(REGISTERED, ts, applied.card.pseudonym, None, kind="card")]
    raise ValueError(f"no events for action {d.action!r}")


# Feedback patterns (kiosk.hardware.feedback) per decision.
def feedback_for(decision: rules.Decision) -> str:
    """Which feedback pattern the child or staff member gets for this decision."""
    action = decision.action
    if action in (rules.OPEN, rules.SWITCH):
        return "reminder" if decision.reason == rules.OVERDUE else "session"
    if action == rules.CLOSE:
        return "session_end"
    if action in (rules.CHECKOUT, rules.MOVE, rules.RENEW):
        return "checkout"
    if action == rules.RETURN:
        return "return"
    if action in (rules.REGISTER, rules.NEW_BOOK, rules.NEW_CARD):
        return "register"
    if action == rules.DENY and decision.reason in (rules.NOT_ON_LOAN, rules.ALREADY_REGISTERED):
        return "nothing"      # a book put back that was never out: no alarm for the child
    return "denied"
