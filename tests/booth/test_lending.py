"""Every lending rule, through the emulated reader with the booth's poll loop running."""

from __future__ import annotations

from tests.booth.conftest import ANNA, BEN, BOOK1, BOOK2, BOOK3, BOOK4, EVENTS, STAFF, UNKNOWN


def types(payloads):
    return [(p["type"], p.get("reason")) for p in payloads]


def test_card_then_books_checks_out_and_events_name_the_pseudonym(stocked, run_booth, watch):
    config = stocked()
    watcher = watch(config, EVENTS)
    booth = run_booth(config)
    opened = booth.tap(ANNA)
    assert opened == [{"type": "session_start", "ts": opened[0]["ts"], "card": "Lesefuchs 1", "book": None,
                       "loans": 0}]
    first = booth.tap(BOOK1)[0]
    assert first["type"] == "checkout" and first["card"] == "Lesefuchs 1"
    assert first["book"] == {"id": 1, "title": "Die kleine Raupe Nimmersatt"}
    assert first["loans"] == 1 and first["due"] > first["ts"]
    second = booth.tap(BOOK4)[0]          # a 7-byte NTAG213 tag
    assert (second["type"], second["loans"]) == ("checkout", 2)
    assert booth.tap(ANNA)[0]["type"] == "session_end"
    received = watcher.wait_for(EVENTS, lambda p: p["type"] == "session_end")
    assert received["card"] == "Lesefuchs 1"
    seen = [(p["type"], (p["book"] or {}).get("id")) for p in watcher.payloads(EVENTS)]
    assert seen == [("session_start", None), ("checkout", 1), ("checkout", 4), ("session_end", None)]
    assert [r["book_id"] for r in booth.store.open_loans()] == [1, 4]


def test_book_without_session_is_returned(stocked, run_booth):
    booth = run_booth(stocked())
    booth.tap(ANNA)
    booth.tap(BOOK2)
    booth.tap(ANNA)
    returned = booth.tap(BOOK2)
    assert types(returned) == [("return", None)]
    assert returned[0]["card"] == "Lesefuchs 1" and returned[0]["loans"] == 0
    assert booth.store.open_loans() == []
    not_out = booth.tap(BOOK3)
    assert types(not_out) == [("denied", "not_on_loan")]


def test_book_on_loan_to_another_card_moves_with_both_records(stocked, run_booth):
    booth = run_booth(stocked())
    booth.tap(ANNA)
    booth.tap(BOOK1)
    moved = [booth.tap(BEN), booth.tap(BOOK1)]
    assert types(moved[0]) == [("session_end", "switched"), ("session_start", None)]
    assert types(moved[1]) == [("return", "moved"), ("checkout", None)]
    assert moved[1][0]["card"] == "Lesefuchs 1" and moved[1][0]["loans"] == 0
    assert moved[1][1]["card"] == "Bücherwurm 2" and moved[1][1]["loans"] == 1
    history = booth.store.export_rows()
    assert [(r["card"], r["how"]) for r in history] == [("Lesefuchs 1", "moved"), ("Bücherwurm 2", "")]


def test_more_than_the_limit_is_denied_with_reason(stocked, run_booth):
    booth = run_booth(stocked(max_loans=2))
    booth.tap(ANNA)
    booth.tap(BOOK1)
    booth.tap(BOOK2)
    denied = booth.tap(BOOK3)
    assert types(denied) == [("denied", "limit")]
    assert denied[0]["loans"] == 2 and denied[0]["book"]["id"] == 3
    assert len(booth.store.open_loans()) == 2
    # The red LED lit for the denial (and not before: checkouts are green).
    assert any(state.state for state in booth.pins["led_red"].states)


def test_unknown_tag_and_blocked_card_are_denied(stocked, run_booth):
    booth = run_booth(stocked())
    assert types(booth.tap(UNKNOWN)) == [("denied", "unknown_tag")]
    booth.store.block("Lesefuchs 1")            # as `kiosk admin card block` does, booth running
    assert types(booth.tap(ANNA)) == [("denied", "blocked")]
    booth.store.block("Lesefuchs 1", blocked=False)
    assert types(booth.tap(ANNA)) == [("session_start", None)]


