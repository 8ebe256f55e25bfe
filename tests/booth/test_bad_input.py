"""What children do that nobody planned: two tags at once, a tag pulled away mid-read,
a book held like a card, a card held like a book. The booth's loop is stepped by hand
here, so each poll happens exactly where the test says."""

from __future__ import annotations

from tests.booth.conftest import ANNA, BEN, BOOK1, BOOK2, BOOK4


def step_until_quiet(booth, polls: int = 6) -> list[dict]:
    before = len(booth.confirmed)
    for _ in range(polls):
        booth.booth.step()
    return [p for _, payloads in booth.confirmed[before:] for p in payloads]


def test_two_tags_at_once_are_read_only_one_at_a_time(stocked, run_booth):
    booth = run_booth(stocked(), loop=False)
    booth.field.present(ANNA)
    booth.field.present(BOOK1)
    assert step_until_quiet(booth) == []          # they collide: neither is guessed at
    booth.field.remove(BOOK1)
    assert [p["type"] for p in step_until_quiet(booth)] == ["session_start"]
    booth.field.present(BOOK1)                    # the card still lies there; the book comes on top
    events = step_until_quiet(booth)
    assert [(p["type"], p["book"]["id"]) for p in events] == [("checkout", 1)]


def test_a_tag_pulled_away_mid_read_never_makes_a_wrong_loan(stocked, run_booth):
    booth = run_booth(stocked(), loop=False)
    booth.field.present(ANNA)
    step_until_quiet(booth)
    booth.field.remove(ANNA)
    step_until_quiet(booth)
    outcomes = set()
    for when in range(1, 200, 6):                     # every moment of a 7-byte NTAG213 read (~160 transfers)
        booth.field.present(BOOK4)
        booth.chip.after_transfers(when, lambda: booth.field.remove(BOOK4))
        events = step_until_quiet(booth, 8)
        assert all(p["book"] == {"id": 4, "title": "Pippi Langstrumpf"} for p in events)
        assert len(events) <= 1
        outcomes.add(events[0]["type"] if events else None)
        booth.field.remove(BOOK4)
        step_until_quiet(booth, 4)
    assert outcomes >= {None, "checkout"}         # pulled too early: nothing; late enough: the loan
    loans = booth.store.open_loans()
    assert [(r["book_id"], r["card"]) for r in loans] == [(4, "Lesefuchs 1")]


def test_a_book_held_like_a_card_returns_it_and_a_card_held_like_a_book_switches(stocked, run_booth):
    booth = run_booth(stocked())
    booth.tap(ANNA)
    booth.tap(BOOK2)
    booth.tap(ANNA)
    # A child who thinks the book is a card: no session, so it is a return, not a session.
    assert [p["type"] for p in booth.tap(BOOK2)] == ["return"]
    # A second child's card where a book was expected: that child's session begins.
    booth.tap(ANNA)
    switched = booth.tap(BEN)
    assert [(p["type"], p["card"]) for p in switched] == [("session_end", "Lesefuchs 1"),
                                                           ("session_start", "Bücherwurm 2")]
    assert booth.store.open_loans() == []


def test_reader_failures_are_survived(stocked, run_booth):
    booth = run_booth(stocked())
    booth.chip.fail_transfers(None)               # SPI errors on every transfer
    import time
    time.sleep(0.2)
    booth.chip.stop_failing()
    assert booth.thread.is_alive()
    assert [p["type"] for p in booth.tap(ANNA)] == ["session_start"]


def test_a_book_number_beyond_sqlite_is_one_clear_line_for_staff(stocked, capsys):
    from kiosk.cli import main
    config = stocked()
    capsys.readouterr()
    assert main(["--config", config.source, "admin", "book", "title", str(2**70), "Momo"]) == 2
    err = capsys.readouterr().err
    assert f"there is no book number {2**70}" in err and "Traceback" not in err and len(err.splitlines()) == 1
