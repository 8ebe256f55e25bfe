"""The booth's messages: the exact JSON on the wire, and what is refused (any payload: tests/test_messages.py)."""

from __future__ import annotations

import pytest

from kiosk.booth import events, rules
from kiosk.booth.messages import BookRef, BoothEvent, MonthCounts, OverdueLoan, SameIsbn, Summary
from kiosk.errors import BadMessage

TS = "2026-11-25T09:00:00.000Z"
DUE = "2026-12-16T09:00:00.000Z"


def test_the_wire_keys_of_an_event_stay_what_the_kiosk_and_acceptance_checks_read():
    """Every event has type, ts, card and book; the rest only where it has a value (DESIGN.md)."""
    book = rules.Book(id=4, title="Das Sams")
    card = rules.Card(id=1, pseudonym="Lesefuchs 17", loans=1)
    decision = rules.Decision(rules.CHECKOUT, rules.Desk(), card=card, book=book)
    made = events.for_decision(decision, rules.Applied(loans=2, due=DUE), TS, None)
    assert [e.to_payload() for e in made] == [{"type": "checkout", "ts": TS, "card": "Lesefuchs 17",
                                               "book": {"id": 4, "title": "Das Sams"}, "loans": 2, "due": DUE}]
    assert events.event(events.DENIED, TS, reason="not_saved").to_payload() == {
        "type": "denied", "ts": TS, "card": None, "book": None, "reason": "not_saved"}


def test_the_wire_keys_of_the_summary_stay_what_the_staff_screen_reads():
    summary = Summary(TS, 3, (OverdueLoan(BookRef(4, "Das Sams", "9783789142017"), "Lesefuchs 17", DUE),),
                      MonthCounts(9, 4, 5, 1), untitled=(17,), blocked=("Bücherwurm 2",),
                      same_isbn=(SameIsbn("9783789142017", (4, 9)),), recent=(BookRef(9, "Das Sams", "9783789142017"),))
    assert summary.to_payload() == {
        "ts": TS, "active_loans": 3,
        "overdue": [{"book": {"id": 4, "title": "Das Sams", "isbn": "9783789142017"}, "card": "Lesefuchs 17",
                     "due": DUE}],
        "month": {"loans": 9, "returns": 4, "readers": 5, "new_books": 1},
        "untitled": [{"id": 17}], "blocked": [{"card": "Bücherwurm 2"}],
        "same_isbn": [{"isbn": "9783789142017", "books": [4, 9]}],
        "recent": [{"id": 9, "title": "Das Sams", "isbn": "9783789142017"}]}
    assert Summary.from_payload(summary.to_payload()) == summary


def test_a_summary_from_before_untitled_books_and_blocked_cards_reads_as_having_none():
    summary = Summary.from_payload({"ts": TS, "active_loans": 0, "overdue": [],
                                    "month": {"loans": 0, "returns": 0, "readers": 0, "new_books": 0}})
    assert summary.untitled == () and summary.blocked == () and summary.same_isbn == () and summary.recent == ()


@pytest.mark.parametrize("cls, payload, says", [
    (BoothEvent, {"type": "borrow", "ts": TS}, "'type' must be one of"),
    (BoothEvent, {"type": "checkout"}, "'ts' is missing"),
    (BoothEvent, {"type": "checkout", "ts": TS, "book": {"id": "b-3", "title": "x"}}, "'id' must be a whole number"),
    (BoothEvent, {"type": "register", "ts": TS, "mode": "all"}, "'mode' must be one of"),
    (BoothEvent, {"type": "return", "ts": TS, "book": {"id": 3, "title": "x", "isbn": "../../etc"}},
     "'isbn' must be 13 digits"),
    (BoothEvent, {"type": "checkout", "ts": TS, "loans": -1}, "'loans' must be a whole number of at least 0"),
    (Summary, {"ts": TS, "active_loans": 1, "overdue": {}, "month": {}}, "'overdue' must be a list"),
    (Summary, {"ts": TS, "active_loans": 1, "overdue": [], "month": {"loans": 1}}, "'returns' is missing"),
])
def test_a_malformed_payload_is_refused_with_one_clear_error(cls, payload, says):
    with pytest.raises(BadMessage, match=says):
        cls.from_payload(payload)
