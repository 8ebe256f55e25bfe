"""A book that is gone is retired: its tag counts as unknown at the booth (in register mode
too), an open loan of it ends, and what it was lent stays in the month's counts."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kiosk.booth import rules
from kiosk.booth.store import BoothStore
from kiosk.cli import main
from kiosk.errors import UnknownBook

from .test_titles_and_csv import lend

BOOK_TAG, CARD_TAG = "b0000001", "04a1b2c3"


@pytest.fixture
def config(booth_config):
    return booth_config(1883)


def tapped(store: BoothStore, tag: str, desk: rules.Desk) -> rules.Decision:
    now = datetime.now(timezone.utc)
    known = store.db.write(lambda conn: store.identify(conn, store.hash(bytes.fromhex(tag)), now))
    return rules.decide(known, desk, rules.Limits(), now.timestamp())


def test_a_retired_book_is_unknown_at_the_booth_and_still_counted(config, capsys):
    with BoothStore.open(config) as store:
        book, card = store.add_book(BOOK_TAG, "Das Sams"), store.add_card(CARD_TAG)
        lend(store, book, card)
        month = store.month(datetime.now(timezone.utc))
    assert main(["--config", config.source, "admin", "book", "retire", "--id", str(book.id)]) == 0
    assert "is retired" in capsys.readouterr().out
    with BoothStore.open(config) as store:
        assert store.open_loans() == []                                  # the lost book is no longer out
        assert store.month_counts(month).loans == 1                       # its loan still counts
        for desk in (rules.Desk(), rules.Desk(session=card.id), rules.Desk(register="books", register_until=9e9)):
            decision = tapped(store, BOOK_TAG, desk)
            assert (decision.action, decision.reason, decision.book) == (rules.DENY, rules.UNKNOWN_TAG, None)
        assert [b["retired"] is not None for b in store.books()] == [True]
        with pytest.raises(UnknownBook):
            store.retire(book.id + 1)
    assert main(["--config", config.source, "admin", "book", "list"]) == 0
    assert "retired" in capsys.readouterr().out
