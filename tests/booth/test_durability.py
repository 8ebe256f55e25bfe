"""kill -9 of `kiosk booth` at random moments during 1,000 scripted checkouts and returns."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections import Counter

import pytest

from kiosk.booth.store import BoothStore
from kiosk.clock import iso, utc_now
from tests.booth.booth_process import BoothProcess

CARDS = [f"c1{i:06x}" for i in range(20)]
BOOKS = [f"b1{i:06x}" for i in range(60)]
TARGET = 1000          # confirmed checkouts + returns
KILLS = 4


@pytest.fixture
def kill_config(make_config):
    def make(port):
        return make_config(port, extra='[booth]\nreader = "emulated"\npoll_ms = 5\nmax_loans_per_card = 50\n'
                                      'session_s = 600\n')
    return make


def test_kill_9_loses_no_confirmed_loan_and_no_event(broker, kill_config, tmp_path):
    config = kill_config(broker.port)
    with BoothStore.open(config) as store:
        names = {uid: store.add_card(uid).pseudonym for uid in CARDS}
        ids = {uid: store.add_book(uid, f"Buch Nummer {n}").id for n, uid in enumerate(BOOKS, 1)}
    rng = random.Random(20261125)
    booth = BoothProcess(config, tmp_path / "booth.log")
    kills = 0
    next_kill = [time.monotonic() + rng.uniform(3, 8)]

    def killer(stop: threading.Event) -> None:
        nonlocal kills
        while not stop.wait(0.01):
            if kills < KILLS and time.monotonic() >= next_kill[0] and booth.alive():
                time.sleep(rng.uniform(0, 0.03))      # somewhere inside a tap, not between steps
                booth.kill()
                kills += 1

    def step(uid: str) -> dict | None:
        """Tap `uid`; the first event the booth confirmed for it (None: killed or lost)."""
        if not booth.alive():
            next_kill[0] = time.monotonic() + 60
            booth.start()
            next_kill[0] = time.monotonic() + rng.uniform(3, 8)
        since, mark = iso(utc_now()), len(booth.events)
        booth.simulate(uid, True)
        about = (lambda e: e["card"] == names[uid]) if uid in names else \
            (lambda e: (e["book"] or {}).get("id") == ids[uid])
        event = booth.wait_event(lambda e: e["ts"] >= since and about(e), mark, timeout=3)
        if booth.alive():
            booth.simulate(uid, False)
        return event

    stop = threading.Event()
    thread = threading.Thread(target=killer, args=(stop,), daemon=True)
    started = time.monotonic()
    booth.start()
    thread.start()
    confirmed = 0
    last_card = None
    try:
        while confirmed < TARGET:
            card = rng.choice([c for c in CARDS if c != last_card])
            last_card = card
            opened = step(card)
            if opened and opened["type"] == "session_end":        # it was still open from before
                opened = step(card)
            if not opened or opened["type"] != "session_start":
                continue
            for book in rng.sample(BOOKS, 5):
                event = step(book)
                confirmed += bool(event and event["type"] in ("checkout", "return"))
            step(card)                                               # closes the session
            for book in rng.sample(BOOKS, 5):                        # no session: returns
                event = step(book)
                confirmed += bool(event and event["type"] == "return")
        stop.set()
        thread.join()
        if not booth.alive():
            booth.start()
        db_path = config.data_dir / "booth.sqlite"
        deadline = time.monotonic() + 20
        while _scalar(db_path, "SELECT count(*) FROM outbox") and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.3)
        assert booth.stop() == 0
    finally:
        stop.set()
        booth.close()
    elapsed = time.monotonic() - started

    assert kills == KILLS
    assert _scalar(db_path, "PRAGMA integrity_check") == "ok"
    loans = _rows(db_path, "SELECT l.book_id, c.pseudonym, l.out_ts, l.returned_ts FROM loans l "
                           "JOIN cards c ON c.id = l.card_id")
    checkouts_db = {(b, card, out) for b, card, out, _ in loans}
    returns_db = {(b, ret) for b, _, _, ret in loans if ret}
    unique = list(dict.fromkeys(tuple(sorted((k, str(v)) for k, v in e.items())) for e in booth.events))
    events = [dict(e) for e in unique]
    checkouts_seen = {(int(_book_id(e)), e["card"], e["ts"]) for e in events
                      if e["type"] == "checkout" and e.get("renewed") != "True"}
    returns_seen = {(int(_book_id(e)), e["ts"]) for e in events if e["type"] == "return"}
    # Every loan and return the booth confirmed is in the database ...
    assert checkouts_seen <= checkouts_db
    assert returns_seen <= returns_db
    # ... and nothing in the database went unannounced: the outbox survived every kill.
    assert checkouts_db == checkouts_seen
    assert returns_db == returns_seen
    assert len(checkouts_seen) + len(returns_seen) >= TARGET
    # The events came in the order they happened (duplicates after a kill aside).
    first_seen = list(dict.fromkeys(e["ts"] + e["type"] for e in booth.events if e["type"] != "denied"))
    assert first_seen == sorted(first_seen, key=lambda k: k[:24])
    month = _rows(db_path, "SELECT sum(loans), sum(returns) FROM stats_month")[0]
    assert month == (len(checkouts_db), len(returns_db))
    print(f"\n{len(checkouts_seen)} checkouts, {len(returns_seen)} returns, {kills} kills, {elapsed:.1f} s; "
          f"{sum(Counter(map(str, booth.events)).values()) - len(unique)} duplicate deliveries")


def _book_id(event: dict) -> str:
    import ast
    return str(ast.literal_eval(event["book"])["id"])


def _scalar(path, sql):
    return _rows(path, sql)[0][0]


def _rows(path, sql):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()
