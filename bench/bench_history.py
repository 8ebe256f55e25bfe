"""History: the 7-day plot query on years of per-minute readings vs the same query on one week.

`GardenStore.series(node, "7d", now)` is what `kiosk garden` publishes retained every
few minutes and answers on the `history` command. Two garden.sqlite files (the real
schema, built through `kiosk.garden.store`):
- big: N years of one reading per minute for the node (5 years = ~2.6 million rows;
  1 year with --quick), plus a second node interleaved at a lower rate;
- small: just the last 7 days of the same node (10,080 rows).
Same `now` for both, so both queries return the same 168 hourly points. Timed as the
median of many warm calls, big and small alternating; the first (cold) call of each
is printed too.

The big file is built with executemany in large transactions via `Database.write`
and cached under /tmp keyed by years and row count (rebuilt when missing or wrong).

Goal: big <= 2 x small.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import common

GOAL = 2.0
NODE, OTHER = "bed-1", "bed-2"
END = 1_767_225_600.0          # 2026-01-01T00:00:00Z: a fixed `now`, so the cached file stays valid
MINUTE_MS = 60_000
CACHE = Path(os.environ.get("KIOSK_BENCH_CACHE", "/tmp/kiosk-bench-history"))
CHUNK = 250_000


def build(path: Path, minutes: int, other_every: int = 0) -> int:
    """A garden.sqlite with `minutes` per-minute readings of NODE ending at END; returns rows written."""
    from kiosk.garden.store import MIGRATIONS
    from kiosk.store import Database

    if path.exists():
        path.unlink()
    db = Database(path, MIGRATIONS)
    end_ms = int(END * 1000)
    first_ms = end_ms - (minutes - 1) * MINUTE_MS
    written = 0
    try:
        for start in range(0, minutes, CHUNK):
            rows = []
            for i in range(start, min(start + CHUNK, minutes)):
                ts = first_ms + i * MINUTE_MS
                raw = 30000 + (i * 37) % 15000
                rows.append((NODE, ts, i, raw, round((52000 - raw) / 310, 2)))
                if other_every and i % other_every == 0:
                    rows.append((OTHER, ts + 1, i, raw, round((52000 - raw) / 310, 2)))
            db.write(lambda conn, rows=rows: conn.executemany(
                "INSERT INTO readings (node, ts_ms, seq, raw, moisture) VALUES (?, ?, ?, ?, ?)", rows))
            written += len(rows)
    finally:
        db.close()
    return written


def cached_big(years: int) -> tuple[Path, int, float]:
    """(path, rows, seconds spent building; 0 when cached)."""
    from kiosk.garden.store import GardenStore, open_database  # noqa: F401 (schema check below)

    minutes = years * 365 * 24 * 60
    other_every = 10
    expected = minutes + (minutes + other_every - 1) // other_every
    folder = CACHE / f"{years}y-{expected}-v1"
    path = folder / "garden.sqlite"
    if path.exists() and _count(path) == expected:
        return path, expected, 0.0
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "building.sqlite"
    t0 = time.monotonic()
    rows = build(tmp, minutes, other_every)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    tmp.rename(path)
    return path, rows, time.monotonic() - t0


def _count(path: Path) -> int:
    import sqlite3
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM readings").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return -1


def timed_query(store, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        series = store.series(NODE, "7d", END)
        out.append(time.perf_counter() - t0)
    assert len(series.points) >= 168, f"unexpected series: {len(series.points)} points"
    return out


def main() -> None:
    from kiosk.garden.store import MIGRATIONS, GardenStore
    from kiosk.store import Database

    args = common.quick_flag(__doc__)
    years, repeat = (1, 10) if args.quick else (5, 30)
    common.header("history", f"series({NODE!r}, '7d') on {years} year(s) of per-minute readings vs on one week; "
                  f"median of {repeat} x 5 warm calls each")
    big_path, big_rows, built = cached_big(years)
    print(f"  big file  : {big_rows:,} rows, {big_path.stat().st_size / 1e6:.0f} MB "
          + (f"(built in {built:.1f} s)" if built else f"(cached: {big_path})"))
    with common.scratch("history") as folder:
        small_path = folder / "garden.sqlite"
        small_rows = build(small_path, 7 * 24 * 60)
        print(f"  small file: {small_rows:,} rows")
        big_db, small_db = Database(big_path, MIGRATIONS), Database(small_path, MIGRATIONS)
        try:
            big, small = GardenStore(big_db), GardenStore(small_db)
            plan = big_db.rows("EXPLAIN QUERY PLAN SELECT ts_ms / 3600000 AS b, min(moisture), avg(moisture), "
                               "max(moisture), count(moisture) FROM readings WHERE node = ? AND ts_ms >= ? "
                               "GROUP BY b ORDER BY b", (NODE, 0))
            print("  plan      : " + "; ".join(r["detail"] for r in plan))
            cold_big, cold_small = timed_query(big, 1)[0], timed_query(small, 1)[0]
            big_times, small_times = [], []
            for _ in range(5):
                big_times += timed_query(big, repeat)
                small_times += timed_query(small, repeat)
        finally:
            big_db.close()
            small_db.close()
    b, s = common.median(big_times), common.median(small_times)
    print(f"  first call: big {cold_big * 1000:.2f} ms, small {cold_small * 1000:.2f} ms")
    print(f"7d query on {years} year(s): {b * 1000:8.2f} ms (median)")
    print(f"7d query on one week    : {s * 1000:8.2f} ms (median)")
    print(f"ratio big / small       : {b / s:.2f}")
    if args.quick:
        print("(quick run: fewer years; smoke test only)")
    common.verdict(f"big <= {GOAL} x small", b / s <= GOAL)


if __name__ == "__main__":
    main()
