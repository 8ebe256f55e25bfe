"""The lending rules as pure decisions: no reader, broker or database."""

from kiosk.booth import rules
from kiosk.booth.rules import Book, Card, Desk, Limits, decide, expire, lend

LIMITS = Limits(max_loans=3, session_s=30)
ANNA = Card(1, "Lesefuchs 1")
BEN = Card(2, "Bücherwurm 2")
STAFF = Card(3, "Team", staff=True)


def test_card_opens_same_card_closes_other_card_switches():
    opened = decide(ANNA, Desk(), LIMITS, 100)
    assert (opened.action, opened.desk.session, opened.desk.session_until) == (rules.OPEN, 1, 130)
    assert decide(ANNA, opened.desk, LIMITS, 110).action == rules.CLOSE
    switched = decide(BEN, opened.desk, LIMITS, 110)
    assert (switched.action, switched.previous, switched.desk.session) == (rules.SWITCH, 1, 2)


def test_book_in_session_is_lent_and_time_restarts():
    desk = decide(ANNA, Desk(), LIMITS, 100).desk
    assert decide(Book(5, "Sams"), desk, LIMITS, 120).action == rules.CHECKOUT
    lent = lend(Book(5, "Sams"), ANNA, desk, LIMITS, 120)
    assert (lent.action, lent.desk.session_until) == (rules.CHECKOUT, 150)


def test_limit_move_renew_and_blocked_in_session():
    desk = Desk(session=1, session_until=200)
    full = Card(1, "Lesefuchs 1", loans=3)
    assert lend(Book(5, "x"), full, desk, LIMITS, 100).reason == rules.LIMIT
    assert lend(Book(5, "x", holder=1), full, desk, LIMITS, 100).action == rules.RENEW   # not over the limit
    moved = lend(Book(5, "x", holder=2), ANNA, desk, LIMITS, 100)
    assert (moved.action, moved.previous) == (rules.MOVE, 2)
    blocked = lend(Book(5, "x"), Card(1, "Lesefuchs 1", blocked=True), desk, LIMITS, 100)
    assert (blocked.action, blocked.reason, blocked.desk.session) == (rules.DENY, rules.BLOCKED, None)


def test_book_without_session_returns_or_is_not_on_loan():
    assert decide(Book(5, "x", holder=1), Desk(), LIMITS, 0).action == rules.RETURN
    assert decide(Book(5, "x"), Desk(), LIMITS, 0).reason == rules.NOT_ON_LOAN


def test_unknown_blocked_overdue():
    assert decide(None, Desk(), LIMITS, 0).reason == rules.UNKNOWN_TAG
    assert decide(Card(1, "x", blocked=True), Desk(), LIMITS, 0).reason == rules.BLOCKED
    reminded = decide(Card(1, "x", loans=2, overdue=1), Desk(), LIMITS, 0)
    assert (reminded.action, reminded.reason) == (rules.OPEN, rules.OVERDUE)


def test_staff_card_cycles_register_modes_and_unknown_tags_become_things():
    modes, desk = [], Desk()
    for _ in range(3):
        d = decide(STAFF, desk, LIMITS, 0)
        modes.append(d.reason)
        desk = d.desk
    assert modes == ["books", "cards", "off"]
    assert decide(None, Desk(register="books", register_until=99), LIMITS, 0).action == rules.NEW_BOOK
    assert decide(None, Desk(register="cards", register_until=99), LIMITS, 0).action == rules.NEW_CARD
    assert decide(Book(1, "x"), Desk(register="books", register_until=99), LIMITS, 0).reason == rules.ALREADY_REGISTERED
    child = decide(ANNA, Desk(register="books", register_until=99), LIMITS, 0)
    assert (child.action, child.desk.register) == (rules.OPEN, "off")


def test_time_outs():
    assert expire(Desk(session=1, session_until=10), 10).reason == rules.TIMEOUT
    assert expire(Desk(session=1, session_until=10), 9).action == ""
    ended = expire(Desk(register="cards", register_until=5), 5)
    assert (ended.action, ended.desk.register) == (rules.REGISTER, "off")
    assert decide(None, Desk(register="books", register_until=5), LIMITS, 6).reason == rules.UNKNOWN_TAG
