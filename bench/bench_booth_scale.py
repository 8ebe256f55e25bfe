"""Book booth at scale: a checkout with 10,000 books, 2,000 cards and 1,000,000 historical
loans, next to the same checkout with an empty loan history, in the same run.

    python bench/bench_booth_scale.py [--quick]

Each measured checkout is `Booth.handle_tap` of a book in an open session: identify the
tag (keyed hash), count the card's loans, find the book's open loan, insert the loan,
bump the monthly counts, queue the event in the outbox — one durable transaction
(synchronous=FULL) — then the LED pattern (MockFactory). The partial indexes on open
loans should make history irrelevant. Goal: at most 2x the empty-history time (p50).
"""

from __future__ import annotations

import logging
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import header, quick_flag, scratch, verdict  # noqa: E402

BOOKS, CARDS = 10_000, 2_000
GOAL_RATIO = 2.0


def write_config(folder: Path):
    from kiosk import config as config_mod
    path = folder / "station.toml"
    path.write_text(f'[station]\nid = "bench-1"\ndata_dir = "{folder / "data"}"\n'
                    '[mqtt]\nhost = "127.0.0.1"\nport = 1\n'
                    '[booth]\nreader = "emulated"\nmax_loans_per_card = 50\nsession_s = 600\n', encoding="utf-8")
    return config_mod.load(path)


def build(config, history: int) -> None:
    """Books, cards and `history` returned loans spread over five years, written in bulk."""
    from kiosk.booth.store import BoothStore
    from kiosk.clock import iso

    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    with BoothStore.open(config) as store:
        created = iso(now)

        def stock(conn):
            conn.executemany("INSERT INTO books (id, tag_hash, title, created) VALUES (?, ?, ?, ?)",
                             [(i, store.hash(book_uid(i)), f"Buch {i}", created) for i in range(1, BOOKS + 1)])
            conn.executemany("INSERT INTO cards (id, tag_hash, pseudonym, created) VALUES (?, ?, ?, ?)",
                             [(i, store.hash(card_uid(i)), f"Lesefuchs {i}", created) for i in range(1, CARDS + 1)])
        store.db.write(stock)
        batch = 50_000
        for start in range(0, history, batch):
            rows = []
            for _ in range(min(batch, history - start)):
                out = now - timedelta(days=rng.uniform(30, 5 * 365))
                back = out + timedelta(days=rng.uniform(1, 28))
                card = rng.randint(1, CARDS) if back > now - timedelta(days=90) else None
                rows.append((rng.randint(1, BOOKS), card, iso(out), iso(out + timedelta(days=21)), iso(back), "returned"))
            store.db.write(lambda conn: conn.executemany(
                "INSERT INTO loans (book_id, card_id, out_ts, due, returned_ts, return_kind) VALUES (?, ?, ?, ?, ?, ?)",
                rows))
        store.db.write(lambda conn: conn.execute("ANALYZE"))


def book_uid(i: int) -> bytes:
    return b"\x0b" + i.to_bytes(3, "big")


def card_uid(i: int) -> bytes:
    return b"\x0c" + i.to_bytes(3, "big")


def measure(config, checkouts: int) -> list[float]:
    from gpiozero.pins.mock import MockFactory

    from kiosk.booth.service import Booth
    from kiosk.booth.store import BoothStore
    from kiosk.bus import Bus
    from kiosk.hardware.feedback import Feedback

    store = BoothStore.open(config)
    feedback = Feedback(17, 27, 22, pin_factory=MockFactory())
    bus = Bus(config, "booth")          # never started: events wait in the outbox, as with the broker away
    booth = Booth(config, store, bus, None, None, feedback)
    rng = random.Random(11)
    books = rng.sample(range(1, BOOKS + 1), checkouts)
    out = []
    try:
        for n, book in enumerate(books):
            if n % 40 == 0:
                booth.handle_tap(card_uid(rng.randint(1, CARDS)))
            t0 = time.perf_counter()
            decision = booth.handle_tap(book_uid(book))
            out.append(time.perf_counter() - t0)
            assert decision.action in ("checkout", "move"), decision.action
    finally:
        feedback.close()
        store.close()
    return out


def main() -> None:
    args = quick_flag(__doc__)
    logging.disable(logging.INFO)
    history = 100_000 if args.quick else 1_000_000
    checkouts = 50 if args.quick else 400
    header("booth checkout at scale", f"{BOOKS:,} books, {CARDS:,} cards; {history:,} historical loans vs none; "
           f"{checkouts} checkouts each")
    goal = f"checkout with history at most {GOAL_RATIO:.0f}x the empty-history time (p50)"
    try:
        with scratch("booth-scale-empty") as empty_dir, scratch("booth-scale-full") as full_dir:
            empty, full = write_config(empty_dir), write_config(full_dir)
            build(empty, 0)
            started = time.monotonic()
            build(full, history)
            print(f"  built {history:,} loans in {time.monotonic() - started:.1f} s")
            base = measure(empty, checkouts)
            loaded = measure(full, checkouts)
        for name, values in (("empty history", base), (f"{history:,} historical loans", loaded)):
            print(f"  {name:28s} p50 {statistics.median(values) * 1000:6.2f} ms   "
                  f"p99 {sorted(values)[int(0.99 * (len(values) - 1))] * 1000:6.2f} ms")
        ratio = statistics.median(loaded) / statistics.median(base)
        print(f"  ratio history / empty (p50): {ratio:4.2f}x")
        verdict(goal, ratio <= GOAL_RATIO)
    except Exception as exc:  # noqa: BLE001 — a missed goal is reported; a broken benchmark fails
        print(f"benchmark could not run: {exc}")
        sys.exit(1)


if __name__ == "__main__":
    main()
    sys.exit(0)