def test_card_blocked_during_its_session_cannot_borrow(stocked, run_booth):
    booth = run_booth(stocked())
    booth.tap(ANNA)
    booth.store.block("Lesefuchs 1")
    denied = booth.tap(BOOK1)
    assert types(denied) == [("denied", "blocked"), ("session_end", "blocked")]
    assert types(booth.tap(BOOK1)) == [("denied", "not_on_loan")]     # no session any more


def test_session_times_out(stocked, run_booth, watch):
    config = stocked(session_s=5)
    watcher = watch(config, EVENTS)
    booth = run_booth(config)
    booth.tap(ANNA)
    booth.clock.advance(6)
    ended = watcher.wait_for(EVENTS, lambda p: p["type"] == "session_end")
    assert ended["reason"] == "timeout" and ended["card"] == "Lesefuchs 1"
    assert types(booth.tap(BOOK1)) == [("denied", "not_on_loan")]


def test_checkout_keeps_the_session_open(stocked, run_booth):
    booth = run_booth(stocked(session_s=5))
    booth.tap(ANNA)
    booth.clock.advance(4)
    booth.tap(BOOK1)
    booth.clock.advance(4)                       # 8 s after the card, 4 s after the book
    assert types(booth.tap(BOOK2)) == [("checkout", None)]


def test_overdue_child_is_reminded_and_may_still_borrow(stocked, run_booth):
    booth = run_booth(stocked())
    booth.tap(ANNA)
    booth.tap(BOOK1)
    booth.tap(ANNA)
    booth.clock.advance(22 * 86400)
    opened = booth.tap(ANNA)
    assert types(opened) == [("session_start", "overdue")]
    assert opened[0]["overdue"] == 1 and opened[0]["loans"] == 1
    assert types(booth.tap(BOOK2)) == [("checkout", None)]


def test_same_book_again_renews_the_loan(stocked, run_booth):
    booth = run_booth(stocked())
    booth.tap(ANNA)
    first = booth.tap(BOOK1)[0]
    booth.clock.advance(3)
    again = booth.tap(BOOK1)[0]
    assert again["type"] == "checkout" and again["renewed"] is True and again["loans"] == 1
    assert again["due"] > first["due"]
    assert booth.store.month_counts(booth.store.month(booth.booth.now())).loans == 1


def test_staff_card_registers_books_then_cards(stocked, run_booth):
    booth = run_booth(stocked())
    assert booth.tap(STAFF)[0] == {"type": "register", "ts": booth.confirmed[-1][1][0]["ts"], "card": "Team",
                                   "book": None, "mode": "books"}
    new_book = booth.tap("b0000099")[0]
    assert new_book["type"] == "registered" and new_book["book"] == {"id": 5, "title": "Buch 5"}
    assert types(booth.tap(BOOK1)) == [("denied", "already_registered")]
    assert booth.tap(STAFF)[0]["mode"] == "cards"
    new_card = booth.tap("c0000099")[0]
    assert new_card["type"] == "registered" and new_card["card"] == "Leseigel 4"
    assert booth.tap(STAFF)[0]["mode"] == "off"
    assert types(booth.tap("d0000099")) == [("denied", "unknown_tag")]
    # The new card and the new book work at once.
    booth.tap("c0000099")
    assert booth.tap("b0000099")[0]["book"] == {"id": 5, "title": "Buch 5"}


def test_a_tag_lying_on_the_reader_counts_once(stocked, run_booth):
    booth = run_booth(stocked())
    booth.tap(ANNA)
    booth.field.present(BOOK1)
    booth.wait_confirmed(2)
    import time
    time.sleep(0.3)                             # 30 polls with the book lying there
    assert len(booth.confirmed) == 2
    booth.take_away(BOOK1)
    assert len(booth.store.open_loans()) == 1
